// `comfyui-workflow validate --object-info <file|http-url> [--server-version x.y.z] [--node-map FILE|URL]
//    [--registry|--no-registry] [--format text|json] [--locale en|zh-cn] [--fail-on error|warning] <workflow.json>...`
// Output and exit codes are a stable interface (users' CI parses them):
//   text: one line per problem, `file:line:col severity code message` (1-based line and column, like tsc);
//         after a file's problems, when the server would run only some outputs, one line
//         `file: the server accepts this prompt but runs only part of it (it skips output nodes 9, 12)`;
//   json: [{"file","format","problems":[{"severity","code","message","nodeId","inputName","range":{"start":{"line","character"},"end":{…}}}],
//          "server"?: {"accepts": "all"|"partly"|"none", "skippedOutputs": [ids]}}]
//         (zero-based positions; nodeId and inputName may be null; `server` for API prompts and /prompt bodies);
//   exit 0 = nothing at or above --fail-on (default error), 1 = such problems, 2 = usage error or unreadable input.
//   A file that cannot be checked (not UTF-8, too large, too deep) gets its own entry; the other files still report.
import { readFile } from 'node:fs/promises';
import { parseWorkflowDocument, type WorkflowFormat } from '../core/workflow/document';
import { formatMessage } from '../core/workflow/messages';
import { createLineIndex, type LineIndex, type LinePosition } from '../core/workflow/positions';
import { validateUiWorkflow } from '../core/workflow/ui/validateUi';
import { parseVersion, validateWorkflow, type Problem } from '../core/workflow/validate';
import { serverAcceptance, type ServerAcceptance } from '../core/workflow/acceptance';
import { unsafeNodeProblems } from '../core/safety/detect';
import { unsafeNodeList, type UnsafeNodeList } from '../core/safety/unsafeNodes';
import { escapeTerminal, truncateText } from '../core/util/escape';
import { describeFsError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, loadDefinitions, parseCommand, UsageError, type LoadedDefinitions } from './options';
import { documentPackView } from '../core/packs/document';
import { enrichProblems, type ModelJson, type PackJson } from '../core/packs/enrich';
import { resolveClasses, type PackSources } from '../core/packs/resolver';
import type { WorkflowDocument } from '../core/workflow/document';
import { loadManagerMap, loadPackSources, PACK_OPTIONS, PACK_USAGE, packOptions } from './packs';

export const VALIDATE_USAGE = `Usage: comfyui-workflow validate --object-info <file|http-url> [--server-version x.y.z] [--node-map FILE|URL] [--registry|--no-registry] [--format text|json] [--locale en|zh-cn] [--fail-on error|warning] [--timeout ms] <workflow.json>...

Checks ComfyUI workflows (API prompts, /prompt bodies, UI workflows) against a server's node definitions:
--object-info is a saved /object_info JSON file, or a server URL whose /object_info is fetched (and, when the
server runs ComfyUI-Manager, its class → pack map). A missing class names the pack it comes from (JSON:
data.packs), a missing model its folder and download URL (data.model), from the workflow's own records first.
--server-version follows that ComfyUI version's rules where versions differ (default: the version the server
reports, or a system_stats.json next to the dump; else the newest rules).
${PACK_USAGE}
Nodes that can run arbitrary code on the server (unsafe_node) are reported as warnings.
--fail-on warning also fails on warnings (for CI jobs that must reject unsafe nodes).
Exit code: 0 nothing at or above --fail-on (default error), 1 problems found, 2 usage error or unreadable input.`;

/** Longest message printed; a file controls names and values (a 50 MB class name must not be echoed). */
const MAX_MESSAGE = 500;

export interface JsonProblem {
  severity: Problem['severity'];
  code: string;
  message: string;
  nodeId: string | null;
  inputName: string | null;
  range: { start: LinePosition; end: LinePosition };
  /** Only on missing classes and models: where to get them. */
  data?: { packs?: PackJson[]; model?: ModelJson };
}

type AnyProblem = Pick<Problem, 'severity' | 'message' | 'nodeId' | 'inputName' | 'range' | 'data'> & { code: string };

/** Rewrites a file's problems before they are reported (pack and model answers). */
export type ProblemEnricher = (doc: WorkflowDocument, problems: AnyProblem[]) => AnyProblem[];

