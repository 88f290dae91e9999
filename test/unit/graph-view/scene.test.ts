// The graph renderer (src/core/graph-view): scenes for our fixtures and every ../shared UI and API workflow,
// ids as in the file, every link present, no overlapping boxes in automatic layouts, SVG that reads back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  attachProblems,
  executionOrder,
  renderSvg,
  sceneOfDocument,
  sceneOfText,
  thumbnailBox,
  validationProblems,
  type Scene,
} from '../../../src/core/graph-view';
import { parseWorkflowDocument } from '../../../src/core/workflow/document';
import { DAGRE_MAX_NODES } from '../../../src/core/graph-view/layout';
import { listShared, NEEDS_SHARED, sharedPath } from '../../helpers/shared';
import { overlaps, parseSvg } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');
const GRAPH = join(ROOT, 'test', 'fixtures', 'graph');
const objectInfo = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'ui', 'object_info.json'), 'utf8')) as Record<string, unknown>;
const read = (f: string): string => readFileSync(join(GRAPH, f), 'utf8');

/** What the file says: node ids and links (UI: the links table between existing nodes; API: well-formed links). */
function expected(text: string): { ids: string[]; links: string[] } {
  const json = JSON.parse(text) as Record<string, unknown>;
  if (Array.isArray(json.nodes)) {
    const ids = (json.nodes as { id: unknown }[])
      .filter((n) => n && (typeof n.id === 'number' || typeof n.id === 'string') && typeof (n as { type?: unknown }).type === 'string')
      .map((n) => String(n.id));
    const set = new Set(ids);
    const links: string[] = [];
    for (const l of (json.links ?? []) as unknown[]) {
      const [, o, os, t] = Array.isArray(l)
        ? l
        : [0, (l as Record<string, unknown>)?.origin_id, (l as Record<string, unknown>)?.origin_slot, (l as Record<string, unknown>)?.target_id];
      if (set.has(String(o)) && set.has(String(t))) links.push(`${String(o)}:${String(os)}->${String(t)}`);
    }
    return { ids: [...new Set(ids)], links };
  }
  const prompt = (json.prompt && typeof json.prompt === 'object' && !Array.isArray(json.prompt) ? json.prompt : json) as Record<
    string,
    { inputs?: Record<string, unknown> }
  >;
  const ids = Object.keys(prompt).filter((k) => prompt[k] && typeof prompt[k] === 'object');
  const links: string[] = [];
  for (const id of ids) {
    for (const v of Object.values(prompt[id]!.inputs ?? {})) {
      if (Array.isArray(v) && v.length === 2 && Number.isInteger(v[1]) && (v[1] as number) >= 0 && ids.includes(String(v[0])))
        links.push(`${String(v[0])}:${String(v[1])}->${id}`);
    }
  }
  return { ids, links };
}

function checkScene(name: string, text: string, scene: Scene | undefined): void {
  assert.ok(scene, `${name}: a scene`);
  const want = expected(text);
  assert.deepEqual(
    scene.nodes
      .filter((n) => n.kind !== 'io')
      .map((n) => n.id)
      .sort(),
    [...want.ids].sort(),
    `${name}: node ids as in the file`,
  );
  const got = scene.links.map((l) => `${l.from}:${l.fromSlot}->${l.to}`).sort();
  for (const l of scene.links) assert.ok(l.toInput !== '', `${name}: link ${l.from}:${l.fromSlot} -> ${l.to} names its input (data-to="<id>:<input>")`);
  assert.deepEqual(got, [...want.links].sort(), `${name}: every link`);
  if (scene.automatic) noOverlaps(name, scene);
  for (const n of scene.nodes) assert.ok([n.x, n.y, n.w, n.h].every(Number.isFinite), `${name}: finite box for ${n.id}`);
  const tags = parseSvg(renderSvg(scene));
  const nodeIds = tags.filter((t) => t.attrs.has('data-node-id')).map((t) => t.attrs.get('data-node-id'));
  assert.deepEqual(
    nodeIds,
    scene.nodes.map((n) => n.id),
    `${name}: data-node-id on every node`,
  );
  const links = tags.filter((t) => t.name === 'path' && t.attrs.has('data-from'));
  assert.deepEqual(
    links.map((t) => `${t.attrs.get('data-from')} ${t.attrs.get('data-to')}`),
    scene.links.map((l) => `${l.from}:${l.fromSlot} ${l.to}:${l.toInput}`),
  );
}

