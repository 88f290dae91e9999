// Jobs synthesized from /queue + /history for servers without /api/jobs, checked on a real 0.3.64 recording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobsFromQueueAndHistory, outputFiles, pageJobs } from '../../../src/core/comfy/jobs';
import type { History, QueueState } from '../../../src/core/comfy/types';
import { NEEDS_SHARED, readSharedJson } from '../../helpers/shared';

test('interrupted and successful history entries of a real server map to cancelled and completed', { skip: NEEDS_SHARED }, () => {
  const history = readSharedJson<{ history_interrupted: History }>('fixtures', 'real-server', 'queue_interrupt.json').history_interrupted;
  const jobs = jobsFromQueueAndHistory({ queue_running: [], queue_pending: [] }, history);
  assert.ok(jobs.length > 0);
  assert.ok(
    jobs.some((j) => j.status === 'cancelled'),
    JSON.stringify(jobs.map((j) => j.status)),
  );
  for (const j of jobs) {
    assert.match(j.id, /^[0-9a-f-]{36}$/);
    if (j.status === 'cancelled') assert.equal(typeof j.execution_end_time, 'number');
  }
});

test('failed runs carry their execution_error; status filters, sort and paging', () => {
  const history: History = {
    a: {
      prompt: [1, 'a', {}, {}, []],
      outputs: {},
      status: {
        status_str: 'error',
        completed: false,
        messages: [
          ['execution_start', { timestamp: 10 }],
          ['execution_error', { timestamp: 30, exception_message: 'boom' }],
        ],
      },
    },
    b: {
      prompt: [2, 'b', {}, { extra_pnginfo: { workflow: { id: 'wf-1' } } }, []],
      outputs: { '9': { images: [{ filename: 'x.png' }, { filename: 'y.latent' }], text: ['not a file'] } },
      status: {
        status_str: 'success',
        completed: true,
        messages: [
          ['execution_start', { timestamp: 10 }],
          ['execution_success', { timestamp: 15 }],
        ],
      },
    },
  };
  const queue: QueueState = { queue_running: [], queue_pending: [[3, 'c', {}, { create_time: 5 }, []]] };
  const jobs = jobsFromQueueAndHistory(queue, history);
  assert.deepEqual(
    jobs.map((j) => [j.id, j.status]),
    [
      ['c', 'pending'],
      ['b', 'completed'],
      ['a', 'failed'],
    ],
  );
  assert.deepEqual(jobs[2]!.execution_error, { timestamp: 30, exception_message: 'boom' });
  assert.equal(jobs[1]!.workflow_id, 'wf-1');
  assert.equal(jobs[1]!.outputs_count, 2);
  assert.equal(jobs[1]!.previewable_outputs_count, 1);
  assert.equal(jobs[0]!.create_time, 5);

  assert.deepEqual(
    pageJobs(jobs, { status: ['failed', 'completed'] }).jobs.map((j) => j.id),
    ['b', 'a'],
  );
  assert.deepEqual(
    pageJobs(jobs, { sortBy: 'execution_duration', sortOrder: 'desc' }).jobs.map((j) => j.id),
    ['a', 'b', 'c'],
  );
  assert.deepEqual(
    pageJobs(jobs, { workflowId: 'wf-1' }).jobs.map((j) => j.id),
    ['b'],
  );
  const page = pageJobs(jobs, { offset: 1, limit: 1 });
  assert.deepEqual(
    page.jobs.map((j) => j.id),
    ['b'],
  );
  assert.deepEqual(page.pagination, { offset: 1, limit: 1, total: 3, has_more: true });
  assert.equal(outputFiles({ '1': { images: [{ filename: 'q.png' }] }, '2': { gifs: [{ filename: 'v.mp4' }] } }).length, 2);
});
