// `comfyui-workflow diff [--object-info F|URL] [--format text|json|markdown] [--include-layout] A B`
// Semantic diff of two workflows. `--format json` prints exactly {"changes": [...], "layoutChanged": N}: a stable
// interface (see README "Workflows in git"). Exit 0 no semantic change, 1 changes, 2 usage error or unreadable input.
import { diffWorkflows } from '../core/diff/diff';
import { renderJson, renderMarkdown, renderText } from '../core/diff/render';
import { OBJECT_INFO_HELP, optionalDefinitions, readModel } from './gitTools';
import { EXIT_OK, EXIT_PROBLEMS, parseCommand, UsageError } from './options';
import { defaultIo, type Io } from './validate';

export const DIFF_USAGE = `Usage: comfyui-workflow diff [--object-info <file|http-url>] [--format text|json|markdown] [--include-layout] <before.json> <after.json>

Lists what changed between two workflows (API prompts, /prompt bodies or UI workflows): nodes added and removed,
classes, values, links, modes, titles and subgraphs. Positions, sizes, order and view are layout: only counted.
${OBJECT_INFO_HELP}
--format             text (default; coloured on a terminal), json ({"changes": [...], "layoutChanged": N}) or markdown
--include-layout     also list the layout-only changes
Exit code: 0 no semantic change, 1 changes, 2 usage error or unreadable input.`;

export async function runDiff(argv: string[], io: Io = defaultIo): Promise<number> {
  const { common, values, positionals } = parseCommand(argv, { 'include-layout': { type: 'boolean', default: false } }, ['text', 'json', 'markdown']);
  if (common.help) {
    io.stdout(`${DIFF_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 2) throw new UsageError(`Pass exactly two workflow files to compare (got ${positionals.length}).`);
  const objectInfo = await optionalDefinitions(common.objectInfo, common.timeoutMs);
  const a = await readModel(positionals[0]!, objectInfo);
  const b = await readModel(positionals[1]!, objectInfo);
  if ((a.format === 'ui') !== (b.format === 'ui')) {
    throw new UsageError('One file is a UI workflow and the other an API prompt: convert the UI workflow first (comfyui-workflow convert).');
  }
  const result = diffWorkflows(a, b);
  const includeLayout = values['include-layout'] === true;
  if (common.format === 'json') io.stdout(renderJson(result, { includeLayout }));
  else if (common.format === 'markdown') io.stdout(renderMarkdown(result, { includeLayout }));
  else io.stdout(renderText(result, { includeLayout, colour: io === defaultIo && process.stdout.isTTY === true && !process.env.NO_COLOR }));
  return result.changes.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}
