import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { parseNodeMap, parseNodeMapText } from '../../../src/core/packs/nodeMap';
import { fetchNodeMap } from '../../../src/core/packs/mapSource';
import { readWorkflowPackInfo } from '../../../src/core/packs/workflowInfo';
import { mergeCandidates, resolveClassSync } from '../../../src/core/packs/resolver';
import { enrichProblems } from '../../../src/core/packs/enrich';
import { folderOfInput, modelLookalikes } from '../../../src/core/packs/models';
import { modelDownloadCommand, nodeInstallCommand, shellQuote } from '../../../src/core/packs/commands';
import { cleanText, githubSlug, packPageUrl, safeHttpUrl } from '../../../src/core/packs/types';
import { planInstalls, installBody } from '../../../src/core/packs/manager';
import { registryNodeToPack } from '../../../src/core/packs/registry';

const FIX = join(__dirname, '..', '..', 'fixtures', 'packs');
const mapText = readFileSync(join(FIX, 'node-map.json'), 'utf8');
const uiText = readFileSync(join(FIX, 'missing.ui.json'), 'utf8');

describe('node map (extension-node-map.json format)', () => {
  const map = parseNodeMapText(mapText, 'nodeMap', 'node-map.json');
  it('indexes classes by URL and registry-id keys and skips bad keys and entries', () => {
    assert.equal(map.packCount, 3);
    assert.equal(map.lookup('ImpactWildcardProcessor')[0]!.title, 'ComfyUI Impact Pack');
    assert.equal(map.lookup('ImpactWildcardProcessor')[0]!.repository, 'https://github.com/ltdrdata/ComfyUI-Impact-Pack');
    assert.equal(map.lookup('UltralyticsDetectorProvider')[0]!.registryId, 'comfyui-impact-subpack');
    assert.deepEqual(map.lookup('EvilNode'), []);
    assert.equal(map.skipped, 2);
  });
  it('lists every pack of a shared class, a preempting pack first', () => {
    const packs = map.lookup('SAMLoader').map((p) => p.title);
    assert.deepEqual(packs, ['KJNodes for ComfyUI', 'ComfyUI Impact Pack', 'ComfyUI Impact Subpack']);
    assert.equal(map.sharedClassCount, 1);
  });
  it('never throws on other shapes; text that is not JSON is one sentence', () => {
    for (const v of [null, 3, [], { a: 1 }, { 'https://x.org/a': [[1, 'A', 'x'.repeat(300)], null] }]) parseNodeMap(v, 'nodeMap');
    const odd = parseNodeMap({ 'https://x.org/a': [[1, 'A', 'x'.repeat(300)], null] }, 'nodeMap');
    assert.equal(odd.classCount, 1);
    assert.equal(odd.lookup('A')[0]!.title, 'https://x.org/a');
    assert.throws(() => parseNodeMapText('{', 'nodeMap'), /not valid JSON/);
    assert.throws(() => parseNodeMapText('[]', 'nodeMap'), /extension-node-map/);
  });
  // Found by ESLint's preserve-caught-error: the sentence replaced the parser's and undici's errors, and the log
  // (which prints "caused by: …") lost where the JSON broke or why the host was unreachable.
  it('keeps the underlying error as the cause (the log prints it)', async () => {
    assert.throws(
      () => parseNodeMapText('{"a": [}', 'nodeMap'),
      (e: Error) => e.cause instanceof SyntaxError,
    );
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    await assert.rejects(fetchNodeMap(`http://127.0.0.1:${closed}/map.json`, { timeoutMs: 10_000 }), (e: Error) => {
      assert.match(e.message, /^unreachable \(ECONNREFUSED\)/);
      assert.equal((e.cause as { code?: string }).code, 'ECONNREFUSED');
      return true;
    });
  });
  it('caps candidates per class', () => {
    const big: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) big[`https://github.com/o/p${i}`] = [['Same'], {}];
    assert.equal(parseNodeMap(big, 'manager').lookup('Same').length, 8);
  });
});

