// Scripted before/after pairs built from real fixtures, each with the exact `changes` the diff must report
// (each semantic edit exactly once) and the layout-only count.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffWorkflows, type Change } from '../../../src/core/diff/diff';
import { buildModel } from '../../../src/core/diff/model';
import type { ObjectInfo } from '../../../src/core/comfy/types';
import { NEEDS_SHARED, HAS_SHARED, readSharedJson } from '../../helpers/shared';
import { addNode, clone, node, removeNode, renumberLinks, rewire, subgraph } from './edits';

type Json = Record<string, any>;
const load = (dir: string, f: string): Json => (HAS_SHARED ? readSharedJson<Json>('fixtures', dir, f) : {});
const SD15_UI = load('ui', 'Comfy-Org__comfy-cli__tests__comfy_cli__fixtures__sd15_ui_workflow.json');
const SD15_API = load('api', 'Comfy-Org__comfy-cli__tests__comfy_cli__fixtures__sd15_expected_api.json');
const SUBGRAPH_UI = load('ui', 'Comfy-Org__comfy-cli__tests__comfy_cli__fixtures__subgraph_template_ui.json');
const GROUP_UI = load('ui', 'playbook3d__ComfyUI_frontend__browser_tests__assets__group_node_v1.3.3.json');
const SD15_INFO = load('object_info', 'Comfy-Org__comfy-cli__tests__comfy_cli__fixtures__sd15_object_info.json') as ObjectInfo;
const SUBGRAPH_INFO = load('object_info', 'Comfy-Org__comfy-cli__tests__comfy_cli__fixtures__subgraph_object_info.json') as ObjectInfo;

interface Case {
  name: string;
  base: () => Json;
  info?: ObjectInfo;
  edit: (w: Json) => void;
  changes: Partial<Change>[];
  layout: number;
}

const SUB = 'd33c1791-dfd2-4102-8540-aa63e4434cd2';
const NESTED = 'da09b826-d678-40e0-a4e4-5f2178043ab6';
const ch = (kind: Change['kind'], nodeId: string, input: string | null, before: unknown, after: unknown, detail: string | null = null): Change => ({
  kind,
  nodeId,
  input,
  before,
  after,
  detail,
});

