import { benchInputs } from './inputs';
import { parseTree } from 'jsonc-parser';
import { parseStrictJsonTree } from '../src/core/workflow/fastJson';
const text = benchInputs().workflowText;
function med(label: string, f: () => void) {
  const ts: number[] = [];
  for (let i = 0; i < 200; i++) { const t = performance.now(); f(); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b);
  console.log(label, 'min', ts[0]!.toFixed(2), 'med', ts[100]!.toFixed(2));
}
med('jsonc', () => parseTree(text));
med('fast', () => parseStrictJsonTree(text));
med('JSON.parse', () => JSON.parse(text));
med('jsonc', () => parseTree(text));
med('fast', () => parseStrictJsonTree(text));
