// Pack and model sources for the CLI: `--node-map FILE|URL` (repeatable), `--registry` / `--no-registry`
// (off by default in the CLI so CI runs are offline and reproducible; the editor's setting defaults to on),
// `--registry-url`, and ComfyUI-Manager's map when --object-info is a server URL.
import { readFile } from 'node:fs/promises';
import { ComfyClient } from '../core/comfy/client';
import { isComfyError } from '../core/comfy/errors';
import { detectManager, fetchManagerMappings } from '../core/packs/manager';
import { fetchNodeMap } from '../core/packs/mapSource';
import { parseNodeMapText, type NodeMapIndex } from '../core/packs/nodeMap';
import { RegistryClient } from '../core/packs/registry';
import type { PackSources } from '../core/packs/resolver';
import { describeFsError, UsageError } from './options';

export const PACK_OPTIONS = {
  'node-map': { type: 'string', multiple: true },
  registry: { type: 'boolean', default: false },
  'no-registry': { type: 'boolean', default: false },
  'registry-url': { type: 'string' },
} as const;

export const PACK_USAGE = `--node-map FILE|URL  a class → pack map in ComfyUI-Manager's extension-node-map.json format (repeatable)
--registry           also ask the Comfy Registry (api.comfy.org) which pack provides a missing class (sends class names)
--no-registry        never ask the registry (the default)
--registry-url URL   another registry (same API)`;

export interface PackOptions {
  nodeMaps: string[];
  registry: boolean;
  registryUrl?: string;
}

export function packOptions(values: Record<string, unknown>): PackOptions {
  const maps = Array.isArray(values['node-map']) ? (values['node-map'] as string[]) : [];
  if (values.registry === true && values['no-registry'] === true) throw new UsageError('--registry and --no-registry contradict each other; pass one.');
  const url = typeof values['registry-url'] === 'string' ? values['registry-url'] : undefined;
  return { nodeMaps: maps, registry: values.registry === true || (url !== undefined && values['no-registry'] !== true), ...(url ? { registryUrl: url } : {}) };
}

/** Loads every map and the registry client; unreadable maps are usage errors (exit 2). */
export async function loadPackSources(opts: PackOptions, timeoutMs: number): Promise<PackSources> {
  const nodeMaps: NodeMapIndex[] = [];
  for (const source of opts.nodeMaps) {
    if (/^https?:\/\//i.test(source)) {
      try {
        nodeMaps.push(await fetchNodeMap(source, { timeoutMs }));
      } catch (e) {
        throw new UsageError(`Cannot fetch node map ${source}: ${(e as Error).message}.`);
      }
      continue;
    }
    let text: string;
    try {
      text = await readFile(source, 'utf8');
    } catch (e) {
      throw new UsageError(`Cannot read node map ${source}: ${describeFsError(e)}.`);
    }
    try {
      nodeMaps.push(parseNodeMapText(text, 'nodeMap', source));
    } catch (e) {
      throw new UsageError(`Node map ${source}: ${(e as Error).message}.`);
    }
  }
  let registry: RegistryClient | undefined;
  if (opts.registry) {
    try {
      registry = new RegistryClient({ ...(opts.registryUrl ? { baseUrl: opts.registryUrl } : {}), timeoutMs: Math.min(timeoutMs, 15_000) });
    } catch (e) {
      throw new UsageError(`${(e as Error).message}`);
    }
  }
  return { nodeMaps, ...(registry ? { registry } : {}) };
}

/** ComfyUI-Manager's map on the server named by --object-info, when it runs there; notes go to `warn`. */
export async function loadManagerMap(objectInfo: string | undefined, timeoutMs: number, warn: (s: string) => void): Promise<NodeMapIndex | undefined> {
  if (!objectInfo || !/^https?:\/\//i.test(objectInfo)) return undefined;
  const client = new ComfyClient({ baseUrl: objectInfo, timeoutMs });
  try {
    const info = await detectManager(client);
    return info ? await fetchManagerMappings(client, info) : undefined;
  } catch (e) {
    warn(`ComfyUI-Manager's node map could not be read from ${client.displayUrl}: ${isComfyError(e) ? e.message : (e as Error).message}\n`);
    return undefined;
  }
}
