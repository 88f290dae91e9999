// UI workflow → API prompt: the frontend's graphToPrompt rules, one small graph per rule.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { convertUiWorkflow } from '../../../src/core/workflow/toPrompt';
import { node, OBJECT_INFO, txt2img, workflow, type Link } from './build';

const convert = (wf: unknown) => convertUiWorkflow(wf, OBJECT_INFO, { dynamicPrompts: false });
const codes = (r: { problems: { code: string }[] }) => r.problems.map((p) => p.code);
type Nodes = Record<string, unknown>[];
const nodesOf = (wf: Record<string, unknown>) => wf.nodes as Nodes;

describe('basic conversion', () => {
  test('txt2img: widgets by input order, links, control value skipped, titles', () => {
    const r = convert(txt2img());
    assert.deepEqual(r.problems, []);
    assert.deepEqual(Object.keys(r.prompt).sort(), ['1', '2', '3', '4', '5', '6', '7']);
    assert.deepEqual(r.prompt['5'], {
      inputs: {
        seed: 42,
        steps: 20,
        cfg: 7.5,
        sampler_name: 'euler',
        scheduler: 'normal',
        denoise: 1,
        model: ['1', 0],
        positive: ['2', 0],
        negative: ['3', 0],
        latent_image: ['4', 0],
      },
      class_type: 'KSampler',
      _meta: { title: 'KSampler' },
    });
    assert.deepEqual(r.prompt['2']!._meta, { title: 'Positive' });
    assert.deepEqual(r.prompt['3']!._meta, { title: 'CLIP Text Encode (Prompt)' });
    assert.deepEqual(r.prompt['6']!.inputs, { samples: ['5', 0], vae: ['1', 2] });
  });

  test('files without control values (old frontends) and with a boolean control', () => {
    for (const wv of [
      [42, 20, 7.5, 'euler', 'normal', 1],
      [42, true, 20, 7.5, 'euler', 'normal', 1],
    ]) {
      const r = convert(txt2img({ sampler: { wv } }));
      assert.deepEqual(r.problems, [], JSON.stringify(wv));
      assert.equal(r.prompt['5']!.inputs.steps, 20);
      assert.equal(r.prompt['5']!.inputs.denoise, 1);
    }
  });

  test('a link overrides the widget value of a converted widget', () => {
    const wf = txt2img();
    nodesOf(wf).push(node(8, 'EmptyLatentImage', { outputs: [['LATENT', 'LATENT', []]], wv: [1, 2, 3] }));
    const sampler = nodesOf(wf)[4] as { inputs: unknown[] };
    sampler.inputs.push({ name: 'steps', type: 'INT', widget: { name: 'steps' }, link: 10 });
    (wf.links as Link[]).push([10, 4, 0, 5, 4, 'INT']);
    const r = convert(wf);
    assert.deepEqual(r.prompt['5']!.inputs.steps, ['4', 0]);
  });

  test('list values are wrapped as {__value__}', () => {
    const wf = txt2img();
    (nodesOf(wf)[6] as { widgets_values: unknown }).widgets_values = [['a', 'b']];
    assert.deepEqual(convert(wf).prompt['7']!.inputs.filename_prefix, { __value__: ['a', 'b'] });
  });

  test('widgets_values given as an object', () => {
    const wf = txt2img();
    (nodesOf(wf)[3] as { widgets_values: unknown }).widgets_values = { width: 1024, height: 768, batch_size: 2, videopreview: {} };
    const r = convert(wf);
    assert.deepEqual(r.prompt['4']!.inputs, { width: 1024, height: 768, batch_size: 2 });
    assert.deepEqual(r.sourceMap['4']!.inputs.height, ['nodes', 3, 'widgets_values', 'height']);
  });

  test('version 1 graphs: links as objects', () => {
    const wf = txt2img();
    wf.version = 1;
    wf.links = (wf.links as Link[]).map(([id, o, os, t, ts, type]) => ({ id, origin_id: o, origin_slot: os, target_id: t, target_slot: ts, type }));
    const r = convert(wf);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.prompt['6']!.inputs, { samples: ['5', 0], vae: ['1', 2] });
  });

  test('string node ids', () => {
    const wf = workflow(
      [
        node('a', 'EmptyLatentImage', { outputs: [['LATENT', 'LATENT', [1]]], wv: [8, 8, 1] }),
        node('b', 'VAEDecode', {
          inputs: [
            ['samples', 'LATENT', 1],
            ['vae', 'VAE', null],
          ],
          outputs: [['IMAGE', 'IMAGE', []]],
        }),
      ],
      [[1, 'a', 0, 'b', 0, 'LATENT']],
    );
    assert.deepEqual(convert(wf).prompt.b!.inputs, { samples: ['a', 0] });
  });
});

