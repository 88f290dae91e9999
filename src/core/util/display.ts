// Values shown to people: sizes, durations (finished and running), file names. One spelling for the whole extension and CLI.

/** "512 bytes", "1.5 KB", "64 MB", "7.6 GB" (binary units, at most one decimal). */
export function formatBytes(n: number): string {
  const units = ['KB', 'MB', 'GB', 'TB'];
  if (!(Math.abs(n) >= 1024)) return `${n} bytes`;
  let value = n / 1024;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Math.round(value * 10) / 10} ${units[unit]}`;
}

/** "850 ms", "1.5 s", "30 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * "0:07", "12:05", "1:02:03": a stopwatch for a time that is still running (the run's progress line, updated every
 * second). Two duration formats on purpose: a ticking clock keeps its width and never switches units as it counts
 * (formatDuration would go "950 ms", "1 s", "1.1 s", …), while formatDuration reads better for a finished amount.
 */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m % 60)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** The last segment of a path or URI path ("a/b/c.json" → "c.json"; `/` and `\` both separate). */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1) || trimmed;
}
