// The mock against the recordings of a real ComfyUI 0.3.64 (../shared/fixtures/real-server) and the real
// /object_info dumps (../shared/fixtures/object_info): same routes, statuses, bodies and WebSocket message order.
// Ids, timestamps and tracebacks are the server's own and are compared by shape only.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NEEDS_SHARED, listShared, readSharedJson, sharedPath } from '../helpers/shared';
import { startMockComfy, type MockComfy } from '../mock-comfyui/server';
import { encodePng, solidImage } from '../mock-comfyui/images';
import { makeSafetensors } from '../mock-comfyui/safetensors';
import { WsRecorder, getJson, normalized, postJson, shape, withCheckpoints, type WsText } from './helpers';

type Rec = Record<string, unknown>;
type PromptOk = { prompt_id: string; number: number; node_errors: Rec };
const REAL = (...p: string[]) => sharedPath('fixtures', 'real-server', ...p);

describe('replays of a real ComfyUI 0.3.64', { skip: NEEDS_SHARED }, () => {
  test('each real /object_info dump is served unchanged', async () => {
    const dumps = listShared('fixtures', 'object_info').map((f) => sharedPath('fixtures', 'object_info', f));
    dumps.push(REAL('object_info.json'), REAL('verdicts_object_info.json'));
    assert.ok(dumps.length >= 15);
    for (const file of dumps) {
      const mock = await startMockComfy({ comfyVersion: '0.3.64', objectInfo: file });
      try {
        const res = await fetch(`${mock.url}/object_info`);
        assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
        assert.equal(await res.text(), readFileSync(file, 'utf8'), file);
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as Rec;
        const cls = Object.keys(parsed)[0]!;
        assert.deepEqual((await getJson(`${mock.url}/object_info/${encodeURIComponent(cls)}`)).body, { [cls]: parsed[cls] }, file);
      } finally {
        await mock.close();
      }
    }
  });

  test('every errors_*.json case through POST /prompt: same status and body', async () => {
    const info = readSharedJson<Rec>('fixtures', 'real-server', 'object_info.json');
    const plain = await startMockComfy({ comfyVersion: '0.3.64', objectInfo: info, models: {} });
    const withCkpt = await startMockComfy({ comfyVersion: '0.3.64', objectInfo: withCheckpoints(info, ['v1-5-pruned-emaonly.safetensors']), models: {} });
    try {
      const files = listShared('fixtures', 'real-server').filter((f) => f.startsWith('errors_'));
      assert.equal(files.length, 28);
      for (const f of files) {
        const rec = readSharedJson<{ status: number; request?: unknown; request_raw?: string; response?: unknown; response_raw: string }>(
          'fixtures',
          'real-server',
          f,
        );
        const mock = f.startsWith('errors_withckpt_') ? withCkpt : plain;
        const r = await postJson(`${mock.url}/prompt`, rec.request_raw ?? JSON.stringify(rec.request));
        assert.equal(r.status, rec.status, f);
        if (r.status === 500) {
          assert.equal(r.text, rec.response_raw, f);
          assert.equal(r.contentType, 'text/plain; charset=utf-8', f);
        } else if (r.status === 200) {
          assert.deepEqual((r.body as PromptOk).node_errors, (rec.response as PromptOk).node_errors, f);
        } else {
          assert.equal(r.contentType, 'application/json; charset=utf-8', f);
          assert.deepEqual(normalized(r.body), normalized(rec.response), f);
        }
      }
    } finally {
      await plain.close();
      await withCkpt.close();
    }
  });

  test('ws_sequence*.json: the same messages in the same order, the same cached nodes and history', async () => {
    type Run = {
      name: string;
      client_id: string;
      prompt: Rec;
      post_prompt_response: PromptOk;
      ws_sequence: Array<{ kind: string; msg?: WsText }>;
      history: Rec;
      view_checks: Array<{ url: string; status: number; content_type: string }>;
    };
    const runs = [
      ...readSharedJson<Run[]>('fixtures', 'real-server', 'ws_sequence.json'),
      readSharedJson<Run>('fixtures', 'real-server', 'ws_sequence_execution_error.json'),
    ];
    const failure = runs.at(-1)!.ws_sequence.find((m) => m.msg?.type === 'execution_error')!.msg!.data;
    const mock = await startMockComfy({
      comfyVersion: '0.3.64',
      objectInfo: REAL('object_info.json'),
      models: {},
      faults: { failClasses: { Morphology: { message: failure['exception_message'] as string, type: failure['exception_type'] as string } } },
    });
    try {
      // The runs were recorded one after the other on one server, so the cache carries over between them.
      for (const run of runs) {
        const ws = await WsRecorder.open(mock.url, run.client_id);
        const r = await postJson(`${mock.url}/prompt`, { prompt: run.prompt, client_id: run.client_id });
        assert.equal(r.status, 200, run.name);
        const ok = r.body as PromptOk;
        assert.deepEqual(ok.node_errors, {});
        await ws.waitDone(ok.prompt_id);
        const want = run.ws_sequence.filter((m) => m.kind === 'text').map((m) => m.msg!);
        assert.deepEqual(
          ws.types(),
          want.map((m) => m.type),
          run.name,
        );
        const ids = new Map([
          [ok.prompt_id, 'PROMPT'],
          [run.post_prompt_response.prompt_id, 'PROMPT'],
        ]);
        assert.deepEqual(
          ws.texts().map((m) => shape(m, ids)),
          want.map((m) => shape(m, ids)),
          run.name,
        );
        const history = (await getJson<Rec>(`${mock.url}/history/${ok.prompt_id}`)).body;
        const got = shape(history, ids) as Record<string, { prompt: unknown[] }>;
        const expected = shape(run.history, ids) as Record<string, { prompt: unknown[] }>;
        got['PROMPT']!.prompt[0] = expected['PROMPT']!.prompt[0]; // the queue number is the server's counter
        assert.deepEqual(got, expected, run.name);
        for (const check of run.view_checks) {
          const name = (ws.texts().find((m) => m.type === 'executed')!.data['output'] as { images: Array<{ filename: string }> }).images[0]!.filename;
          const url = check.url.replace(/filename=[^&]+/, `filename=${encodeURIComponent(name)}`);
          const res = await fetch(`${mock.url}${url}`);
          assert.deepEqual([res.status, res.headers.get('content-type')], [check.status, check.content_type], run.name);
          assert.deepEqual([...Buffer.from(await res.arrayBuffer()).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
        }
        ws.close();
      }
    } finally {
      await mock.close();
    }
  });

  test('queue_interrupt.json: numbers, front, heap order, delete pending, interrupt, clear, history', async () => {
    type Q = { queue_running: unknown[][]; queue_pending: unknown[][] };
    const rec = readSharedJson<Rec>('fixtures', 'real-server', 'queue_interrupt.json');
    const running = (rec['queue_while_running'] as { body: Q }).body;
    const prompt1 = running.queue_running[0]![2] as Rec;
    const clientId = (running.queue_running[0]![3] as Rec)['client_id'] as string;
    const pendingPrompts = new Map(running.queue_pending.map((i) => [i[0], i[2] as Rec]));
    // Every node takes 600 ms, so the requests below all land while the first prompt runs, as they did for real.
    const mock = await startMockComfy({ comfyVersion: '0.3.64', objectInfo: REAL('object_info.json'), models: {}, nodeDelayMs: 600 });
    try {
      const ws = await WsRecorder.open(mock.url, clientId);
      const post = async (p: Rec, extra: Rec = {}) => {
        const r = await postJson(`${mock.url}/prompt`, { prompt: p, client_id: clientId, ...extra });
        return [r.status, r.body as PromptOk] as const;
      };
      const p1 = await post(prompt1);
      const p2 = await post(pendingPrompts.get(1)!);
      const p3 = await post(pendingPrompts.get(-2)!, { front: true });
      for (const [mine, key] of [
        [p1, 'post1'],
        [p2, 'post2'],
        [p3, 'post3_front'],
      ] as const) {
        const [status, body] = rec[key] as [number, PromptOk];
        assert.deepEqual([mine[0], mine[1].number, mine[1].node_errors], [status, body.number, body.node_errors], key);
      }
      const ids = new Map([
        [p1[1].prompt_id, 'P1'],
        [p2[1].prompt_id, 'P2'],
        [p3[1].prompt_id, 'P3'],
      ]);
      const recIds = new Map([
        [(rec['post1'] as [number, PromptOk])[1].prompt_id, 'P1'],
        [(rec['post2'] as [number, PromptOk])[1].prompt_id, 'P2'],
        [(rec['post3_front'] as [number, PromptOk])[1].prompt_id, 'P3'],
      ]);
      const queueNow = async () => (await getJson<Q>(`${mock.url}/queue`)).body;
      assert.deepEqual(shape(await queueNow(), ids), shape(running, recIds));
      assert.deepEqual((await getJson(`${mock.url}/prompt`)).body, rec['get_prompt_while_running']);
      assert.equal(
        (await postJson(`${mock.url}/queue`, { delete: [p2[1].prompt_id] })).status,
        (rec['queue_delete_pending'] as { status?: number }).status ?? 200,
      );
      assert.deepEqual(shape(await queueNow(), ids), shape(rec['queue_after_delete'], recIds));
      const interrupt = await postJson(`${mock.url}/interrupt`, '');
      assert.deepEqual([interrupt.status, interrupt.text], [200, '']);
      // The node now running does not look at the flag: the prompt is still listed as running, as recorded.
      assert.deepEqual(shape(await queueNow(), ids), shape(rec['queue_after_interrupt'], recIds));
      assert.equal((await postJson(`${mock.url}/queue`, { clear: true })).status, 200);
      await ws.waitDone(p1[1].prompt_id);
      assert.deepEqual(await queueNow(), rec['queue_final']);

      const want = (rec['ws_sequence'] as Array<{ kind: string; msg?: WsText }>).filter((m) => m.kind === 'text').map((m) => m.msg!);
      const statuses = (list: WsText[]) =>
        list.filter((m) => m.type === 'status').map((m) => (m.data['status'] as { exec_info: { queue_remaining: number } }).exec_info.queue_remaining);
      assert.deepEqual(statuses(ws.texts()), statuses(want));
      // How many blur nodes ran before the interrupt depends on timing; the shape of the run does not.
      const skeleton = (list: WsText[]) =>
        list
          .filter((m) => m.type !== 'status' && m.type !== 'progress_state')
          .map((m) => (m.type === 'executing' ? (m.data['node'] === null ? 'done' : 'executing') : m.type))
          .filter((t, i, all) => t !== 'executing' || all[i - 1] !== 'executing');
      assert.deepEqual(skeleton(ws.texts()), skeleton(want));
      const interrupted = ws.texts().find((m) => m.type === 'execution_interrupted')!.data;
      assert.equal(interrupted['node_type'], 'ImageBlur');
      assert.deepEqual(Object.keys(interrupted), ['prompt_id', 'node_id', 'node_type', 'executed', 'timestamp']);

      const hist = (await getJson<Record<string, { status: { messages: Array<[string, Rec]> } }>>(`${mock.url}/history/${p1[1].prompt_id}`)).body[
        p1[1].prompt_id
      ]!;
      const recHist = Object.values(rec['history_interrupted'] as Record<string, { status: { messages: Array<[string, Rec]> } }>)[0]!;
      const strip = (h: { status: { messages: Array<[string, Rec]> } }) => ({ ...h, status: { ...h.status, messages: h.status.messages.map((m) => m[0]) } });
      assert.deepEqual(shape(strip(hist), ids), shape(strip(recHist), recIds));
      ws.close();
    } finally {
      await mock.close();
    }
  });

  test('endpoints.json: the simple routes answer like the real server', async () => {
    type E = { method: string; path: string; request_body: unknown; status: number; content_type: string; body: unknown };
    const recs = readSharedJson<E[]>('fixtures', 'real-server', 'endpoints.json');
    const mock = await startMockComfy({ comfyVersion: '0.3.64', objectInfo: REAL('object_info.json'), models: {} });
    try {
      for (const e of recs) {
        if (e.path === '/history' || e.path.startsWith('/history?') || e.path === '/internal/logs/raw') continue; // depend on the server's past
        const res = await fetch(
          `${mock.url}${e.path}`,
          e.method === 'POST' ? { method: 'POST', body: e.request_body === null ? undefined : JSON.stringify(e.request_body) } : {},
        );
        const body = await res.text();
        assert.equal(res.status, e.status, e.path);
        assert.equal(res.headers.get('content-type'), e.content_type, e.path);
        if (e.path === '/system_stats' || e.path === '/internal/folder_paths') {
          const a = JSON.parse(body) as Rec;
          assert.deepEqual(Object.keys(a), Object.keys(e.body as Rec), e.path);
          if (e.path === '/system_stats') {
            assert.deepEqual(Object.keys(a['system'] as Rec), Object.keys((e.body as Rec)['system'] as Rec));
            assert.deepEqual(Object.keys((a['devices'] as Rec[])[0]!), Object.keys(((e.body as Rec)['devices'] as Rec[])[0]!));
          }
        } else if (typeof e.body === 'string') {
          assert.equal(body, e.body, e.path);
        } else {
          assert.deepEqual(JSON.parse(body), e.body, e.path);
        }
      }
    } finally {
      await mock.close();
    }
  });

  test('more_endpoints.json: uploads, /view variants, /view_metadata, a LoadImage run, history paging, prompt ids', async () => {
    type M = {
      method: string;
      path: string;
      status: number;
      content_type: string;
      response?: unknown;
      response_text?: string | null;
      case?: string;
      fields?: Record<string, string>;
      request?: Rec;
    };
    const recs = readSharedJson<M[]>('fixtures', 'real-server', 'more_endpoints.json');
    const mock: MockComfy = await startMockComfy({ comfyVersion: '0.3.64', objectInfo: REAL('object_info.json'), models: {} });
    try {
      const png1 = encodePng(solidImage(2, 2, 0x112233, 200));
      const png2 = encodePng(solidImage(3, 3, 0x445566));
      const up = async (bytes: Buffer, fields: Record<string, string> = {}, route = '/upload/image', name = 'ceo_upload.png') => {
        const form = new FormData();
        form.append('image', new Blob([bytes]), name);
        for (const [k, v] of Object.entries(fields)) form.append(k, v);
        const res = await fetch(`${mock.url}${route}`, { method: 'POST', body: form });
        return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
      };
      const byCase = (c: string) => recs.find((r) => r.case === c)!;
      // Fresh directory: the names are the recorded ones minus the numbering the real server's leftovers caused.
      const first = await up(png1);
      assert.deepEqual([first.status, first.contentType], [byCase('first').status, byCase('first').content_type]);
      assert.deepEqual(JSON.parse(first.body), { name: 'ceo_upload.png', subfolder: '', type: 'input' });
      assert.deepEqual(JSON.parse((await up(png1)).body), { name: 'ceo_upload.png', subfolder: '', type: 'input' }); // same bytes again
      assert.deepEqual(JSON.parse((await up(png2)).body), { name: 'ceo_upload (1).png', subfolder: '', type: 'input' });
      assert.deepEqual(JSON.parse((await up(png2, byCase('overwrite').fields)).body), byCase('overwrite').response);
      assert.deepEqual(JSON.parse((await up(png1, byCase('subfolder').fields)).body), byCase('subfolder').response);
      assert.deepEqual(JSON.parse((await up(png1, byCase('temp type').fields)).body), byCase('temp type').response);
      const mask = await up(
        encodePng(solidImage(3, 3, 0, 0)),
        { subfolder: 'clipspace', original_ref: JSON.stringify({ filename: 'ceo_upload.png', subfolder: '', type: 'input' }) },
        '/upload/mask',
        'ceo_mask.png',
      );
      const recMask = byCase('mask with original_ref');
      assert.equal(mask.status, recMask.status);
      const maskBody = JSON.parse(mask.body) as Rec;
      assert.deepEqual([maskBody['subfolder'], maskBody['type']], [(recMask.response as Rec)['subfolder'], (recMask.response as Rec)['type']]);
      const noFile = await fetch(`${mock.url}/upload/image`, { method: 'POST', body: new FormData() });
      assert.deepEqual([noFile.status, noFile.headers.get('content-type'), await noFile.text()], [400, byCase('no file').content_type, '']);

      // Lora metadata as the recording's file had it.
      const { mkdirSync, writeFileSync } = await import('node:fs');
      const metaRec = recs.find((r) => r.path === '/view_metadata/loras?filename=ceo_meta.safetensors')!;
      mkdirSync(`${mock.dirs.models}/loras`, { recursive: true });
      writeFileSync(`${mock.dirs.models}/loras/ceo_meta.safetensors`, makeSafetensors(metaRec.response as Record<string, string>));

      for (const r of recs.filter(
        (x) => x.method === 'GET' && (x.path.startsWith('/view') || x.path.startsWith('/object_info/')) && !x.path.includes('ceo_run'),
      )) {
        const res = await fetch(`${mock.url}${r.path}`);
        const body = await res.text();
        assert.deepEqual([res.status, res.headers.get('content-type')], [r.status, r.content_type], r.path);
        if (r.path.startsWith('/view_metadata') && r.status === 200) assert.deepEqual(JSON.parse(body), r.response);
        if (r.path.startsWith('/object_info/')) {
          const mine = JSON.parse(body) as Record<string, Rec>;
          const theirs = r.response as Record<string, Rec>;
          assert.deepEqual({ ...mine['LoadImage'], input: null }, { ...theirs['LoadImage'], input: null }, r.path);
        }
      }

      // The recorded LoadImage → ImageInvert → SaveImage run and its history entry.
      const runRec = recs.find((r) => r.method === 'POST' && r.path === '/prompt' && !r.case)!;
      const ws = await WsRecorder.open(mock.url, runRec.request!['client_id'] as string);
      const run = await postJson(`${mock.url}/prompt`, runRec.request);
      assert.equal(run.status, 200);
      const ok = run.body as PromptOk;
      assert.deepEqual([ok.number, ok.node_errors], [(runRec.response as PromptOk).number, {}]);
      await ws.waitDone(ok.prompt_id);
      const histRec = recs.find(
        (r) => r.path === `/history/${(runRec.response as PromptOk).prompt_id}` && r.status === 200 && Object.keys(r.response as Rec).length > 0,
      )!;
      const ids = new Map([
        [ok.prompt_id, 'P'],
        [(runRec.response as PromptOk).prompt_id, 'P'],
      ]);
      const hist = await fetch(`${mock.url}/history/${ok.prompt_id}`);
      assert.equal(hist.headers.get('content-type'), histRec.content_type);
      assert.deepEqual(shape(JSON.parse(await hist.text()), ids), shape(histRec.response, ids));
      const out = await fetch(`${mock.url}/view?filename=ceo_run_00001_.png&subfolder=&type=output`);
      assert.deepEqual([out.status, out.headers.get('content-type')], [200, 'image/png']);

      for (const path of ['/history?max_items=2', '/history?max_items=2&offset=0']) {
        assert.deepEqual(shape((await getJson(`${mock.url}${path}`)).body, ids), shape(recs.find((r) => r.path === path)!.response, ids), path);
      }
      const bad = recs.find((r) => r.path === '/history?max_items=abc')!;
      const badRes = await fetch(`${mock.url}/history?max_items=abc`);
      assert.deepEqual([badRes.status, badRes.headers.get('content-type'), await badRes.text()], [bad.status, bad.content_type, bad.response_text]);

      // Client-chosen prompt ids: any string is accepted by 0.3.64.
      for (const r of recs.filter((x) => x.case === 'client-chosen prompt_id' || x.case === 'bad prompt_id (0.3.64 accepts any string)')) {
        const res = await postJson(`${mock.url}/prompt`, r.request);
        assert.equal(res.status, r.status);
        assert.equal((res.body as PromptOk).prompt_id, (r.response as PromptOk).prompt_id);
        assert.equal((res.body as PromptOk).number, (r.response as PromptOk).number);
      }
      await mock.idle();
      assert.equal((await postJson(`${mock.url}/history`, { delete: [ok.prompt_id] })).status, 200);
      assert.deepEqual((await getJson(`${mock.url}/history/${ok.prompt_id}`)).body, {});
      const api = recs.find((r) => r.path === '/api/prompt')!;
      assert.deepEqual((await getJson(`${mock.url}/api/prompt`)).body, api.response);
      const jobs = recs.find((r) => r.path === '/api/jobs')!;
      const jobsRes = await fetch(`${mock.url}/api/jobs`);
      assert.deepEqual([jobsRes.status, jobsRes.headers.get('content-type'), await jobsRes.text()], [jobs.status, jobs.content_type, jobs.response_text]);
      ws.close();
    } finally {
      await mock.close();
    }
  });
});