describe('widget values', () => {
  test('combo with control_after_generate: control and filter list are skipped; forceInput has no slot', () => {
    const wf = workflow([node(1, 'PickFromList', { wv: ['two', 'increment', '', 0.7, 'hi'] })], []);
    assert.deepEqual(convert(wf).prompt['1']!.inputs, { choice: 'two', weights: 0.7, note: 'hi' });
  });

  test('combo control without the filter list (older frontends)', () => {
    const wf = workflow([node(1, 'PickFromList', { wv: ['two', 'fixed', 0.7, 'hi'] })], []);
    assert.deepEqual(convert(wf).prompt['1']!.inputs, { choice: 'two', weights: 0.7, note: 'hi' });
  });

  test('an old save holding a value for a forceInput input drops it', () => {
    const wf = workflow([node(1, 'PickFromList', { wv: ['two', 'fixed', '', 'saved', 0.7, 'hi'] })], []);
    const r = convert(wf);
    assert.deepEqual(r.prompt['1']!.inputs, { choice: 'two', weights: 0.7, note: 'hi' });
    assert.deepEqual(codes(r), []);
  });

  test('upload button value right after the combo or at the end of the required widgets', () => {
    for (const wv of [
      ['m.png', 'image', 'red'],
      ['m.png', 'red', 'image'],
      ['m.png', 'red'],
    ]) {
      const r = convert(workflow([node(1, 'LoadImageMask', { wv })], []));
      assert.deepEqual(r.prompt['1']!.inputs, { image: 'm.png', channel: 'red' }, JSON.stringify(wv));
      assert.deepEqual(r.problems, []);
    }
  });

  test('V3 dynamic combo: the selected option decides which sub-widgets follow', () => {
    const size = convert(workflow([node(1, 'ResizeV3', { inputs: [['image', 'IMAGE', null]], wv: ['size', 640, 480, true] })], []));
    assert.deepEqual(size.prompt['1']!.inputs, { mode: 'size', 'mode.width': 640, 'mode.height': 480, crop: true });
    const scale = convert(workflow([node(1, 'ResizeV3', { wv: ['scale', 2, false] })], []));
    assert.deepEqual(scale.prompt['1']!.inputs, { mode: 'scale', 'mode.factor': 2, crop: false });
    assert.equal(scale.prompt['1']!._meta?.title, 'ResizeV3', 'display_name null falls back to the class name');
  });

  test('too many values: the extra ones are reported on the first extra element', () => {
    const wf = workflow([node(1, 'EmptyLatentImage', { wv: [8, 8, 1, 'surplus'] })], []);
    const r = convert(wf);
    assert.deepEqual(r.prompt['1']!.inputs, { width: 8, height: 8, batch_size: 1 });
    assert.deepEqual(codes(r), ['widgets_values_count']);
    assert.deepEqual(r.problems[0]!.path, ['nodes', 0, 'widgets_values', 3]);
  });

  test('too few values: the missing widgets stay unset and are reported', () => {
    const r = convert(workflow([node(1, 'EmptyLatentImage', { wv: [8, 8] })], []));
    assert.deepEqual(r.prompt['1']!.inputs, { width: 8, height: 8 });
    assert.deepEqual(codes(r), ['widgets_values_count']);
    assert.match(r.problems[0]!.message, /batch_size/);
  });

  test("fillDefaults gives widgets the file has no value for their default, as today's frontend does", () => {
    const r = convertUiWorkflow(workflow([node(1, 'EmptyLatentImage', { wv: [8, 8] }), node(2, 'KSampler')], []), OBJECT_INFO, { fillDefaults: true });
    assert.deepEqual(r.prompt['1']!.inputs, { width: 8, height: 8, batch_size: 1 });
    assert.deepEqual(r.prompt['2']!.inputs, { seed: 0, steps: 20, cfg: 8, sampler_name: 'euler', scheduler: 'normal', denoise: 1 });
    assert.match(r.problems[0]!.message, /default value is used/);
  });

  test('no widgets_values at all', () => {
    const r = convert(workflow([node(1, 'EmptyLatentImage')], []));
    assert.deepEqual(r.prompt['1']!.inputs, {});
    assert.deepEqual(codes(r), ['widgets_values_missing']);
    assert.deepEqual(r.problems[0]!.path, ['nodes', 0]);
  });

  test('dynamic prompts are resolved with the given random source, or kept when turned off', () => {
    const wf = txt2img();
    (nodesOf(wf)[1] as { widgets_values: unknown }).widgets_values = ['a {red|green|blue} cat // note'];
    const first = convertUiWorkflow(wf, OBJECT_INFO, { random: () => 0 });
    assert.equal(first.prompt['2']!.inputs.text, 'a red cat ');
    const last = convertUiWorkflow(wf, OBJECT_INFO, { random: () => 0.99 });
    assert.equal(last.prompt['2']!.inputs.text, 'a blue cat ');
    assert.equal(convert(wf).prompt['2']!.inputs.text, 'a {red|green|blue} cat // note');
  });
});

