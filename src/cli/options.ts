// Option parsing and node-definition loading shared by the CLI subcommands (validate, convert, …).
// Usage errors and unreadable inputs become a UsageError: one sentence on stderr and exit code 2.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ComfyClient } from '../core/comfy/client';
import { isComfyError } from '../core/comfy/errors';
import { Redactor } from '../core/comfy/redact';
import type { ObjectInfo } from '../core/comfy/types';
import { LOCALES, type Locale } from '../core/workflow/messages';
import { prepareNodeDefs, type NodeDefs } from '../core/workflow/nodeDefs';
import { urlSecrets } from '../core/comfy/url';

/** Exit codes: a stable interface that users' CI depends on. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** A problem with how the command was called or with its inputs; printed as one sentence, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type OutputFormat = 'text' | 'json' | 'markdown';

export interface CommonOptions {
  objectInfo?: string;
  format: OutputFormat;
  locale: Locale;
  help: boolean;
  timeoutMs: number;
}

/** The options every subcommand understands; a subcommand may add its own. */
export const COMMON_OPTIONS = {
  'object-info': { type: 'string' },
  format: { type: 'string', default: 'text' },
  locale: { type: 'string', default: 'en' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export interface ParsedCommand<T> {
  common: CommonOptions;
  values: T;
  positionals: string[];
}

/** Parses argv with the common options plus `extra`; throws UsageError with a readable sentence. */
export function parseCommand<E extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  extra?: E,
  formats: readonly OutputFormat[] = ['text', 'json'],
): ParsedCommand<Record<string, unknown>> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...(extra ?? {}) }, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\.$/, '')}.`);
  }
  const v = parsed.values;
  const format = String(v.format);
  if (!(formats as readonly string[]).includes(format)) throw new UsageError(`--format must be ${formats.join(' or ')}, not "${format}".`);
  const locale = String(v.locale).toLowerCase();
  if (!(LOCALES as readonly string[]).includes(locale)) throw new UsageError(`--locale must be one of ${LOCALES.join(', ')}, not "${String(v.locale)}".`);
  let timeoutMs = 30_000;
  if (v.timeout !== undefined) {
    const n = Number(v.timeout);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds, not "${String(v.timeout)}".`);
    timeoutMs = n;
  }
  return {
    common: {
      objectInfo: typeof v['object-info'] === 'string' ? v['object-info'] : undefined,
      format: format as OutputFormat,
      locale: locale as Locale,
      help: v.help === true,
      timeoutMs,
    },
    values: v,
    positionals: parsed.positionals,
  };
}

export interface LoadedDefinitions {
  objectInfo: ObjectInfo;
  defs: NodeDefs;
  /** The file or URL, credentials redacted: safe to print. */
  source: string;
  /** The server's `comfyui_version`: from the server itself, or a `system_stats.json` beside the dump. */
  serverVersion?: string;
}

/** Loads /object_info from a JSON file or from a server (`http(s)://…`, fetched from its /object_info). */
export async function loadDefinitions(source: string | undefined, timeoutMs = 30_000): Promise<LoadedDefinitions> {
  if (!source) throw new UsageError('Missing --object-info <file|http-url>: node definitions are needed to validate.');
  let body: unknown;
  let serverVersion: string | undefined;
  let shown = source;
  if (/^https?:\/\//i.test(source)) {
    // user:pass@ and ?token= never reach the output (issue 13, finding 15).
    const redactor = new Redactor(urlSecrets(source));
    shown = redactor.url(source);
    try {
      const client = new ComfyClient({ baseUrl: source, timeoutMs });
      body = await client.getObjectInfo({ timeoutMs });
      serverVersion = await client.getSystemStats({ timeoutMs }).then(
        (s) => versionOf(s),
        () => undefined,
      );
    } catch (e) {
      const why = redactor.text(isComfyError(e) ? e.message : (e as Error).message);
      throw new UsageError(`Cannot fetch node definitions from ${shown}: ${why.replace(/\.$/, '')}.`);
    }
  } else {
    let text: string;
    try {
      text = await readFile(source, 'utf8');
    } catch (e) {
      throw new UsageError(`Cannot read node definitions file ${source}: ${describeFsError(e)}.`);
    }
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`Node definitions file ${source} is not valid JSON: ${(e as Error).message.replace(/\.$/, '')}.`);
    }
    serverVersion = await readFile(join(dirname(source), 'system_stats.json'), 'utf8')
      .then((t) => versionOf(JSON.parse(t) as unknown))
      .catch(() => undefined);
  }
  try {
    return { objectInfo: body as ObjectInfo, defs: prepareNodeDefs(body), source: shown, ...(serverVersion !== undefined ? { serverVersion } : {}) };
  } catch (e) {
    throw new UsageError(`${shown}: ${(e as Error).message}`);
  }
}

/** `comfyui_version` of a /system_stats body, when it has one. */
function versionOf(stats: unknown): string | undefined {
  const v = (stats as { system?: { comfyui_version?: unknown } } | null)?.system?.comfyui_version;
  return typeof v === 'string' && v.length <= 64 ? v : undefined;
}

export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return (err.message ?? String(e)).replace(/\.$/, '');
  }
}

/** Writes a command's result to `output` (a file) or, without one, to stdout. */
export async function writeOutput(output: string | undefined, text: string, stdout: (s: string) => void): Promise<void> {
  if (!output) {
    stdout(text);
    return;
  }
  try {
    await writeFile(output, text, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot write ${output}: ${describeFsError(e)}.`);
  }
}
