// Cases of the workflow graph renderer (src/core/graph-view): the automatic layout of a 500-node API prompt
// (target ≤ 100 ms) and the SVG of a 1,000-node UI workflow with its own positions (target ≤ 150 ms), both from
// text, as the graph view and `comfyui-workflow render` do it. The UI workflow is the bench's API workflow twice
// (fresh ids), laid out as the frontend saves it (./convert.ts) on a grid.
import type { BenchCase } from '../run';
import type { BenchInputs } from '../inputs';
import type { ApiPrompt, ObjectInfo } from '../../src/core/comfy/types';
import { renderSvg, sceneOfDocument } from '../../src/core/graph-view';
import { parseWorkflowDocument, type WorkflowDocument } from '../../src/core/workflow/document';
import { prepareNodeDefs } from '../../src/core/workflow/nodeDefs';
import { uiFromPrompt } from './convert';

export function register(cases: BenchCase[], inputs: BenchInputs): void {
  const objectInfo = JSON.parse(inputs.objectInfoText) as ObjectInfo;
  const defs = prepareNodeDefs(objectInfo);
  const apiDoc = parseWorkflowDocument(inputs.workflowText);
  const apiNodes = apiDoc.nodes.length;
  cases.push({
    case: `graph: layout of a ${apiNodes}-node API prompt (scene + automatic layout)`,
    subject: { name: 'comfyui-workflows', run: () => sceneOfDocument(apiDoc, { objectInfo: objectInfo as Record<string, unknown>, defs }) },
    iterations: 20,
    target: { maxMedianMs: 100 },
  });

  const { doc: uiDoc, nodeCount } = thousandNodeUiDocument(inputs, objectInfo);
  cases.push({
    case: `graph: SVG of a ${nodeCount}-node UI workflow (scene + SVG text)`,
    subject: { name: 'comfyui-workflows', run: () => renderSvg(sceneOfDocument(uiDoc, { objectInfo: objectInfo as Record<string, unknown> })!) },
    iterations: 20,
    target: { maxMedianMs: 150 },
  });
}

/** The bench's API workflow twice (fresh ids) as a UI workflow on a grid: 1,000 nodes for 500 in the prompt. */
export function thousandNodeUiDocument(inputs: BenchInputs, objectInfo: ObjectInfo): { doc: WorkflowDocument; nodeCount: number } {
  const doubled = doublePrompt(JSON.parse(inputs.workflowText) as ApiPrompt);
  const ui = uiFromPrompt(doubled, objectInfo, Infinity);
  const nodes = ui.nodes as { pos: number[] }[];
  nodes.forEach((n, i) => (n.pos = [(i % 40) * 360, Math.floor(i / 40) * 320]));
  return { doc: parseWorkflowDocument(JSON.stringify(ui, null, 2)), nodeCount: nodes.length };
}

/** The prompt and a copy of it with ids shifted past the largest numeric id (links rewritten). */
function doublePrompt(api: ApiPrompt): ApiPrompt {
  const ids = Object.keys(api);
  const shift = Math.max(0, ...ids.map(Number).filter(Number.isFinite)) + 1;
  const out: ApiPrompt = { ...api };
  for (const id of ids) {
    const n = api[id]!;
    const inputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n.inputs)) inputs[k] = Array.isArray(v) && v.length === 2 ? [String(Number(v[0]) + shift), v[1]] : v;
    out[String(Number(id) + shift)] = { ...n, inputs } as ApiPrompt[string];
  }
  return out;
}
