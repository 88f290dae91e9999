// Benchmark inputs: the biggest real /object_info dump (2,093 classes) and a 500-node API workflow built by
// repeating real fixture workflows with fresh ids. Without ../shared, a generated dump of the same size and our
// own fixtures stand in, so `npm run bench` always runs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SHARED = process.env.COMFYUI_SHARED_DIR ?? resolve(__dirname, '..', '..', 'shared');
const BIG_DUMP = join(SHARED, 'fixtures/object_info/MeshAiProtocol__Redlip-app__object_info.json');
const OWN_FIXTURES = resolve(__dirname, '..', 'test/fixtures/workflow');

export interface BenchInputs {
  objectInfoText: string;
  objectInfoSource: string;
  workflowText: string;
  workflowNodes: number;
  workflowSources: string[];
  describe(): Record<string, unknown>;
}

export function benchInputs(targetNodes = 500): BenchInputs {
  let objectInfoText: string;
  let objectInfoSource: string;
  if (existsSync(BIG_DUMP)) {
    objectInfoText = readFileSync(BIG_DUMP, 'utf8');
    objectInfoSource = 'MeshAiProtocol__Redlip-app__object_info.json';
  } else {
    objectInfoText = JSON.stringify(generateDump(2093));
    objectInfoSource = 'generated (2,093 classes)';
  }
  const objectInfo = JSON.parse(objectInfoText) as Record<string, unknown>;
  const workflows = loadWorkflows().filter((w) => Object.values(w.prompt).every((n) => typeof n?.class_type === 'string' && n.class_type in objectInfo));
  if (workflows.length === 0) workflows.push({ source: 'generated', prompt: generatedWorkflow(objectInfo) });
  const { prompt, sources } = repeatWorkflows(workflows, targetNodes);
  const workflowText = JSON.stringify(prompt, null, 2);
  return {
    objectInfoText,
    objectInfoSource,
    workflowText,
    workflowNodes: Object.keys(prompt).length,
    workflowSources: sources,
    describe: () => ({
      object_info: objectInfoSource,
      object_info_bytes: Buffer.byteLength(objectInfoText),
      classes: Object.keys(objectInfo).length,
      workflow_nodes: Object.keys(prompt).length,
      workflow_bytes: Buffer.byteLength(workflowText),
      workflow_sources: sources.length,
    }),
  };
}

type ApiPrompt = Record<string, { class_type?: string; inputs?: Record<string, unknown>; _meta?: unknown }>;

function loadWorkflows(): { source: string; prompt: ApiPrompt }[] {
  const out: { source: string; prompt: ApiPrompt }[] = [];
  const dirs = [
    [join(SHARED, 'fixtures/api'), (f: string) => f.endsWith('.json')],
    [join(SHARED, 'fixtures/pairs'), (f: string) => f.endsWith('.api.json')],
    [OWN_FIXTURES, (f: string) => f.endsWith('.json')],
  ] as const;
  for (const [dir, keep] of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!keep(f)) continue;
      try {
        const v = JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown;
        const prompt = (v && typeof v === 'object' && 'prompt' in v ? (v as { prompt: unknown }).prompt : v) as ApiPrompt;
        if (prompt && typeof prompt === 'object' && Object.values(prompt).every((n) => n && typeof n === 'object' && 'class_type' in n)) {
          out.push({ source: f, prompt });
        }
      } catch {
        // not JSON or not a prompt: skip
      }
    }
  }
  return out;
}

/** Concatenates copies of the workflows, renumbering ids (and the links that point at them), until `target` nodes. */
export function repeatWorkflows(workflows: { source: string; prompt: ApiPrompt }[], target: number): { prompt: ApiPrompt; sources: string[] } {
  const prompt: ApiPrompt = {};
  const sources: string[] = [];
  let next = 1;
  let count = 0;
  for (let k = 0; count < target; k++) {
    const w = workflows[k % workflows.length]!;
    const ids = Object.keys(w.prompt);
    const map = new Map<string, string>(ids.map((id) => [id, String(next++)]));
    sources.push(w.source);
    for (const id of ids) {
      if (count >= target) break;
      const node = w.prompt[id]!;
      const inputs: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(node.inputs ?? {})) {
        inputs[name] = Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && map.has(v[0]) ? [map.get(v[0]), v[1]] : v;
      }
      prompt[map.get(id)!] = { ...node, inputs };
      count++;
    }
  }
  return { prompt, sources };
}

/** A dump shaped like a real one: a mix of sockets, numbers, strings, booleans and combos. */
export function generateDump(classes: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const sockets = ['MODEL', 'CLIP', 'VAE', 'CONDITIONING', 'LATENT', 'IMAGE', 'MASK'];
  for (let c = 0; c < classes; c++) {
    const required: Record<string, unknown> = {};
    for (let i = 0; i < 8; i++) {
      const r = (c * 7 + i) % 6;
      if (r === 0) required[`in_${i}`] = [sockets[(c + i) % sockets.length]];
      else if (r === 1) required[`int_${i}`] = ['INT', { default: 20, min: 1, max: 10000, step: 1 }];
      else if (r === 2) required[`float_${i}`] = ['FLOAT', { default: 1, min: 0, max: 100, step: 0.1, round: 0.01 }];
      else if (r === 3) required[`text_${i}`] = ['STRING', { multiline: true, default: '' }];
      else if (r === 4) required[`flag_${i}`] = ['BOOLEAN', { default: true }];
      else required[`choice_${i}`] = [Array.from({ length: 30 }, (_, j) => `option_${j}.safetensors`), { tooltip: 'A choice.' }];
    }
    out[`GeneratedNode${c}`] = {
      input: { required, optional: {}, hidden: { unique_id: 'UNIQUE_ID' } },
      input_order: { required: Object.keys(required), optional: [], hidden: ['unique_id'] },
      output: [sockets[c % sockets.length]],
      output_is_list: [false],
      output_name: [sockets[c % sockets.length]],
      name: `GeneratedNode${c}`,
      display_name: `Generated Node ${c}`,
      description: '',
      python_module: 'custom_nodes.generated',
      category: 'generated',
      output_node: c % 10 === 0,
    };
  }
  return out;
}

/** A chain over the dump's first classes: each socket input links to the previous node. */
function generatedWorkflow(objectInfo: Record<string, unknown>): ApiPrompt {
  const prompt: ApiPrompt = {};
  const names = Object.keys(objectInfo).slice(0, 50);
  names.forEach((name, i) => {
    const def = objectInfo[name] as { input?: { required?: Record<string, unknown[]> } };
    const inputs: Record<string, unknown> = {};
    for (const [k, spec] of Object.entries(def.input?.required ?? {})) {
      const t = spec[0];
      const opts = (spec[1] ?? {}) as { default?: unknown };
      if (Array.isArray(t)) inputs[k] = t[0];
      else if (t === 'INT' || t === 'FLOAT' || t === 'STRING' || t === 'BOOLEAN')
        inputs[k] = opts.default ?? (t === 'STRING' ? '' : t === 'BOOLEAN' ? false : 0);
      else if (i > 0) inputs[k] = [String(i), 0];
    }
    prompt[String(i + 1)] = { class_type: name, inputs };
  });
  return prompt;
}
