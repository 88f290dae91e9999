import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelSummaryMarkdown, summarizeModelMetadata } from '../../../src/core/media/safetensors';

// The shape of a kohya-ss LoRA header (values are strings; ss_tag_frequency holds JSON).
const KOHYA = {
  ss_base_model_version: 'sdxl_base_v1-0',
  ss_resolution: '(1024, 1024)',
  ss_network_module: 'networks.lora',
  ss_network_dim: '32',
  ss_network_alpha: '16.0',
  ss_num_train_images: '120',
  ss_num_epochs: '10',
  ss_output_name: 'pixel_style',
  ss_tag_frequency: JSON.stringify({ '10_pixel': { 'pixel art': 120, '1girl': 40, solo: 38 }, '5_bg': { 'pixel art': 30, landscape: 25 } }),
  'modelspec.trigger_phrase': 'pxl style, (retro:1.2)',
};

test('kohya and modelspec keys are summarized: base model, resolution, trigger words, top tags', () => {
  const s = summarizeModelMetadata(KOHYA, 3);
  assert.equal(s.baseModel, 'sdxl_base_v1-0');
  assert.equal(s.resolution, '1024×1024');
  assert.equal(s.title, 'pixel_style');
  assert.deepEqual(s.triggerWords, ['pxl style', '(retro:1.2)']);
  assert.deepEqual(s.tags, [
    { tag: 'pixel art', count: 150 },
    { tag: '1girl', count: 40 },
    { tag: 'solo', count: 38 },
  ]);
  assert.equal(s.networkDim, '32');
});

test('the recorded 0.3.64 /view_metadata answer', () => {
  const s = summarizeModelMetadata({ ss_base_model_version: 'sdxl_base_v1-0', ss_resolution: '(1024, 1024)', 'modelspec.title': 'CEO test' });
  assert.equal(s.title, 'CEO test');
  const md = modelSummaryMarkdown('ceo_meta.safetensors', s);
  assert.match(md, /CEO test/);
  assert.match(md, /Base model: sdxl\\_base\\_v1-0/);
  assert.match(md, /1024×1024/);
});

test('markdown from a hostile header is escaped; bad tag JSON is ignored', () => {
  const s = summarizeModelMetadata({ 'modelspec.title': '<img src=x onerror=alert(1)> [link](http://evil)', ss_tag_frequency: '{not json' });
  assert.deepEqual(s.tags, []);
  const md = modelSummaryMarkdown('x.safetensors', s);
  // Only escaped forms remain: no raw tag, no live link.
  assert.doesNotMatch(md, /(?<!\\)<img/);
  assert.doesNotMatch(md, /(?<!\\)\]\(http/);
  assert.match(md, /\\<img/);
  assert.match(md, /none of them known/);
});