describe('workflow records (cnr_id, aux_id, ver, models)', () => {
  it('reads packs, core classes and models from nodes, subgraphs and the top-level list', () => {
    const info = readWorkflowPackInfo(JSON.parse(uiText));
    assert.deepEqual(info.packs.get('SAMLoader'), [
      { title: 'comfyui-impact-pack', source: 'workflow', registryId: 'comfyui-impact-pack', version: '8.8.1', savedVersion: true },
    ]);
    assert.ok(info.coreClasses.has('UNETLoader'));
    assert.equal(info.models.length, 1);
    assert.equal(info.models[0]!.directory, 'diffusion_models');
    const wf = {
      nodes: [{ id: 1, type: 'X', properties: { aux_id: 'someone/comfyui-x', ver: 'abc1234' } }],
      definitions: { subgraphs: [{ id: 'sg', nodes: [{ id: 2, type: 'Y', properties: { cnr_id: 'y-pack' } }] }] },
      models: [
        { name: 'm.safetensors', url: 'javascript:alert(1)', directory: '../../etc' },
        { name: 'm.safetensors', directory: 'loras' },
      ],
    };
    const i2 = readWorkflowPackInfo(wf);
    assert.equal(i2.packs.get('X')![0]!.repository, 'https://github.com/someone/comfyui-x');
    assert.equal(i2.packs.get('Y')![0]!.registryId, 'y-pack');
    assert.deepEqual(i2.models, [{ name: 'm.safetensors' }, { name: 'm.safetensors', directory: 'loras' }]);
  });
  it('reads the UI workflow embedded in a /prompt body, and nothing from other shapes', () => {
    const body = { prompt: {}, extra_data: { extra_pnginfo: { workflow: JSON.parse(uiText) } } };
    assert.equal(readWorkflowPackInfo(body).packs.size, 1);
    for (const v of [null, 'x', [], { nodes: 'no' }]) assert.equal(readWorkflowPackInfo(v).packs.size, 0);
  });
});

describe('resolver', () => {
  const map = parseNodeMapText(mapText, 'nodeMap');
  const workflow = readWorkflowPackInfo(JSON.parse(uiText));
  it('puts the workflow first and merges the same pack from a map (title, repository) keeping the saved version', () => {
    const c = resolveClassSync('SAMLoader', { workflow, nodeMaps: [map] });
    assert.equal(c[0]!.source, 'workflow');
    assert.equal(c[0]!.title, 'ComfyUI Impact Pack');
    assert.equal(c[0]!.repository, 'https://github.com/ltdrdata/ComfyUI-Impact-Pack');
    assert.equal(c[0]!.version, '8.8.1');
    assert.equal(c.length, 3);
  });
  it('orders by trust: node map, then Manager, then the registry', () => {
    const merged = mergeCandidates([
      { title: 'R', registryId: 'r', source: 'registry' },
      { title: 'M', repository: 'https://github.com/o/m', source: 'manager' },
      { title: 'N', repository: 'https://github.com/o/n', source: 'nodeMap' },
    ]);
    assert.deepEqual(
      merged.map((m) => m.source),
      ['nodeMap', 'manager', 'registry'],
    );
  });
});

