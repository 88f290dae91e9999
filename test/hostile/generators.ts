// Generators of hostile workflow files and server answers (issue 13): each one is built here from a size, never
// copied from a reported file, so the suites (core, CLI, and the editor adapters later) and `npm run bench` (case e4)
// can scale them. Every generator returns text (or bytes) exactly as a file or server would deliver it.
//
// Sizes: `size` is the knob that made the original finding super-linear (digits, unknown nodes, ring length, nesting
// depth…). The defaults are large enough that the old code visibly stalls (seconds) and the fixed code is linear.

/** A small /object_info with the classes the generators use: a sampler with a FLOAT input, a loader, outputs. */
export function hostileObjectInfo(extraClasses = 0): Record<string, unknown> {
  const info: Record<string, unknown> = {
    Loader: node({ required: { name: [['a.safetensors', 'b.safetensors']] } }, ['MODEL'], false),
    Sampler: node(
      {
        required: {
          model: ['MODEL'],
          seed: ['INT', { default: 0, min: 0, max: 0xffffffffffffffff }],
          cfg: ['FLOAT', { default: 8, min: 0, max: 100 }],
          steps: ['INT', { default: 20, min: 1, max: 10000 }],
        },
      },
      ['LATENT'],
      false,
    ),
    Relay: node({ required: { latent: ['LATENT'] } }, ['LATENT'], false),
    Save: node({ required: { latent: ['LATENT'], prefix: ['STRING', { default: 'out' }] } }, [], true),
    PrimitiveInt: node({ required: { value: ['INT', { default: 0, min: 0, max: 100 }] } }, ['INT'], false),
  };
  for (let i = 0; i < extraClasses; i++) {
    info[`GeneratedClass${i}Node`] = node({ required: { latent: ['LATENT'], strength: ['FLOAT', { default: 1, min: 0, max: 2 }] } }, ['LATENT'], false);
  }
  return info;
}

function node(input: Record<string, unknown>, outputs: string[], outputNode: boolean): Record<string, unknown> {
  return {
    input,
    input_order: Object.fromEntries(Object.entries(input).map(([k, v]) => [k, Object.keys(v as object)])),
    output: outputs,
    output_is_list: outputs.map(() => false),
    output_name: outputs,
    name: 'x',
    display_name: 'x',
    description: '',
    python_module: 'nodes',
    category: 'test',
    output_node: outputNode,
  };
}

/** An ordinary valid API prompt for hostileObjectInfo(): its report must come out intact next to hostile files. */
export function normalApiPrompt(): Record<string, unknown> {
  return {
    '1': { class_type: 'Loader', inputs: { name: 'a.safetensors' } },
    '2': { class_type: 'Sampler', inputs: { model: ['1', 0], seed: 5, cfg: 7.5, steps: 20 } },
    '3': { class_type: 'Save', inputs: { latent: ['2', 0], prefix: 'ok' } },
  };
}

/** The normal prompt with one planted error (steps above max), so its report has exactly one known error. */
export function normalApiPromptWithOneError(): Record<string, unknown> {
  const p = normalApiPrompt() as Record<string, { inputs: Record<string, unknown> }>;
  p['2']!.inputs.steps = 20000;
  return p;
}

/** Finding 2a: a FLOAT input holding a long digit string that ends in a non-digit ("111…1x"). */
export function longNumericString(digits = 50_000): string {
  const p = normalApiPrompt() as Record<string, { inputs: Record<string, unknown> }>;
  p['2']!.inputs.cfg = `${'1'.repeat(digits)}x`;
  p['2']!.inputs.steps = `${'2'.repeat(digits)}_`;
  return JSON.stringify(p);
}

/** Finding 2b: many nodes of distinct unknown classes, each name close to nothing. */
export function manyUnknownClasses(count = 1_000, distinct = count): string {
  const p: Record<string, unknown> = normalApiPrompt();
  for (let i = 0; i < count; i++) p[String(100 + i)] = { class_type: `UnknownCustomNode${i % distinct}Xyz`, inputs: {} };
  return JSON.stringify(p);
}

/** Finding 2c: a ring of `n` Relay nodes that feeds the output node (one dependency cycle with n members). */
export function dependencyRing(n = 20_000): string {
  const p: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) p[String(i + 1)] = { class_type: 'Relay', inputs: { latent: [String(((i + 1) % n) + 1), 0] } };
  p[String(n + 1)] = { class_type: 'Save', inputs: { latent: ['1', 0], prefix: 'x' } };
  return JSON.stringify(p);
}