describe('virtual, muted and bypassed nodes', () => {
  test('Note and MarkdownNote are skipped', () => {
    const wf = txt2img();
    nodesOf(wf).push(node(20, 'Note', { wv: ['hello'] }), node(21, 'MarkdownNote', { wv: ['# hi'] }));
    const r = convert(wf);
    assert.equal(r.prompt['20'], undefined);
    assert.equal(r.prompt['21'], undefined);
    assert.deepEqual(r.problems, []);
  });

  test('legacy Reroute nodes pass links through (chained)', () => {
    const wf = txt2img();
    nodesOf(wf).push(
      node(20, 'Reroute', { inputs: [['', '*', 1]], outputs: [['', 'MODEL', [20]]] }),
      node(21, 'Reroute', { inputs: [['', '*', 20]], outputs: [['', 'MODEL', [21]]] }),
    );
    const links = wf.links as Link[];
    links[0] = [1, 1, 0, 20, 0, 'MODEL'];
    links.push([20, 20, 0, 21, 0, 'MODEL'], [21, 21, 0, 5, 0, 'MODEL']);
    (nodesOf(wf)[4] as { inputs: { link: number }[] }).inputs[0]!.link = 21;
    const r = convert(wf);
    assert.deepEqual(r.prompt['5']!.inputs.model, ['1', 0]);
    assert.equal(r.prompt['20'], undefined);
  });

  test('native reroutes (link parentId, extra.reroutes) change nothing', () => {
    const wf = txt2img();
    wf.extra = { reroutes: [{ id: 1, pos: [0, 0], linkIds: [1] }], linkExtensions: [{ id: 1, parentId: 1 }] };
    assert.deepEqual(convert(wf).prompt['5']!.inputs.model, ['1', 0]);
  });

  test('PrimitiveNode pushes its value into every widget it feeds and is not emitted', () => {
    const wf = txt2img();
    nodesOf(wf).push(node(20, 'PrimitiveNode', { outputs: [['INT', 'INT', [20, 21]]], wv: [1234, 'fixed'] }));
    const nodes = nodesOf(wf) as { inputs: unknown[] }[];
    nodes[3]!.inputs.push({ name: 'width', type: 'INT', widget: { name: 'width' }, link: 20 });
    nodes[4]!.inputs.push({ name: 'seed', type: 'INT', widget: { name: 'seed' }, link: 21 });
    (wf.links as Link[]).push([20, 20, 0, 4, 0, 'INT'], [21, 20, 0, 5, 4, 'INT']);
    const r = convert(wf);
    assert.equal(r.prompt['4']!.inputs.width, 1234);
    assert.equal(r.prompt['5']!.inputs.seed, 1234);
    assert.equal(r.prompt['20'], undefined);
    assert.deepEqual(r.sourceMap['5']!.inputs.seed, ['nodes', 7, 'widgets_values', 0]);
  });

  test('muted nodes are omitted and links to them removed', () => {
    const wf = txt2img();
    (nodesOf(wf)[5] as { mode: number }).mode = 2;
    const r = convert(wf);
    assert.equal(r.prompt['6'], undefined);
    assert.deepEqual(r.prompt['7']!.inputs, { filename_prefix: 'out' });
  });

  test('bypassed nodes forward the input of the matching type', () => {
    const wf = txt2img();
    nodesOf(wf).push(node(20, 'ImageInvert', { mode: 4, inputs: [['image', 'IMAGE', 9]], outputs: [['IMAGE', 'IMAGE', [20]]] }));
    const links = wf.links as Link[];
    links[8] = [9, 6, 0, 20, 0, 'IMAGE'];
    links.push([20, 20, 0, 7, 0, 'IMAGE']);
    (nodesOf(wf)[6] as { inputs: { link: number }[] }).inputs[0]!.link = 20;
    const r = convert(wf);
    assert.deepEqual(r.prompt['7']!.inputs.images, ['6', 0]);
    assert.equal(r.prompt['20'], undefined);
  });

  test('a bypassed node prefers the same slot, then the first input of the same type', () => {
    const wf = workflow(
      [
        node(1, 'ImageInvert', { outputs: [['IMAGE', 'IMAGE', [1]]] }),
        node(2, 'ImageInvert', { outputs: [['IMAGE', 'IMAGE', [2]]] }),
        node(3, 'ImageBlend', {
          mode: 4,
          inputs: [
            ['image1', 'IMAGE', 1],
            ['image2', 'IMAGE', 2],
          ],
          outputs: [['IMAGE', 'IMAGE', [3]]],
          wv: [0.5],
        }),
        node(4, 'PreviewImage', { inputs: [['images', 'IMAGE', 3]] }),
      ],
      [
        [1, 1, 0, 3, 0, 'IMAGE'],
        [2, 2, 0, 3, 1, 'IMAGE'],
        [3, 3, 0, 4, 0, 'IMAGE'],
      ],
    );
    assert.deepEqual(convert(wf).prompt['4']!.inputs.images, ['1', 0]);
  });

  test('a bypassed node without an input of the needed type leaves the input unset', () => {
    const wf = workflow(
      [
        node(1, 'EmptyLatentImage', { outputs: [['LATENT', 'LATENT', [1]]], wv: [8, 8, 1] }),
        node(2, 'VAEDecode', {
          mode: 4,
          inputs: [
            ['samples', 'LATENT', 1],
            ['vae', 'VAE', null],
          ],
          outputs: [['IMAGE', 'IMAGE', [2]]],
        }),
        node(3, 'PreviewImage', { inputs: [['images', 'IMAGE', 2]] }),
      ],
      [
        [1, 1, 0, 2, 0, 'LATENT'],
        [2, 2, 0, 3, 0, 'IMAGE'],
      ],
    );
    const r = convert(wf);
    assert.deepEqual(r.prompt['3']!.inputs, {});
    assert.deepEqual(codes(r), ['bypass_unresolved']);
  });

  test('KJNodes Set/Get and rgthree reroutes resolve to the real source', () => {
    const wf = txt2img();
    nodesOf(wf).push(
      node(20, 'SetNode', { inputs: [['MODEL', 'MODEL', 1]], outputs: [['*', '*', []]], wv: ['model'] }),
      node(21, 'GetNode', { outputs: [['MODEL', 'MODEL', [21]]], wv: ['model'] }),
      node(22, 'Reroute (rgthree)', { inputs: [['', '*', 21]], outputs: [['', 'MODEL', [22]]] }),
    );
    const links = wf.links as Link[];
    links[0] = [1, 1, 0, 20, 0, 'MODEL'];
    links.push([21, 21, 0, 22, 0, 'MODEL'], [22, 22, 0, 5, 0, 'MODEL']);
    (nodesOf(wf)[4] as { inputs: { link: number }[] }).inputs[0]!.link = 22;
    const r = convert(wf);
    assert.deepEqual(r.prompt['5']!.inputs.model, ['1', 0]);
    for (const id of ['20', '21', '22']) assert.equal(r.prompt[id], undefined);
    assert.deepEqual(r.problems, []);
  });

  test('a node class the server lacks is reported with id and title; the rest still converts', () => {
    const wf = txt2img();
    nodesOf(wf).push(node(20, 'FancyUpscaler', { title: 'My upscaler', inputs: [['image', 'IMAGE', 20]], wv: [2] }));
    (wf.links as Link[]).push([20, 6, 0, 20, 0, 'IMAGE']);
    const r = convert(wf);
    const p = r.problems.find((x) => x.code === 'missing_node_type');
    assert.ok(p);
    assert.equal(p.nodeId, '20');
    assert.equal(p.title, 'My upscaler');
    assert.deepEqual(p.path, ['nodes', 7]);
    assert.equal(r.prompt['20']!.class_type, 'FancyUpscaler');
    assert.deepEqual(r.prompt['20']!.inputs, { image: ['6', 0] });
    assert.ok(r.prompt['5']);
  });
});

