// Reading geometry the normalized UI records (../workflow/ui/graph.ts) do not keep: positions, sizes, colours,
// flags, groups and native reroutes, straight from the raw JSON at the records' paths. Every read is guarded:
// the file is untrusted.
import { isRecord } from '../util/guards';
import type { JsonPath } from '../workflow/ui/types';

export function at(root: unknown, path: JsonPath): unknown {
  let v = root;
  for (const k of path) {
    if (Array.isArray(v) && typeof k === 'number') v = v[k];
    else if (isRecord(v) && typeof k === 'string' && Object.prototype.hasOwnProperty.call(v, k)) v = v[k];
    else return undefined;
  }
  return v;
}

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** `[x, y]` or `{0: x, 1: y}` (old LiteGraph saved Float32Arrays as objects). */
export function pair(v: unknown): [number, number] | undefined {
  if (Array.isArray(v)) {
    const a = finite(v[0]),
      b = finite(v[1]);
    return a !== undefined && b !== undefined ? [a, b] : undefined;
  }
  if (isRecord(v)) {
    const a = finite(v['0']),
      b = finite(v['1']);
    return a !== undefined && b !== undefined ? [a, b] : undefined;
  }
  return undefined;
}

export function quad(v: unknown): [number, number, number, number] | undefined {
  if (!Array.isArray(v) || v.length < 4) return undefined;
  const q = v.slice(0, 4).map(finite);
  return q.every((x) => x !== undefined) ? (q as [number, number, number, number]) : undefined;
}

/** A CSS colour a file may set: `#rgb`, `#rrggbb`, `#rrggbbaa` only (nothing that could carry markup or url()). */
export function safeColor(v: unknown): string | undefined {
  return typeof v === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(v) ? v : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export { finite, isRecord };
