// A small strict-JSON reader and printer for the formatter and the merge driver. Unlike JSON.parse it keeps
// numbers as their source text (a 64-bit seed written by Python must not be rounded to a double) and object
// members in file order (JS objects put integer-like keys first). Iterative, linear in the input, nesting capped.

export type JVal = string | boolean | null | JNum | JArr | JObj;
export interface JNum {
  readonly num: string;
}
export type JArr = JVal[];
export interface JObj {
  readonly entries: [string, JVal][];
}

export const MAX_DEPTH = 256;

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function isObj(v: JVal | undefined): v is JObj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'entries' in v;
}
export function isNum(v: JVal | undefined): v is JNum {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'num' in v;
}

export function get(o: JVal | undefined, key: string): JVal | undefined {
  if (!isObj(o)) return undefined;
  for (const [k, v] of o.entries) if (k === key) return v;
  return undefined;
}

export function set(o: JObj, key: string, value: JVal): void {
  const e = o.entries.find(([k]) => k === key);
  if (e) e[1] = value;
  else o.entries.push([key, value]);
}

export function remove(o: JObj, key: string): void {
  const i = o.entries.findIndex(([k]) => k === key);
  if (i >= 0) o.entries.splice(i, 1);
}

export function num(n: number): JNum {
  return { num: String(n) };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PLAIN_STRING = /"[^"\\\u0000-\u001f]*"/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;

const NO_ARR: JArr = [];
const NO_OBJ: JObj = { entries: [] };