/** A subgraph definition "sg" (image → invert → output) plus a passthrough output wired straight from input 1. */
function subgraphWorkflow(instanceMode = 0, innerType = 'ImageInvert'): Record<string, unknown> {
  return workflow(
    [
      node(1, 'EmptyLatentImage', { outputs: [['LATENT', 'LATENT', [1]]], wv: [8, 8, 1] }),
      node(2, 'VAEDecode', {
        inputs: [
          ['samples', 'LATENT', 1],
          ['vae', 'VAE', null],
        ],
        outputs: [['IMAGE', 'IMAGE', [2]]],
      }),
      node(3, 'sg-0000-uuid', {
        mode: instanceMode,
        inputs: [
          ['image', 'IMAGE', 2],
          ['pass', 'IMAGE', null],
        ],
        outputs: [
          ['IMAGE', 'IMAGE', [3]],
          ['same', 'IMAGE', []],
        ],
      }),
      node(4, 'PreviewImage', { inputs: [['images', 'IMAGE', 3]] }),
    ],
    [
      [1, 1, 0, 2, 0, 'LATENT'],
      [2, 2, 0, 3, 0, 'IMAGE'],
      [3, 3, 0, 4, 0, 'IMAGE'],
    ],
    {
      definitions: {
        subgraphs: [
          {
            id: 'sg-0000-uuid',
            name: 'Invert twice',
            version: 1,
            inputNode: { id: -10 },
            outputNode: { id: -20 },
            inputs: [
              { name: 'image', type: 'IMAGE', linkIds: [10] },
              { name: 'pass', type: 'IMAGE', linkIds: [14] },
            ],
            outputs: [
              { name: 'IMAGE', type: 'IMAGE', linkIds: [12] },
              { name: 'same', type: 'IMAGE', linkIds: [14] },
            ],
            nodes: [
              node(7, innerType, { inputs: [['image', 'IMAGE', 10]], outputs: [['IMAGE', 'IMAGE', [11]]] }),
              node(8, 'ImageInvert', { inputs: [['image', 'IMAGE', 11]], outputs: [['IMAGE', 'IMAGE', [12]]] }),
            ],
            links: [
              { id: 10, origin_id: -10, origin_slot: 0, target_id: 7, target_slot: 0, type: 'IMAGE' },
              { id: 11, origin_id: 7, origin_slot: 0, target_id: 8, target_slot: 0, type: 'IMAGE' },
              { id: 12, origin_id: 8, origin_slot: 0, target_id: -20, target_slot: 0, type: 'IMAGE' },
              { id: 14, origin_id: -10, origin_slot: 1, target_id: -20, target_slot: 1, type: 'IMAGE' },
            ],
          },
        ],
      },
    },
  );
}

