// `npm run bench [filter,filter…]`: one JSON line per case, {"case","median_ms","p95_ms","baseline","baseline_median_ms","ratio"}.
// A filter keeps the cases whose name contains one of the comma-separated substrings (e.g. `npm run bench -- "a.,b."`).
// Each area adds its cases from a module under bench/cases/, imported statically (a broken case fails the run).
// Timings here are never asserted by tests; targets are printed so a human (or CI dashboard) can compare.
import { performance } from 'node:perf_hooks';
import { benchInputs } from './inputs';
import { quantile, round } from './stats';
import { registerWorkflowCases } from './cases/workflow';
import { register as registerConvertCases } from './cases/convert';
import { register as registerEditorCases } from './cases/editor';
import { register as registerGitCases } from './cases/git';
import { register as registerPacksCases } from './cases/packs';
import { register as registerGraphCases } from './cases/graph';
import { register as registerHostileEditorCases } from './cases/hostileEditor';
import { register as registerBigObjectInfoCases } from './cases/bigObjectInfo';
import { register as registerGraphWebviewCases } from './cases/graphWebview';
import { register as registerGraphHostCases } from './cases/graphHost';

export interface Timed {
  /** Label of the implementation, e.g. "vscode-json-languageservice". */
  name: string;
  /** Prepares one iteration (not timed); its result is passed to `run`. */
  setup?: () => unknown | Promise<unknown>;
  run: (prepared: unknown) => unknown | Promise<unknown>;
}

export interface BenchCase {
  case: string;
  subject: Timed;
  baseline?: Timed;
  iterations?: number;
  baselineIterations?: number;
  /** Printed next to the result (not enforced here). */
  target?: { maxMedianMs?: number; minRatio?: number };
}

export const cases: BenchCase[] = [];

async function measure(t: Timed, iterations: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const prepared = t.setup ? await t.setup() : undefined;
    // Collect the setup's garbage (e.g. a freshly parsed dump) now, not inside the timed run.
    if (t.setup) (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    await t.run(prepared);
    times.push(performance.now() - start);
  }
  return times;
}

export async function runCases(filter?: string): Promise<void> {
  const selected = cases.filter((c) => !filter || filter.split(',').some((f) => c.case.includes(f)));
  const gc = (globalThis as { gc?: () => void }).gc;
  // Every subject runs before any baseline: the peer's schemas and caches are large, and a heap full of them would
  // slow down the garbage collections of whatever is measured after them.
  const medians = new Map<BenchCase, number[]>();
  for (const c of selected) {
    const iterations = c.iterations ?? 20;
    gc?.();
    await measure(c.subject, Math.min(3, iterations)); // warm-up: JIT, module loading
    medians.set(
      c,
      (await measure(c.subject, iterations)).sort((a, b) => a - b),
    );
    if (!selected.some((x) => x.baseline)) printLine(c, medians.get(c)!, null);
  }
  if (!selected.some((x) => x.baseline)) return;
  for (const c of selected) {
    let baselineMedian: number | null = null;
    if (c.baseline) {
      const bIter = c.baselineIterations ?? Math.max(3, Math.floor((c.iterations ?? 20) / 4));
      gc?.();
      await measure(c.baseline, 1);
      const bt = (await measure(c.baseline, bIter)).sort((a, b) => a - b);
      baselineMedian = quantile(bt, 0.5);
    }
    printLine(c, medians.get(c)!, baselineMedian);
  }
}

function printLine(c: BenchCase, times: number[], baselineMedian: number | null): void {
  const median = quantile(times, 0.5);
  const line: Record<string, unknown> = {
    case: c.case,
    median_ms: round(median),
    p95_ms: round(quantile(times, 0.95)),
    baseline: c.baseline?.name ?? null,
    baseline_median_ms: baselineMedian === null ? null : round(baselineMedian),
    ratio: baselineMedian === null ? null : round(baselineMedian / median),
  };
  if (c.target) line.target = c.target;
  console.log(JSON.stringify(line));
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const inputs = benchInputs();
  console.log(JSON.stringify({ case: 'inputs', ...inputs.describe() }));
  await registerWorkflowCases(cases, inputs);
  registerConvertCases(cases, inputs);
  const disposeEditor = await registerEditorCases(cases, inputs);
  registerGitCases(cases, inputs);
  registerPacksCases(cases, inputs);
  registerGraphCases(cases, inputs);
  await registerHostileEditorCases();
  await registerGraphHostCases(inputs);
  try {
    await runCases(filter);
  } finally {
    disposeEditor();
  }
  await registerGraphWebviewCases(inputs);
  // Last: a 100 MB /object_info leaves a heap of over a gigabyte behind, which slowed every case measured after it
  // (b. read 152 ms instead of 95).
  await registerBigObjectInfoCases();
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