export const CASES: Case[] = [
  // UI workflow, with node definitions
  { name: 'ui: move a node', base: () => SD15_UI, info: SD15_INFO, edit: (w) => (node(w, 3).pos = [1, 2]), changes: [], layout: 1 },
  { name: 'ui: resize a node', base: () => SD15_UI, info: SD15_INFO, edit: (w) => (node(w, 3).size = [999, 999]), changes: [], layout: 1 },
  { name: 'ui: reorder nodes[]', base: () => SD15_UI, info: SD15_INFO, edit: (w) => w.nodes.reverse(), changes: [], layout: 1 },
  {
    name: 'ui: collapse and colour a node',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => Object.assign(node(w, 4), { flags: { collapsed: true }, color: '#322' }),
    changes: [],
    layout: 1,
  },
  {
    name: 'ui: pan and zoom (extra.ds)',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => (w.extra.ds = { scale: 2, offset: [5, 5] }),
    changes: [],
    layout: 1,
  },
  { name: 'ui: link ids renumbered', base: () => SD15_UI, info: SD15_INFO, edit: (w) => renumberLinks(w, 100), changes: [], layout: 1 },
  {
    name: 'ui: change a value',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => (node(w, 3).widgets_values[2] = 30),
    changes: [ch('value_changed', '3', 'steps', 20, 30)],
    layout: 0,
  },
  {
    name: 'ui: change a seed control mode',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => (node(w, 3).widgets_values[1] = 'fixed'),
    changes: [ch('value_changed', '3', 'seed.control_after_generate', 'randomize', 'fixed')],
    layout: 0,
  },
  {
    name: 'ui: change a value and move the node',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => ((node(w, 5).widgets_values[0] = 768), (node(w, 5).pos = [0, 0])),
    changes: [ch('value_changed', '5', 'width', 512, 768)],
    layout: 1,
  },
  {
    name: 'ui: rewire an input',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => rewire(w, 4, 7, 0),
    changes: [ch('link_changed', '3', 'positive', ['6', 0], ['7', 0])],
    layout: 0,
  },
  {
    name: 'ui: add a node',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => addNode(w, 16, 'PreviewImage', 'images', 'IMAGE', 8, 0),
    changes: [ch('node_added', '16', null, null, 'PreviewImage', 'PreviewImage')],
    layout: 0,
  },
  {
    name: 'ui: remove a node',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => removeNode(w, 9),
    changes: [ch('node_removed', '9', null, 'SaveImage', null, 'SaveImage')],
    layout: 0,
  },
  {
    name: 'ui: mute a node',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => (node(w, 3).mode = 2),
    changes: [ch('mode_changed', '3', null, 'always', 'muted')],
    layout: 0,
  },
  {
    name: 'ui: bypass a node',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => (node(w, 7).mode = 4),
    changes: [ch('mode_changed', '7', null, 'always', 'bypassed')],
    layout: 0,
  },
  {
    name: 'ui: rename a node',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => (node(w, 3).title = 'Main sampler'),
    changes: [ch('title_changed', '3', null, null, 'Main sampler')],
    layout: 0,
  },
  {
    name: 'ui: replace a node class',
    base: () => SD15_UI,
    info: SD15_INFO,
    edit: (w) => (node(w, 9).type = 'PreviewImage'),
    changes: [ch('class_changed', '9', null, 'SaveImage', 'PreviewImage')],
    layout: 0,
  },
  {
    name: 'ui: without definitions values are named by position',
    base: () => SD15_UI,
    edit: (w) => (node(w, 3).widgets_values[2] = 30),
    changes: [ch('value_changed', '3', 'widgets_values[2]', 20, 30, 'named by position: no node definitions for this class')],
    layout: 0,
  },
  // Subgraphs
  {
    name: 'subgraph: change a value inside',
    base: () => SUBGRAPH_UI,
    info: SUBGRAPH_INFO,
    edit: (w) => (node(subgraph(w, SUB), 9).widgets_values[2] = 7),
    changes: [ch('value_changed', '10:9', 'seed', 1, 7)],
    layout: 0,
  },
  {
    name: 'subgraph: change a value in a nested subgraph',
    base: () => SUBGRAPH_UI,
    info: SUBGRAPH_INFO,
    edit: (w) => (node(subgraph(w, NESTED), 6).widgets_values[0] = 5),
    changes: [ch('value_changed', '10:3:6', 'value', 1, 5)],
    layout: 0,
  },
  {
    name: 'subgraph: mute a node inside',
    base: () => SUBGRAPH_UI,
    info: SUBGRAPH_INFO,
    edit: (w) => (node(subgraph(w, SUB), 9).mode = 2),
    changes: [ch('mode_changed', '10:9', null, 'always', 'muted')],
    layout: 0,
  },
  {
    name: 'subgraph: move a node inside',
    base: () => SUBGRAPH_UI,
    info: SUBGRAPH_INFO,
    edit: (w) => (node(subgraph(w, SUB), 9).pos = [7, 7]),
    changes: [],
    layout: 1,
  },
  {
    name: 'subgraph: rename an instance',
    base: () => SUBGRAPH_UI,
    info: SUBGRAPH_INFO,
    edit: (w) => (node(w, 10).title = 'Gen 1'),
    changes: [ch('title_changed', '10', null, 'Generate Image 1', 'Gen 1')],
    layout: 0,
  },
  {
    name: 'subgraph: mute an instance',
    base: () => SUBGRAPH_UI,
    info: SUBGRAPH_INFO,
    edit: (w) => (node(w, 10).mode = 2),
    changes: [ch('mode_changed', '10', null, 'always', 'muted')],
    layout: 0,
  },
  {
    name: 'subgraph: rename a definition input',
    base: () => SUBGRAPH_UI,
    info: SUBGRAPH_INFO,
    edit: (w) => (subgraph(w, NESTED).inputs[0].name = 'prompt'),
    changes: [
      ch(
        'subgraph_changed',
        NESTED,
        null,
        { name: 'Batch Prompt Iterator', inputs: [['value', 'STRING']], outputs: [['STRING', 'STRING']] },
        { name: 'Batch Prompt Iterator', inputs: [['prompt', 'STRING']], outputs: [['STRING', 'STRING']] },
        'subgraph "Batch Prompt Iterator" inputs or outputs changed',
      ),
    ],
    layout: 1,
  },
  // Legacy group node: the instance's values belong to its inner nodes (instance:index)
  {
    name: 'group node: change an inner value',
    base: () => GROUP_UI,
    info: SD15_INFO,
    edit: (w) => (node(w, 10).widgets_values[8] = 25),
    changes: [ch('value_changed', '10:4', 'steps', 20, 25)],
    layout: 0,
  },
  { name: 'group node: move the instance', base: () => GROUP_UI, info: SD15_INFO, edit: (w) => (node(w, 10).pos = [3, 3]), changes: [], layout: 1 },
  // API prompts
  { name: 'api: change a value', base: () => SD15_API, edit: (w) => (w['3'].inputs.cfg = 6.5), changes: [ch('value_changed', '3', 'cfg', 8, 6.5)], layout: 0 },
  {
    name: 'api: rewire',
    base: () => SD15_API,
    edit: (w) => (w['3'].inputs.negative = ['6', 0]),
    changes: [ch('link_changed', '3', 'negative', ['7', 0], ['6', 0])],
    layout: 0,
  },
  {
    name: 'api: add a node',
    base: () => SD15_API,
    edit: (w) => (w['20'] = { class_type: 'PreviewImage', inputs: { images: ['8', 0] } }),
    changes: [ch('node_added', '20', null, null, 'PreviewImage', 'PreviewImage')],
    layout: 0,
  },
  {
    name: 'api: remove a node',
    base: () => SD15_API,
    edit: (w) => delete w['9'],
    changes: [ch('node_removed', '9', null, 'SaveImage', null, 'SaveImage "Save Image"')],
    layout: 0,
  },
  {
    name: 'api: rename a node',
    base: () => SD15_API,
    edit: (w) => (w['3']._meta = { title: 'Sampler' }),
    changes: [ch('title_changed', '3', null, 'KSampler', 'Sampler')],
    layout: 0,
  },
  { name: 'api: reorder nodes and inputs', base: () => SD15_API, edit: (w) => reverseKeys(w), changes: [], layout: 0 },
];