describe('subgraphs and group nodes', () => {
  test('inner nodes get execution ids outer:inner; links cross the boundary both ways', () => {
    const r = convert(subgraphWorkflow());
    assert.deepEqual(r.problems, []);
    assert.deepEqual(Object.keys(r.prompt).sort(), ['1', '2', '3:7', '3:8', '4']);
    assert.deepEqual(r.prompt['3:7']!.inputs, { image: ['2', 0] });
    assert.deepEqual(r.prompt['3:8']!.inputs, { image: ['3:7', 0] });
    assert.deepEqual(r.prompt['4']!.inputs, { images: ['3:8', 0] });
    assert.deepEqual(r.sourceMap['3:8']!.node, ['definitions', 'subgraphs', 0, 'nodes', 1]);
    assert.equal(r.sourceMap['3:8']!.uiNodeId, '8');
  });

  test('an output wired straight to an input passes the outer link through', () => {
    const wf = subgraphWorkflow();
    const nodes = nodesOf(wf) as { inputs: { link: number | null }[]; outputs: { links: number[] }[] }[];
    nodes[2]!.inputs[1]!.link = 4;
    nodes[2]!.outputs[1]!.links = [5];
    nodes.push(node(5, 'PreviewImage', { inputs: [['images', 'IMAGE', 5]] }) as never);
    (wf.links as Link[]).push([4, 2, 0, 3, 1, 'IMAGE'], [5, 3, 1, 5, 0, 'IMAGE']);
    assert.deepEqual(convert(wf).prompt['5']!.inputs.images, ['2', 0]);
  });

  test('nested subgraphs give three-part ids', () => {
    const wf = subgraphWorkflow(0, 'sg-inner');
    const defs = (wf.definitions as { subgraphs: Record<string, unknown>[] }).subgraphs;
    defs.push({
      id: 'sg-inner',
      name: 'Inner',
      inputs: [{ name: 'image', type: 'IMAGE', linkIds: [30] }],
      outputs: [{ name: 'IMAGE', type: 'IMAGE', linkIds: [31] }],
      nodes: [node(9, 'ImageInvert', { inputs: [['image', 'IMAGE', 30]], outputs: [['IMAGE', 'IMAGE', [31]]] })],
      links: [
        { id: 30, origin_id: -10, origin_slot: 0, target_id: 9, target_slot: 0, type: 'IMAGE' },
        { id: 31, origin_id: 9, origin_slot: 0, target_id: -20, target_slot: 0, type: 'IMAGE' },
      ],
    });
    const r = convert(wf);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.prompt['3:7:9']!.inputs, { image: ['2', 0] });
    assert.deepEqual(r.prompt['3:8']!.inputs, { image: ['3:7:9', 0] });
  });

  test('a muted instance drops its inner nodes; a bypassed one forwards its input', () => {
    const muted = convert(subgraphWorkflow(2));
    assert.deepEqual(Object.keys(muted.prompt).sort(), ['1', '2', '4']);
    assert.deepEqual(muted.prompt['4']!.inputs, {});
    const bypassed = convert(subgraphWorkflow(4));
    assert.deepEqual(Object.keys(bypassed.prompt).sort(), ['1', '2', '4']);
    assert.deepEqual(bypassed.prompt['4']!.inputs, { images: ['2', 0] });
  });

  test('a subgraph that contains itself is reported, not expanded forever', () => {
    const r = convert(subgraphWorkflow(0, 'sg-0000-uuid'));
    assert.ok(codes(r).includes('subgraph_recursion'));
    assert.deepEqual(r.problems.find((p) => p.code === 'subgraph_recursion')!.path, ['definitions', 'subgraphs', 0, 'nodes', 0]);
  });

  test('unlinked instance inputs use the values the instance saved (pre-proxyWidgets subgraphs)', () => {
    const wf = workflow([node(1, 'sg-w', { inputs: [['batch_size', 'INT', null, 'batch_size']], outputs: [['LATENT', 'LATENT', []]], wv: [4] })], [], {
      definitions: {
        subgraphs: [
          {
            id: 'sg-w',
            name: 'Latent',
            inputs: [{ name: 'batch_size', type: 'INT', linkIds: [1] }],
            outputs: [],
            nodes: [node(2, 'EmptyLatentImage', { inputs: [['batch_size', 'INT', 1, 'batch_size']], wv: [8, 8, 1] })],
            links: [{ id: 1, origin_id: -10, origin_slot: 0, target_id: 2, target_slot: 0, type: 'INT' }],
          },
        ],
      },
    });
    const r = convert(wf);
    assert.deepEqual(r.prompt['1:2']!.inputs, { width: 8, height: 8, batch_size: 4 });
    assert.deepEqual(r.sourceMap['1:2']!.inputs.batch_size, ['nodes', 0, 'widgets_values', 0]);
    // With proxyWidgets, only "-1" entries are the instance's own values; others mirror the inner widget.
    (nodesOf(wf)[0] as { properties: unknown }).properties = { proxyWidgets: [['2', 'batch_size']] };
    assert.equal(convert(wf).prompt['1:2']!.inputs.batch_size, 1);
    (nodesOf(wf)[0] as { properties: unknown }).properties = {
      proxyWidgets: [
        ['-1', 'batch_size'],
        ['2', 'control_after_generate'],
      ],
    };
    assert.equal(convert(wf).prompt['1:2']!.inputs.batch_size, 4);
  });

  test('a missing subgraph definition is reported', () => {
    const wf = workflow([node(1, '12345678-1234-1234-1234-123456789abc', { outputs: [['IMAGE', 'IMAGE', []]] })], []);
    const r = convert(wf);
    assert.deepEqual(codes(r), ['subgraph_missing']);
    assert.deepEqual(r.prompt, {});
  });

  test('legacy group nodes expand to instance:index nodes with the instance widget values', () => {
    const wf = workflow(
      [
        node(10, 'workflow>pair', {
          inputs: [['samples', 'LATENT', 1]],
          outputs: [
            ['LATENT', 'LATENT', []],
            ['IMAGE', 'IMAGE', [2]],
          ],
          wv: [32, 16, 2],
        }),
        node(1, 'EmptyLatentImage', { outputs: [['LATENT', 'LATENT', [1]]], wv: [8, 8, 1] }),
        node(2, 'PreviewImage', { inputs: [['images', 'IMAGE', 2]] }),
      ],
      [
        [1, 1, 0, 10, 0, 'LATENT'],
        [2, 10, 1, 2, 0, 'IMAGE'],
      ],
      {
        extra: {
          groupNodes: {
            pair: {
              nodes: [
                { id: -1, type: 'EmptyLatentImage', index: 0, outputs: [{ name: 'LATENT', type: 'LATENT', links: [] }], widgets_values: [8, 8, 1] },
                {
                  id: -1,
                  type: 'VAEDecode',
                  index: 1,
                  inputs: [
                    { name: 'samples', type: 'LATENT', link: null },
                    { name: 'vae', type: 'VAE', link: null },
                  ],
                  outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [] }],
                },
              ],
              links: [],
              external: [],
            },
          },
        },
      },
    );
    const r = convert(wf);
    assert.deepEqual(r.prompt['10:0']!.inputs, { width: 32, height: 16, batch_size: 2 });
    assert.deepEqual(r.prompt['10:1']!.inputs, { samples: ['1', 0] });
    assert.deepEqual(r.prompt['2']!.inputs, { images: ['10:1', 0] });
    assert.deepEqual(r.sourceMap['10:0']!.inputs.height, ['nodes', 0, 'widgets_values', 1]);
    assert.equal(r.prompt['10'], undefined);
  });
});

