// Three-way merges: clean (different nodes / inputs), conflicts (the same input changed differently), and both
// sides adding a node under the same id; for API prompts and UI workflows. The merged result is checked through
// the semantic diff, so the layout taken from "ours" and the new link ids do not matter to the assertions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffWorkflows } from '../../../src/core/diff/diff';
import { buildModel } from '../../../src/core/diff/model';
import { mergeWorkflowTexts, MergeError } from '../../../src/core/diff/merge';
import type { ObjectInfo } from '../../../src/core/comfy/types';
import { HAS_SHARED, NEEDS_SHARED, readSharedJson } from '../../helpers/shared';
import { addNode, clone, node, rewire } from './edits';

type Json = Record<string, any>;
const API = (HAS_SHARED ? readSharedJson('fixtures', 'api', 'Comfy-Org__comfy-cli__tests__comfy_cli__fixtures__sd15_expected_api.json') : {}) as Json;
const UI = (HAS_SHARED ? readSharedJson('fixtures', 'ui', 'Comfy-Org__comfy-cli__tests__comfy_cli__fixtures__sd15_ui_workflow.json') : {}) as Json;
const INFO = (
  HAS_SHARED ? readSharedJson('fixtures', 'object_info', 'Comfy-Org__comfy-cli__tests__comfy_cli__fixtures__sd15_object_info.json') : {}
) as ObjectInfo;

function merge(base: Json, ours: (w: Json) => void, theirs: (w: Json) => void) {
  const o = clone(base);
  ours(o);
  const t = clone(base);
  theirs(t);
  const r = mergeWorkflowTexts(JSON.stringify(base), JSON.stringify(o, null, 1), JSON.stringify(t));
  const merged = JSON.parse(r.text) as Json;
  return {
    ...r,
    merged,
    changes: diffWorkflows(buildModel(base, INFO), buildModel(merged, INFO)).changes.map(
      (c) => `${c.kind} ${c.nodeId} ${c.input ?? ''} ${JSON.stringify(c.after)}`,
    ),
  };
}

describe('merge driver core: API prompts', { skip: NEEDS_SHARED }, () => {
  it('clean: different inputs of one node and different nodes', () => {
    const r = merge(
      API,
      (w) => ((w['3'].inputs.cfg = 5), (w['5'].inputs.width = 768)),
      (w) => ((w['3'].inputs.steps = 30), (w['9'].inputs.filename_prefix = 'x')),
    );
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.changes, ['value_changed 3 steps 30', 'value_changed 3 cfg 5', 'value_changed 5 width 768', 'value_changed 9 filename_prefix "x"']);
  });
  it('clean: theirs removes a node ours did not touch, ours rewires', () => {
    const r = merge(
      API,
      (w) => (w['3'].inputs.negative = ['6', 0]),
      (w) => ((w['20'] = { class_type: 'PreviewImage', inputs: { images: ['8', 0] } }), delete w['9']),
    );
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.changes, ['link_changed 3 negative ["6",0]', 'node_removed 9  null', 'node_added 20  "PreviewImage"']);
  });
  it('conflict: the same input changed differently keeps ours and reports base/ours/theirs', () => {
    const r = merge(
      API,
      (w) => ((w['3'].inputs.steps = 25), (w['3'].inputs.cfg = 4)),
      (w) => (w['3'].inputs.steps = 40),
    );
    assert.deepEqual(r.conflicts, [{ nodeId: '3', input: 'steps', base: 20, ours: 25, theirs: 40 }]);
    assert.deepEqual(r.changes, ['value_changed 3 steps 25', 'value_changed 3 cfg 4']);
  });
  it('conflict: ours edits a node theirs deleted', () => {
    const r = merge(
      API,
      (w) => (w['9'].inputs.filename_prefix = 'a'),
      (w) => delete w['9'],
    );
    assert.equal(r.conflicts.length, 1);
    assert.equal(r.conflicts[0]!.nodeId, '9');
    assert.equal(r.conflicts[0]!.input, null);
  });
  it('both add a node with the same id: theirs gets a fresh id and its links follow', () => {
    const r = merge(
      API,
      (w) => (w['20'] = { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'ours' } }),
      (w) => (
        (w['20'] = { class_type: 'ImageInvert', inputs: { image: ['8', 0] } }),
        (w['21'] = { class_type: 'PreviewImage', inputs: { images: ['20', 0] } })
      ),
    );
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.renumbered, [{ from: '20', to: '22' }]);
    assert.equal(r.merged['20'].class_type, 'SaveImage');
    assert.equal(r.merged['22'].class_type, 'ImageInvert');
    assert.deepEqual(r.merged['21'].inputs.images, ['22', 0]);
  });
  it('identical additions on both sides merge into one', () => {
    const add = (w: Json) => (w['20'] = { class_type: 'PreviewImage', inputs: { images: ['8', 0] } });
    const r = merge(API, add, add);
    assert.deepEqual([r.conflicts, r.renumbered, r.changes], [[], [], ['node_added 20  "PreviewImage"']]);
  });
  it('keeps 64-bit seeds exactly and refuses mixed formats', () => {
    const base = '{"1": {"class_type": "K", "inputs": {"seed": 18446744073709551615, "x": 1}}}';
    const ours = base.replace('"x": 1', '"x": 2');
    const r = mergeWorkflowTexts(base, ours, base);
    assert.match(r.text, /"seed": 18446744073709551615/);
    assert.throws(() => mergeWorkflowTexts(base, base, JSON.stringify(UI)), MergeError);
  });
});

