// Text messages: every recorded message of a real ComfyUI 0.3.64 parses as its known type; bad frames are
// reported with a reason; unknown types pass through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTextMessage, promptIdOf } from '../../../src/core/comfy/messages';
import { NEEDS_SHARED, readSharedJson } from '../../helpers/shared';

interface Recording {
  name: string;
  ws_sequence: { kind: string; msg?: { type: string; data: unknown } }[];
}

test('every text message recorded from a real server parses as a known type', { skip: NEEDS_SHARED }, () => {
  const files = ['ws_sequence.json', 'ws_sequence_execution_error.json'];
  const seen = new Set<string>();
  let count = 0;
  for (const file of files) {
    const raw = readSharedJson<Recording[] | Record<string, unknown>>('fixtures', 'real-server', file);
    const runs: Recording[] = Array.isArray(raw)
      ? raw
      : Object.values(raw).filter((v): v is Recording => typeof v === 'object' && v !== null && Array.isArray((v as Recording).ws_sequence));
    for (const run of runs) {
      for (const entry of run.ws_sequence) {
        if (entry.kind !== 'text' || !entry.msg) continue;
        const parsed = parseTextMessage(JSON.stringify(entry.msg));
        assert.ok(parsed.ok, `${file} ${run.name}: ${JSON.stringify(entry.msg).slice(0, 200)}`);
        assert.equal(parsed.message.type, entry.msg.type, `${file} ${run.name}`);
        seen.add(parsed.message.type);
        count++;
      }
    }
  }
  assert.ok(count > 30, `only ${count} messages`);
  for (const t of ['status', 'execution_start', 'execution_cached', 'executing', 'progress_state', 'executed', 'execution_success']) assert.ok(seen.has(t), t);
});

test('executing with node null (the finished signal) and the on-connect replay without prompt_id', () => {
  const done = parseTextMessage('{"type":"executing","data":{"node":null,"prompt_id":"p1"}}');
  assert.ok(done.ok && done.message.type === 'executing');
  assert.equal(done.message.data.node, null);
  assert.equal(promptIdOf(done.message), 'p1');
  const replay = parseTextMessage('{"type":"executing","data":{"node":"5"}}');
  assert.ok(replay.ok && replay.message.type === 'executing');
  assert.equal(promptIdOf(replay.message), undefined);
  // Frames of types this version does not know still name their prompt (the run monitor buffers them by id).
  assert.equal(promptIdOf({ type: 'execution_future', data: { prompt_id: 'p2' } }), 'p2');
  assert.equal(promptIdOf({ type: 'status', data: { status: {} } }), undefined);
  assert.equal(promptIdOf({ type: 'x', data: { prompt_id: 7 } }), undefined);
});

test('error, interruption, progress and feature flags are typed', () => {
  const err = parseTextMessage(
    JSON.stringify({
      type: 'execution_error',
      data: {
        prompt_id: 'p',
        node_id: '1',
        node_type: 'LoadImage',
        executed: [],
        exception_message: 'Invalid image file',
        exception_type: 'FileNotFoundError',
        traceback: ['x'],
        current_inputs: {},
        current_outputs: [],
        timestamp: 1,
      },
    }),
  );
  assert.ok(err.ok && err.message.type === 'execution_error');
  assert.equal(err.message.data.exception_type, 'FileNotFoundError');
  const intr = parseTextMessage('{"type":"execution_interrupted","data":{"prompt_id":"p","node_id":"2","node_type":"X","executed":["1"]}}');
  assert.ok(intr.ok && intr.message.type === 'execution_interrupted');
  const prog = parseTextMessage('{"type":"progress","data":{"value":3,"max":20,"prompt_id":"p","node":"3"}}');
  assert.ok(prog.ok && prog.message.type === 'progress');
  assert.equal(prog.message.data.value, 3);
  const ff = parseTextMessage('{"type":"feature_flags","data":{"supports_preview_metadata":true,"max_upload_size":104857600}}');
  assert.ok(ff.ok && ff.message.type === 'feature_flags');
  assert.equal(ff.message.data.max_upload_size, 104857600);
});

test('executed without an output object gets an empty one', () => {
  const m = parseTextMessage('{"type":"executed","data":{"node":"3","prompt_id":"p","output":null}}');
  assert.ok(m.ok && m.message.type === 'executed');
  assert.deepEqual(m.message.data.output, {});
});

test('unknown types (custom nodes) pass through with their original type and data', () => {
  const m = parseTextMessage('{"type":"crystools.monitor","data":{"cpu":12}}');
  assert.ok(m.ok);
  assert.deepEqual(m.message, { type: 'unknown', messageType: 'crystools.monitor', data: { cpu: 12 } });
  const noData = parseTextMessage('{"type":"custom"}');
  assert.ok(noData.ok && noData.message.type === 'unknown');
});

test('bad text frames are reported with a reason', () => {
  const cases: [string, RegExp][] = [
    ['not json', /not JSON/],
    ['{"type":"status","data":{"status":{"exec_info":{"queue_remaining":"x"}}', /not JSON/],
    ['[1,2]', /no string "type"/],
    ['{"data":{}}', /no string "type"/],
    ['{"type":"status"}', /no data object/],
    ['{"type":"status","data":{"status":{}}}', /queue_remaining/],
    ['{"type":"executing","data":{"node":5}}', /neither a string nor null/],
    ['{"type":"progress","data":{"value":"1","max":2}}', /not numbers/],
    ['{"type":"execution_start","data":{}}', /no prompt_id/],
  ];
  for (const [text, reason] of cases) {
    const r = parseTextMessage(text);
    assert.ok(!r.ok, text);
    assert.match(r.reason, reason, text);
  }
});
