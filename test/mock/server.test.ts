// The mock server with its own default node definitions: runs without ../shared.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { originRejected, startMockComfy, type MockComfy } from '../mock-comfyui/server';
import { decodePng, encodePng, readPngText, solidImage } from '../mock-comfyui/images';
import { makeSafetensors } from '../mock-comfyui/safetensors';
import { WsRecorder, getJson, invertPrompt, postJson, samplerPrompt } from './helpers';
import { waitFor } from '../helpers/wait';

type PromptOk = { prompt_id: string; number: number; node_errors: Record<string, unknown> };
type History = Record<
  string,
  {
    prompt: unknown[];
    outputs: Record<string, { images: Array<{ filename: string; subfolder: string; type: string }> }>;
    status: { status_str: string; completed: boolean; messages: Array<[string, Record<string, unknown>]> };
    meta: Record<string, unknown>;
  }
>;

async function upload(url: string, name: string, bytes: Buffer, fields: Record<string, string> = {}, route = '/upload/image') {
  const form = new FormData();
  form.append('image', new Blob([bytes], { type: 'image/png' }), name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${url}${route}`, { method: 'POST', body: form });
  const text = await res.text();
  const isJson = res.headers.get('content-type')?.startsWith('application/json');
  return { status: res.status, body: isJson ? (JSON.parse(text) as { name: string; subfolder: string; type: string }) : undefined };
}

describe('mock server, default node definitions', () => {
  let mock: MockComfy;
  before(async () => {
    mock = await startMockComfy({ comfyVersion: '0.3.64', msPerStep: 5 });
  });
  after(async () => {
    await mock.close();
  });

  test('EmptyImage → ImageInvert → SaveImage: message order, history, a real PNG, then a cached re-run', async () => {
    const ws = await WsRecorder.open(mock.url, 'client-a');
    const first = ws.texts()[0]!;
    assert.deepEqual(first, { type: 'status', data: { status: { exec_info: { queue_remaining: 0 } }, sid: 'client-a' } });

    const r = await postJson(`${mock.url}/prompt`, {
      prompt: invertPrompt(),
      client_id: 'client-a',
      extra_data: { extra_pnginfo: { workflow: { id: 'wf-1' } } },
    });
    assert.equal(r.status, 200);
    const ok = r.body as PromptOk;
    assert.deepEqual(Object.keys(ok), ['prompt_id', 'number', 'node_errors']);
    await ws.waitDone(ok.prompt_id);
    assert.deepEqual(ws.types(), [
      'status',
      'status',
      'status',
      'execution_start',
      'execution_cached',
      'progress_state',
      'executing',
      'progress_state',
      'progress_state',
      'executing',
      'progress_state',
      'progress_state',
      'executing',
      'executed',
      'progress_state',
      'execution_success',
      'status',
      'executing',
    ]);
    const executed = ws.texts().find((m) => m.type === 'executed')!;
    assert.deepEqual(executed.data, {
      node: '3',
      display_node: '3',
      output: { images: [{ filename: 'ref_invert_00001_.png', subfolder: '', type: 'output' }] },
      prompt_id: ok.prompt_id,
    });

    const h = await getJson<History>(`${mock.url}/history/${ok.prompt_id}`);
    const item = h.body[ok.prompt_id]!;
    assert.deepEqual(Object.keys(item), ['prompt', 'outputs', 'status', 'meta']);
    assert.equal(item.prompt[0], ok.number);
    assert.deepEqual(item.prompt[3], { extra_pnginfo: { workflow: { id: 'wf-1' } }, client_id: 'client-a' });
    assert.deepEqual(item.prompt[4], ['3']);
    assert.deepEqual(
      item.status.messages.map((m) => m[0]),
      ['execution_start', 'execution_cached', 'execution_success'],
    );
    assert.deepEqual(item.meta, { '3': { node_id: '3', display_node: '3', parent_node: null, real_node_id: '3' } });

    const view = await fetch(`${mock.url}/view?filename=ref_invert_00001_.png&subfolder=&type=output`);
    assert.equal(view.headers.get('content-type'), 'image/png');
    const png = Buffer.from(await view.arrayBuffer());
    const img = decodePng(png);
    assert.deepEqual([img.width, img.height, ...img.data.subarray(0, 4)], [64, 64, 255, 255, 255, 255]); // black, inverted
    assert.ok(readPngText(png)['prompt']?.includes('"ImageInvert"'));
    assert.equal(readPngText(png)['workflow'], '{"id": "wf-1"}');

    // The same graph again: every node is cached; the output node still reports its (cached) output.
    const ws2 = await WsRecorder.open(mock.url, 'client-b');
    const again = (await postJson(`${mock.url}/prompt`, { prompt: invertPrompt(), client_id: 'client-b' })).body as PromptOk;
    await ws2.waitDone(again.prompt_id);
    const cached = ws2.texts().find((m) => m.type === 'execution_cached')!;
    assert.deepEqual(cached.data['nodes'], ['1', '2', '3']);
    assert.deepEqual(ws2.types().slice(3), ['execution_start', 'execution_cached', 'executed', 'progress_state', 'execution_success', 'status', 'executing']);
    assert.ok(!existsSync(join(mock.dirs.output, 'ref_invert_00002_.png')), 'a cached SaveImage writes nothing');

    // A changed input re-runs it and its dependants, not the unchanged EmptyImage.
    const changed = invertPrompt('ref_invert');
    (changed['2'] as { class_type: string }).class_type = 'ImageInvert';
    (changed['3'] as { inputs: Record<string, unknown> }).inputs['filename_prefix'] = 'sub/dir/other';
    const third = (await postJson(`${mock.url}/prompt`, { prompt: changed, client_id: 'client-b' })).body as PromptOk;
    await ws2.waitDone(third.prompt_id);
    const lastCached = ws2
      .texts()
      .filter((m) => m.type === 'execution_cached')
      .at(-1)!;
    assert.deepEqual(lastCached.data['nodes'], ['1', '2']);
    const out = ws2
      .texts()
      .filter((m) => m.type === 'executed')
      .at(-1)!;
    assert.deepEqual(out.data['output'], { images: [{ filename: 'other_00001_.png', subfolder: 'sub/dir', type: 'output' }] });
    ws.close();
    ws2.close();
  });

  test('routing: per-prompt messages reach only the submitting client; status reaches everybody', async () => {
    const owner = await WsRecorder.open(mock.url, 'owner');
    const other = await WsRecorder.open(mock.url);
    const sid = other.texts()[0]!.data['sid'] as string;
    assert.match(sid, /^[0-9a-f]{32}$/);
    const ok = (await postJson(`${mock.url}/prompt`, { prompt: invertPrompt('routing', 7), client_id: 'owner' })).body as PromptOk;
    await owner.waitDone(ok.prompt_id);
    await other.waitFor(
      (e) =>
        'text' in e &&
        e.text.type === 'status' &&
        (e.text.data['status'] as { exec_info: { queue_remaining: number } }).exec_info.queue_remaining === 0 &&
        other.texts().length > 2,
    );
    assert.deepEqual([...new Set(other.types())], ['status']);
    // Without client_id, nobody gets execution_start/executing, but progress_state is broadcast.
    const anon = (await postJson(`${mock.url}/prompt`, { prompt: invertPrompt('routing', 8) })).body as PromptOk;
    await other.waitFor((e) => 'text' in e && e.text.type === 'progress_state' && e.text.data['prompt_id'] === anon.prompt_id);
    await mock.idle();
    assert.ok(!owner.texts().some((m) => m.type === 'execution_start' && m.data['prompt_id'] === anon.prompt_id));
    owner.close();
    other.close();
  });

  test('a reused clientId takes the id over; closing the old socket then unregisters the new one (server.py quirk)', async () => {
    const mock = await startMockComfy({ comfyVersion: '0.3.64', msPerStep: 1 }); // its own, so no other test's sockets are counted
    try {
      const before = 0;
      const old = await WsRecorder.open(mock.url, 'dup');
      const fresh = await WsRecorder.open(mock.url, 'dup');
      assert.equal(mock.socketCount(), before + 1);
      const ok = (await postJson(`${mock.url}/prompt`, { prompt: invertPrompt('dup', 1), client_id: 'dup' })).body as PromptOk;
      await fresh.waitDone(ok.prompt_id);
      assert.ok(!old.texts().some((m) => m.type === 'execution_start'));
      old.close();
      await waitFor(() => mock.socketCount() <= before, { message: 'the server saw the old socket close' });
      assert.equal(mock.socketCount(), before, 'the old handler popped the id that the new socket holds');
      fresh.close();

      // feature_flags count only as the very first message; invalid JSON does not use up that turn.
      const late = await WsRecorder.open(mock.url, 'late');
      late.ws.send('not json');
      late.ws.send(JSON.stringify({ type: 'hello' }));
      late.ws.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } }));
      const again = (await postJson(`${mock.url}/prompt`, { prompt: samplerPrompt(1, 77), client_id: 'late' })).body as PromptOk;
      await late.waitDone(again.prompt_id);
      assert.ok(!late.types().includes('feature_flags'));
      const frame = late.events.flatMap((e) => ('binary' in e ? [e.binary] : []))[0]!;
      assert.equal(frame.readUInt32BE(0), 1);
      late.close();
    } finally {
      await mock.close();
    }
  });

  test('KSampler: progress per step, previews as type 1, or type 4 after the feature_flags handshake', async () => {
    const plain = await WsRecorder.open(mock.url, 'plain');
    const ok = (await postJson(`${mock.url}/prompt`, { prompt: samplerPrompt(3, 11), client_id: 'plain' })).body as PromptOk;
    await plain.waitDone(ok.prompt_id);
    const progress = plain.texts().filter((m) => m.type === 'progress');
    assert.deepEqual(
      progress.map((m) => [m.data['value'], m.data['max'], m.data['node']]),
      [
        [1, 3, '3'],
        [2, 3, '3'],
        [3, 3, '3'],
      ],
    );
    const bins = plain.events.flatMap((e) => ('binary' in e ? [e.binary] : []));
    assert.equal(bins.length, 3);
    const step = (types: string[]) => types.slice(types.indexOf('progress') - 1, types.indexOf('progress') + 2);
    assert.deepEqual(step(plain.types()), ['progress_state', 'progress', 'binary']);
    for (const b of bins) {
      assert.equal(b.readUInt32BE(0), 1);
      assert.equal(b.readUInt32BE(4), 1); // JPEG
      assert.deepEqual([...b.subarray(8, 10)], [0xff, 0xd8]);
    }

    const modern = await WsRecorder.open(mock.url, 'modern', { supports_preview_metadata: true });
    assert.deepEqual(modern.texts()[1], { type: 'feature_flags', data: { supports_preview_metadata: true, max_upload_size: 104857600 } });
    const ok2 = (await postJson(`${mock.url}/prompt`, { prompt: samplerPrompt(2, 12), client_id: 'modern' })).body as PromptOk;
    await modern.waitDone(ok2.prompt_id);
    const frames = modern.events.flatMap((e) => ('binary' in e ? [e.binary] : []));
    assert.equal(frames.length, 2);
    assert.deepEqual(step(modern.types()), ['binary', 'progress', 'progress_state']); // state, preview, progress, state…
    assert.equal(modern.types()[modern.types().indexOf('progress') - 2], 'progress_state');
    const len = frames[0]!.readUInt32BE(4);
    const meta = JSON.parse(frames[0]!.subarray(8, 8 + len).toString('utf8')) as Record<string, unknown>;
    assert.equal(frames[0]!.readUInt32BE(0), 4);
    assert.deepEqual(meta, { node_id: '3', prompt_id: ok2.prompt_id, display_node_id: '3', parent_node_id: null, real_node_id: '3', image_type: 'image/jpeg' });
    assert.deepEqual([...frames[0]!.subarray(8 + len, 10 + len)], [0xff, 0xd8]);
    plain.close();
    modern.close();

    // With progressText, each step also sends a TEXT frame: [u32 3][u32 len][node id][text].
    const m = await startMockComfy({ comfyVersion: '0.3.64', msPerStep: 1, progressText: true });
    try {
      const ws = await WsRecorder.open(m.url, 'txt');
      const p = (await postJson(`${m.url}/prompt`, { prompt: samplerPrompt(2), client_id: 'txt' })).body as PromptOk;
      await ws.waitDone(p.prompt_id);
      const texts = ws.events.flatMap((e) => ('binary' in e && e.binary.readUInt32BE(0) === 3 ? [e.binary] : []));
      assert.deepEqual(
        texts.map((b) => [b.subarray(8, 8 + b.readUInt32BE(4)).toString(), b.subarray(8 + b.readUInt32BE(4)).toString()]),
        [
          ['3', 'step 1/2'],
          ['3', 'step 2/2'],
        ],
      );
      ws.close();
    } finally {
      await m.close();
    }
  });

  test('interrupt during a KSampler: execution_interrupted, history status error, reconnect replays executing', async () => {
    const slow = await startMockComfy({ comfyVersion: '0.3.64', msPerStep: 40 });
    try {
      const ws = await WsRecorder.open(slow.url, 'int');
      const ok = (await postJson(`${slow.url}/prompt`, { prompt: samplerPrompt(200), client_id: 'int' })).body as PromptOk;
      await ws.waitFor((e) => 'text' in e && e.text.type === 'progress');
      // The owner reconnecting mid-run gets status with its sid, then the node now running.
      ws.close();
      const again = await WsRecorder.open(slow.url, 'int');
      await again.waitFor((e) => 'text' in e && e.text.type === 'executing');
      assert.deepEqual(again.texts().slice(0, 2), [
        { type: 'status', data: { status: { exec_info: { queue_remaining: 1 } }, sid: 'int' } },
        { type: 'executing', data: { node: '3' } },
      ]);
      // A targeted interrupt for another prompt is a no-op; then the real one.
      assert.equal((await postJson(`${slow.url}/interrupt`, { prompt_id: 'not-running' })).status, 200);
      assert.equal((await postJson(`${slow.url}/interrupt`, { prompt_id: ok.prompt_id })).status, 200);
      await again.waitDone(ok.prompt_id);
      const interrupted = again.texts().find((m) => m.type === 'execution_interrupted')!;
      assert.equal(interrupted.data['node_id'], '3');
      assert.equal(interrupted.data['node_type'], 'KSampler');
      assert.deepEqual(new Set(interrupted.data['executed'] as string[]), new Set(['4', '5', '6', '7']));
      const h = (await getJson<History>(`${slow.url}/history/${ok.prompt_id}`)).body[ok.prompt_id]!;
      assert.deepEqual([h.status.status_str, h.status.completed], ['error', false]);
      assert.deepEqual(
        h.status.messages.map((m) => m[0]),
        ['execution_start', 'execution_cached', 'execution_interrupted'],
      );
      again.close();
    } finally {
      await slow.close();
    }
  });

  test('a failing node: execution_error with the recorded keys, then the next prompt still runs', async () => {
    const ws = await WsRecorder.open(mock.url, 'err');
    mock.setFaults({ failClasses: { ImageInvert: { message: 'boom', type: 'RuntimeError' } } });
    try {
      const ok = (await postJson(`${mock.url}/prompt`, { prompt: invertPrompt('err', 99), client_id: 'err' })).body as PromptOk;
      await ws.waitDone(ok.prompt_id);
      const err = ws.texts().find((m) => m.type === 'execution_error')!;
      assert.deepEqual(Object.keys(err.data), [
        'prompt_id',
        'node_id',
        'node_type',
        'executed',
        'exception_message',
        'exception_type',
        'traceback',
        'current_inputs',
        'current_outputs',
        'timestamp',
      ]);
      assert.deepEqual(
        [err.data['node_id'], err.data['node_type'], err.data['exception_message'], err.data['exception_type']],
        ['2', 'ImageInvert', 'boom', 'RuntimeError'],
      );
      const types = ws.types();
      assert.deepEqual(types.slice(types.indexOf('execution_error') - 2), ['progress_state', 'executing', 'execution_error', 'status', 'executing']);
      const h = (await getJson<History>(`${mock.url}/history/${ok.prompt_id}`)).body[ok.prompt_id]!;
      assert.deepEqual([h.status.status_str, h.outputs, h.meta], ['error', {}, {}]);
    } finally {
      mock.setFaults({});
    }
    const next = (await postJson(`${mock.url}/prompt`, { prompt: invertPrompt('err', 99), client_id: 'err' })).body as PromptOk;
    await ws.waitDone(next.prompt_id);
    assert.ok(ws.texts().some((m) => m.type === 'execution_success' && m.data['prompt_id'] === next.prompt_id));
    ws.close();
  });

  test('LoadImage: a missing file fails validation; a file removed after queueing fails at run time', async () => {
    const bad = await postJson(`${mock.url}/prompt`, {
      prompt: { '1': { class_type: 'LoadImage', inputs: { image: 'nope.png' } }, '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } } },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.body as { node_errors: Record<string, { errors: unknown[] }> }).node_errors['1']!.errors, [
      {
        type: 'custom_validation_failed',
        message: 'Custom validation failed for node',
        details: 'image - Invalid image file: nope.png',
        extra_info: { input_name: 'image' },
      },
    ]);
    const info = await getJson<Record<string, { input: { required: { image: [string[]] } } }>>(`${mock.url}/object_info/LoadImage`);
    assert.ok(info.body['LoadImage']!.input.required.image[0].includes('example.png'));
    const ok = await postJson(`${mock.url}/prompt`, {
      prompt: { '1': { class_type: 'LoadImage', inputs: { image: 'example.png' } }, '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } } },
    });
    assert.equal(ok.status, 200);
    await mock.idle();
    const h = (await getJson<History>(`${mock.url}/history/${(ok.body as PromptOk).prompt_id}`)).body;
    const preview = Object.values(h)[0]!.outputs['2']!.images[0]!;
    assert.equal(preview.type, 'temp');
    assert.match(preview.filename, /^ComfyUI_temp_[a-z]{5}_00001_\.png$/);
    const res = await fetch(`${mock.url}/view?filename=${encodeURIComponent(preview.filename)}&type=temp`);
    assert.equal(decodePng(Buffer.from(await res.arrayBuffer())).width, 64);

    // Validated while the file existed, deleted before it ran: a runtime execution_error on the loader.
    const slow = await startMockComfy({ comfyVersion: '0.3.64', nodeDelayMs: 200 });
    try {
      const { writeFileSync, rmSync } = await import('node:fs');
      writeFileSync(join(slow.dirs.input, 'gone.png'), encodePng(solidImage(8, 8, 0)));
      const ws = await WsRecorder.open(slow.url, 'gone');
      await postJson(`${slow.url}/prompt`, { prompt: invertPrompt('busy'), client_id: 'gone' });
      const queued = (
        await postJson(`${slow.url}/prompt`, {
          prompt: { '1': { class_type: 'LoadImage', inputs: { image: 'gone.png' } }, '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } } },
          client_id: 'gone',
        })
      ).body as PromptOk;
      rmSync(join(slow.dirs.input, 'gone.png'));
      await ws.waitDone(queued.prompt_id);
      const err = ws.texts().find((m) => m.type === 'execution_error')!;
      assert.deepEqual([err.data['node_id'], err.data['node_type'], err.data['exception_type']], ['1', 'LoadImage', 'FileNotFoundError']);
      ws.close();
    } finally {
      await slow.close();
    }
  });

  test('uploads: identical bytes reuse the name, others get "name (1).ext"; overwrite, subfolder, temp type, mask', async () => {
    const a = encodePng(solidImage(4, 4, 0xff0000));
    const b = encodePng(solidImage(4, 4, 0x00ff00));
    assert.deepEqual((await upload(mock.url, 'up.png', a)).body, { name: 'up.png', subfolder: '', type: 'input' });
    assert.deepEqual((await upload(mock.url, 'up.png', a)).body, { name: 'up.png', subfolder: '', type: 'input' });
    assert.deepEqual((await upload(mock.url, 'up.png', b)).body, { name: 'up (1).png', subfolder: '', type: 'input' });
    assert.deepEqual((await upload(mock.url, 'up.png', b)).body, { name: 'up (1).png', subfolder: '', type: 'input' });
    assert.deepEqual((await upload(mock.url, 'up.png', b, { overwrite: 'true' })).body, { name: 'up.png', subfolder: '', type: 'input' });
    assert.deepEqual(readFileSync(join(mock.dirs.input, 'up.png')), b);
    assert.deepEqual((await upload(mock.url, 'up.png', a, { subfolder: 'mysub', type: 'input' })).body, { name: 'up.png', subfolder: 'mysub', type: 'input' });
    assert.deepEqual((await upload(mock.url, 'up.png', a, { type: 'temp' })).body, { name: 'up.png', subfolder: '', type: 'temp' });
    assert.equal((await upload(mock.url, 'up.png', a, { subfolder: '../..' })).status, 400);
    assert.equal((await upload(mock.url, 'up.png', a, { type: 'nosuchtype' })).status, 500);
    const noFile = await fetch(`${mock.url}/upload/image`, { method: 'POST', body: new FormData() });
    assert.equal(noFile.status, 400);

    // Mask: the uploaded image's alpha goes into the original, saved under the upload's name.
    const mask = solidImage(4, 4, 0, 0);
    const m = await upload(
      mock.url,
      'mask.png',
      encodePng(mask),
      { subfolder: 'clipspace', original_ref: JSON.stringify({ filename: 'up.png', subfolder: '', type: 'input' }) },
      '/upload/mask',
    );
    assert.deepEqual(m.body, { name: 'mask.png', subfolder: 'clipspace', type: 'input' });
    const saved = decodePng(readFileSync(join(mock.dirs.input, 'clipspace', 'mask.png')));
    assert.deepEqual([...saved.data.subarray(0, 4)], [0, 255, 0, 0]);
  });

  test('/view: path safety (400/403/404), annotated names, preview formats and channels', async () => {
    await upload(mock.url, 'view.png', encodePng(solidImage(10, 6, 0x102030, 128)));
    const get = (q: string) => fetch(`${mock.url}/view?${q}`);
    assert.equal((await get('filename=view.png&type=input')).status, 200);
    assert.equal((await get(`filename=${encodeURIComponent('view.png [input]')}`)).status, 200);
    assert.equal((await get('filename=does_not_exist.png&type=output')).status, 404);
    assert.equal((await get('type=input')).status, 404);
    assert.equal((await get('filename=&type=input')).status, 400);
    assert.equal((await get('filename=../etc/passwd&type=output')).status, 400);
    assert.equal((await get('filename=/etc/passwd&type=output')).status, 400);
    assert.equal((await get('filename=view.png&type=nosuchtype')).status, 400);
    assert.equal((await get('filename=view.png&type=input&subfolder=../..')).status, 403);
    const webp = await get('filename=view.png&type=input&preview=webp;90');
    assert.equal(webp.headers.get('content-type'), 'image/webp');
    assert.equal(Buffer.from(await webp.arrayBuffer()).toString('latin1', 8, 12), 'WEBP');
    const jpeg = await get('filename=view.png&type=input&preview=jpeg;80');
    assert.equal(jpeg.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual([...Buffer.from(await jpeg.arrayBuffer()).subarray(0, 2)], [0xff, 0xd8]);
    const gif = await get('filename=view.png&type=input&preview=gif');
    assert.equal(gif.headers.get('content-type'), 'image/webp');
    const rgb = decodePng(Buffer.from(await (await get('filename=view.png&type=input&channel=rgb')).arrayBuffer()));
    assert.deepEqual([...rgb.data.subarray(0, 4)], [0x10, 0x20, 0x30, 255]);
    const alpha = decodePng(Buffer.from(await (await get('filename=view.png&type=input&channel=a')).arrayBuffer()));
    assert.deepEqual([...alpha.data.subarray(0, 4)], [0, 0, 0, 128]);
    assert.equal((await get('filename=view.png&type=input')).headers.get('content-disposition'), 'filename="view.png"');
  });

  test('/view_metadata reads a real safetensors header; /models and /embeddings list files', async () => {
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(mock.dirs.models, 'loras'), { recursive: true });
    writeFileSync(join(mock.dirs.models, 'loras', 'meta.safetensors'), makeSafetensors({ ss_base_model_version: 'sdxl_base_v1-0', 'modelspec.title': 'Test' }));
    writeFileSync(join(mock.dirs.models, 'loras', 'bare.safetensors'), makeSafetensors(undefined));
    const meta = await getJson(`${mock.url}/view_metadata/loras?filename=meta.safetensors`);
    assert.deepEqual(meta.body, { ss_base_model_version: 'sdxl_base_v1-0', 'modelspec.title': 'Test' });
    assert.equal(meta.contentType, 'application/json; charset=utf-8');
    for (const q of [
      'loras?filename=bare.safetensors',
      'loras?filename=meta.ckpt',
      'loras',
      'notafolder?filename=x.safetensors',
      'checkpoints?filename=x.safetensors',
    ]) {
      assert.equal((await fetch(`${mock.url}/view_metadata/${q}`)).status, 404, q);
    }
    const models = await getJson<string[]>(`${mock.url}/models`);
    assert.equal(models.body.length, 20);
    assert.deepEqual((await getJson<string[]>(`${mock.url}/models/loras`)).body, ['bare.safetensors', 'example_lora.safetensors', 'meta.safetensors']);
    assert.equal((await fetch(`${mock.url}/models/nosuchfolder`)).status, 404);
    assert.deepEqual((await getJson(`${mock.url}/embeddings`)).body, []);
    assert.deepEqual((await getJson(`${mock.url}/extensions`)).body, []);
    assert.deepEqual((await getJson(`${mock.url}/features`)).body, { supports_preview_metadata: true, max_upload_size: 104857600 });
    const stats = await getJson<{ system: Record<string, unknown>; devices: unknown[] }>(`${mock.url}/system_stats`);
    assert.equal(stats.body.system['comfyui_version'], '0.3.64');
  });

  test('history paging (max_items, offset), deletion, clear; errors of bad parameters', async () => {
    const m = await startMockComfy({ comfyVersion: '0.3.64' });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push(((await postJson(`${m.url}/prompt`, { prompt: invertPrompt('h', i) })).body as PromptOk).prompt_id);
      await m.idle();
      const keys = async (q: string) => Object.keys((await getJson<History>(`${m.url}/history${q}`)).body);
      assert.deepEqual(await keys(''), ids);
      assert.deepEqual(await keys('?max_items=2'), ids.slice(2));
      assert.deepEqual(await keys('?max_items=2&offset=0'), ids.slice(0, 2));
      assert.deepEqual(await keys('?max_items=2&offset=3'), ids.slice(3));
      assert.deepEqual(await keys('?offset=1'), ids.slice(1));
      assert.deepEqual(await keys('?max_items=0&offset=1'), ids.slice(1, 2)); // the server's quirk
      assert.deepEqual(await keys('?max_items=10'), ids);
      const bad = await fetch(`${m.url}/history?max_items=abc`);
      assert.deepEqual(
        [bad.status, bad.headers.get('content-type'), await bad.text()],
        [500, 'text/plain; charset=utf-8', '500 Internal Server Error\n\nServer got itself in trouble'],
      );
      assert.equal((await postJson(`${m.url}/history`, { delete: [ids[0]] })).status, 200);
      assert.deepEqual((await getJson(`${m.url}/history/${ids[0]}`)).body, {});
      assert.deepEqual(await keys(''), ids.slice(1));
      await postJson(`${m.url}/history`, { clear: true });
      assert.deepEqual(await keys(''), []);
    } finally {
      await m.close();
    }
  });

  test('queue: number, front, client prompt_id, heap order, delete only pending, clear', async () => {
    const m = await startMockComfy({ comfyVersion: '0.3.64', nodeDelayMs: 300 });
    try {
      const ws = await WsRecorder.open(m.url, 'q');
      const p1 = (await postJson(`${m.url}/prompt`, { prompt: invertPrompt('q', 1), client_id: 'q' })).body as PromptOk;
      const p2 = (await postJson(`${m.url}/prompt`, { prompt: invertPrompt('q', 2), client_id: 'q' })).body as PromptOk;
      const p3 = (await postJson(`${m.url}/prompt`, { prompt: invertPrompt('q', 3), client_id: 'q', front: true })).body as PromptOk;
      const p4 = (await postJson(`${m.url}/prompt`, { prompt: invertPrompt('q', 4), prompt_id: 'my-own-id', number: 7 })).body as PromptOk;
      assert.deepEqual([p1.number, p2.number, p3.number, p4.number, p4.prompt_id], [0, 1, -2, 7, 'my-own-id']);
      const q = await getJson<{ queue_running: unknown[][]; queue_pending: unknown[][] }>(`${m.url}/queue`);
      assert.deepEqual(
        q.body.queue_running.map((i) => i[1]),
        [p1.prompt_id],
      );
      assert.deepEqual(
        q.body.queue_pending.map((i) => i[0]),
        [-2, 1, 7],
      );
      assert.deepEqual((await getJson(`${m.url}/prompt`)).body, { exec_info: { queue_remaining: 4 } });
      // Deleting the running one does nothing; deleting a pending one works.
      await postJson(`${m.url}/queue`, { delete: [p1.prompt_id, p2.prompt_id] });
      const after = await getJson<{ queue_running: unknown[][]; queue_pending: unknown[][] }>(`${m.url}/queue`);
      assert.deepEqual(
        after.body.queue_running.map((i) => i[1]),
        [p1.prompt_id],
      );
      assert.deepEqual(
        after.body.queue_pending.map((i) => i[1]),
        [p3.prompt_id, 'my-own-id'],
      );
      await postJson(`${m.url}/queue`, { clear: true });
      assert.deepEqual((await getJson<{ queue_pending: unknown[] }>(`${m.url}/queue`)).body.queue_pending, []);
      await ws.waitDone(p1.prompt_id);
      const remaining = ws
        .texts()
        .filter((x) => x.type === 'status')
        .map((x) => (x.data['status'] as { exec_info: { queue_remaining: number } }).exec_info.queue_remaining);
      assert.deepEqual(remaining, [0, 1, 1, 2, 3, 4, 3, 1, 0]);
      ws.close();
    } finally {
      await m.close();
    }
  });

  test('POST /prompt: no_prompt, invalid JSON (500), node_errors on success when another output validates', async () => {
    const noPrompt = await postJson(`${mock.url}/prompt`, { foo: 1 });
    assert.deepEqual(
      [noPrompt.status, noPrompt.body],
      [400, { error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} }, node_errors: {} }],
    );
    const notJson = await postJson(`${mock.url}/prompt`, 'not json{');
    assert.deepEqual([notJson.status, notJson.text], [500, '500 Internal Server Error\n\nServer got itself in trouble']);
    const partial = await postJson(`${mock.url}/prompt`, {
      prompt: {
        ...invertPrompt('partial'),
        '10': { class_type: 'EmptyImage', inputs: { width: 100000, height: 64, batch_size: 1, color: 0 } },
        '11': { class_type: 'SaveImage', inputs: { images: ['10', 0], filename_prefix: 'x' } },
      },
    });
    assert.equal(partial.status, 200);
    const body = partial.body as { node_errors: Record<string, { errors: Array<{ type: string }>; dependent_outputs: string[] }> };
    assert.deepEqual(Object.keys(body.node_errors), ['10']);
    assert.equal(body.node_errors['10']!.errors[0]!.type, 'value_bigger_than_max');
    await mock.idle();
    const h = (await getJson<History>(`${mock.url}/history/${(partial.body as PromptOk).prompt_id}`)).body;
    assert.deepEqual(Object.values(h)[0]!.prompt[4], ['3']);
  });

  test('origin check: 403 with an empty body when Origin differs from a loopback Host; /api alias; 404/405', async () => {
    const port = new URL(mock.url).port;
    const res = await fetch(`${mock.url}/prompt`, { headers: { Origin: 'vscode-webview://abc' } });
    assert.deepEqual([res.status, await res.text()], [403, '']);
    const same = await fetch(`${mock.url}/prompt`, { headers: { Origin: `http://127.0.0.1:${port}` } });
    assert.equal(same.status, 200);
    assert.deepEqual((await getJson(`${mock.url}/api/prompt`)).body, (await getJson(`${mock.url}/prompt`)).body);
    const missing = await fetch(`${mock.url}/nosuchroute`);
    assert.deepEqual([missing.status, await missing.text()], [404, '404: Not Found']);
    assert.equal((await fetch(`${mock.url}/interrupt`)).status, 405);
    assert.equal((await fetch(`${mock.url}/api/jobs`)).status, 404);
  });
});

