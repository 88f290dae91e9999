// Property: whatever a UI file contains, conversion neither throws nor hangs, and what it emits is consistent
// (every link points at an emitted node). Random values are planted at random places of valid workflows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { convertUiWorkflow } from '../../../src/core/workflow/toPrompt';
import { node, OBJECT_INFO, txt2img, workflow } from './build';

function withSubgraph(): Record<string, unknown> {
  const wf = txt2img();
  (wf.nodes as unknown[]).push(node(30, 'sg-r', { inputs: [['x', 'IMAGE', null]], outputs: [['y', 'IMAGE', []]] }));
  wf.definitions = {
    subgraphs: [
      {
        id: 'sg-r',
        name: 'R',
        inputs: [{ name: 'x', type: 'IMAGE', linkIds: [1] }],
        outputs: [{ name: 'y', type: 'IMAGE', linkIds: [2] }],
        nodes: [
          node(1, 'ImageInvert', { inputs: [['image', 'IMAGE', 1]], outputs: [['IMAGE', 'IMAGE', [2]]] }),
          node(2, 'sg-r', { inputs: [['x', 'IMAGE', null]] }),
        ],
        links: [
          { id: 1, origin_id: -10, origin_slot: 0, target_id: 1, target_slot: 0, type: 'IMAGE' },
          { id: 2, origin_id: 1, origin_slot: 0, target_id: -20, target_slot: 0, type: 'IMAGE' },
        ],
      },
    ],
  };
  return wf;
}

function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function plant(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  let cur = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = value;
  return root;
}

test('random damage never throws and keeps the output consistent', () => {
  const bases = [txt2img(), withSubgraph(), workflow([], [])];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: bases.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.oneof(fc.jsonValue(), fc.constantFrom(-10, -20, 0, 1, 2, 5, 99, null, 'sg-r', [1, 1, 0, 5, 0, 'MODEL']))), {
        minLength: 1,
        maxLength: 4,
      }),
      (b, damage) => {
        let wf: unknown = structuredClone(bases[b]);
        for (const [at, value] of damage) {
          const all = paths(wf);
          wf = plant(wf, all[at % all.length]!, structuredClone(value));
        }
        const r = convertUiWorkflow(wf, OBJECT_INFO, { random: () => 0.5 });
        for (const n of Object.values(r.prompt)) {
          for (const v of Object.values(n.inputs)) if (Array.isArray(v)) assert.ok(String(v[0]) in r.prompt);
        }
        for (const p of r.problems) assert.ok(Array.isArray(p.path) && p.message.length > 0);
      },
    ),
    { numRuns: 300, seed: 4242 },
  );
});

test('node definitions that are not an /object_info object do not throw either', async () => {
  const { validateUiWorkflow } = await import('../../../src/core/workflow/ui/validateUi');
  for (const bad of [null, 42, [], 'x']) {
    const r = convertUiWorkflow(txt2img(), bad as never);
    assert.equal(r.problems.filter((p) => p.code === 'missing_node_type').length, 7);
    assert.ok(validateUiWorkflow(JSON.stringify(txt2img()), bad as never).length >= 7);
  }
});

test('very long reroute chains and deep subgraph nesting end in a problem, not a stack overflow', () => {
  const n = 10_000; // past MAX_HOPS, under the UI node cap (20,000)
  const nodes = [node(1, 'EmptyLatentImage', { outputs: [['LATENT', 'LATENT', [1]]], wv: [8, 8, 1] })];
  const links: [number, number, number, number, number, string][] = [];
  for (let i = 0; i < n; i++) {
    nodes.push(node(2 + i, 'Reroute', { inputs: [['', '*', 1 + i]], outputs: [['', 'LATENT', [2 + i]]] }));
    links.push([1 + i, 1 + i, 0, 2 + i, 0, 'LATENT']);
  }
  nodes.push(
    node(n + 2, 'VAEDecode', {
      inputs: [
        ['samples', 'LATENT', n + 1],
        ['vae', 'VAE', null],
      ],
    }),
  );
  links.push([n + 1, n + 1, 0, n + 2, 0, 'LATENT']);
  const long = convertUiWorkflow(workflow(nodes, links), OBJECT_INFO);
  assert.deepEqual(
    long.problems.map((p) => p.code),
    ['link_cycle'],
  );

  const depth = 500;
  const subgraphs = Array.from({ length: depth }, (_, i) => ({
    id: `sg-${i}`,
    name: `level ${i}`,
    inputs: [],
    outputs: [],
    nodes: [node(1, i + 1 < depth ? `sg-${i + 1}` : 'EmptyLatentImage', { wv: [8, 8, 1] })],
    links: [],
  }));
  const deep = convertUiWorkflow(workflow([node(1, 'sg-0')], [], { definitions: { subgraphs } }), OBJECT_INFO);
  assert.deepEqual(
    deep.problems.map((p) => p.code),
    ['subgraph_recursion'],
  );
});