test('group nodes: converted widgets keep the definition value; an inner PrimitiveNode takes an instance value', () => {
  const wf = workflow([node(10, 'workflow>sized', { outputs: [['LATENT', 'LATENT', []]], wv: [256, 'fixed', 96, 3] })], [], {
    extra: {
      groupNodes: {
        sized: {
          nodes: [
            { id: -1, type: 'PrimitiveNode', index: 0, outputs: [{ name: 'INT', type: 'INT', links: [], widget: { name: 'width' } }] },
            {
              id: -1,
              type: 'EmptyLatentImage',
              index: 1,
              inputs: [{ name: 'width', type: 'INT', link: null, widget: { name: 'width' } }],
              outputs: [{ name: 'LATENT', type: 'LATENT', links: [] }],
              widgets_values: [111, 64, 1],
            },
          ],
          links: [[0, 0, 1, 0, 5, 'INT']],
          external: [],
        },
      },
    },
  });
  const r = convert(wf);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.prompt['10:1']!.inputs, { width: 256, height: 96, batch_size: 3 });
  assert.deepEqual(r.sourceMap['10:1']!.inputs.width, ['nodes', 0, 'widgets_values', 0]);
  assert.deepEqual(r.sourceMap['10:1']!.inputs.batch_size, ['nodes', 0, 'widgets_values', 3]);
  assert.equal(r.prompt['10:0'], undefined);
});

