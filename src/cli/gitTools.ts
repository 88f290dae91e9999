// Shared by the git-facing subcommands (diff, textconv, format, merge-driver): optional node definitions that can
// also come from the environment or a config file (git runs textconv and merge drivers without our flags), and
// reading workflow files into the semantic model.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { ObjectInfo } from '../core/comfy/types';
import { buildModel, ModelError, type WorkflowModel } from '../core/diff/model';
import { describeFsError, loadDefinitions, UsageError } from './options';

export const OBJECT_INFO_ENV = 'COMFYUI_OBJECT_INFO';
export const CONFIG_FILE = '.comfyui-workflow.json';
const MAX_CONFIG_LEVELS = 32;

export const OBJECT_INFO_HELP = `--object-info        node definitions (a saved /object_info file or a server URL) to name widget values;
                     else $${OBJECT_INFO_ENV}, else "objectInfo" in ${CONFIG_FILE} (searched upwards from the current folder)`;

/** --object-info, else $COMFYUI_OBJECT_INFO, else `objectInfo` in the nearest .comfyui-workflow.json (relative to it). */
export function objectInfoSource(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  if (flag) return flag;
  if (env[OBJECT_INFO_ENV]) return env[OBJECT_INFO_ENV];
  let dir = resolve(cwd);
  for (let i = 0; i < MAX_CONFIG_LEVELS; i++) {
    const file = join(dir, CONFIG_FILE);
    if (existsSync(file)) {
      let config: unknown;
      try {
        config = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new UsageError(`${file} is not valid JSON: ${(e as Error).message.replace(/\.$/, '')}.`);
      }
      const v = (config as { objectInfo?: unknown } | null)?.objectInfo;
      if (typeof v !== 'string' || v === '') return undefined;
      return /^https?:\/\//i.test(v) || isAbsolute(v) ? v : join(dir, v);
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

export async function optionalDefinitions(flag: string | undefined, timeoutMs: number): Promise<ObjectInfo | undefined> {
  const source = objectInfoSource(flag);
  return source ? (await loadDefinitions(source, timeoutMs)).objectInfo : undefined;
}

export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read ${file}: ${describeFsError(e)}.`);
  }
}

/** Reads a workflow file into the model; unreadable, invalid or non-workflow files are usage errors (exit 2). */
export async function readModel(file: string, objectInfo: ObjectInfo | undefined): Promise<WorkflowModel> {
  const text = await readText(file);
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message.replace(/\.$/, '')}.`);
  }
  try {
    return buildModel(json, objectInfo);
  } catch (e) {
    if (e instanceof ModelError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}