function reverseKeys(w: Json): void {
  const entries = Object.entries(w).reverse();
  for (const [k] of entries) delete w[k];
  for (const [k, v] of entries) w[k] = { ...v, inputs: Object.fromEntries(Object.entries(v.inputs as object).reverse()) };
}

describe('semantic diff of scripted edits', { skip: NEEDS_SHARED }, () => {
  for (const c of CASES) {
    it(c.name, () => {
      const before = clone(c.base());
      const after = clone(before);
      c.edit(after);
      const result = diffWorkflows(buildModel(before, c.info), buildModel(after, c.info));
      assert.deepEqual(result.changes, c.changes);
      assert.equal(result.layoutChanged, c.layout, JSON.stringify(result.layout));
      // Symmetry: the reverse diff has as many changes.
      const back = diffWorkflows(buildModel(after, c.info), buildModel(before, c.info));
      assert.equal(back.changes.length, c.changes.length);
    });
  }
  it('a workflow compared with itself has no change and no layout change', () => {
    for (const w of [SD15_UI, SUBGRAPH_UI, GROUP_UI, SD15_API]) {
      const r = diffWorkflows(buildModel(w, SD15_INFO), buildModel(clone(w), SD15_INFO));
      assert.deepEqual([r.changes, r.layoutChanged], [[], 0]);
    }
  });
});