describe('bad input is reported where it is, never thrown', () => {
  test('not a workflow', () => {
    for (const bad of [null, 42, 'x', [], {}, { nodes: 'no' }]) {
      const r = convert(bad);
      assert.deepEqual(r.prompt, {});
      assert.deepEqual(codes(r), ['invalid_workflow']);
    }
  });

  test('unknown version converts with a warning', () => {
    const wf = txt2img();
    wf.version = 7;
    const r = convert(wf);
    assert.deepEqual(codes(r), ['unknown_version']);
    assert.equal(Object.keys(r.prompt).length, 7);
  });

  test('a dangling link is reported on the input slot', () => {
    const wf = txt2img();
    (nodesOf(wf)[5] as { inputs: { link: number }[] }).inputs[1]!.link = 99;
    const r = convert(wf);
    assert.deepEqual(codes(r), ['dangling_link']);
    assert.deepEqual(r.problems[0]!.path, ['nodes', 5, 'inputs', 1]);
    assert.deepEqual(r.prompt['6']!.inputs, { samples: ['5', 0] });
  });

  test('a link from a node that does not exist', () => {
    const wf = txt2img();
    (wf.links as Link[])[7] = [8, 77, 2, 6, 1, 'VAE'];
    assert.deepEqual(codes(convert(wf)), ['dangling_link']);
  });

  test('duplicate link ids: the last entry wins, as in the frontend', () => {
    const wf = txt2img();
    (wf.links as Link[]).push([8, 1, 2, 6, 1, 'VAE']);
    const r = convert(wf);
    assert.deepEqual(codes(r), ['duplicate_link_id']);
    assert.deepEqual(r.problems[0]!.path, ['links', 9]);
  });

  test('a link from an output slot the node does not have', () => {
    const wf = txt2img();
    (wf.links as Link[])[7] = [8, 1, 5, 6, 1, 'VAE'];
    const r = convert(wf);
    assert.deepEqual(codes(r), ['slot_out_of_range']);
    assert.deepEqual(r.problems[0]!.path, ['links', 7]);
    assert.equal(r.problems[0]!.severity, 'warning');
    assert.deepEqual(r.prompt['6']!.inputs, { samples: ['5', 0], vae: ['1', 5] }, 'sent as the frontend would');
  });

  test('reroutes linked in a circle are reported as a cycle', () => {
    const wf = txt2img();
    nodesOf(wf).push(
      node(20, 'Reroute', { inputs: [['', '*', 21]], outputs: [['', '*', [20]]] }),
      node(21, 'Reroute', { inputs: [['', '*', 20]], outputs: [['', '*', [21, 22]]] }),
    );
    (wf.links as Link[]).push([20, 20, 0, 21, 0, '*'], [21, 21, 0, 20, 0, '*'], [22, 21, 0, 5, 0, 'MODEL']);
    (nodesOf(wf)[4] as { inputs: { link: number }[] }).inputs[0]!.link = 22;
    const r = convert(wf);
    assert.deepEqual(codes(r), ['link_cycle']);
    assert.equal(r.prompt['5']!.inputs.model, undefined);
  });

  test('nodes without id or type are skipped and reported', () => {
    const wf = txt2img();
    nodesOf(wf).push({ type: 'KSampler' } as never, { id: 30 } as never, 'junk' as never);
    const r = convert(wf);
    assert.deepEqual(codes(r), ['invalid_node', 'invalid_node', 'invalid_node']);
    assert.equal(Object.keys(r.prompt).length, 7);
  });
});
