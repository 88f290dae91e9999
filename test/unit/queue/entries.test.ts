// One queue record: the tree's entries derive from `Job`, so a prompt read through GET /api/jobs/{id} (0.33) and
// through GET /history/{id} (any version) gives the same entry. Checked on the real 0.33 recordings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryFromHistory, entryFromJob, entryFromQueueItem } from '../../../src/core/queue/entries';
import { jobFromHistoryItem } from '../../../src/core/comfy/jobs';
import type { History, Job } from '../../../src/core/comfy/types';
import { NEEDS_SHARED, readSharedJson } from '../../helpers/shared';

type Captures = { captures: Record<string, { body: unknown }> };

test('a finished and a failed prompt: the same entry from /api/jobs/{id} as from /history/{id}', { skip: NEEDS_SHARED }, () => {
  const c = readSharedJson<Captures>('fixtures', 'real-server-0.33', 'jobs_and_history.json').captures;
  for (const [jobKey, historyKey] of [
    ['job_finished_ok', 'history_finished_ok'],
    ['job_failed', 'history_failed'],
  ] as const) {
    const job = c[jobKey]!.body as Job;
    const [id, item] = Object.entries(c[historyKey]!.body as History)[0]!;
    const viaJobs = entryFromJob(job);
    const viaHistory = entryFromHistory(id, item);
    assert.deepEqual(viaJobs, viaHistory, jobKey);
    // And the job synthesized from the history item carries what the server's job has.
    const synthesized = jobFromHistoryItem(id, item);
    for (const k of [
      'id',
      'status',
      'priority',
      'create_time',
      'execution_start_time',
      'execution_end_time',
      'outputs_count',
      'previewable_outputs_count',
      'preview_output',
    ] as const) {
      assert.deepEqual(synthesized[k] ?? undefined, job[k] ?? undefined, `${jobKey} ${k} (the server leaves out null fields)`);
    }
  }
  const failed = entryFromJob(c['job_failed']!.body as Job);
  assert.equal(failed.status, 'error');
  assert.equal(failed.errors[0]?.nodeType, 'CheckpointLoaderSimple');
  const ok = entryFromJob(c['job_finished_ok']!.body as Job);
  assert.deepEqual([ok.status, ok.nodeCount, ok.outputs.map((f) => f.filename)], ['success', 3, ['tiny_00001_.png']]);
});

test('job summaries of a listing (no prompt) still give status, times, the error and the preview file', { skip: NEEDS_SHARED }, () => {
  const c = readSharedJson<Captures>('fixtures', 'real-server-0.33', 'jobs_and_history.json').captures;
  const jobs = (c['jobs_all']!.body as { jobs: Job[] }).jobs;
  const entries = jobs.map(entryFromJob);
  assert.deepEqual(
    new Set(entries.map((e) => e.status)),
    new Set(jobs.map((j) => ({ completed: 'success', failed: 'error', cancelled: 'interrupted', pending: 'pending', in_progress: 'running' })[j.status])),
  );
  const done = entries.find((e) => e.status === 'success' && e.outputs.length > 0)!;
  assert.equal(done.outputs[0]!.kind, 'images');
  assert.ok(done.startedAt! <= done.endedAt!);
  assert.ok(entries.filter((e) => e.status === 'error').every((e) => e.errors.length === 1));
});

test('queue items and malformed records never throw', () => {
  assert.deepEqual(entryFromQueueItem([3, 'p', { '1': { class_type: 'X', inputs: {} } }, { create_time: 5 }, []], 'pending'), {
    id: 'p',
    status: 'pending',
    number: 3,
    prompt: { '1': { class_type: 'X', inputs: {} } },
    extraData: { create_time: 5 },
    nodeCount: 1,
    outputs: [],
    errors: [],
    createdAt: 5,
  });
  assert.equal(entryFromQueueItem([1, 2] as never, 'running'), undefined);
  for (const bad of [null, 1, 'x', [], { prompt: 'x', status: { messages: 'no' }, outputs: [1] }, { status: { messages: [[1], ['execution_error', null]] } }]) {
    assert.equal(entryFromHistory('b', bad as never).id, 'b');
  }
  assert.equal(entryFromJob({ id: 'j', status: 'bogus' as never, workflow: 'x' as never, outputs: 'y' as never }).status, 'unknown');
});