describe('graph-view scenes of our fixtures', () => {
  for (const f of readdirSync(GRAPH).filter((x) => x.endsWith('.json'))) {
    it(`${f}: ids, links, layout and SVG`, () => {
      const text = read(f);
      checkScene(f, text, sceneOfText(text));
      checkScene(`${f} (with definitions)`, text, sceneOfText(text, { objectInfo }));
    });
  }

  it('keeps the UI file’s geometry, colours, groups, reroutes, collapsed and muted/bypassed styling', () => {
    const scene = sceneOfText(read('showcase.ui.json'), { objectInfo })!;
    const node = (id: string) => scene.nodes.find((n) => n.id === id)!;
    assert.equal(scene.automatic, false);
    assert.deepEqual([node('3').x, node('3').y, node('3').w, node('3').h], [860, 100, 300, 292], 'pos is the body corner; the box adds the title bar');
    assert.equal(node('6').color, '#232');
    assert.equal(node('6').bgcolor, '#353');
    assert.equal(node('6').title, 'Positive <prompt>');
    assert.equal(node('13').collapsed, true);
    assert.equal(node('13').h, 30);
    assert.equal(node('12').mode, 'muted');
    assert.equal(node('11').mode, 'bypassed');
    assert.equal(node('10').kind, 'subgraph');
    assert.equal(node('10').drill, '10');
    assert.deepEqual(
      scene.groups.map((g) => g.title),
      ['Prompt', 'Outputs'],
    );
    assert.deepEqual(
      scene.reroutes.map((r) => [r.id, r.x, r.y]),
      [['1', 1000, 520]],
    );
    const vae = scene.links.find((l) => l.toInput === 'vae')!;
    assert.equal(vae.points.length, 3, 'the VAE link passes its reroute');
    assert.deepEqual(vae.points[1], [1000, 520]);
    assert.deepEqual(node('3').widgets.slice(0, 4), [
      { name: 'seed', value: '42' },
      { name: 'steps', value: '20' },
      { name: 'cfg', value: '150' },
      { name: 'sampler_name', value: 'euler' },
    ]);
    assert.equal(node('3').inputs[0]!.type, 'MODEL');
  });

  it('opens a subgraph instance with a breadcrumb, its input and output nodes included', () => {
    const scene = sceneOfText(read('showcase.ui.json'), { level: ['10'] })!;
    assert.deepEqual(scene.breadcrumb, [{ step: '10', title: 'Invert twice' }]);
    assert.deepEqual(scene.nodes.map((n) => n.id).sort(), ['-10', '-20', '1', '2']);
    assert.deepEqual(scene.links.map((l) => `${l.from}:${l.fromSlot}>${l.to}:${l.toInput}`).sort(), ['-10:0>1:image', '1:0>2:image', '2:0>-20:IMAGE']);
    assert.equal(sceneOfText(read('showcase.ui.json'), { level: ['3'] })!.breadcrumb.length, 0, 'a plain node cannot be opened');
  });

  it('opens a legacy group node, laid out automatically (its inner nodes have no positions)', () => {
    const root = sceneOfText(read('groupnode.ui.json'))!;
    assert.equal(root.nodes.find((n) => n.id === '2')!.kind, 'groupNode');
    const inner = sceneOfText(read('groupnode.ui.json'), { level: ['2'] })!;
    assert.deepEqual(
      inner.breadcrumb.map((b) => b.title),
      ['Invert pair'],
    );
    assert.equal(inner.automatic, true);
    assert.deepEqual(
      inner.links.map((l) => `${l.from}>${l.to}`),
      ['0>1'],
    );
    assert.ok(inner.nodes[1]!.x > inner.nodes[0]!.x, 'left to right');
  });

  it('lays API prompts out left to right: every link goes forward', () => {
    const text = readFileSync(join(ROOT, 'test', 'fixtures', 'workflow', 'txt2img.api.json'), 'utf8');
    const scene = sceneOfText(text)!;
    const byId = new Map(scene.nodes.map((n) => [n.id, n]));
    for (const l of scene.links) assert.ok(byId.get(l.from)!.x + byId.get(l.from)!.w <= byId.get(l.to)!.x, `${l.from} → ${l.to}`);
    assert.equal(sceneOfText(read('request.json'))!.format, 'request');
    assert.deepEqual(sceneOfText(read('request.json'))!.nodes[0]!.path, ['prompt', '5']);
  });

  it('escapes every piece of file text (titles, classes, values, ids)', () => {
    const svg = renderSvg(sceneOfText(read('hostile.api.json'))!);
    parseSvg(svg);
    assert.ok(!svg.includes('<script'), 'no markup from the file');
    assert.ok(!svg.includes('<b>'));
    assert.ok(svg.includes('data-node-id="x&quot;y"'));
    assert.ok(!/[\u0001]/.test(svg), 'control characters replaced');
  });

  it('puts validation problems on their nodes (subgraph problems on the instance)', () => {
    const text = read('showcase.ui.json');
    const doc = parseWorkflowDocument(text);
    const scene = sceneOfDocument(doc, { objectInfo })!;
    attachProblems(scene, validationProblems(doc, objectInfo as never));
    const ks = scene.nodes.find((n) => n.id === '3')!;
    assert.ok(
      ks.problems.some((p) => p.code === 'value_bigger_than_max' && p.severity === 'error'),
      JSON.stringify(ks.problems),
    );
    assert.ok(ks.problems.every((p) => typeof p.offset === 'number'));
    attachProblems(scene, [{ severity: 'warning', message: 'inside', nodeId: '10:2' }]);
    assert.equal(scene.nodes.find((n) => n.id === '10')!.problems.at(-1)!.message, 'inside');
    const inner = sceneOfDocument(doc, { level: ['10'] })!;
    attachProblems(inner, [
      { severity: 'warning', message: 'inside', nodeId: '10:2' },
      { severity: 'error', message: 'root', nodeId: '3' },
    ]);
    assert.deepEqual(
      inner.nodes.filter((n) => n.problems.length).map((n) => n.id),
      ['2'],
    );
    assert.match(renderSvg(scene), /class="badge badge-error"/);
  });

  it('puts an output thumbnail inside a node that has room for it, else under the node', () => {
    const ui = sceneOfText(read('showcase.ui.json'), { objectInfo })!;
    const preview = ui.nodes.find((n) => n.id === '13')!; // collapsed PreviewImage
    assert.deepEqual(thumbnailBox(preview), { x: 0, y: preview.h + 6, w: preview.w, h: preview.w });
    const api = sceneOfText(readFileSync(join(ROOT, 'test', 'fixtures', 'workflow', 'txt2img.api.json'), 'utf8'))!;
    const save = api.nodes.find((n) => n.classType === 'SaveImage')!;
    assert.equal(thumbnailBox(save).y, save.h + 6, 'an automatic layout sizes nodes to their content: under the node');
    const roomy = { ...save, h: 300 };
    const inside = thumbnailBox(roomy);
    assert.ok(inside.y > 0 && inside.y + inside.h <= roomy.h && inside.x >= 0 && inside.x + inside.w <= roomy.w, JSON.stringify(inside));
    assert.ok(inside.h >= 64);
  });

  it('orders nodes for Tab: sources before the nodes they feed', () => {
    const scene = sceneOfText(read('showcase.ui.json'))!;
    const order = executionOrder(scene);
    assert.equal(order.length, scene.nodes.length);
    const at = new Map(order.map((id, i) => [id, i]));
    for (const l of scene.links) assert.ok(at.get(l.from)! < at.get(l.to)!, `${l.from} before ${l.to}`);
    const cyc = sceneOfText(read('hostile.api.json'))!;
    assert.equal(new Set(executionOrder(cyc)).size, cyc.nodes.length, 'cycles still list every node once');
  });

  it('draws nothing for a file that is not a workflow, and never throws on half-typed text', () => {
    assert.equal(sceneOfText('{"a": 1}'), undefined);
    assert.equal(sceneOfText('[1, 2]'), undefined);
    assert.ok(sceneOfText('{"1": {"class_type": "KSampler", "inputs": {"model": ["2", 0]'), 'API text mid-edit still draws');
    assert.equal(sceneOfText('{"nodes": [{"id": 1, "type": "A"'), undefined);
  });
});

