// The mock as ComfyUI 0.33 against the recordings of a real 0.33.0 (../shared/fixtures/real-server-0.33): error
// bodies, the jobs API (listing, filters, single job, cancel of finished / unknown / pending / running jobs, batch
// cancel), WebSocket sequences with progress_state and a type-3 text frame, /view variants, system_stats, features,
// /node_replacements and its 500, and the cross-site and origin 403s of both versions.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { NEEDS_SHARED, listShared, readSharedJson, sharedPath } from '../helpers/shared';
import { startMockComfy, type MockComfy } from '../mock-comfyui/server';
import { WsRecorder, getJson, normalized, postJson, shape, type WsText } from './helpers';

type Rec = Record<string, unknown>;
type PromptOk = { prompt_id: string; number: number; node_errors: Rec };
type Capture = {
  request: { method: string; url: string; headers?: Record<string, string>; body?: unknown };
  status: number;
  headers: Record<string, string>;
  body: unknown;
};
type Run = {
  mode: string;
  client_id: string;
  prompt: Rec;
  prompt_id: string;
  messages: Array<{ frame: string; data?: WsText; event_type?: number; node_id?: string; text?: string }>;
};
const REAL = (...p: string[]) => sharedPath('fixtures', 'real-server-0.33', ...p);
const rec = <T>(name: string) => readSharedJson<T>('fixtures', 'real-server-0.33', name);

const start = (extra: Parameters<typeof startMockComfy>[0] = {}) =>
  startMockComfy({ comfyVersion: '0.33', objectInfo: REAL('object_info.json'), nodeReplacements: REAL('node_replacements.json'), models: {}, ...extra });

/** The sorted key set of every job in a listing or of one job. */
const jobKeys = (body: unknown): string[][] => ((body as { jobs?: Rec[] }).jobs ?? [body as Rec]).map((j) => Object.keys(j).sort());

/** Runs a recorded WebSocket run on the mock and returns its text messages and TEXT frames, in order. */
async function replayRun(mock: MockComfy, run: Run): Promise<{ id: string; got: unknown[] }> {
  const ws = await WsRecorder.open(mock.url, run.client_id, { supports_preview_metadata: true });
  const r = await postJson(`${mock.url}/prompt`, { prompt: run.prompt, client_id: run.client_id });
  assert.equal(r.status, 200, run.mode);
  const id = (r.body as PromptOk).prompt_id;
  await ws.waitDone(id);
  const got = ws.events.map((e) =>
    'text' in e ? e.text : { binary: e.binary.readUInt32BE(0), text: e.binary.subarray(8 + e.binary.readUInt32BE(4)).toString('utf8') },
  );
  ws.close();
  return { id, got };
}