describe('merge driver core: UI workflows', { skip: NEEDS_SHARED }, () => {
  it('clean: widget values of different nodes, layout from ours', () => {
    const r = merge(
      UI,
      (w) => ((node(w, 3).widgets_values[2] = 30), (node(w, 3).pos = [1, 1])),
      (w) => ((node(w, 5).widgets_values[0] = 768), (node(w, 5).pos = [9, 9])),
    );
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.changes, ['value_changed 3 steps 30', 'value_changed 5 width 768']);
    assert.deepEqual(node(r.merged, 3).pos, [1, 1]);
    assert.notDeepEqual(node(r.merged, 5).pos, [9, 9]);
  });
  it('clean: theirs rewires and adds a node, ours mutes one; links stay consistent', () => {
    const r = merge(
      UI,
      (w) => (node(w, 7).mode = 4),
      (w) => (rewire(w, 4, 7, 0), addNode(w, 16, 'PreviewImage', 'images', 'IMAGE', 8, 0)),
    );
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.changes, ['link_changed 3 positive ["7",0]', 'mode_changed 7  "bypassed"', 'node_added 16  "PreviewImage"']);
    // Every slot's link exists in the table and points back at that slot.
    const ids = new Set((r.merged.links as unknown[][]).map((l) => l[0]));
    for (const n of r.merged.nodes as Json[]) for (const i of n.inputs ?? []) if (i.link !== null) assert.ok(ids.has(i.link), `node ${n.id} link ${i.link}`);
    assert.equal(ids.size, (r.merged.links as unknown[]).length, 'link ids unique');
  });
  it('conflict: the same widget value changed differently', () => {
    const r = merge(
      UI,
      (w) => (node(w, 3).widgets_values[2] = 25),
      (w) => (node(w, 3).widgets_values[2] = 40),
    );
    assert.deepEqual(r.conflicts, [{ nodeId: '3', input: 'widgets_values[2]', base: 20, ours: 25, theirs: 40 }]);
    assert.deepEqual(r.changes, ['value_changed 3 steps 25']);
  });
  it('both add a node with the same id: theirs is renumbered with its link', () => {
    const r = merge(
      UI,
      (w) => addNode(w, 16, 'PreviewImage', 'images', 'IMAGE', 8, 0),
      (w) => addNode(w, 16, 'SaveImage', 'images', 'IMAGE', 8, 0),
    );
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.renumbered, [{ from: '16', to: '17' }]);
    assert.deepEqual(r.changes, ['node_added 16  "PreviewImage"', 'node_added 17  "SaveImage"']);
    assert.deepEqual(
      (r.merged.links as unknown[][]).filter((l) => l[3] === 16 || l[3] === 17).map((l) => [l[1], l[3]]),
      [
        [8, 16],
        [8, 17],
      ],
    );
  });
});
