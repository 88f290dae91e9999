// The statistics every bench line uses: a quantile of sorted times (the median is quantile 0.5) and the rounding of
// printed milliseconds. Not in run.ts: run.ts imports the cases, and cases that print their own lines import this.

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

export const round = (n: number): number => Math.round(n * 1000) / 1000;
