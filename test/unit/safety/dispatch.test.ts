import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseLeastBusy, classesOfPrompt } from '../../../src/core/dispatch/leastBusy';

test('the smallest queue wins; unreachable servers and servers missing classes are skipped with a reason', () => {
  const r = chooseLeastBusy([
    { name: 'a', reachable: true, queueRemaining: 3 },
    { name: 'down', reachable: false, error: 'refused' },
    { name: 'b', reachable: true, queueRemaining: 1 },
    { name: 'nocls', reachable: true, queueRemaining: 0, missingClasses: ['Foo', 'Bar'] },
  ]);
  assert.equal(r.chosen?.name, 'b');
  assert.deepEqual(
    r.ranking.map((s) => s.name),
    ['b', 'a'],
  );
  assert.deepEqual(r.skipped, [
    { name: 'down', reason: 'unreachable', detail: 'refused' },
    { name: 'nocls', reason: 'missing-classes', detail: 'Foo, Bar' },
  ]);
});

test('ties: lower latency, then configuration order; unknown queue counts as busiest', () => {
  assert.equal(
    chooseLeastBusy([
      { name: 'x', reachable: true, queueRemaining: 0, latencyMs: 50 },
      { name: 'y', reachable: true, queueRemaining: 0, latencyMs: 5 },
    ]).chosen?.name,
    'y',
  );
  assert.equal(
    chooseLeastBusy([
      { name: 'x', reachable: true, queueRemaining: 2 },
      { name: 'y', reachable: true, queueRemaining: 2 },
    ]).chosen?.name,
    'x',
  );
  assert.equal(
    chooseLeastBusy([
      { name: 'x', reachable: true },
      { name: 'y', reachable: true, queueRemaining: 9 },
    ]).chosen?.name,
    'y',
  );
  assert.equal(
    chooseLeastBusy([
      { name: 'x', reachable: true, queueRemaining: Number.NaN },
      { name: 'y', reachable: true, queueRemaining: 9 },
    ]).chosen?.name,
    'y',
  );
});

test('no eligible server: chosen is undefined', () => {
  const r = chooseLeastBusy([{ name: 'x', reachable: false }]);
  assert.equal(r.chosen, undefined);
  assert.equal(r.skipped[0]?.detail, 'not reachable');
  assert.equal(chooseLeastBusy([]).chosen, undefined);
});

test('classesOfPrompt lists each class once and ignores junk', () => {
  assert.deepEqual(classesOfPrompt({ 1: { class_type: 'A' }, 2: { class_type: 'B' }, 3: { class_type: 'A' }, 4: null, 5: { class_type: 7 } }), ['A', 'B']);
  assert.deepEqual(classesOfPrompt(null), []);
  assert.deepEqual(classesOfPrompt([1]), []);
});

test('classesOfWorkflow: API, request body and UI (frontend-only, muted, bypassed and subgraph instances excluded)', async () => {
  const { classesOfWorkflow } = await import('../../../src/core/dispatch/leastBusy');
  assert.deepEqual(classesOfWorkflow({ 1: { class_type: 'A' } }), ['A']);
  assert.deepEqual(classesOfWorkflow({ prompt: { 1: { class_type: 'B' } }, client_id: 'x' }), ['B']);
  const ui = {
    nodes: [
      { id: 1, type: 'KSampler', mode: 0 },
      { id: 2, type: 'Note' },
      { id: 3, type: 'Muted', mode: 2 },
      { id: 4, type: 'Bypassed', mode: 4 },
      { id: 5, type: 'sg-1' },
    ],
    definitions: { subgraphs: [{ id: 'sg-1', nodes: [{ id: 1, type: 'VAEDecode' }] }] },
  };
  assert.deepEqual(classesOfWorkflow(ui), ['KSampler', 'VAEDecode']);
  assert.deepEqual(classesOfWorkflow('x'), []);
});