describe('replays of a real ComfyUI 0.33', { skip: NEEDS_SHARED }, () => {
  test('every errors_*.json case through POST /prompt: same status and body (missing_node_type, nested names)', async () => {
    const mock = await start();
    try {
      const files = listShared('fixtures', 'real-server-0.33').filter((f) => f.startsWith('errors_'));
      assert.ok(files.length >= 8);
      for (const f of files) {
        const r0 = rec<{ prompt: unknown; status: number; body: unknown }>(f);
        const r = await postJson(`${mock.url}/prompt`, { prompt: r0.prompt });
        assert.equal(r.status, r0.status, f);
        assert.deepEqual(normalized(r.body), normalized(r0.body), f);
      }
    } finally {
      await mock.close();
    }
  });

  test('system_stats, features and node_replacements as recorded; a missing replaced class is a 500 text page', async () => {
    const mock = await start();
    try {
      const stats = (await getJson<Rec>(`${mock.url}/system_stats`)).body;
      const want = rec<Rec>('system_stats.json');
      assert.deepEqual(Object.keys(stats), Object.keys(want));
      assert.deepEqual(Object.keys(stats['system'] as Rec), Object.keys(want['system'] as Rec));
      assert.equal((stats['system'] as Rec)['comfyui_version'], '0.33.0');
      assert.deepEqual((await getJson(`${mock.url}/features`)).body, rec('features.json'));
      assert.deepEqual((await getJson(`${mock.url}/api/node_replacements`)).body, rec('node_replacements.json'));
      const r = await postJson(`${mock.url}/prompt`, {
        prompt: {
          '1': { class_type: 'T2IAdapterLoader', inputs: { t2i_adapter_name: 'x.safetensors' } },
          '2': { class_type: 'PreviewAny', inputs: { source: ['1', 0] } },
        },
      });
      assert.deepEqual([r.status, r.contentType, r.text], [500, 'text/plain; charset=utf-8', '500 Internal Server Error\n\nServer got itself in trouble']);
    } finally {
      await mock.close();
    }
    // The mock's own table (no dump given) has the same shape, and 0.3.64 has no such route.
    const own = await startMockComfy({ comfyVersion: '0.33' });
    const old = await startMockComfy({ comfyVersion: '0.3.64' });
    try {
      const table = (await getJson<Record<string, Rec[]>>(`${own.url}/node_replacements`)).body;
      const sample = Object.values(rec<Record<string, Rec[]>>('node_replacements.json'))[0]![0]!;
      for (const list of Object.values(table)) for (const entry of list) assert.deepEqual(Object.keys(entry), Object.keys(sample));
      const r = await postJson(`${own.url}/prompt`, { prompt: { '1': { class_type: 'T2IAdapterLoader', inputs: {} } } });
      assert.equal(r.status, 500);
      assert.equal((await fetch(`${old.url}/node_replacements`)).status, 404);
      const oldMissing = await postJson(`${old.url}/prompt`, { prompt: { '1': { class_type: 'T2IAdapterLoader', inputs: {} } } });
      assert.equal((oldMissing.body as { error: { type: string } }).error.type, 'invalid_prompt');
    } finally {
      await own.close();
      await old.close();
    }
  });

  test('cross_site.json: Sec-Fetch-Site cross-site is refused by 0.33 only; a foreign Origin by both', async () => {
    const captures = rec<{ captures: Record<string, Record<string, Record<string, Capture>>> }>('cross_site.json').captures;
    for (const [server, cases] of Object.entries(captures)) {
      const version = server.startsWith('0.33') ? '0.33' : '0.3.64';
      const mock = await startMockComfy({ comfyVersion: version });
      try {
        const port = new URL(mock.url).port;
        for (const [name, requests] of Object.entries(cases)) {
          for (const [what, c] of Object.entries(requests)) {
            const headers: Record<string, string> = { ...(c.request.headers ?? {}) };
            // The same-host origin names the recording's port; the mock's is another.
            if (headers['Origin']?.startsWith('http://127.0.0.1:')) headers['Origin'] = `http://127.0.0.1:${port}`;
            const post = c.request.method === 'POST';
            const res = await fetch(`${mock.url}${new URL(c.request.url).pathname}`, {
              method: c.request.method,
              headers,
              body: post ? JSON.stringify(c.request.body) : undefined,
            });
            const body = await res.text();
            const label = `${server} ${name} ${what}`;
            assert.equal(res.status, c.status, label);
            assert.equal(res.headers.has('content-type'), 'Content-Type' in c.headers, label);
            if (c.status === 403) assert.equal(body, '', label);
            if (c.status === 400) assert.deepEqual(normalized(JSON.parse(body)), normalized(c.body), label);
          }
        }
        // The WebSocket upgrade follows the same rule.
        const wsUrl = `${mock.url.replace(/^http/, 'ws')}/ws`;
        const { WebSocket } = await import('undici');
        const opened = await new Promise<boolean>((resolve) => {
          const ws = new WebSocket(wsUrl, { headers: { 'Sec-Fetch-Site': 'cross-site' } } as never);
          ws.addEventListener('open', () => (ws.close(), resolve(true)));
          ws.addEventListener('error', () => resolve(false));
        });
        assert.equal(opened, version === '0.3.64', `${server} ws`);
      } finally {
        await mock.close();
      }
    }
  });

  test('ws_sequence*.json: the same messages in the same order, progress_state and the type-3 TEXT frame included', async () => {
    const runs = ['ws_sequence.json', 'ws_sequence_binary_text.json', 'ws_sequence_execution_error.json'].map((f) => rec<Run>(f));
    const failure = runs[2]!.messages.find((m) => m.data?.type === 'execution_error')!.data!.data;
    const mock = await start({
      faults: { failClasses: { CheckpointLoaderSimple: { message: failure['exception_message'] as string, type: failure['exception_type'] as string } } },
    });
    try {
      for (const run of runs) {
        const { id, got } = await replayRun(mock, run);
        const want = run.messages.map((m) => (m.frame === 'text' ? m.data! : { binary: m.event_type, text: m.text }));
        const ids = new Map([
          [id, 'PROMPT'],
          [run.prompt_id, 'PROMPT'],
        ]);
        const names = (list: unknown[]) => list.map((m) => (m as WsText).type ?? `binary:${(m as { binary: number }).binary}`);
        assert.deepEqual(names(got), names(want), run.mode);
        assert.deepEqual(
          got.map((m) => shape(m, ids)),
          want.map((m) => shape(m, ids)),
          run.mode,
        );
      }
    } finally {
      await mock.close();
    }
  });

  test('jobs_and_history.json: listing, filters, single job, unknown ids, cancel of finished and unknown jobs, batch', async () => {
    const r = rec<{ captures: Record<string, Capture> }>('jobs_and_history.json').captures;
    const mock = await start({
      faults: {
        failClasses: { CheckpointLoaderSimple: { message: 'Error while deserializing header: HeaderTooSmall\n', type: 'safetensors_rust.SafetensorError' } },
      },
    });
    try {
      const ok = await replayRun(mock, rec<Run>('ws_sequence.json'));
      const failed = await replayRun(mock, rec<Run>('ws_sequence_execution_error.json'));
      const get = (path: string) => getJson(`${mock.url}${path}`);
      const one = await get(`/api/jobs/${ok.id}`);
      assert.equal(one.status, 200);
      const ids = new Map([
        [ok.id, 'OK'],
        [rec<Run>('ws_sequence.json').prompt_id, 'OK'],
      ]);
      const strip = (b: unknown) => {
        const s = shape(b, ids) as Rec;
        for (const k of ['priority', 'create_time', 'execution_start_time', 'execution_end_time']) if (k in s) s[k] = typeof s[k];
        const wf = s['workflow'] as { extra_data: Rec } | undefined;
        if (wf) wf.extra_data = { ...wf.extra_data, client_id: 'C', create_time: 'number' };
        // The mock's file counter and subfolder-free names differ from the real server's leftovers.
        return JSON.parse(JSON.stringify(s).replace(/tiny_\d{5}_\.png/g, 'tiny_N_.png')) as Rec;
      };
      assert.deepEqual(strip(one.body), strip(r['job_finished_ok']!.body));
      const fail = await get(`/api/jobs/${failed.id}`);
      assert.deepEqual(jobKeys(fail.body), jobKeys(r['job_failed']!.body));
      assert.equal((fail.body as Rec)['status'], 'failed');

      const all = await get('/api/jobs');
      assert.deepEqual(Object.keys(all.body as Rec), Object.keys(r['jobs_all']!.body as Rec));
      const completed = await get('/api/jobs?status=completed&limit=2');
      assert.deepEqual(jobKeys(completed.body), jobKeys(r['jobs_completed_limit2']!.body).slice(0, 1));
      assert.deepEqual((completed.body as { pagination: Rec }).pagination, { offset: 0, limit: 2, total: 1, has_more: false });
      assert.deepEqual(jobKeys((await get('/api/jobs?status=failed&limit=2')).body), jobKeys(r['jobs_failed']!.body).slice(0, 1));
      assert.deepEqual((await get('/api/jobs?limit=3&status=pending')).body, { jobs: [], pagination: { offset: 0, limit: 3, total: 0, has_more: false } });

      for (const key of ['job_unknown', 'job_not_a_uuid', 'history_unknown', 'queue_idle']) {
        const c = r[key]!;
        const res = await get(new URL(c.request.url).pathname);
        assert.deepEqual([res.status, res.body], [c.status, c.body], key);
      }
      for (const key of ['cancel_finished', 'cancel_unknown', 'cancel_not_a_uuid', 'cancel_batch_unknown', 'cancel_batch_malformed']) {
        const c = r[key]!;
        const path = new URL(c.request.url).pathname.replace(rec<Run>('ws_sequence.json').prompt_id, ok.id);
        const res = await postJson(`${mock.url}${path}`, c.request.body === undefined ? '' : c.request.body);
        assert.deepEqual([res.status, res.body], [c.status, c.body], key);
      }
    } finally {
      await mock.close();
    }
  });

  test('jobs_cancel_running_and_pending.json and queue_while_running.json: pending and in_progress jobs, cancel both', async () => {
    const recd = rec<{ http: Array<Capture & { body: unknown }> }>('jobs_cancel_running_and_pending.json');
    const at = (method: string, pathPart: string, n = 0) => recd.http.filter((h) => h.request.method === method && h.request.url.includes(pathPart))[n]!;
    const mock = await start({ nodeDelayMs: 300 });
    try {
      const ws = await WsRecorder.open(mock.url, 'blocker');
      const blocker = {
        '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: 1 } },
        '2': { class_type: 'ImageBlur', inputs: { image: ['1', 0], blur_radius: 1, sigma: 1 } },
        '3': { class_type: 'ImageBlur', inputs: { image: ['2', 0], blur_radius: 1, sigma: 1 } },
        '4': { class_type: 'PreviewImage', inputs: { images: ['3', 0] } },
      };
      const running = ((await postJson(`${mock.url}/prompt`, { prompt: blocker, client_id: 'blocker' })).body as PromptOk).prompt_id;
      await ws.waitFor((e) => 'text' in e && e.text.type === 'executing');
      const pendingPrompt = {
        '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: 2 } },
        '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
      };
      const pending = ((await postJson(`${mock.url}/prompt`, { prompt: pendingPrompt, client_id: 'blocker' })).body as PromptOk).prompt_id;

      const listed = (await getJson<{ jobs: Rec[] }>(`${mock.url}/api/jobs`)).body;
      assert.deepEqual(
        listed.jobs.map((j) => [j['id'], j['status']]),
        [
          [pending, 'pending'],
          [running, 'in_progress'],
        ],
      );
      assert.deepEqual(jobKeys(listed), jobKeys(at('GET', '/api/jobs').body).slice(0, 2));
      for (const [status, id] of [
        ['pending', pending],
        ['in_progress', running],
      ] as const) {
        const page = (await getJson(`${mock.url}/api/jobs?status=${status}`)).body as { jobs: Rec[]; pagination: Rec };
        assert.deepEqual(
          page.jobs.map((j) => j['id']),
          [id],
        );
        assert.deepEqual(page.pagination, (at('GET', `/api/jobs?status=${status}`).body as { pagination: Rec }).pagination);
        assert.deepEqual(
          jobKeys((await getJson(`${mock.url}/api/jobs/${id}`)).body),
          jobKeys(at('GET', `/api/jobs/${status === 'pending' ? 'c3bd8ac8' : '113d903f'}`).body),
        );
      }
      const whileRunning = rec<{ captures: Record<string, Capture> }>('queue_while_running.json').captures;
      assert.deepEqual(jobKeys((await getJson(`${mock.url}/api/jobs?status=in_progress`)).body), jobKeys(whileRunning['/api/jobs?status=in_progress']!.body));

      assert.deepEqual((await postJson(`${mock.url}/api/jobs/${pending}/cancel`, '')).body, { cancelled: true });
      assert.deepEqual(((await getJson(`${mock.url}/queue`)).body as { queue_pending: unknown[] }).queue_pending, []);
      assert.deepEqual((await postJson(`${mock.url}/api/jobs/${running}/cancel`, '')).body, { cancelled: true });
      await ws.waitDone(running);
      const done = (await getJson<Rec>(`${mock.url}/api/jobs/${running}`)).body;
      assert.equal(done['status'], 'cancelled');
      const recDone = recd.http.filter((h) => h.request.url.endsWith('/api/jobs/113d903f-a3e2-4dd7-bf49-337ba57a927d')).at(-1)!.body as Rec;
      assert.deepEqual(Object.keys(done).sort(), Object.keys(recDone).sort());
      assert.equal((await getJson(`${mock.url}/api/jobs/${pending}`)).status, 404, 'a cancelled pending job is gone, as recorded');
      ws.close();
    } finally {
      await mock.close();
    }
  });

  test('view.json: plain, previews, channel, missing file, traversal', async () => {
    const v = rec<{ captures: Record<string, { request: { url: string }; status: number; content_type: string | null }> }>('view.json');
    const mock = await start();
    try {
      const run = await replayRun(mock, rec<Run>('ws_sequence.json'));
      const saved = (run.got.find((m) => (m as WsText).type === 'executed') as WsText).data['output'] as {
        images: Array<{ filename: string; subfolder: string }>;
      };
      for (const [name, c] of Object.entries(v.captures)) {
        const url = new URL(c.request.url);
        if (url.searchParams.get('filename') === 'tiny_00001_.png') url.searchParams.set('filename', saved.images[0]!.filename);
        const res = await fetch(`${mock.url}/view${url.search}`);
        await res.arrayBuffer();
        assert.equal(res.status, c.status, name);
        if (c.content_type) assert.equal(res.headers.get('content-type'), c.content_type, name);
      }
    } finally {
      await mock.close();
    }
  });
});