/** The layout checks of `checkScene` for a level whose expected ids are not the file's top level. */
function checkLevel(name: string, scene: Scene): void {
  for (const n of scene.nodes) assert.ok([n.x, n.y, n.w, n.h].every(Number.isFinite), `${name}: finite box for ${n.id}`);
  for (const l of scene.links) assert.ok(l.toInput !== '', `${name}: link into ${l.to} names its input`);
  if (scene.automatic) noOverlaps(name, scene);
  parseSvg(renderSvg(scene));
}

function noOverlaps(name: string, scene: Scene): void {
  for (let i = 0; i < scene.nodes.length; i++) {
    for (let j = i + 1; j < scene.nodes.length; j++) {
      assert.ok(!overlaps(scene.nodes[i]!, scene.nodes[j]!), `${name}: nodes ${scene.nodes[i]!.id} and ${scene.nodes[j]!.id} overlap`);
    }
  }
}

/**
 * A connected API prompt of `n` nodes (a few long chains tied together, with skip links), the shape where the
 * linear layered layout takes over from dagre (above DAGRE_MAX_NODES).
 */
function connectedPrompt(n: number): string {
  const prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }> = {};
  for (let i = 1; i <= n; i++) {
    const inputs: Record<string, unknown> = { strength: i };
    if (i > 1) inputs.a = [String(i - 1), 0];
    if (i > 5 && i % 3 === 0) inputs.b = [String(i - 5), 0];
    if (i > 20 && i % 7 === 0) inputs.c = [String(Math.floor(i / 2)), 1];
    prompt[String(i)] = { class_type: `Node${i % 11}`, inputs };
  }
  return JSON.stringify(prompt);
}

