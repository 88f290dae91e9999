// Cases of "workflows in git" (target ≤ 50 ms each): the semantic diff of two 500-node UI workflows (parse, model,
// diff), the canonical format of a 500-node UI workflow, and textconv of a 2 MB UI workflow (cut to 2 MB). The UI workflows are
// laid out from the bench's API workflow (real fixtures repeated with fresh ids), so they run without ../shared.
import type { BenchCase } from '../run';
import type { BenchInputs } from '../inputs';
import type { ApiPrompt, ObjectInfo } from '../../src/core/comfy/types';
import { diffWorkflows } from '../../src/core/diff/diff';
import { formatWorkflowText } from '../../src/core/diff/format';
import { buildModel } from '../../src/core/diff/model';
import { renderTextconv } from '../../src/core/diff/render';
import { uiFromPrompt } from './convert';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `copies` copies of a UI workflow side by side, node and link ids shifted so they stay unique. */
function repeatUi(ui: Json, copies: number): Json {
  const nodes: Json[] = [];
  const links: unknown[][] = [];
  for (let k = 0; k < copies; k++) {
    const shift = k * 100_000;
    for (const n of ui.nodes as Json[]) {
      const c = JSON.parse(JSON.stringify(n)) as Json;
      c.id += shift;
      for (const i of c.inputs ?? []) if (typeof i.link === 'number') i.link += shift;
      for (const o of c.outputs ?? []) o.links = (o.links ?? []).map((x: number) => x + shift);
      nodes.push(c);
    }
    for (const l of ui.links as number[][]) links.push([l[0]! + shift, l[1]! + shift, l[2], l[3]! + shift, l[4], l[5]]);
  }
  return { ...ui, nodes, links };
}

export function register(cases: BenchCase[], inputs: BenchInputs): void {
  const objectInfo = JSON.parse(inputs.objectInfoText) as ObjectInfo;
  const api = JSON.parse(inputs.workflowText) as ApiPrompt;
  const ui = uiFromPrompt(api, objectInfo, 500);
  const before = JSON.stringify(ui, null, 2);
  const edited = JSON.parse(before) as Json;
  (edited.nodes as Json[]).forEach((n, i) => {
    n.pos = [i * 3, i * 7];
    if (i % 50 === 0 && Array.isArray(n.widgets_values) && typeof n.widgets_values[0] === 'number') n.widgets_values[0] += 1;
  });
  const after = JSON.stringify(edited, null, 2);
  const nodes = (ui.nodes as unknown[]).length;

  cases.push({
    case: `git: diff of two ${nodes}-node UI workflows (parse + model + diff)`,
    subject: { name: 'comfyui-workflows', run: () => diffWorkflows(buildModel(JSON.parse(before), objectInfo), buildModel(JSON.parse(after), objectInfo)) },
    iterations: 20,
    target: { maxMedianMs: 50 },
  });
  cases.push({
    case: `git: format a ${nodes}-node UI workflow`,
    subject: { name: 'comfyui-workflows', run: () => formatWorkflowText(after) },
    iterations: 20,
    target: { maxMedianMs: 50 },
  });
  let big = ui;
  let bigText = before;
  for (let copies = 2; Buffer.byteLength(bigText) < 2_000_000 && copies < 64; copies++) {
    big = repeatUi(ui, copies);
    bigText = JSON.stringify(big, null, 2);
  }
  // The case is a 2 MB file: whole copies overshoot (2.3 MB), so keep the share of nodes that makes 2 MB.
  if (Buffer.byteLength(bigText) > 2_000_000) {
    const keep = Math.floor(((big.nodes as unknown[]).length * 2_000_000) / Buffer.byteLength(bigText));
    const nodes = (big.nodes as Json[]).slice(0, keep);
    const ids = new Set(nodes.map((n) => n.id as number));
    big = { ...big, nodes, links: (big.links as number[][]).filter((l) => ids.has(l[1]!) && ids.has(l[3]!)) };
    bigText = JSON.stringify(big, null, 2);
  }
  cases.push({
    case: `git: textconv of a ${(Buffer.byteLength(bigText) / 1e6).toFixed(1)} MB UI workflow (${(big.nodes as unknown[]).length} nodes)`,
    subject: { name: 'comfyui-workflows', run: () => renderTextconv(buildModel(JSON.parse(bigText), objectInfo, { layout: false, paths: false })) },
    iterations: 10,
    target: { maxMedianMs: 50 },
  });
}
