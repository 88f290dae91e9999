// Just enough of Python's semantics to reproduce ComfyUI's error texts byte for byte: the server builds its messages
// with str()/repr() and converts widget values with int()/float()/bool(), so the mock has to do the same.
// JSON loses the int/float distinction, so callers say when a number is known to be a Python float.

/** An exception as Python would raise it: `type` is the qualified class name used in `exception_type`. */
export class PyError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
  }
}

export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** Python's repr() of a float. */
export function pyFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  const abs = Math.abs(n);
  // Both print the shortest round-trip digits; Python switches to an exponent below 1e-4 and from 1e16 on, and writes
  // at least two exponent digits (1e-07).
  if (n !== 0 && (abs < 1e-4 || abs >= 1e16)) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  if (Object.is(n, -0)) return '-0.0';
  if (Number.isInteger(n)) return n.toFixed(1);
  return String(n);
}

function pyInt(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}

/** Python's repr() of a str. */
export function pyReprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

export interface PyFormatOptions {
  /** Print integral numbers as floats (`8.0`): the value came out of float() or is a FLOAT option. */
  float?: boolean;
}

/** Python's repr() of a JSON value. */
export function pyRepr(v: unknown, opts: PyFormatOptions = {}): string {
  if (typeof v === 'string') return pyReprString(v);
  if (Array.isArray(v)) return `[${v.map((x) => pyRepr(x, opts)).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyReprString(k)}: ${pyRepr(x, opts)}`)
      .join(', ')}}`;
  }
  return pyStr(v, opts);
}

/** Python's str() of a JSON value. */
export function pyStr(v: unknown, opts: PyFormatOptions = {}): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return opts.float || !Number.isInteger(v) ? pyFloat(v) : pyInt(v);
  if (typeof v === 'string') return v;
  return pyRepr(v, opts);
}

/** Python's int() of a JSON value. */
export function pyToInt(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) throw new PyError('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(v)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(v);
  }
  if (typeof v === 'string') {
    if (/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(v)) return Number(v.trim().replace(/_/g, ''));
    throw new PyError('ValueError', `invalid literal for int() with base 10: ${pyReprString(v)}`);
  }
  throw new PyError('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`);
}

const FLOAT_LITERAL = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*(?:[eE][+-]?\d+(?:_\d+)*)?|\d+(?:_\d+)*\.(?:[eE][+-]?\d+(?:_\d+)*)?)$/;

/** Python's float() of a JSON value. */
export function pyToFloat(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const s = v.trim();
    const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
    if (special) return special[2]!.toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
    if (FLOAT_LITERAL.test(s)) return Number(s.replace(/_/g, ''));
    throw new PyError('ValueError', `could not convert string to float: ${pyReprString(v)}`);
  }
  throw new PyError('TypeError', `float() argument must be a string or a real number, not '${pyTypeName(v)}'`);
}

/** Python's truthiness (bool()). */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** Python's `==` between JSON values (True == 1, 1 == 1.0, deep for containers). */
export function pyEq(a: unknown, b: unknown): boolean {
  const num = (x: unknown): number | undefined => (typeof x === 'number' ? x : typeof x === 'boolean' ? Number(x) : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && na === nb;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => pyEq(x, bb[i]));
  }
  const ka = Object.keys(a);
  const ob = b as Record<string, unknown>;
  return ka.length === Object.keys(ob).length && ka.every((k) => k in ob && pyEq((a as Record<string, unknown>)[k], ob[k]));
}

/** Python's `a < b` (or `>`), raising TypeError where Python would. */
export function pyCompare(a: unknown, op: '<' | '>', b: unknown): boolean {
  const isNum = (x: unknown) => typeof x === 'number' || typeof x === 'boolean';
  if (isNum(a) && isNum(b)) return op === '<' ? Number(a) < Number(b) : Number(a) > Number(b);
  if (typeof a === 'string' && typeof b === 'string') return op === '<' ? a < b : a > b;
  throw new PyError('TypeError', `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

/**
 * json.dumps with its defaults, as aiohttp's json_response writes bodies: ", " and ": " separators and non-ASCII
 * escaped as \uXXXX. Maps keep their insertion order even for integer-like keys (a JS object would reorder them).
 */
export function pyJsonDumps(v: unknown): string {
  if (v instanceof Map) {
    return `{${[...v].map(([k, x]) => `${asciiJson(String(k))}: ${pyJsonDumps(x)}`).join(', ')}}`;
  }
  if (Array.isArray(v)) return `[${v.map((x) => pyJsonDumps(x === undefined ? null : x)).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${asciiJson(k)}: ${pyJsonDumps(x)}`)
      .join(', ')}}`;
  }
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    return JSON.stringify(v);
  }
  if (typeof v === 'string') return asciiJson(v);
  return JSON.stringify(v ?? null);
}

function asciiJson(s: string): string {
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
