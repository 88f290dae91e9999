import { benchInputs } from './inputs';
import { parseWorkflowDocument } from '../src/core/workflow/document';
import { prepareNodeDefs } from '../src/core/workflow/nodeDefs';
import { validateWorkflow } from '../src/core/workflow/validate';
const inp = benchInputs();
const warm = prepareNodeDefs(JSON.parse(inp.objectInfoText));
validateWorkflow(parseWorkflowDocument(inp.workflowText), warm);
const t: number[] = [];
for (let i = 0; i < 40; i++) { const s = performance.now(); validateWorkflow(parseWorkflowDocument(inp.workflowText.replace('"seed": 1', '"seed": ' + (i % 9 + 1))), warm); t.push(performance.now() - s); }
t.sort((a, b) => a - b); console.log('c median', t[20]!.toFixed(2), 'min', t[0]!.toFixed(2));
const tb: number[] = [];
for (let i = 0; i < 8; i++) { const d = prepareNodeDefs(JSON.parse(inp.objectInfoText)); const s = performance.now(); validateWorkflow(parseWorkflowDocument(inp.workflowText), d); tb.push(performance.now() - s); }
tb.sort((a, b) => a - b); console.log('b median', tb[4]!.toFixed(2), 'min', tb[0]!.toFixed(2));
const ta: number[] = [];
for (let i = 0; i < 8; i++) { const s = performance.now(); prepareNodeDefs(JSON.parse(inp.objectInfoText)); ta.push(performance.now() - s); }
ta.sort((a, b) => a - b); console.log('a median', ta[4]!.toFixed(2), 'min', ta[0]!.toFixed(2));
