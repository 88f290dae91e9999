// Issue 13, deliver 7: a 100 MB /object_info through the editor (connect, fetch, cache, first diagnostics, an edit,
// Refresh Node Definitions, an offline start from the cache) never blocks the extension host's thread for long.
// The ceiling is generous for a loaded 2-core machine (the target, ≤ 100 ms, is in `npm run bench`, case e5): before
// the definitions were parsed in slices and handed to the worker as shared bytes, the longest block was 2.7–3 s
// (one JSON.parse of 100 MB, a structured clone to the worker, JSON.stringify for the cache).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBigObjectInfo } from './bigObjectInfo';

const CEILING_MS = 1000;

test('a 100 MB /object_info: no block of the extension host over the ceiling; diagnostics from it; bounded memory', async (t) => {
  const f = await measureBigObjectInfo(100 * 1024 * 1024, (line) => t.diagnostic(line));
  t.diagnostic(JSON.stringify(f));
  assert.ok(f.objectInfoMB >= 95, `${f.objectInfoMB} MB generated`);
  for (const [phase, ms] of Object.entries(f.longestBlockMs)) assert.ok(ms < CEILING_MS, `${phase}: the host was blocked for ${ms} ms`);
  assert.ok(f.timeToFirstDiagnosticsMs < 120_000, `first diagnostics after ${f.timeToFirstDiagnosticsMs} ms`);
  assert.ok(f.cacheTimeToFirstDiagnosticsMs < 120_000, `first diagnostics from the cache after ${f.cacheTimeToFirstDiagnosticsMs} ms`);
  assert.ok(f.peakRssMB < 4096, `peak rss ${f.peakRssMB} MB`);
});