/** Finding 3a: a file of arrays and numbers only (no `{`), e.g. `{"1": [0,0,0,…]}`; `values` JSON values. */
export function arrayFlood(values = 2_000_000): string {
  return `{"1":[${'0,'.repeat(values - 1)}0]}`;
}

/** Finding 3b: a UI workflow with `n` nodes (small text per node, a huge expansion). */
export function uiNodeFlood(n = 200_000): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`{"id":${i + 1},"type":"Relay","mode":0,"inputs":[],"outputs":[]}`);
  return `{"last_node_id":${n},"last_link_id":0,"nodes":[${parts.join(',')}],"links":[],"version":0.4}`;
}

/** Finding 4: an input value nested `depth` levels deep (objects inside arrays), inside an otherwise normal prompt. */
export function deepNesting(levels = 3_000): string {
  const depth = Math.ceil(levels / 2); // each step below opens an object and an array
  const p = normalApiPrompt() as Record<string, { inputs: Record<string, unknown> }>;
  const text = JSON.stringify(p);
  const nested = `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
  return text.replace('"prefix":"ok"', `"prefix":${nested}`);
}

/** Finding 3/20: a small file whose many small objects exceed the object cap (the old message said "60,000 objects"). */
export function manyTinyObjects(objects = 70_000): string {
  return `{"1":{"class_type":"Save","inputs":{"latent":[${'{},'.repeat(objects - 1)}{}],"prefix":"x"}}}`;
}

/** Finding 1: a legacy group node whose definition holds a code-running node fed by a primitive (UI format). */
export function groupNodeHidingUnsafe(unsafeClass = 'Terminal'): string {
  return JSON.stringify({
    last_node_id: 11,
    last_link_id: 1,
    nodes: [
      {
        id: 1,
        type: 'PrimitiveNode',
        mode: 0,
        inputs: [],
        outputs: [{ name: 'STRING', type: 'STRING', links: [1], widget: { name: 'command' } }],
        widgets_values: ['echo hi'],
      },
      {
        id: 10,
        type: 'workflow>Innocent',
        mode: 0,
        inputs: [{ name: 'command', type: 'STRING', link: 1, widget: { name: 'command' } }],
        outputs: [],
        widgets_values: ['echo hi'],
      },
      { id: 11, type: 'Save', mode: 0, inputs: [{ name: 'latent', type: 'LATENT', link: null }], outputs: [], widgets_values: ['x'] },
    ],
    links: [[1, 1, 0, 10, 0, 'STRING']],
    groups: [],
    extra: {
      groupNodes: {
        Innocent: {
          nodes: [{ index: 0, type: unsafeClass, inputs: [], outputs: [{ name: 'STRING', type: 'STRING', links: [] }], widgets_values: ['echo hi'] }],
          links: [],
          external: [],
        },
      },
    },
    version: 0.4,
  });
}

/** Finding 1 (subgraph variant): an unsafe node inside a subgraph definition, instanced once. */
export function subgraphHidingUnsafe(unsafeClass = 'Terminal'): string {
  const sg = '11111111-2222-4333-8444-555555555555';
  return JSON.stringify({
    last_node_id: 2,
    last_link_id: 0,
    nodes: [{ id: 2, type: sg, mode: 0, inputs: [], outputs: [], widgets_values: [] }],
    links: [],
    definitions: {
      subgraphs: [
        {
          id: sg,
          name: 'Tools',
          nodes: [{ id: 1, type: unsafeClass, mode: 0, inputs: [], outputs: [], widgets_values: ['ls'] }],
          links: [],
          inputs: [],
          outputs: [],
        },
      ],
    },
    version: 0.4,
  });
}

/** Virtual node types that must never be counted as server classes (dispatch), next to one real class. */
export function virtualNodesWorkflow(): string {
  return JSON.stringify({
    last_node_id: 5,
    last_link_id: 2,
    nodes: [
      { id: 1, type: 'Loader', mode: 0, inputs: [], outputs: [{ name: 'MODEL', type: 'MODEL', links: [1] }], widgets_values: ['a.safetensors'] },
      { id: 2, type: 'SetNode', mode: 0, inputs: [{ name: 'MODEL', type: 'MODEL', link: 1 }], outputs: [], widgets_values: ['m'] },
      { id: 3, type: 'GetNode', mode: 0, inputs: [], outputs: [{ name: 'MODEL', type: 'MODEL', links: [2] }], widgets_values: ['m'] },
      { id: 4, type: 'Reroute (rgthree)', mode: 0, inputs: [{ name: '', type: '*', link: 2 }], outputs: [{ name: '', type: 'MODEL', links: [] }] },
      { id: 5, type: 'Note', mode: 0, inputs: [], outputs: [], widgets_values: ['hello'] },
    ],
    links: [
      [1, 1, 0, 2, 0, 'MODEL'],
      [2, 3, 0, 4, 0, 'MODEL'],
    ],
    version: 0.4,
  });
}

/** Finding 15: class names and ids with terminal control characters (ESC, BEL, CR) and a very long name. */
export function controlCharacterNames(longName = 1_000_000): string {
  return JSON.stringify({
    '1': { class_type: '\u001b[31mEvil\u0007\rNode', inputs: {} },
    '2': { class_type: 'L'.repeat(longName), inputs: {} },
    '3': { class_type: 'Save', inputs: { latent: ['1', 0], prefix: 'x' } },
  });
}

/** Finding 16: a class whose required inputs have types named like object members. */
export function memberNamedTypesObjectInfo(): Record<string, unknown> {
  const info = hostileObjectInfo();
  info.Odd = node({ required: { a: ['toString'], b: ['constructor'], c: ['__proto__'], d: ['hasOwnProperty'] } }, ['LATENT'], true);
  return info;
}

/** Finding 12: a seed above 2^53 written as the user wants it sent. */
export function bigIntegerSeed(seed = '18446744073709551615'): string {
  return `{"1":{"class_type":"Loader","inputs":{"name":"a.safetensors"}},"2":{"class_type":"Sampler","inputs":{"model":["1",0],"seed":${seed},"cfg":1.0,"steps":20}},"3":{"class_type":"Save","inputs":{"latent":["2",0],"prefix":"ok"}}}`;
}

/** Finding 14: names that close code spans and inject links/images into markdown. */
export const MARKDOWN_INJECTION = 'x`` [click](https://evil.example/) ![img](https://evil.example/i.png)\n# Title <img src=x>';

/** Finding 10: safetensors metadata whose trigger words make a comma-lookahead regex quadratic. */
export function quadraticTriggerWords(length = 150_000): Record<string, string> {
  return { ss_trigger_words: `(${'a,'.repeat(Math.floor(length / 2))}` };
}

/** Finding 20: byte-level oddities. */
export function withBom(text: string): string {
  return `\ufeff${text}`;
}
export function hugeExponent(): string {
  return bigIntegerSeed('1').replace('"cfg":1.0', '"cfg":1e400');
}
export function invalidUtf8(): Uint8Array {
  const text = JSON.stringify(normalApiPrompt()).replace('"ok"', '"o\u0001k"');
  const bytes = Buffer.from(text, 'utf8');
  const at = bytes.indexOf(1);
  bytes[at] = 0xff; // a byte that never occurs in UTF-8
  return new Uint8Array(bytes);
}

/** One generated case of the corpus, with what every consumer may assert. */
export interface HostileCase {
  name: string;
  finding: string;
  text: string | Uint8Array;
  /** Node definitions to check it against (default hostileObjectInfo()). */
  objectInfo?: Record<string, unknown>;
}

/** The corpus at a given scale (1 = the sizes that stalled the old code; tests may use less). */
export function hostileCorpus(scale = 1): HostileCase[] {
  const s = (n: number) => Math.max(1, Math.round(n * scale));
  return [
    { name: 'long-numeric-string', finding: '2', text: longNumericString(s(100_000)) },
    { name: 'many-unknown-classes', finding: '2', text: manyUnknownClasses(s(2_000)), objectInfo: hostileObjectInfo(2_000) },
    { name: 'dependency-ring', finding: '2', text: dependencyRing(s(20_000)) },
    { name: 'array-flood', finding: '3', text: arrayFlood(s(2_000_000)) },
    { name: 'ui-node-flood', finding: '3', text: uiNodeFlood(s(200_000)) },
    { name: 'ui-node-count', finding: '3', text: uiNodeFlood(25_000) },
    { name: 'many-tiny-objects', finding: '20', text: manyTinyObjects(70_000) },
    { name: 'deep-nesting', finding: '4', text: deepNesting(3_000) },
    { name: 'group-node-unsafe', finding: '1', text: groupNodeHidingUnsafe() },
    { name: 'subgraph-unsafe', finding: '1', text: subgraphHidingUnsafe() },
    { name: 'control-characters', finding: '15', text: controlCharacterNames(s(1_000_000)) },
    { name: 'bom', finding: '20', text: withBom(JSON.stringify(normalApiPrompt())) },
    { name: 'huge-exponent', finding: '20', text: hugeExponent() },
    { name: 'invalid-utf8', finding: '20', text: invalidUtf8() },
  ];
}
