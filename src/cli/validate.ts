// `comfyui-workflow validate --object-info <file|http-url> [--server-version x.y.z] [--format text|json] [--locale en|zh-cn] <workflow.json>...`
// Output and exit codes are a stable interface (users' CI parses them):
//   text: one line per problem, `file:line:col severity code message` (1-based line and column, like tsc);
//   json: [{"file","format","problems":[{"severity","code","message","nodeId","inputName","range":{"start":{"line","character"},"end":{…}}}],
//          "server"?: {"accepts": "all"|"partly"|"none", "skippedOutputs": [ids]}}]
//         (zero-based positions; nodeId and inputName may be null; `server` for API prompts and /prompt bodies);
//   text: after a file's problems, when the server would run only some outputs, one line
//         `file: the server accepts this prompt but runs only part of it (it skips output nodes 9, 12)`;
//   exit 0 = no errors, 1 = errors, 2 = usage error or unreadable input.
import { readFile } from 'node:fs/promises';
import { parseWorkflowDocument, type WorkflowFormat } from '../core/workflow/document';
import { formatMessage } from '../core/workflow/messages';
import { createLineIndex, type LineIndex, type LinePosition } from '../core/workflow/positions';
import { validateUiWorkflow } from '../core/workflow/ui/validateUi';
import { parseVersion, validateWorkflow, type Problem } from '../core/workflow/validate';
import { serverAcceptance, type ServerAcceptance } from '../core/workflow/acceptance';
import { describeFsError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, loadDefinitions, parseCommand, UsageError, type LoadedDefinitions } from './options';

export const VALIDATE_USAGE = `Usage: comfyui-workflow validate --object-info <file|http-url> [--server-version x.y.z] [--format text|json] [--locale en|zh-cn] [--timeout ms] <workflow.json>...

Checks ComfyUI workflows (API prompts, /prompt bodies, UI workflows) against a server's node definitions:
--object-info is a saved /object_info JSON file, or a server URL whose /object_info is fetched.
--server-version follows that ComfyUI version's rules where versions differ (default: the version the server
reports, or a system_stats.json next to the dump; else the newest rules).
Exit code: 0 no errors, 1 errors found, 2 usage error or unreadable input.`;

export interface JsonProblem {
  severity: Problem['severity'];
  code: string;
  message: string;
  nodeId: string | null;
  inputName: string | null;
  range: { start: LinePosition; end: LinePosition };
}

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
  const { common, positionals, values } = parseCommand(argv, { 'server-version': { type: 'string' } });
  if (common.help) {
    io.stdout(`${VALIDATE_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('No workflow file given: pass one or more workflow JSON files after the options.');
  const loaded = await loadDefinitions(common.objectInfo, common.timeoutMs);
  if (typeof values['server-version'] === 'string') {
    if (!parseVersion(values['server-version'])) throw new UsageError(`--server-version must be a version such as 0.3.64, not "${values['server-version']}".`);
    loaded.serverVersion = values['server-version'];
  }
  const reports: FileReport[] = [];
  let unreadable = false;
  for (const file of positionals) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      io.stderr(`Cannot read workflow file ${file}: ${describeFsError(e)}.\n`);
      unreadable = true;
      continue;
    }
    reports.push(validateText(file, text, loaded, common.locale));
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
  return reports.some((r) => r.problems.some((p) => p.severity === 'error')) ? EXIT_PROBLEMS : EXIT_OK;
}

/** Validates one file's text; never throws. */
export function validateText(file: string, text: string, loaded: LoadedDefinitions, locale: 'en' | 'zh-cn'): FileReport {
  const doc = parseWorkflowDocument(text);
  let problems: (Pick<Problem, 'severity' | 'message' | 'nodeId' | 'inputName' | 'range'> & { code: string })[];
  let server: ServerAcceptance | undefined;
  const version = loaded.serverVersion !== undefined ? { serverVersion: loaded.serverVersion } : {};
  if (doc.format === 'ui') {
    problems = validateUiWorkflow(text, loaded.objectInfo, { defs: loaded.defs, locale, ...version });
  } else {
    const found = validateWorkflow(doc, loaded.defs, { locale, ...version });
    server = serverAcceptance(doc, loaded.defs, found);
    problems = found;
    if (doc.format === 'none' && problems.length === 0) {
      problems = [{ severity: 'error', code: 'invalid_prompt', message: formatMessage(locale, 'notWorkflow', {}), range: { offset: 0, length: 0 } }];
    }
  }
  problems = [...problems].sort((a, b) => a.range.offset - b.range.offset);
  const lines = createLineIndex(text);
  return {
    file,
    format: doc.format,
    problems: problems.map((p) => toJsonProblem(p, lines)),
    ...(server ? { server } : {}),
  };
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
export function toJsonProblem(p: Pick<Problem, 'severity' | 'message' | 'nodeId' | 'inputName' | 'range'> & { code: string }, lines: LineIndex): JsonProblem {
  return {
    severity: p.severity,
    code: p.code,
    message: p.message,
    nodeId: p.nodeId ?? null,
    inputName: p.inputName ?? null,
    range: { start: lines.positionAt(p.range.offset), end: lines.positionAt(p.range.offset + p.range.length) },
  };
}

export function textLine(file: string, p: JsonProblem): string {
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.code} ${p.message.replace(/\r?\n/g, ' ')}`;
}
