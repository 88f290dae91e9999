// The pack resolver against a fake Comfy Registry and the mock server's ComfyUI-Manager routes, and the CLI
// (validate --node-map/--registry-url, requirements) end to end.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMockComfy, type MockComfy } from '../mock-comfyui/server';
import { startFakeRegistry, type FakeRegistry } from '../mock-comfyui/registry';
import { RegistryClient, RegistryError } from '../../src/core/packs/registry';
import { ComfyClient } from '../../src/core/comfy/client';
import {
  detectManager,
  fetchManagerMappings,
  findManagerModel,
  followManagerQueue,
  planInstalls,
  queueInstalls,
  queueModelInstall,
  ManagerRefusedError,
} from '../../src/core/packs/manager';
import { resolveClasses } from '../../src/core/packs/resolver';
import { runValidate, type FileReport } from '../../src/cli/validate';
import { runRequirements, type Requirements } from '../../src/cli/requirements';

const FIX = join(__dirname, '..', 'fixtures', 'packs');
const OBJECT_INFO = join(FIX, 'object_info.json');
const UI = join(FIX, 'missing.ui.json');
const MAP = JSON.parse(readFileSync(join(FIX, 'node-map.json'), 'utf8')) as Record<string, unknown>;

const IMPACT = {
  id: 'comfyui-impact-pack',
  name: 'ComfyUI Impact Pack',
  repository: 'https://github.com/ltdrdata/ComfyUI-Impact-Pack',
  latest_version: { version: '8.9.0' },
  status: 'NodeStatusActive',
};