export interface FileReport {
  file: string;
  format: WorkflowFormat;
  problems: JsonProblem[];
  /** What the server does with the prompt: runs every output, only some (200 with node_errors), or none (400). */
  server?: ServerAcceptance;
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** The process's own streams; tests pass an Io that collects the text instead. */
export const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

export async function runValidate(argv: string[], io: Io = defaultIo): Promise<number> {
  const { common, positionals, values } = parseCommand(argv, {
    'fail-on': { type: 'string', default: 'error' },
    'server-version': { type: 'string' },
    ...PACK_OPTIONS,
  });
  if (common.help) {
    io.stdout(`${VALIDATE_USAGE}\n`);
    return EXIT_OK;
  }
  const failOn = String(values['fail-on']);
  if (failOn !== 'error' && failOn !== 'warning') throw new UsageError(`--fail-on must be error or warning, not "${failOn}".`);
  if (positionals.length === 0) throw new UsageError('No workflow file given: pass one or more workflow JSON files after the options.');
  const packOpts = packOptions(values);
  const loaded = await loadDefinitions(common.objectInfo, common.timeoutMs);
  if (typeof values['server-version'] === 'string') {
    if (!parseVersion(values['server-version'])) throw new UsageError(`--server-version must be a version such as 0.3.64, not "${values['server-version']}".`);
    loaded.serverVersion = values['server-version'];
  }
  const sources = await loadPackSources(packOpts, common.timeoutMs);
  let managerAsked = false;
  const unsafe = unsafeNodeList([]);
  const reports: FileReport[] = [];
  let unreadable = false;
  for (const file of positionals) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (e) {
      io.stderr(`Cannot read workflow file ${escapeTerminal(file)}: ${describeFsError(e)}.\n`);
      unreadable = true;
      continue;
    }
    // Pack answers are gathered (asynchronously) for the classes the server lacks, then the check stays synchronous.
    const doc = parseWorkflowDocument(new TextDecoder('utf-8').decode(bytes));
    const view = documentPackView(doc);
    const missing = doc.tooLarge ? [] : [...view.classes].filter((c) => !loaded.defs.has(c));
    if (missing.length > 0 && !managerAsked) {
      managerAsked = true;
      const manager = await loadManagerMap(common.objectInfo, common.timeoutMs, io.stderr);
      if (manager) sources.manager = manager;
    }
    const fileSources: PackSources = { ...sources, workflow: view.info };
    const resolution = missing.length > 0 ? await resolveClasses(missing, fileSources) : undefined;
    if (resolution?.registryError) io.stderr(`${escapeTerminal(resolution.registryError)}\n`);
    const enrich: ProblemEnricher = (d, problems) => {
      const v = documentPackView(d);
      return enrichProblems(problems, {
        sources: { ...sources, workflow: v.info },
        ...(resolution ? { resolution } : {}),
        classOf: v.classOf,
        locale: common.locale,
      });
    };
    reports.push(checkFile(file, bytes, loaded, common.locale, unsafe, enrich));
  }
  if (common.format === 'json') io.stdout(`${JSON.stringify(reports, null, 2)}\n`);
  else {
    for (const r of reports) {
      for (const p of r.problems) io.stdout(`${textLine(r.file, p)}\n`);
      const summary = r.server ? acceptanceLine(r.file, r.server, common.locale) : undefined;
      if (summary) io.stdout(`${summary}\n`);
    }
  }
  if (unreadable) return EXIT_USAGE;
  const failing = failOn === 'warning' ? (p: JsonProblem) => p.severity === 'error' || p.severity === 'warning' : (p: JsonProblem) => p.severity === 'error';
  return reports.some((r) => r.problems.some(failing)) ? EXIT_PROBLEMS : EXIT_OK;
}

/**
 * One file's report, whatever the file holds: bytes that are not UTF-8 and anything the checks cannot handle become
 * a problem of this file's own entry, so the reports of the other files always come out (issue 13, finding 4).
 */
export function checkFile(
  file: string,
  bytes: Uint8Array,
  loaded: LoadedDefinitions,
  locale: 'en' | 'zh-cn',
  unsafe: UnsafeNodeList = unsafeNodeList([]),
  enrich?: ProblemEnricher,
): FileReport {
  let text: string;
  try {
    // Strips a byte order mark (as the editor does) and rejects invalid UTF-8 instead of checking replacement characters.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return notChecked(file, formatMessage(locale, 'invalidUtf8', { offset: firstInvalidUtf8(bytes) }));
  }
  try {
    return validateText(file, text, loaded, locale, unsafe, enrich);
  } catch (e) {
    return notChecked(file, formatMessage(locale, 'notChecked', { reason: e instanceof Error ? e.message : String(e) }));
  }
}

function notChecked(file: string, message: string): FileReport {
  const at = { line: 0, character: 0 };
  return {
    file,
    format: 'none',
    problems: [
      {
        severity: 'error',
        code: 'file_not_checked',
        message: truncateText(message, MAX_MESSAGE),
        nodeId: null,
        inputName: null,
        range: { start: at, end: at },
      },
    ],
  };
}

