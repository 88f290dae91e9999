import { suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureDefs, withCursor } from '../../fixtures/lang/harness';
import { parseWorkflowDocument } from '../../../src/core/workflow/document';
import { getHover, type Hover } from '../../../src/core/workflow/hover';
import type { NodeDefs } from '../../../src/core/workflow/nodeDefs';

const defs = fixtureDefs();

function hoverAt(marked: string, d: NodeDefs | null = defs): (Hover & { text: string; token: string }) | undefined {
  const { text, offset } = withCursor(marked);
  const h = getHover(parseWorkflowDocument(text), d ?? undefined, offset);
  return h && { ...h, text, token: text.slice(h.range.offset, h.range.offset + h.range.length) };
}

const GRAPH = `{
  "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sdxl/sd_xl_base_1.0.safetensors"}, "_meta": {"title": "My Checkpoint"}},
  "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cat", "clip": ["4", 1]}},
  "3": {"class_type": "KSampler", "inputs": {"steps": 20, "sampler_name": "heun", "scheduler": "nope", "model": ["4", 0], "positive": ["4", 2], "negative": ["9", 0], "latent_image": [1, 2, 3], "prompt": "x", "foo": 1}},
  "8": {"class_type": "SimpleMath+", "inputs": {"value": "a", "a": ["6", 0]}}
}`;

function at(anchor: string, delta = 1): string {
  const i = GRAPH.indexOf(anchor);
  assert.ok(i >= 0, anchor);
  return GRAPH.slice(0, i + delta) + '|' + GRAPH.slice(i + delta);
}

suite('hover', () => {
  test('class_type: display name, description, category, pack, inputs and outputs', () => {
    const h = hoverAt(at('"KSampler"', 3))!;
    assert.equal(h.token, '"KSampler"');
    assert.match(h.contents, /^\*\*`KSampler`\*\*/);
    assert.match(h.contents, /Uses the provided model/);
    assert.match(h.contents, /Category: sampling/);
    assert.match(h.contents, /Pack: ComfyUI core \(`nodes`\)/);
    assert.match(h.contents, /- `sampler_name`: `COMBO \(42 options\)`/);
    assert.match(h.contents, /Outputs:\n- 0: `LATENT` — The denoised latent\./);
    const ckpt = hoverAt(at('"CheckpointLoaderSimple"', 5))!;
    assert.match(ckpt.contents, /^\*\*Load Checkpoint\*\* \(`CheckpointLoaderSimple`\)/);
    const custom = hoverAt(at('"SimpleMath+"', 2))!;
    assert.match(custom.contents, /Pack: comfyui\\_essentials/);
    assert.match(custom.contents, /- `a`: `INT \| FLOAT` \(optional\)/);
  });

  test('unknown class', () => {
    const h = hoverAt('{"1": {"class_type": "Nope|Node", "inputs": {}}}')!;
    assert.match(h.contents, /Unknown class `NopeNode`/);
  });

  test('input key: type, default, range, step, tooltip', () => {
    const h = hoverAt(at('"steps"', 2))!;
    assert.equal(h.token, '"steps"');
    assert.match(h.contents, /`steps`: `INT`, required/);
    assert.match(h.contents, /The number of steps used in the denoising process\./);
    assert.match(h.contents, /Default: `20`/);
    assert.match(h.contents, /Range: 1 … 10000/);
  });

  test('input value: combo option count and position', () => {
    const h = hoverAt(at('"heun"', 2))!;
    assert.equal(h.token, '"heun"');
    assert.match(h.contents, /`COMBO \(42 options\)`/);
    assert.match(h.contents, /Option 5 of 42/);
    assert.match(hoverAt(at('"nope"', 2))!.contents, /Not one of the 9 options/);
  });

  test('seed range shows the full 64-bit maximum', () => {
    const h = hoverAt('{"1": {"class_type": "KSampler", "inputs": {"se|ed": 1}}}')!;
    assert.match(h.contents, /Range: 0 … 18446744073709551615/);
  });

  test('links: source node title, output name and type, type check', () => {
    const model = hoverAt(at('["4", 0]', 1))!;
    assert.equal(model.token, '"4"', 'hovering the id narrows the range to it');
    assert.match(model.contents, /Link from node `4` \*\*My Checkpoint\*\* \(`CheckpointLoaderSimple`\), output 0: `MODEL`/);
    assert.match(model.contents, /The model used for denoising latents\./);
    assert.match(model.contents, /Feeds `model` \(`MODEL`\)/);
    assert.match(hoverAt(at('["4", 2]', 0))!.contents, /Type mismatch: `positive` expects `CONDITIONING`/);
    assert.match(hoverAt(at('["9", 0]', 2))!.contents, /node `9`, which is not in this prompt/);
    assert.match(hoverAt(at('[1, 2, 3]', 1))!.contents, /A list of 3 elements/);
    const union = hoverAt(at('["6", 0]}}', 2))!;
    assert.match(union.contents, /Type mismatch: `a` expects `INT,FLOAT`/);
  });

  test('hidden and undeclared inputs', () => {
    assert.match(hoverAt(at('"prompt"', 2))!.contents, /`prompt` is not an input of `KSampler`/);
    const hidden = hoverAt('{"9": {"class_type": "SaveImage", "inputs": {"pro|mpt": {}}}}')!;
    assert.match(hidden.contents, /`prompt` is a hidden input of `SaveImage` \(`PROMPT`\): the server fills it in/);
    assert.match(hoverAt(at('"foo"', 2))!.contents, /not an input of `KSampler`: the server ignores it/);
  });

  test('node id: title and class', () => {
    const h = hoverAt(at('"4"', 1))!;
    assert.equal(h.token, '"4"');
    assert.match(h.contents, /Node `4`: \*\*My Checkpoint\*\* \(`CheckpointLoaderSimple`\)/);
  });

  test('nothing to say: whitespace, punctuation, no definitions, odd documents', () => {
    assert.equal(hoverAt(at('"inputs": {"steps"', 10)), undefined);
    assert.equal(hoverAt(at('"steps"', 2), null), undefined);
    for (const marked of [
      '|',
      '{|}',
      '{"nodes": [{"type": "KSa|mpler"}], "links": []}',
      '{"1": {"class_type": 4|2}}',
      '{"1": [|]}',
      '{"1": {"class_type": "KSampler", "inputs": {"steps": |',
      '// x|\n{}',
    ]) {
      const { text, offset } = withCursor(marked);
      assert.doesNotThrow(() => {
        for (const o of [offset, 0, text.length, -3, text.length + 3]) getHover(parseWorkflowDocument(text), defs, o);
      }, marked);
    }
  });

  test('request bodies', () => {
    const h = hoverAt('{"prompt": {"1": {"class_type": "VAEDe|code", "inputs": {}}}, "client_id": "x"}')!;
    assert.match(h.contents, /\*\*VAE Decode\*\*/);
  });
});