async function cli(run: typeof runValidate, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('Comfy Registry client', () => {
  let registry: FakeRegistry;
  before(async () => (registry = await startFakeRegistry({ nodes: { SAMLoader: IMPACT } })));
  after(() => registry.close());

  it('answers the pack of a class, null for none, and caches both', async () => {
    const client = new RegistryClient({ baseUrl: registry.url });
    const p = await client.packForClass('SAMLoader');
    assert.equal(p?.registryId, 'comfyui-impact-pack');
    assert.equal(p?.version, '8.9.0');
    assert.equal(await client.packForClass('Nobody Knows'), null);
    await client.packForClass('SAMLoader');
    await client.packForClass('Nobody Knows');
    assert.equal(client.requests, 2);
    assert.deepEqual(registry.requests.slice(-2), ['SAMLoader', 'Nobody Knows']);
  });

  it('is asked only for classes the other sources leave open', async () => {
    const client = new RegistryClient({ baseUrl: registry.url });
    const before = registry.requests.length;
    const r = await resolveClasses(['SAMLoader', 'ImpactWildcardProcessor'], { registry: client, nodeMaps: [] });
    assert.equal(r.classes.get('SAMLoader')!.candidates[0]!.source, 'registry');
    assert.deepEqual(r.classes.get('ImpactWildcardProcessor')!.candidates, []);
    assert.equal(registry.requests.length - before, 2);
  });

  it('reports timeouts, errors and oversized answers as one sentence; a cancel is an AbortError', async () => {
    const slow = await startFakeRegistry({ delayMs: 2000, nodes: { A: IMPACT } });
    const failing = await startFakeRegistry({ status: 500 });
    const huge = await startFakeRegistry({ nodes: { A: IMPACT }, padBytes: 300 * 1024 });
    try {
      await assert.rejects(
        new RegistryClient({ baseUrl: slow.url, timeoutMs: 50 }).packForClass('A'),
        (e: Error) => e instanceof RegistryError && /within/.test(e.message),
      );
      const ac = new AbortController();
      const p = new RegistryClient({ baseUrl: slow.url }).packForClass('A', ac.signal);
      ac.abort();
      await assert.rejects(p, { name: 'AbortError' });
      await assert.rejects(new RegistryClient({ baseUrl: failing.url }).packForClass('A'), /HTTP 500/);
      await assert.rejects(new RegistryClient({ baseUrl: huge.url }).packForClass('A'), /larger than 256 KB/);
      const r = await resolveClasses(['A'], { registry: new RegistryClient({ baseUrl: failing.url }) });
      assert.match(r.registryError ?? '', /HTTP 500/);
      assert.throws(() => new RegistryClient({ baseUrl: 'file:///x' }), RegistryError);
    } finally {
      await Promise.all([slow.close(), failing.close(), huge.close()]);
    }
  });
});

describe('ComfyUI-Manager on the mock server', () => {
  let mock: MockComfy;
  let client: ComfyClient;
  before(async () => {
    mock = await startMockComfy({
      objectInfo: OBJECT_INFO,
      manager: {
        mappings: MAP,
        models: [
          {
            name: 'Wan 2.2 high noise',
            type: 'diffusion_model',
            base: 'Wan2.2',
            save_path: 'diffusion_models',
            filename: 'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors',
            url: 'https://huggingface.co/x/wan.safetensors',
          },
        ],
        taskMs: 5,
      },
    });
    client = new ComfyClient({ baseUrl: mock.url });
  });
  after(() => mock.close());

  it('detects Manager, reads its map, and sees nothing once it is switched off', async () => {
    const info = await detectManager(client);
    assert.deepEqual(info, { flavor: 'legacy' });
    const map = await fetchManagerMappings(client, info!);
    assert.equal(map.lookup('ImpactWildcardProcessor')[0]!.source, 'manager');
    assert.equal(map.lookup('ImpactWildcardProcessor')[0]!.origin, client.displayUrl);
    mock.manager.setEnabled(false);
    try {
      assert.equal(await detectManager(client), undefined);
    } finally {
      mock.manager.setEnabled(true);
    }
  });

  it('queues installs with the bodies Manager expects, follows them to the end, and reports refusals', async () => {
    const info = (await detectManager(client))!;
    const plans = planInstalls([
      { title: 'ComfyUI Impact Pack', registryId: 'comfyui-impact-pack', version: '8.8.1', source: 'workflow' },
      { title: 'Git only', repository: 'https://github.com/o/ComfyUI-Git', source: 'manager' },
    ]);
    const result = await queueInstalls(client, info, plans, 'abcdef0123456789');
    assert.equal(result.queued.length, 1);
    assert.match(result.refused[0]!.reason, /security policy/);
    const seen: number[] = [];
    const last = await followManagerQueue(client, info, { pollMs: 5, onProgress: (s) => seen.push(s.done) });
    assert.equal(last.processing, false);
    assert.equal(last.done, 1);
    const task = mock.manager.tasks()[0]!;
    assert.equal(task.body.id, 'comfyui-impact-pack');
    assert.equal(task.body.selected_version, '8.8.1');
    assert.equal(task.body.channel, 'default');
    assert.equal(task.body.mode, 'cache');
  });

  it('downloads a model only from Manager’s list', async () => {
    const info = (await detectManager(client))!;
    const entry = await findManagerModel(client, info, { name: 'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors', directory: 'diffusion_models' });
    assert.equal(entry?.save_path, 'diffusion_models');
    // A workflow saved on Windows names the file in a subfolder with a backslash: the file name is still the last segment.
    const windows = await findManagerModel(client, info, { name: 'wan\\wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors', directory: 'diffusion_models' });
    assert.equal(windows?.filename, entry?.filename);
    await queueModelInstall(client, info, entry!, 'abcdef0123456789');
    await followManagerQueue(client, info, { pollMs: 5 });
    assert.equal(mock.manager.done().at(-1)?.kind, 'install-model');
    await assert.rejects(queueModelInstall(client, info, { ...entry!, filename: 'other.safetensors' }, 'abcdef0123456789'), ManagerRefusedError);
  });

  it('speaks Manager v4 (/v2 routes, queue/task)', async () => {
    const v2 = await startMockComfy({ objectInfo: OBJECT_INFO, manager: { flavor: 'v2', mappings: MAP, taskMs: 5 } });
    try {
      const c = new ComfyClient({ baseUrl: v2.url });
      const info = await detectManager(c);
      assert.deepEqual(info, { flavor: 'v2' });
      assert.equal((await fetchManagerMappings(c, info!)).packCount, 3);
      const r = await queueInstalls(c, info!, planInstalls([{ title: 'A', registryId: 'a', source: 'registry' }]), 'client-1');
      assert.equal(r.queued.length, 1);
      await followManagerQueue(c, info!, { pollMs: 5 });
      const t = v2.manager.tasks()[0]!;
      assert.equal(t.body.kind, 'install');
      assert.deepEqual((t.body.params as Record<string, unknown>).selected_version, 'latest');
    } finally {
      await v2.close();
    }
  });
});

describe('CLI', () => {
  let mock: MockComfy;
  let registry: FakeRegistry;
  before(async () => {
    mock = await startMockComfy({ objectInfo: OBJECT_INFO, manager: { mappings: MAP } });
    registry = await startFakeRegistry({ nodes: { SAMLoader: IMPACT } });
  });
  after(async () => {
    await mock.close();
    await registry.close();
  });

  it('validate --node-map names the pack and the model in text and JSON', async () => {
    const text = await cli(runValidate, ['--object-info', OBJECT_INFO, '--node-map', join(FIX, 'node-map.json'), UI]);
    assert.equal(text.code, 1);
    assert.match(
      text.stdout,
      /error missing_node_type "SAMLoader" is not installed on this server\. It comes from one of: ComfyUI Impact Pack \(ltdrdata\/ComfyUI-Impact-Pack, saved with 8\.8\.1\)/,
    );
    assert.match(
      text.stdout,
      /warning value_not_in_list "wan2\.2_i2v_high_noise_14B_fp8_scaled\.safetensors" is not in models\/diffusion_models on this server\. Did you mean/,
    );
    const json = await cli(runValidate, ['--object-info', OBJECT_INFO, '--format', 'json', UI]);
    const [report] = JSON.parse(json.stdout) as FileReport[];
    const missing = report!.problems.find((p) => p.code === 'missing_node_type')!;
    assert.deepEqual(missing.data, { packs: [{ title: 'comfyui-impact-pack', registryId: 'comfyui-impact-pack', version: '8.8.1', source: 'workflow' }] });
    const model = report!.problems.find((p) => p.data?.model)!;
    assert.equal(model.data!.model!.directory, 'diffusion_models');
  });

  it('asks Manager on a server URL and the registry only with --registry', async () => {
    const viaServer = await cli(runValidate, ['--object-info', mock.url, '--format', 'json', join(FIX, '..', 'workflow', 'txt2img.api.json'), UI]);
    const packs = (JSON.parse(viaServer.stdout) as FileReport[])[1]!.problems.find((p) => p.code === 'missing_node_type')!.data!.packs!;
    assert.deepEqual(
      packs.map((p) => p.source),
      ['workflow', 'manager', 'manager'],
    );
    const api = JSON.stringify({ '1': { class_type: 'SAMLoader', inputs: {} } });
    const file = join(mock.dataDir, 'sam.api.json');
    require('node:fs').writeFileSync(file, api);
    const before = registry.requests.length;
    const offline = await cli(runValidate, ['--object-info', OBJECT_INFO, file]);
    assert.doesNotMatch(offline.stdout, /comes from/);
    assert.equal(registry.requests.length, before);
    const online = await cli(runValidate, ['--object-info', OBJECT_INFO, '--registry-url', registry.url, file]);
    assert.match(online.stdout, /It comes from ComfyUI Impact Pack \(ltdrdata\/ComfyUI-Impact-Pack, latest 8\.9\.0, from the Comfy Registry\)/);
    await assert.rejects(cli(runValidate, ['--object-info', OBJECT_INFO, '--registry', '--no-registry', file]), /contradict/);
    await assert.rejects(cli(runValidate, ['--object-info', OBJECT_INFO, '--node-map', join(FIX, 'nope.json'), file]), /Cannot read node map/);
  });

  it('requirements lists packs and models as text, JSON and comfy commands', async () => {
    const json = await cli(runRequirements, ['--format', 'json', '--node-map', join(FIX, 'node-map.json'), UI]);
    assert.equal(json.code, 0);
    const req = JSON.parse(json.stdout) as Requirements;
    assert.deepEqual(req.packs, [
      {
        title: 'ComfyUI Impact Pack',
        repository: 'https://github.com/ltdrdata/ComfyUI-Impact-Pack',
        registryId: 'comfyui-impact-pack',
        version: '8.8.1',
        source: 'workflow',
        classes: ['SAMLoader'],
      },
    ]);
    assert.equal(req.models[0]!.directory, 'diffusion_models');
    const text = await cli(runRequirements, [UI]);
    assert.match(
      text.stdout,
      /^Packs:\n {2}comfyui-impact-pack@8\.8\.1 {2}comfyui-impact-pack {2}\(from the workflow; SAMLoader\)\nModels:\n {2}models\/diffusion_models\/wan2\.2_i2v/,
    );
    const cmds = await cli(runRequirements, ['--commands', '--object-info', OBJECT_INFO, UI]);
    assert.deepEqual(cmds.stdout.trim().split('\n'), [
      'comfy node install comfyui-impact-pack@8.8.1',
      'comfy model download --url https://huggingface.co/Comfy-Org/Wan_2.2_ComfyUI_Repackaged/resolve/main/split_files/diffusion_models/wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors --relative-path models/diffusion_models --filename wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors',
    ]);
    const withServer = await cli(runRequirements, ['--format', 'json', '--object-info', OBJECT_INFO, join(FIX, '..', 'workflow', 'txt2img.api.json')]);
    assert.equal(withServer.code, 1, 'classes the server lacks and nobody knows fail the run');
    assert.ok((JSON.parse(withServer.stdout) as Requirements).unresolved.includes('KSampler'));
  });
});