test('origin check follows urllib: ports compared only when both sides have one, loopback hosts only', () => {
  const cases: Array<[string, string, boolean]> = [
    ['127.0.0.1:8188', 'http://127.0.0.1:8188', false],
    ['127.0.0.1:8188', 'http://localhost:8188', true],
    ['localhost:8188', 'vscode-webview://abc123', true],
    ['127.0.0.1:8188', 'null', false],
    ['comfy.example.com:8188', 'http://evil.example', false],
    ['127.0.0.1', 'http://127.0.0.1:3000', false],
    ['127.0.0.1:8188', 'http://127.0.0.1', false],
    ['127.0.0.1:8188', 'http://127.0.0.1:3000', true],
    ['[::1]:8188', 'http://[::1]:8188', false],
  ];
  for (const [host, origin, rejected] of cases) assert.equal(originRejected(host, origin), rejected, `${host} ${origin}`);
});

describe('mock server: jobs API and faults', () => {
  test('jobsApi: true serves /api/jobs (feature detection sees it), with 400s on bad parameters', async () => {
    const m = await startMockComfy({ comfyVersion: '0.3.64', jobsApi: true });
    try {
      const ok = (await postJson(`${m.url}/prompt`, { prompt: invertPrompt('jobs'), extra_data: { extra_pnginfo: { workflow: { id: 'wf-9' } } } }))
        .body as PromptOk;
      await m.idle();
      const list = await getJson<{ jobs: Array<Record<string, unknown>>; pagination: Record<string, unknown> }>(`${m.url}/api/jobs`);
      assert.equal(list.status, 200);
      assert.equal(list.body.jobs[0]!['id'], ok.prompt_id);
      assert.equal(list.body.jobs[0]!['status'], 'completed');
      assert.equal(list.body.jobs[0]!['workflow_id'], 'wf-9');
      assert.equal(list.body.jobs[0]!['outputs_count'], 1);
      assert.deepEqual(list.body.pagination, { offset: 0, limit: null, total: 1, has_more: false });
      assert.equal((await fetch(`${m.url}/api/jobs?status=bogus`)).status, 400);
      assert.equal((await fetch(`${m.url}/api/jobs?limit=0`)).status, 400);
      const one = await getJson<Record<string, unknown>>(`${m.url}/api/jobs/${ok.prompt_id}`);
      assert.ok('workflow' in one.body && 'outputs' in one.body);
      assert.deepEqual((await getJson(`${m.url}/api/jobs/00000000-0000-0000-0000-000000000000`)).body, { error: 'Job not found' });
      assert.deepEqual((await postJson(`${m.url}/api/jobs/cancel`, { job_ids: ['nope'] })).body, {
        error: 'job_ids contains invalid id(s)',
        invalid_ids: ['nope'],
      });
    } finally {
      await m.close();
    }
  });

  test('faults: latency, html500, truncatedJson, settable over HTTP', async () => {
    const m = await startMockComfy({ comfyVersion: '0.3.64', faults: { html500: ['/system_stats'] } });
    try {
      const res = await fetch(`${m.url}/system_stats`);
      assert.equal(res.status, 500);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await res.text(), /<html>/);
      assert.equal((await fetch(`${m.url}/prompt`)).status, 200);
      await postJson(`${m.url}/__mock/faults`, { truncatedJson: true, latencyMs: 50 });
      assert.deepEqual(m.faults(), { truncatedJson: true, latencyMs: 50 });
      const t0 = Date.now();
      const cut = await fetch(`${m.url}/object_info`);
      const text = await cut.text();
      assert.ok(Date.now() - t0 >= 40, 'the injected latency is applied'); // a lower bound on the fault, not a speed claim
      assert.throws(() => JSON.parse(text));
      m.setFaults({});
      const whole = await (await fetch(`${m.url}/object_info`)).text();
      assert.doesNotThrow(() => JSON.parse(whole));
    } finally {
      await m.close();
    }
  });

  test('faults: dropSockets cuts every socket when a run starts; the run still completes', async () => {
    const m = await startMockComfy({ comfyVersion: '0.3.64', faults: { dropSockets: true } });
    try {
      const ws = await WsRecorder.open(m.url, 'drop');
      const ok = (await postJson(`${m.url}/prompt`, { prompt: invertPrompt('drop'), client_id: 'drop' })).body as PromptOk;
      await ws.waitFor(() => ws.closed);
      assert.ok(!ws.types().includes('executing'));
      await m.idle();
      const h = (await getJson<History>(`${m.url}/history/${ok.prompt_id}`)).body[ok.prompt_id]!;
      assert.equal(h.status.status_str, 'success');
    } finally {
      await m.close();
    }
  });

  test('faults: silentSocket, hugeObjectInfo, syntheticHistory, malformedBinary, hostileFilenames', async () => {
    const m = await startMockComfy({ comfyVersion: '0.3.64', msPerStep: 1, faults: { hugeObjectInfo: 500, syntheticHistory: 30 } });
    try {
      const info = await getJson<Record<string, unknown>>(`${m.url}/object_info`);
      assert.ok(Object.keys(info.body).length >= 516);
      assert.equal(Object.keys((await getJson<History>(`${m.url}/history`)).body).length, 30);
      m.setFaults({ malformedBinary: true, hostileFilenames: true, hugeImage: { width: 1920, height: 1080 } });
      const ws = await WsRecorder.open(m.url, 'mal');
      const ok = (await postJson(`${m.url}/prompt`, { prompt: samplerPrompt(1), client_id: 'mal' })).body as PromptOk;
      await ws.waitDone(ok.prompt_id);
      const bins = ws.events.flatMap((e) => ('binary' in e ? [e.binary] : []));
      assert.ok(bins.some((b) => b.length < 4));
      const saved = ws.texts().find((x) => x.type === 'executed')!.data['output'] as { images: Array<{ filename: string; subfolder: string }> };
      assert.ok(saved.images.some((i) => i.filename.includes('<img')));
      assert.ok(saved.images.some((i) => i.filename.includes('../')));
      const big = await fetch(`${m.url}/view?filename=${encodeURIComponent(saved.images[0]!.filename)}&type=output`);
      const bigPng = decodePng(Buffer.from(await big.arrayBuffer()));
      assert.deepEqual([bigPng.width, bigPng.height], [1920, 1080]);
      ws.close();
      m.setFaults({ silentSocket: true });
      const { WebSocket } = await import('undici');
      const silent = new WebSocket(`${m.url.replace('http', 'ws')}/ws?clientId=s`);
      const got: unknown[] = [];
      silent.addEventListener('message', (e) => got.push(e.data));
      await new Promise((r) => silent.addEventListener('open', r));
      await postJson(`${m.url}/prompt`, { prompt: invertPrompt('silent'), client_id: 's' });
      await m.idle();
      assert.deepEqual(got, []);
      silent.close();
    } finally {
      await m.close();
    }
  });
});
