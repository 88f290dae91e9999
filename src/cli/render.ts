// `comfyui-workflow render FILE [-o out.svg] [--object-info FILE|URL] [--theme light|dark] [--level id[,id…]]`
// Draws a workflow (UI workflow, API prompt or /prompt body) as a standalone SVG for READMEs, docs and reviews.
// Without definitions it still draws (slots from the file, no types); with them, widget names, slot types and
// the validator's problems as badges. Exit code: 0 drawn, 2 usage error or a file that is not a workflow.
import { readFile } from 'node:fs/promises';
import { attachProblems, renderSvg, sceneOfDocument, validationProblems, type GraphTheme } from '../core/graph-view';
import { parseWorkflowDocument } from '../core/workflow/document';
import { describeFsError, EXIT_OK, loadDefinitions, parseCommand, UsageError, writeOutput } from './options';
import { defaultIo, type Io } from './validate';

export const RENDER_USAGE = `Usage: comfyui-workflow render [-o out.svg] [--object-info <file|http-url>] [--theme light|dark] [--level <node id>[,<node id>…]] <workflow.json>

Draws a ComfyUI workflow (UI workflow, API prompt or /prompt request body) as an SVG image.
UI workflows keep their own layout; API prompts are laid out left to right.
-o, --output    write the SVG to this file instead of stdout
--object-info   a saved /object_info JSON file or a server URL: widget names, slot types and problem badges
--theme         colours: dark (default, like the web UI) or light
--level         open subgraph / group node instances, outermost first (e.g. --level 12 or --level 12,5)
Every node is <g data-node-id="…">, every link <path data-from="<id>:<slot>" data-to="<id>:<input>">.
Exit code: 0 drawn, 2 usage error or unreadable input.`;

export async function runRender(argv: string[], io: Io = defaultIo): Promise<number> {
  const { common, values, positionals } = parseCommand(argv, {
    output: { type: 'string', short: 'o' },
    theme: { type: 'string', default: 'dark' },
    level: { type: 'string' },
  });
  if (common.help) {
    io.stdout(`${RENDER_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(`Pass exactly one workflow file to render (got ${positionals.length}).`);
  const theme = String(values.theme);
  if (theme !== 'light' && theme !== 'dark') throw new UsageError(`--theme must be light or dark, not "${theme}".`);
  const file = positionals[0]!;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read workflow file ${file}: ${describeFsError(e)}.`);
  }
  const loaded = common.objectInfo ? await loadDefinitions(common.objectInfo, common.timeoutMs) : undefined;
  const doc = parseWorkflowDocument(text);
  const level = typeof values.level === 'string' && values.level !== '' ? values.level.split(',') : [];
  const scene = sceneOfDocument(doc, { ...(loaded ? { objectInfo: loaded.objectInfo as Record<string, unknown>, defs: loaded.defs } : {}), level });
  if (!scene) throw new UsageError(`${file} is not a workflow: expected a UI workflow (with "nodes") or an API prompt.`);
  if (level.length > 0 && scene.breadcrumb.length < level.length) {
    throw new UsageError(`--level ${level.join(',')}: node ${level[scene.breadcrumb.length]} is not a subgraph or group node instance there.`);
  }
  if (loaded) attachProblems(scene, validationProblems(doc, loaded.objectInfo));
  const svg = renderSvg(scene, { theme: theme as GraphTheme });
  await writeOutput(typeof values.output === 'string' ? values.output : undefined, svg, io.stdout);
  return EXIT_OK;
}
