// `comfyui-workflow convert --object-info <file|http-url> <ui.json> [-o out.json] [--request] [--fill-defaults] [--keep-dynamic-prompts]`
// Writes the API prompt the ComfyUI frontend would queue for a UI workflow (stdout unless -o). Problems go to
// stderr, one `file:line:col severity code message` line each (or a JSON array with --format json).
// Exit code: 0 converted without errors, 1 converted but with error-severity problems, 2 usage error or
// unreadable / unconvertible input.
import { stringifyWithLiterals, unsafeIntegerLiterals } from '../core/util/jsonNumbers';
import { readFile, writeFile } from 'node:fs/promises';
import { parseWorkflowDocument } from '../core/workflow/document';
import { createLineIndex } from '../core/workflow/positions';
import { uiWorkflowToPrompt } from '../core/workflow/toPrompt';
import { describeFsError, EXIT_OK, EXIT_PROBLEMS, loadDefinitions, parseCommand, UsageError } from './options';
import { defaultIo, textLine, toJsonProblem, type Io, type JsonProblem } from './validate';

export const CONVERT_USAGE = `Usage: comfyui-workflow convert --object-info <file|http-url> [-o out.json] [--request] [--fill-defaults] [--keep-dynamic-prompts] [--format text|json] [--timeout ms] <ui-workflow.json>

Converts a UI workflow (what the ComfyUI frontend saves) into the API prompt the frontend would queue for it.
--object-info        a saved /object_info JSON file, or a server URL whose /object_info is fetched
-o, --output         write the prompt to this file instead of stdout
--request            write a whole /prompt request body: {"prompt", "extra_data": {"extra_pnginfo": {"workflow"}}}
--fill-defaults      give inputs the file has no value for (added to the node since) their default, as today's web UI does
--keep-dynamic-prompts  keep {a|b} choices and comments in dynamic-prompt text instead of resolving them
--format             how problems are printed on stderr: text lines (default) or a JSON array
Exit code: 0 converted, 1 converted with errors, 2 usage error or unreadable input.`;

export async function runConvert(argv: string[], io: Io = defaultIo): Promise<number> {
  const { common, values, positionals } = parseCommand(argv, {
    output: { type: 'string', short: 'o' },
    request: { type: 'boolean', default: false },
    'keep-dynamic-prompts': { type: 'boolean', default: false },
    'fill-defaults': { type: 'boolean', default: false },
  });
  if (common.help) {
    io.stdout(`${CONVERT_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(`Pass exactly one UI workflow file to convert (got ${positionals.length}).`);
  const file = positionals[0]!;
  const loaded = await loadDefinitions(common.objectInfo, common.timeoutMs);
  let text: string;
  try {
    // A byte order mark is accepted, as by the editor and `validate`.
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (e) {
    throw new UsageError(`Cannot read workflow file ${file}: ${describeFsError(e)}.`);
  }
  const format = parseWorkflowDocument(text).format;
  if (format === 'api' || format === 'request') throw new UsageError(`${file} is already an API prompt; there is nothing to convert.`);
  if (format !== 'ui') throw new UsageError(`${file} is not a UI workflow (an object with "nodes" and "links").`);

  const result = uiWorkflowToPrompt(text, loaded.objectInfo, {
    dynamicPrompts: values['keep-dynamic-prompts'] !== true,
    fillDefaults: values['fill-defaults'] === true,
  });
  const lines = createLineIndex(text);
  const problems: JsonProblem[] = result.problems.map((p) => toJsonProblem(p, lines));
  if (common.format === 'json') io.stderr(`${JSON.stringify(problems, null, 2)}\n`);
  else for (const p of problems) io.stderr(`${textLine(file, p)}\n`);

  const body = values.request === true ? { prompt: result.prompt, extra_data: { extra_pnginfo: { workflow: result.workflow } } } : result.prompt;
  // Seeds above 2^53 come out as the file wrote them (JSON.stringify would round them).
  const json = `${stringifyWithLiterals(body, unsafeIntegerLiterals(text), 2)}\n`;
  const output = typeof values.output === 'string' ? values.output : undefined;
  if (output) {
    try {
      await writeFile(output, json, 'utf8');
    } catch (e) {
      throw new UsageError(`Cannot write ${output}: ${describeFsError(e)}.`);
    }
  } else io.stdout(json);
  return problems.some((p) => p.severity === 'error') ? EXIT_PROBLEMS : EXIT_OK;
}
