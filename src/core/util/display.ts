// Values shown to people: sizes, durations, file names. One spelling for the whole extension and CLI.

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

/** The last segment of a path or URI path ("a/b/c.json" → "c.json"; `/` and `\` both separate). */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1) || trimmed;
}
