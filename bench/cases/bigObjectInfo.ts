// e5: a 100 MB /object_info (issue 13, deliver 7), served by the mock server in a child process to the extension
// activated through the vscode shim (test/hostile/bigObjectInfo.ts): connect + fetch + cache + first diagnostics of
// a workflow, a re-validation after an edit, Refresh Node Definitions, and an offline start from the cache. One line
// per phase: the value is the longest block of the extension host's event loop in it (median = p95: one run each),
// target ≤ 100 ms; the first line adds the time to first diagnostics and the peak memory of the process.
// Runs when the bench filter is empty or names "e5". The machine's noise floor is in `idle_floor_ms`.
import { measureBigObjectInfo } from '../../test/hostile/bigObjectInfo';

const CASE = 'e5. 100 MB /object_info: longest block of the extension host';

export async function register(): Promise<void> {
  const filter = process.argv[2];
  if (filter && !filter.split(',').some((f) => CASE.includes(f) || f === 'e5')) return;
  const f = await measureBigObjectInfo();
  const line = (phase: string, ms: number, extra: Record<string, unknown> = {}) =>
    console.log(
      JSON.stringify({
        case: `${CASE} (${phase})`,
        median_ms: ms,
        p95_ms: ms,
        baseline: null,
        baseline_median_ms: null,
        ratio: null,
        target: { maxMedianMs: 100 },
        idle_floor_ms: f.idleFloorMs,
        ...extra,
      }),
    );
  line('connect, fetch, cache, first diagnostics', f.longestBlockMs.connect, {
    object_info_mb: f.objectInfoMB,
    classes: f.classes,
    time_to_first_diagnostics_ms: f.timeToFirstDiagnosticsMs,
    peak_rss_mb: f.peakRssMB,
    peak_heap_used_mb: f.peakHeapUsedMB,
  });
  line('re-validation after an edit', f.longestBlockMs.revalidate);
  line('Refresh Node Definitions', f.longestBlockMs.refresh);
  line('offline start from the cache', f.longestBlockMs.cacheStart, { time_to_first_diagnostics_ms: f.cacheTimeToFirstDiagnosticsMs });
}