describe('graph-view automatic layout above the dagre size', () => {
  for (const n of [DAGRE_MAX_NODES + 1, 300, 1000]) {
    it(`${n} connected nodes: every link, ids as in the file, no overlapping boxes, links go forward`, () => {
      const text = connectedPrompt(n);
      const scene = sceneOfText(text)!;
      assert.equal(scene.automatic, true);
      checkScene(`${n} nodes`, text, scene);
      const byId = new Map(scene.nodes.map((x) => [x.id, x]));
      for (const l of scene.links) assert.ok(byId.get(l.from)!.x < byId.get(l.to)!.x, `${l.from} → ${l.to} left to right`);
    });
  }
});

describe('graph-view over ../shared fixtures', { skip: NEEDS_SHARED }, () => {
  for (const dir of ['ui', 'api']) {
    for (const f of listShared('fixtures', dir).filter((x) => x.endsWith('.json'))) {
      it(`${dir}/${f}`, () => {
        const text = readFileSync(sharedPath('fixtures', dir, f), 'utf8');
        const scene = sceneOfText(text);
        checkScene(f, text, scene);
        // Every subgraph and group node opens: the inner level draws with finite boxes, links that name their
        // input, and (group nodes are laid out automatically) no overlapping boxes.
        for (const n of scene!.nodes.filter((x) => x.drill !== undefined)) {
          const inner = sceneOfText(text, { level: [n.drill!] });
          assert.ok(inner && inner.breadcrumb.length === 1, `${f}: ${n.id} opens`);
          checkLevel(`${f} › ${n.id}`, inner);
        }
      });
    }
  }
});
