// "Did you mean …" for unknown class types, over class names and display names.
// Runs only for unknown classes, so a scan of ~2,000 names with a bounded edit distance is cheap enough.
import type { NodeDefs } from './nodeDefs';

/** Names longer than this get no suggestions: the edit distance is quadratic in the length (a 1 MB name…). */
export const MAX_SUGGESTED_NAME = 128;

/** Up to `limit` class names close to `typed` (by class name or display name), best first. */
export function suggestClassTypes(defs: NodeDefs, typed: string, limit = 3): string[] {
  const needle = typed.toLowerCase();
  if (needle === '' || needle.length > MAX_SUGGESTED_NAME) return [];
  const maxDistance = Math.max(2, Math.floor(needle.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of defs.names()) {
    const display = defs.displayName(name) ?? name;
    const score = Math.min(similarity(needle, name.toLowerCase(), maxDistance), similarity(needle, display.toLowerCase(), maxDistance));
    if (score <= maxDistance) scored.push({ name, score });
  }
  scored.sort((a, b) => a.score - b.score || a.name.length - b.name.length || (a.name < b.name ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.name);
}

/** 0 for a case-insensitive match, else the edit distance (capped at max + 1). */
function similarity(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  return editDistance(a, b, max);
}

/** Levenshtein distance with an early exit once every cell of a row exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (cur[j]! < rowMin) rowMin = cur[j]!;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Remembered answers per set of definitions; a bounded map, dropped when full (a file controls the names). */
const remembered = new WeakMap<NodeDefs, Map<string, readonly string[]>>();
const MAX_REMEMBERED_NAMES = 2_000;

/**
 * `suggestClassTypes` with its answers remembered per definitions and name, so re-validating a file with many nodes
 * of the same unknown class scans the ~2,000 class names once per distinct name, not once per node and keystroke.
 */
export function suggestClassTypesCached(defs: NodeDefs, typed: string): readonly string[] {
  let memo = remembered.get(defs);
  if (!memo) remembered.set(defs, (memo = new Map()));
  let hit = memo.get(typed);
  if (!hit) {
    if (memo.size >= MAX_REMEMBERED_NAMES) memo.clear();
    hit = suggestClassTypes(defs, typed);
    memo.set(typed, hit);
  }
  return hit;
}