/** Offset of the first byte that breaks UTF-8 (a decoder error does not say). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return i;
}

/**
 * Validates one file's text (BOM already stripped); never throws for any text. Without `enrich`, missing classes and
 * models are named from the workflow's own records only (no network).
 */
export function validateText(
  file: string,
  text: string,
  loaded: LoadedDefinitions,
  locale: 'en' | 'zh-cn',
  unsafe: UnsafeNodeList = unsafeNodeList([]),
  enrich?: ProblemEnricher,
): FileReport {
  const { doc, problems, server } = validateProblems(text, loaded, locale, unsafe, enrich);
  const lines = createLineIndex(text);
  return { file, format: doc.format, problems: problems.map((p) => toJsonProblem(p, lines)), ...(server ? { server } : {}) };
}

/** The problems of one file's text, enriched and sorted by offset (also for `requirements`). */
export function validateProblems(
  text: string,
  loaded: LoadedDefinitions,
  locale: 'en' | 'zh-cn',
  unsafe: UnsafeNodeList = unsafeNodeList([]),
  enrich?: ProblemEnricher,
): { doc: WorkflowDocument; problems: AnyProblem[]; server?: ServerAcceptance } {
  const doc = parseWorkflowDocument(text);
  let problems: AnyProblem[];
  let server: ServerAcceptance | undefined;
  const version = loaded.serverVersion !== undefined ? { serverVersion: loaded.serverVersion } : {};
  if (doc.tooLarge) {
    problems = validateWorkflow(doc, loaded.defs, { locale });
  } else if (doc.format === 'ui') {
    problems = validateUiWorkflow(text, loaded.objectInfo, { defs: loaded.defs, locale, ...version });
  } else {
    const found = validateWorkflow(doc, loaded.defs, { locale, ...version });
    server = serverAcceptance(doc, loaded.defs, found);
    problems = found;
    if (doc.format === 'none' && problems.length === 0) {
      problems = [{ severity: 'error', code: 'invalid_prompt', message: formatMessage(locale, 'notWorkflow', {}), range: { offset: 0, length: 0 } }];
    }
  }
  // Nodes that run arbitrary code: API, request and UI files, inside subgraphs and group nodes (one expansion).
  if (!doc.tooLarge) problems = [...problems, ...unsafeNodeProblems(doc, unsafe)];
  if (!doc.tooLarge) {
    const view = documentPackView(doc);
    problems = enrich ? enrich(doc, problems) : enrichProblems(problems, { sources: { workflow: view.info }, classOf: view.classOf, locale });
  }
  return { doc, problems: [...problems].sort((a, b) => a.range.offset - b.range.offset), ...(server ? { server } : {}) };
}

/**
 * The text output's summary line, only when the server would run part of the prompt: errors then do not mean
 * "nothing runs" (when it runs nothing, the errors already say so).
 */
export function acceptanceLine(file: string, server: ServerAcceptance, locale: 'en' | 'zh-cn'): string | undefined {
  if (server.accepts !== 'partly') return undefined;
  const ids = server.skippedOutputs.join(', ');
  return locale === 'zh-cn'
    ? `${file}: 服务器会接受此提示词但只运行其中一部分（跳过输出节点 ${ids}）`
    : `${file}: the server accepts this prompt but runs only part of it (it skips output nodes ${ids})`;
}

/** The stable JSON shape of a validation or conversion problem: offsets become zero-based lines and characters. */
export function toJsonProblem(
  p: Pick<Problem, 'severity' | 'message' | 'nodeId' | 'inputName' | 'range'> & { code: string; data?: Record<string, unknown> },
  lines: LineIndex,
): JsonProblem {
  const out: JsonProblem = {
    severity: p.severity,
    code: p.code,
    message: truncateText(p.message, MAX_MESSAGE),
    nodeId: p.nodeId === undefined ? null : truncateText(p.nodeId),
    inputName: p.inputName === undefined ? null : truncateText(p.inputName),
    range: { start: lines.positionAt(p.range.offset), end: lines.positionAt(p.range.offset + p.range.length) },
  };
  const packs = p.data?.packs as PackJson[] | undefined;
  const model = p.data?.model as ModelJson | undefined;
  if (packs || model) out.data = { ...(packs ? { packs } : {}), ...(model ? { model } : {}) };
  return out;
}

/** One line of text output: control characters from the file are shown escaped, never sent to the terminal. */
export function textLine(file: string, p: JsonProblem): string {
  return escapeTerminal(`${file}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.code} ${p.message.replace(/\r?\n/g, ' ')}`);
}
