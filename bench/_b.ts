import { benchInputs } from './inputs';
import { parseWorkflowDocument } from '../src/core/workflow/document';
import { prepareNodeDefs } from '../src/core/workflow/nodeDefs';
import { validateWorkflow } from '../src/core/workflow/validate';
import { schemaCacheFor } from '../src/core/workflow/schema';
const inp = benchInputs();
const info = JSON.parse(inp.objectInfoText);
for (let k = 0; k < 6; k++) {
  const defs = prepareNodeDefs(info);
  const t0 = performance.now();
  const doc = parseWorkflowDocument(inp.workflowText);
  const t1 = performance.now();
  schemaCacheFor(defs).prepare(doc.nodes.map((n) => n.classType!));
  const t2 = performance.now();
  validateWorkflow(doc, defs);
  const t3 = performance.now();
  console.log('parse', (t1 - t0).toFixed(1), 'compile', (t2 - t1).toFixed(1), 'validate', (t3 - t2).toFixed(1), schemaCacheFor(defs).compiledCount);
}
