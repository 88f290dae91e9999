// Problems placed in the UI text: conversion problems (uiWorkflowToPrompt) and validator problems mapped back
// through the source map (validateUiWorkflow) land on the widgets_values element, the input slot's link, or the
// node's type.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { uiWorkflowToPrompt } from '../../../src/core/workflow/toPrompt';
import { validateUiWorkflow } from '../../../src/core/workflow/ui/validateUi';
import { node, OBJECT_INFO, txt2img, workflow, type Link } from './build';

const at = (text: string, r: { offset: number; length: number }) => text.slice(r.offset, r.offset + r.length);
type Nodes = Record<string, unknown>[];

describe('uiWorkflowToPrompt', () => {
  test('returns the prompt, the parsed workflow to attach, and a source map', () => {
    const text = JSON.stringify(txt2img(), null, 2);
    const r = uiWorkflowToPrompt(text, OBJECT_INFO, { dynamicPrompts: false });
    assert.deepEqual(r.workflow, JSON.parse(text));
    assert.equal(Object.getPrototypeOf(r.workflow), Object.prototype);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.sourceMap['5']!.inputs.steps, ['nodes', 4, 'widgets_values', 2]);
    assert.deepEqual(r.sourceMap['5']!.inputs.model, ['nodes', 4, 'inputs', 0]);
    assert.equal(at(text, r.locate(r.sourceMap['5']!.inputs.steps!)), '20');
    assert.equal(at(text, r.locate(r.sourceMap['5']!.inputs.model!)), '1', 'a slot is located at its link id');
    assert.equal(at(text, r.locate(r.sourceMap['5']!.node)), '"KSampler"', 'a node is located at its type');
  });

  test('conversion problems carry ranges in the text', () => {
    const wf = txt2img();
    (wf.nodes as { inputs: { link: number }[] }[])[5]!.inputs[1]!.link = 99;
    const text = JSON.stringify(wf, null, 1);
    const r = uiWorkflowToPrompt(text, OBJECT_INFO);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.code, 'dangling_link');
    assert.equal(at(text, r.problems[0]!.range), '99');
  });

  test('JSON with comments and trailing commas still converts; broken JSON reports syntax errors', () => {
    const text = JSON.stringify(txt2img(), null, 1)
      .replace('{', '{ // saved by hand\n')
      .replace(/\]\n\}$/, '],\n}');
    const ok = uiWorkflowToPrompt(text, OBJECT_INFO);
    assert.equal(Object.keys(ok.prompt).length, 7);
    assert.deepEqual(ok.problems, []);
    const broken = uiWorkflowToPrompt('{"nodes": [', OBJECT_INFO);
    assert.ok(broken.problems.length > 0);
    assert.ok(broken.problems.every((p) => p.code === 'invalid_workflow'));
    assert.deepEqual(uiWorkflowToPrompt('', OBJECT_INFO).prompt, {});
  });
});

describe('validateUiWorkflow', () => {
  test('a bad widget value is reported on its widgets_values element, with the UI node id and title', () => {
    const wf = txt2img();
    (wf.nodes as { widgets_values: unknown[] }[])[4]!.widgets_values = [42, 'randomize', 0, 7.5, 'nonsense', 'normal', 1];
    const text = JSON.stringify(wf, null, 2);
    const problems = validateUiWorkflow(text, OBJECT_INFO);
    const steps = problems.find((p) => p.code === 'value_smaller_than_min');
    assert.ok(steps, JSON.stringify(problems));
    assert.equal(steps.nodeId, '5');
    assert.equal(steps.title, 'KSampler');
    assert.equal(at(text, steps.range), '0');
    const sampler = problems.find((p) => p.code === 'value_not_in_list');
    assert.ok(sampler);
    assert.equal(at(text, sampler.range), '"nonsense"');
  });

  test('a missing required link is reported on the node; the missing class once', () => {
    const wf = txt2img();
    (wf.nodes as { inputs: { link: number | null }[] }[])[5]!.inputs[1]!.link = null;
    (wf.nodes as Nodes).push(node(20, 'FancyUpscaler', { inputs: [['image', 'IMAGE', 20]] }));
    (wf.links as Link[]).push([20, 6, 0, 20, 0, 'IMAGE']);
    const text = JSON.stringify(wf, null, 2);
    const problems = validateUiWorkflow(text, OBJECT_INFO);
    const missing = problems.find((p) => p.code === 'required_input_missing' && p.nodeId === '6');
    assert.ok(missing, JSON.stringify(problems.map((p) => p.code)));
    assert.equal(at(text, missing.range), '"VAEDecode"');
    assert.equal(problems.filter((p) => p.code === 'missing_node_type').length, 1);
  });

  test('problems inside a subgraph land in its definition', () => {
    const wf = workflow([node(1, 'sg-a', { outputs: [] })], [], {
      definitions: {
        subgraphs: [
          {
            id: 'sg-a',
            name: 'A',
            inputs: [],
            outputs: [],
            nodes: [node(2, 'EmptyLatentImage', { wv: [64, 64, 0] }), node(3, 'SaveImage', { inputs: [['images', 'IMAGE', null]], wv: ['x'] })],
            links: [],
          },
        ],
      },
    });
    const text = JSON.stringify(wf, null, 2);
    const problems = validateUiWorkflow(text, OBJECT_INFO);
    const batch = problems.find((p) => p.code === 'value_smaller_than_min');
    assert.ok(batch, JSON.stringify(problems.map((p) => p.code)));
    assert.equal(batch.nodeId, '1:2');
    assert.equal(batch.uiNodeId, '2');
    const offset = text.indexOf('"definitions"');
    assert.ok(batch.range.offset > offset);
    assert.equal(at(text, batch.range), '0');
  });
});