describe('enriched problems', () => {
  const workflow = readWorkflowPackInfo(JSON.parse(uiText));
  const map = parseNodeMapText(mapText, 'nodeMap');
  const classOf = (id: string) => ({ '1': 'UNETLoader', '2': 'SAMLoader' })[id];
  type P = { code: string; message: string; nodeId?: string; inputName?: string; data?: Record<string, unknown> };
  const problems: P[] = [
    { code: 'missing_node_type', message: 'old', nodeId: '2', data: { classType: 'SAMLoader', suggestions: ['VAELoader'] } },
    {
      code: 'value_not_in_list',
      message: 'old',
      nodeId: '1',
      inputName: 'unet_name',
      data: { value: 'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors', values: ['flux.safetensors'] },
    },
    { code: 'value_not_in_list', message: 'keep', nodeId: '1', inputName: 'weight_dtype', data: { value: 'fp9', values: ['default'] } },
  ];
  it('names the pack, its repository and the saved version (the issue wording)', () => {
    const out = enrichProblems(problems, { sources: { workflow }, classOf, locale: 'en' });
    assert.equal(out[0]!.message, '"SAMLoader" is not installed on this server. It comes from comfyui-impact-pack (saved with 8.8.1).');
    const withMap = enrichProblems([{ ...problems[0]!, data: { classType: 'ImpactWildcardProcessor' } }], {
      sources: { workflow, nodeMaps: [map] },
      locale: 'en',
    });
    assert.equal(
      withMap[0]!.message,
      '"ImpactWildcardProcessor" is not installed on this server. It comes from ComfyUI Impact Pack (ltdrdata/ComfyUI-Impact-Pack, from the node map).',
    );
    const full = enrichProblems([problems[0]!], {
      sources: {
        workflow,
        nodeMaps: [parseNodeMapText('{"https://github.com/ltdrdata/ComfyUI-Impact-Pack": [["SAMLoader"], {"title_aux": "ComfyUI Impact Pack"}]}', 'nodeMap')],
      },
      locale: 'en',
    });
    assert.equal(
      full[0]!.message,
      '"SAMLoader" is not installed on this server. It comes from ComfyUI Impact Pack (ltdrdata/ComfyUI-Impact-Pack, saved with 8.8.1).',
    );
    assert.deepEqual(full[0]!.data!.packs, [
      {
        title: 'ComfyUI Impact Pack',
        repository: 'https://github.com/ltdrdata/ComfyUI-Impact-Pack',
        registryId: 'comfyui-impact-pack',
        version: '8.8.1',
        source: 'workflow',
      },
    ]);
  });
  it('names the pack on a 0.3.64 server too, where the missing class is an invalid_prompt', () => {
    const old = { ...problems[0]!, code: 'invalid_prompt', data: { ...problems[0]!.data, missingClass: true } };
    const out = enrichProblems([old], { sources: { workflow }, classOf, locale: 'en' });
    assert.equal(out[0]!.code, 'invalid_prompt');
    assert.equal(out[0]!.message, '"SAMLoader" is not installed on this server. It comes from comfyui-impact-pack (saved with 8.8.1).');
    const notAClass = enrichProblems([{ code: 'invalid_prompt', message: 'keep', nodeId: '2' }], { sources: { workflow }, classOf, locale: 'en' });
    assert.equal(notAClass[0]!.message, 'keep');
  });
  it('lists several candidates', () => {
    const out = enrichProblems([problems[0]!], { sources: { nodeMaps: [map] }, locale: 'en' });
    assert.match(out[0]!.message, /It comes from one of: KJNodes for ComfyUI \(kijai\/ComfyUI-KJNodes, from the node map\); ComfyUI Impact Pack/);
    // The evidence is named for answers that are not the workflow's own record, in both languages.
    const zh = enrichProblems([problems[0]!], { sources: { nodeMaps: [map] }, locale: 'zh-cn' });
    assert.match(zh[0]!.message, /KJNodes for ComfyUI（kijai\/ComfyUI-KJNodes，信息来源：节点映射）/);
  });
  it('names a missing model’s folder and URL, in English and Chinese; other combos stay', () => {
    const en = enrichProblems(problems, { sources: { workflow }, classOf, locale: 'en' });
    assert.equal(
      en[1]!.message,
      '"wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors" is not in models/diffusion_models on this server. Download: https://huggingface.co/Comfy-Org/Wan_2.2_ComfyUI_Repackaged/resolve/main/split_files/diffusion_models/wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors',
    );
    assert.deepEqual(Object.keys(en[1]!.data!.model as object), ['name', 'directory', 'url']);
    assert.equal(en[2], problems[2]);
    const zh = enrichProblems(problems, { sources: { workflow }, classOf, locale: 'zh-cn' });
    assert.match(zh[0]!.message, /^此服务器未安装 "SAMLoader"。它来自 comfyui-impact-pack（保存时版本 8\.8\.1）。$/);
    assert.match(zh[1]!.message, /models\/diffusion_models 中没有/);
  });
  it('says "did you mean" for a file that differs only by folder or case', () => {
    const p = { ...problems[1]!, data: { value: 'Flux1-Dev.safetensors', values: ['a.safetensors', 'flux/flux1-dev.safetensors'] } };
    const out = enrichProblems([p], { sources: {}, classOf, locale: 'en' });
    assert.equal(out[0]!.message, '"Flux1-Dev.safetensors" is not in models/diffusion_models on this server. Did you mean "flux/flux1-dev.safetensors"?');
    assert.deepEqual(modelLookalikes('x/A.ckpt', ['a.ckpt', 'b/A.CKPT', 'x/A.ckpt']), ['a.ckpt', 'b/A.CKPT']);
  });
  it('keeps problems with nothing to add', () => {
    const p = { code: 'missing_node_type', message: 'm', data: { classType: 'Nobody' } };
    assert.equal(enrichProblems([p], { sources: { nodeMaps: [map] }, locale: 'en' })[0], p);
  });
});

