import { benchInputs } from './inputs';
import { parseWorkflowDocument } from '../src/core/workflow/document';
import { prepareNodeDefs } from '../src/core/workflow/nodeDefs';
import { validateWorkflow } from '../src/core/workflow/validate';
import { parseTree } from 'jsonc-parser';
const inp = benchInputs();
const defs = prepareNodeDefs(JSON.parse(inp.objectInfoText));
const doc = parseWorkflowDocument(inp.workflowText);
validateWorkflow(doc, defs);
const N = 60;
function cpu(label: string, f: () => void) {
  for (let i = 0; i < 5; i++) f();
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i++) f();
  const c = process.cpuUsage(c0);
  console.log(label, 'cpu', ((c.user + c.system) / 1000 / N).toFixed(2), 'wall', ((performance.now() - t0) / N).toFixed(2));
}
cpu('jsonc parseTree', () => parseTree(inp.workflowText));
cpu('JSON.parse', () => JSON.parse(inp.workflowText));
cpu('parseWorkflowDocument', () => parseWorkflowDocument(inp.workflowText));
cpu('validate', () => validateWorkflow(doc, defs));
cpu('parse+validate', () => validateWorkflow(parseWorkflowDocument(inp.workflowText), defs));
import { parseStrictJsonTree } from '../src/core/workflow/fastJson';
cpu('fast tree', () => parseStrictJsonTree(inp.workflowText));
