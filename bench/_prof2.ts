import { benchInputs } from './inputs';
import { parseWorkflowDocument } from '../src/core/workflow/document';
import { prepareNodeDefs } from '../src/core/workflow/nodeDefs';
import { validateWorkflow } from '../src/core/workflow/validate';
const inp = benchInputs();
const defs = prepareNodeDefs(JSON.parse(inp.objectInfoText));
const doc = parseWorkflowDocument(inp.workflowText);
for (let i = 0; i < 300; i++) validateWorkflow(doc, defs);
