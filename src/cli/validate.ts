// `comfyui-workflow validate --object-info <file|http-url> [--format text|json] [--locale en|zh-cn] <workflow.json>...`
// Output and exit codes are a stable interface (users' CI parses them):
//   text: one line per problem, `file:line:col severity code message` (1-based line and column, like tsc);
//   json: [{"file","format","problems":[{"severity","code","message","nodeId","inputName","range":{"start":{"line","character"},"end":{…}}}]}]
//         (zero-based positions; nodeId and inputName may be null);
//   exit 0 = no errors, 1 = errors, 2 = usage error or unreadable input.
import { readFile } from 'node:fs/promises';
import { parseWorkflowDocument, type WorkflowFormat } from '../core/workflow/document';
import { formatMessage } from '../core/workflow/messages';
import { createLineIndex, type LineIndex, type LinePosition } from '../core/workflow/positions';
import { validateUiWorkflow } from '../core/workflow/ui/validateUi';
import { validateWorkflow, type Problem } from '../core/workflow/validate';
import { describeFsError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, loadDefinitions, parseCommand, UsageError, type LoadedDefinitions } from './options';
import { documentPackView } from '../core/packs/document';
import { enrichProblems, missingClassOf, type ModelJson, type PackJson } from '../core/packs/enrich';
import { resolveClasses, type PackSources } from '../core/packs/resolver';
import type { WorkflowDocument } from '../core/workflow/document';
import { loadManagerMap, loadPackSources, PACK_OPTIONS, PACK_USAGE, packOptions } from './packs';

export const VALIDATE_USAGE = `Usage: comfyui-workflow validate --object-info <file|http-url> [--node-map FILE|URL] [--registry|--no-registry] [--format text|json] [--locale en|zh-cn] [--timeout ms] <workflow.json>...

Checks ComfyUI workflows (API prompts, /prompt bodies, UI workflows) against a server's node definitions:
--object-info is a saved /object_info JSON file, or a server URL whose /object_info is fetched (and, when the
server runs ComfyUI-Manager, its class → pack map). A missing class names the pack it comes from (JSON:
data.packs), a missing model its folder and download URL (data.model), from the workflow's own records first.
${PACK_USAGE}
Exit code: 0 no errors, 1 errors found, 2 usage error or unreadable input.`;

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

export interface FileReport {
  file: string;
  format: WorkflowFormat;
  problems: JsonProblem[];
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
  const { common, values, positionals } = parseCommand(argv, PACK_OPTIONS);
  if (common.help) {
    io.stdout(`${VALIDATE_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('No workflow file given: pass one or more workflow JSON files after the options.');
  const packOpts = packOptions(values);
  const loaded = await loadDefinitions(common.objectInfo, common.timeoutMs);
  const sources = await loadPackSources(packOpts, common.timeoutMs);
  let managerAsked = false;
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
    const { doc, problems } = validateProblems(text, loaded, common.locale);
    const view = documentPackView(doc);
    const missing = new Set(problems.filter((p) => p.code === 'missing_node_type').map((p) => missingClassOf(p, view.classOf)).filter((c): c is string => c !== undefined));
    if (missing.size > 0 && !managerAsked) {
      managerAsked = true;
      const manager = await loadManagerMap(common.objectInfo, common.timeoutMs, io.stderr);
      if (manager) sources.manager = manager;
    }
    const fileSources: PackSources = { ...sources, workflow: view.info };
    const resolution = missing.size > 0 ? await resolveClasses(missing, fileSources) : undefined;
    if (resolution?.registryError) io.stderr(`${resolution.registryError}\n`);
    const enriched = enrichProblems(problems, { sources: fileSources, ...(resolution ? { resolution } : {}), classOf: view.classOf, locale: common.locale });
    reports.push(report(file, text, doc, enriched));
  }
  if (common.format === 'json') io.stdout(`${JSON.stringify(reports, null, 2)}\n`);
  else for (const r of reports) for (const p of r.problems) io.stdout(`${textLine(r.file, p)}\n`);
  if (unreadable) return EXIT_USAGE;
  return reports.some((r) => r.problems.some((p) => p.severity === 'error')) ? EXIT_PROBLEMS : EXIT_OK;
}

type AnyProblem = Pick<Problem, 'severity' | 'message' | 'nodeId' | 'inputName' | 'range' | 'data'> & { code: string };

/** Validates one file's text with its own pack/model records only (no network); never throws. */
export function validateText(file: string, text: string, loaded: LoadedDefinitions, locale: 'en' | 'zh-cn'): FileReport {
  const { doc, problems } = validateProblems(text, loaded, locale);
  const view = documentPackView(doc);
  return report(file, text, doc, enrichProblems(problems, { sources: { workflow: view.info }, classOf: view.classOf, locale }));
}

/** The validator's problems for a file's text, sorted by offset; never throws. */
export function validateProblems(text: string, loaded: LoadedDefinitions, locale: 'en' | 'zh-cn'): { doc: WorkflowDocument; problems: AnyProblem[] } {
  const doc = parseWorkflowDocument(text);
  let problems: AnyProblem[];
  if (doc.format === 'ui') {
    problems = validateUiWorkflow(text, loaded.objectInfo, { defs: loaded.defs, locale });
  } else {
    problems = validateWorkflow(doc, loaded.defs, { locale });
    if (doc.format === 'none' && problems.length === 0) {
      problems = [{ severity: 'error', code: 'invalid_prompt', message: formatMessage(locale, 'notWorkflow', {}), range: { offset: 0, length: 0 } }];
    }
  }
  return { doc, problems: [...problems].sort((a, b) => a.range.offset - b.range.offset) };
}

function report(file: string, text: string, doc: WorkflowDocument, problems: AnyProblem[]): FileReport {
  const lines = createLineIndex(text);
  return { file, format: doc.format, problems: problems.map((p) => toJsonProblem(p, lines)) };
}

/** The stable JSON shape of a validation or conversion problem: offsets become zero-based lines and characters. */
export function toJsonProblem(p: Pick<Problem, 'severity' | 'message' | 'nodeId' | 'inputName' | 'range'> & { code: string; data?: Record<string, unknown> }, lines: LineIndex): JsonProblem {
  const out: JsonProblem = {
    severity: p.severity,
    code: p.code,
    message: p.message,
    nodeId: p.nodeId ?? null,
    inputName: p.inputName ?? null,
    range: { start: lines.positionAt(p.range.offset), end: lines.positionAt(p.range.offset + p.range.length) },
  };
  const packs = p.data?.packs as PackJson[] | undefined;
  const model = p.data?.model as ModelJson | undefined;
  if (packs || model) out.data = { ...(packs ? { packs } : {}), ...(model ? { model } : {}) };
  return out;
}

export function textLine(file: string, p: JsonProblem): string {
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.code} ${terminalText(p.message.replace(/\r?\n/g, ' '))}`;
}

/** Text from files and servers made safe for a terminal: control characters (escape sequences) shown as \uXXXX. */
export function terminalText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