describe('models, commands and URLs', () => {
  it('maps loader inputs to folders, with class overrides', () => {
    assert.equal(folderOfInput('CheckpointLoaderSimple', 'ckpt_name'), 'checkpoints');
    assert.equal(folderOfInput('CLIPVisionLoader', 'clip_name'), 'clip_vision');
    assert.equal(folderOfInput('DualCLIPLoader', 'clip_name2'), 'text_encoders');
    assert.equal(folderOfInput(undefined, 'constructor'), undefined);
  });
  it('builds comfy-cli commands and quotes or refuses hostile values', () => {
    assert.equal(
      nodeInstallCommand({ title: 't', registryId: 'comfyui-impact-pack', version: '8.8.1', source: 'workflow' }),
      'comfy node install comfyui-impact-pack@8.8.1',
    );
    assert.equal(nodeInstallCommand({ title: 't', registryId: 'x', version: '$(rm -rf /)', source: 'workflow' }), 'comfy node install x');
    assert.equal(nodeInstallCommand({ title: 't', registryId: 'x;rm', source: 'workflow' }), undefined);
    assert.equal(nodeInstallCommand({ title: 't', repository: 'https://github.com/o/r', source: 'manager' }), 'comfy node install https://github.com/o/r');
    assert.equal(
      modelDownloadCommand({ name: 'wan/a b.safetensors', directory: 'diffusion_models', url: "https://h.co/a b'.safetensors?x=1&y=2" }),
      "comfy model download --url 'https://h.co/a%20b'\\''.safetensors?x=1&y=2' --relative-path models/diffusion_models/wan --filename 'a b.safetensors'",
    );
    assert.equal(modelDownloadCommand({ name: 'a.safetensors', directory: '../x', url: 'https://h.co/a' }), undefined);
    assert.equal(modelDownloadCommand({ name: 'a.safetensors', directory: 'vae', url: 'file:///etc/passwd' }), undefined);
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
  it('accepts only http(s) links without credentials and cleans text', () => {
    assert.equal(safeHttpUrl('javascript:alert(1)'), undefined);
    assert.equal(safeHttpUrl('https://u:p@h.org/'), undefined);
    assert.equal(safeHttpUrl('https://h.org/x'), 'https://h.org/x');
    assert.equal(githubSlug('https://github.com/a/b.git'), 'a/b');
    assert.equal(cleanText('a\u001b[31mb\nc'), 'a [31mb c');
    assert.equal(packPageUrl({ title: 'x', registryId: 'a b', source: 'registry' }), 'https://registry.comfy.org/nodes/a%20b');
  });
});

describe('Manager install plans and registry answers', () => {
  it('plans registry releases, nightly commits and Git-only packs with their security flags', () => {
    const [a, b, c, d] = planInstalls([
      { title: 'A', registryId: 'a', version: '1.2.3', source: 'workflow' },
      { title: 'B', registryId: 'b', version: 'abcdef1', source: 'workflow' },
      { title: 'C', repository: 'https://github.com/o/ComfyUI-C.git', source: 'manager' },
      { title: 'D', source: 'manager' },
    ]);
    assert.equal(a!.selectedVersion, '1.2.3');
    assert.match(a!.flags[0]!, /low risk/);
    assert.equal(b!.selectedVersion, 'nightly');
    assert.equal(c!.id, 'ComfyUI-C');
    assert.match(c!.flags[0]!, /security level "weak"/);
    assert.ok(d!.impossible);
    assert.deepEqual(installBody(c!, 'u1'), {
      id: 'ComfyUI-C',
      version: 'unknown',
      selected_version: 'unknown',
      channel: 'default',
      mode: 'cache',
      skip_post_install: false,
      ui_id: 'u1',
      repository: 'https://github.com/o/ComfyUI-C.git',
      files: ['https://github.com/o/ComfyUI-C.git'],
    });
  });
  it('reads the registry Node schema, keeping flags and dropping unsafe fields', () => {
    const p = registryNodeToPack({
      id: 'comfyui-impact-pack',
      name: 'ComfyUI Impact Pack',
      repository: 'https://github.com/ltdrdata/ComfyUI-Impact-Pack',
      latest_version: { version: '8.8.1', status: 'NodeVersionStatusFlagged' },
      status: 'NodeStatusActive',
      tags_admin: ['dev'],
    });
    assert.deepEqual(p, {
      title: 'ComfyUI Impact Pack',
      registryId: 'comfyui-impact-pack',
      source: 'registry',
      repository: 'https://github.com/ltdrdata/ComfyUI-Impact-Pack',
      auxId: 'ltdrdata/ComfyUI-Impact-Pack',
      version: '8.8.1',
      savedVersion: false,
      flags: ['latest version flagged', 'dev'],
    });
    assert.equal(registryNodeToPack({ id: '../x' }), null);
    assert.equal(registryNodeToPack({ id: 'x', repository: 'javascript:1' })!.repository, undefined);
  });
});