/** Parses strict JSON (a leading BOM is allowed). Duplicate keys: the last value wins at the first position, as JSON.parse. */
export function parseJson(text: string): JVal {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${i}`, i);
  };
  const readString = (): string => {
    PLAIN_STRING.lastIndex = i;
    if (PLAIN_STRING.test(text)) {
      const s = text.slice(i + 1, PLAIN_STRING.lastIndex - 1);
      i = PLAIN_STRING.lastIndex;
      return s;
    }
    STRING.lastIndex = i;
    if (!STRING.test(text)) fail('Invalid string');
    const s = JSON.parse(text.slice(i, STRING.lastIndex)) as string;
    i = STRING.lastIndex;
    return s;
  };
  const readScalar = (): JVal => {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) return readString();
    if (c === 116 && text.startsWith('true', i)) return ((i += 4), true);
    if (c === 102 && text.startsWith('false', i)) return ((i += 5), false);
    if (c === 110 && text.startsWith('null', i)) return ((i += 4), null);
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail('Unexpected token');
    const v = { num: text.slice(i, NUMBER.lastIndex) };
    i = NUMBER.lastIndex;
    return v;
  };
  // Containers on an explicit stack; `key` is the pending member name of an object frame.
  // One object shape for both kinds (monomorphic property access on the hot path).
  interface Frame {
    isArr: boolean;
    arr: JArr;
    obj: JObj;
    key: string | undefined;
  }
  const stack: Frame[] = [];
  let result: JVal | undefined;
  const attach = (v: JVal): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      result = v;
      return;
    }
    if (top.isArr) top.arr.push(v);
    else {
      top.obj.entries.push([top.key!, v]);
      top.key = undefined;
    }
  };
  // After a value inside a container: `,` continues, the closer pops.
  const afterValue = (): boolean => {
    ws();
    const top = stack[stack.length - 1];
    if (!top) return false;
    const close = top.isArr ? ']' : '}';
    if (text[i] === ',') {
      i++;
      return true;
    }
    if (text[i] === close) {
      i++;
      stack.pop();
      attach(top.isArr ? top.arr : dedupe(top.obj));
      return afterValue();
    }
    return fail(`Expected , or ${close}`);
  };
  for (;;) {
    ws();
    if (i >= n) fail('Unexpected end of JSON');
    const top = stack[stack.length - 1];
    if (top && !top.isArr && top.key === undefined) {
      if (text[i] !== '"') fail('Expected a property name');
      const key = readString();
      ws();
      if (text[i] !== ':') fail('Expected :');
      i++;
      top.key = key;
      continue;
    }
    const c = text[i];
    if (c === '[' || c === '{') {
      if (stack.length >= MAX_DEPTH) fail(`Nesting deeper than ${MAX_DEPTH}`);
      i++;
      ws();
      if (c === '[') {
        if (text[i] === ']') {
          i++;
          attach([]);
          if (!afterValue()) break;
          continue;
        }
        stack.push({ isArr: true, arr: [], obj: NO_OBJ, key: undefined });
      } else {
        if (text[i] === '}') {
          i++;
          attach({ entries: [] });
          if (!afterValue()) break;
          continue;
        }
        stack.push({ isArr: false, arr: NO_ARR, obj: { entries: [] }, key: undefined });
      }
      continue;
    }
    attach(readScalar());
    if (!afterValue()) break;
  }
  ws();
  if (i < n) fail('Unexpected text after the JSON value');
  return result!;
}

/** Duplicate member names: the last value wins at the first position, as with JSON.parse. */
function dedupe(o: JObj): JObj {
  const e = o.entries;
  if (e.length < 2) return o;
  const seen = new Map<string, number>();
  let dup = false;
  for (let i = 0; i < e.length; i++) {
    const at = seen.get(e[i]![0]);
    if (at === undefined) seen.set(e[i]![0], i);
    else dup = true;
  }
  if (!dup) return o;
  const out: [string, JVal][] = [];
  const pos = new Map<string, number>();
  for (const [k, v] of e) {
    const at = pos.get(k);
    if (at === undefined) {
      pos.set(k, out.length);
      out.push([k, v]);
    } else out[at]![1] = v;
  }
  return { entries: out };
}

/** Plain JS value (numbers as doubles): for conversions that need the ordinary shape. */
export function toPlain(v: JVal): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toPlain);
  if (isNum(v)) return Number(v.num);
  const o: Record<string, unknown> = {};
  for (const [k, x] of v.entries) o[k] = toPlain(x);
  return o;
}

/** From a plain JS value (as JSON.parse gives it). */
export function fromPlain(v: unknown): JVal {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return { num: Number.isFinite(v) ? JSON.stringify(v) : 'null' };
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(fromPlain);
  if (typeof v === 'object') return { entries: Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromPlain(x)]) };
  return null;
}

/** One-line canonical text of a value (members in their order): equality of two values is equality of this. */
export function compact(v: JVal): string {
  const out: string[] = [];
  const walk = (x: JVal): void => {
    if (x === null || typeof x !== 'object') out.push(JSON.stringify(x));
    else if (Array.isArray(x)) {
      out.push('[');
      x.forEach((e, j) => {
        if (j) out.push(',');
        walk(e);
      });
      out.push(']');
    } else if (isNum(x)) out.push(x.num);
    else {
      out.push('{');
      x.entries.forEach(([k, e], j) => {
        if (j) out.push(',');
        out.push(JSON.stringify(k), ':');
        walk(e);
      });
      out.push('}');
    }
  };
  walk(v);
  return out.join('');
}

/** Width up to which an array of scalars stays on one line. */
export const INLINE_WIDTH = 80;

/**
 * Pretty-prints: two-space indent, objects one member per line, arrays of scalars on one line when short
 * (links `["4", 0]`, positions, small widget lists), everything else one element per line. Trailing newline.
 */
export function printJson(v: JVal): string {
  const out: string[] = [];
  const walk = (x: JVal, indent: string): void => {
    if (x === null || typeof x !== 'object') {
      out.push(JSON.stringify(x));
      return;
    }
    if (isNum(x)) {
      out.push(x.num);
      return;
    }
    const inner = `${indent}  `;
    if (Array.isArray(x)) {
      if (x.length === 0) {
        out.push('[]');
        return;
      }
      if (x.every((e) => e === null || typeof e !== 'object' || isNum(e))) {
        const line = `[${x.map((e) => compact(e)).join(', ')}]`;
        if (line.length <= INLINE_WIDTH) {
          out.push(line);
          return;
        }
      }
      out.push('[\n');
      x.forEach((e, j) => {
        out.push(inner);
        walk(e, inner);
        out.push(j < x.length - 1 ? ',\n' : '\n');
      });
      out.push(`${indent}]`);
      return;
    }
    if (x.entries.length === 0) {
      out.push('{}');
      return;
    }
    out.push('{\n');
    x.entries.forEach(([k, e], j) => {
      out.push(inner, JSON.stringify(k), ': ');
      walk(e, inner);
      out.push(j < x.entries.length - 1 ? ',\n' : '\n');
    });
    out.push(`${indent}}`);
  };
  walk(v, '');
  out.push('\n');
  return out.join('');
}
