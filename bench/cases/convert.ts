// Cases of the UI-workflow conversion: a 300-node UI workflow converted to an API prompt (target ≤ 20 ms), and
// converted + validated with problems mapped back into the UI text. The UI workflow is built from the bench's
// API workflow (real fixture workflows repeated with fresh ids) by laying each node's inputs out the way the
// frontend saves them, so the case runs with or without ../shared.
import type { BenchCase } from '../run';
import type { BenchInputs } from '../inputs';
import type { ApiPrompt, ObjectInfo } from '../../src/core/comfy/types';
import { prepareNodeDefs } from '../../src/core/workflow/nodeDefs';
import { convertUiWorkflow, uiWorkflowToPrompt } from '../../src/core/workflow/toPrompt';
import { classLayout } from '../../src/core/workflow/ui/nodeSchema';
import { validateUiWorkflow } from '../../src/core/workflow/ui/validateUi';

const NODES = 300;

export function register(cases: BenchCase[], inputs: BenchInputs): void {
  const objectInfo = JSON.parse(inputs.objectInfoText) as ObjectInfo;
  const api = JSON.parse(inputs.workflowText) as ApiPrompt;
  const ui = uiFromPrompt(api, objectInfo, NODES);
  const uiText = JSON.stringify(ui, null, 2);
  const defs = prepareNodeDefs(objectInfo);
  const nodes = (ui.nodes as unknown[]).length;

  cases.push({
    case: `ui-convert: ${nodes}-node UI workflow → API prompt (convertUiWorkflow)`,
    subject: { name: 'comfyui-workflows', run: () => convertUiWorkflow(ui, objectInfo, { dynamicPrompts: false }) },
    iterations: 30,
    target: { maxMedianMs: 20 },
  });
  cases.push({
    case: `ui-convert: ${nodes}-node UI workflow text → prompt + located problems (uiWorkflowToPrompt)`,
    subject: { name: 'comfyui-workflows', run: () => uiWorkflowToPrompt(uiText, objectInfo, { dynamicPrompts: false }) },
    iterations: 20,
  });
  cases.push({
    case: `ui-convert: ${nodes}-node UI workflow converted and validated (validateUiWorkflow)`,
    subject: { name: 'comfyui-workflows', run: () => validateUiWorkflow(uiText, objectInfo, { defs }) },
    iterations: 10,
  });
}

/**
 * Lays out an API prompt as a UI workflow (version 0.4): widget values in the frontend's widget order (with the
 * control value after seeds / control_after_generate inputs), links in the links table and on input slots.
 */
export function uiFromPrompt(api: ApiPrompt, objectInfo: ObjectInfo, limit: number): Record<string, unknown> {
  const ids = Object.keys(api).slice(0, limit);
  const keep = new Set(ids);
  const links: unknown[][] = [];
  const outLinks = new Map<string, Map<number, number[]>>();
  const nodes = ids.map((id) => {
    const n = api[id]!;
    const layout = classLayout(objectInfo, n.class_type);
    const widgetNames = new Set(layout?.widgets.map((w) => w.name));
    const widgets_values: unknown[] = [];
    for (const w of layout?.widgets ?? []) {
      const v = n.inputs[w.name];
      widgets_values.push(Array.isArray(v) ? 0 : v && typeof v === 'object' && '__value__' in v ? (v as { __value__: unknown }).__value__ : (v ?? null));
      if (w.control !== 'none') widgets_values.push('fixed');
      if (w.control === 'combo') widgets_values.push('');
    }
    const inputs = Object.entries(n.inputs)
      .filter(([, v]) => Array.isArray(v) && v.length === 2 && keep.has(String(v[0])))
      .map(([name, v], slot) => {
        const [from, fromSlot] = v as [string, number];
        const linkId = links.length + 1;
        links.push([linkId, Number(from), fromSlot, Number(id), slot, layout?.inputTypes.get(name) ?? '*']);
        let bySlot = outLinks.get(from);
        if (!bySlot) outLinks.set(from, (bySlot = new Map()));
        bySlot.set(fromSlot, [...(bySlot.get(fromSlot) ?? []), linkId]);
        return { name, type: layout?.inputTypes.get(name) ?? '*', link: linkId, ...(widgetNames.has(name) ? { widget: { name } } : {}) };
      });
    return {
      id: Number(id),
      type: n.class_type,
      pos: [0, 0],
      size: [200, 100],
      flags: {},
      order: 0,
      mode: 0,
      inputs,
      outputs: [] as unknown[],
      properties: {},
      widgets_values,
    };
  });
  for (const node of nodes) {
    const layout = classLayout(objectInfo, node.type);
    const bySlot = outLinks.get(String(node.id));
    node.outputs = (layout?.outputTypes ?? []).map((type, slot) => ({ name: type, type, links: bySlot?.get(slot) ?? [] }));
  }
  return { last_node_id: nodes.length, last_link_id: links.length, nodes, links, groups: [], config: {}, extra: {}, version: 0.4 };
}
