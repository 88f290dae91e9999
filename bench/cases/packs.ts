// Cases of the missing-nodes feature: what a keystroke adds to validation (the document's pack view of a fresh
// document version + enriching the problems from a Manager-sized map), and reading a Manager-sized
// extension-node-map.json (once per server). The map is generated (5,600 packs, 42,000 classes, like Manager's).
import type { BenchCase } from '../run';
import type { BenchInputs } from '../inputs';
import type { ApiPrompt, ObjectInfo } from '../../src/core/comfy/types';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { prepareNodeDefs } from '../../src/core/workflow/nodeDefs';
import { validateUiWorkflow } from '../../src/core/workflow/ui/validateUi';
import { documentPackView } from '../../src/core/packs/document';
import { enrichProblems } from '../../src/core/packs/enrich';
import { parseNodeMap } from '../../src/core/packs/nodeMap';
import { uiFromPrompt } from './convert';

export function register(cases: BenchCase[], inputs: BenchInputs): void {
  const objectInfo = JSON.parse(inputs.objectInfoText) as ObjectInfo;
  const ui = uiFromPrompt(JSON.parse(inputs.workflowText) as ApiPrompt, objectInfo, 300);
  const nodes = ui.nodes as { type: string; properties?: Record<string, unknown> }[];
  nodes.forEach((n, i) => {
    if (i % 10 === 0) n.type = `MissingNode${i}`;
    n.properties = { ...(n.properties ?? {}), cnr_id: i % 10 === 0 ? `pack-${i}` : 'comfy-core', ver: '1.0.0' };
  });
  const text = JSON.stringify(ui, null, 2);
  const defs = prepareNodeDefs(objectInfo);
  const problems = validateUiWorkflow(text, objectInfo, { defs });
  const raw: Record<string, unknown> = {};
  for (let p = 0; p < 5600; p++)
    raw[`https://github.com/owner${p}/ComfyUI-Pack${p}`] = [
      Array.from({ length: 7 }, (_, c) => `Pack${p}Class${c}`).concat(p < 30 ? [`MissingNode${p * 10}`] : []),
      { title_aux: `Pack ${p}` },
    ];
  const map = parseNodeMap(raw, 'manager', 'bench');

  cases.push({
    case: `packs: keystroke cost on a ${nodes.length}-node UI workflow with ${problems.filter((p) => p.code === 'missing_node_type').length} missing classes (pack view of a new document version + enrich)`,
    subject: {
      name: 'comfyui-workflows',
      // The parse belongs to validation (it happens anyway); timed is what this feature adds to it.
      setup: () => parseWorkflowDocument(text),
      run: (prepared) => {
        const view = documentPackView(prepared as ReturnType<typeof parseWorkflowDocument>);
        return enrichProblems(problems, { sources: { workflow: view.info, manager: map }, classOf: view.classOf, locale: 'en' });
      },
    },
    iterations: 30,
  });
  cases.push({
    case: `packs: read a Manager-sized node map (${map.packCount} packs, ${map.classCount} classes)`,
    subject: { name: 'comfyui-workflows', run: () => parseNodeMap(raw, 'manager', 'bench') },
    iterations: 10,
  });
}
