import { benchInputs } from './inputs';
import { parseWorkflowDocument } from '../src/core/workflow/document';
import { prepareNodeDefs } from '../src/core/workflow/nodeDefs';
import { validateWorkflow } from '../src/core/workflow/validate';
const inp = benchInputs();
const warm = prepareNodeDefs(JSON.parse(inp.objectInfoText));
for (let i = 0; i < 400; i++) validateWorkflow(parseWorkflowDocument(inp.workflowText.replace('"seed": 1', '"seed": ' + (i % 9 + 1))), warm);
