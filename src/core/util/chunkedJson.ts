// Reading a large JSON document (a 100 MB /object_info, its cache file) without blocking the thread for the whole
// parse: `JSON.parse` of 100 MB holds the event loop for a second or more. This reader walks the outer object (and
// any large member, recursively) itself, hands each small piece to `JSON.parse`, and pauses between pieces once a
// time slice is used up, so other work (the editor) runs in between. The result equals `JSON.parse` of the text,
// including a `__proto__` member as an own property; malformed text throws `ChunkedJsonError` with the byte offset.
//
// A single string larger than the largest piece is still parsed in one call (it cannot be split); everything else
// costs at most about one slice plus one piece of `JSON.parse` between two pauses.

export interface ChunkedJsonOptions {
  /** Work between two pauses (ms). */
  sliceMs?: number;
  /** Members and elements larger than this (bytes) are walked instead of handed to `JSON.parse` whole. */
  pieceBytes?: number;
  /** Lets other work run (default: one turn of the event loop, `setImmediate`). */
  pause?: () => Promise<void>;
  signal?: AbortSignal;
  /** Clock for the slices (ms; default `performance.now`). */
  now?: () => number;
  /** Filled with the byte range of each member value of the outer object (to hand one member's bytes on). */
  spans?: Map<string, { start: number; end: number }>;
}

export class ChunkedJsonError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'ChunkedJsonError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Reads a JSON object (the whole of `bytes`, surrounding whitespace allowed) in time slices. */
export async function parseJsonObjectChunked(bytes: Uint8Array, options: ChunkedJsonOptions = {}): Promise<Record<string, unknown>> {
  const reader = new Reader(bytes, options);
  let i = reader.skipSpace(0);
  if (bytes[i] !== OPEN_BRACE) throw new ChunkedJsonError('expected a JSON object', i);
  const { value, end } = await reader.object(i, options.spans);
  i = reader.skipSpace(end);
  if (i !== bytes.length) throw new ChunkedJsonError('unexpected text after the JSON object', i);
  return value;
}

/**
 * A copy of `bytes` in shared memory, made a few megabytes at a time: another thread can then read it without any
 * further copy (posting a view on a SharedArrayBuffer shares it), and the host never holds its thread for one
 * 100 MB allocation and copy (which, with the page faults of fresh memory, took over half a second on a busy machine).
 */
export async function copyToShared(
  bytes: Uint8Array,
  options: Pick<ChunkedJsonOptions, 'pause' | 'signal'> & { chunkBytes?: number } = {},
): Promise<Uint8Array> {
  const out = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  const chunk = options.chunkBytes ?? 4 * 1024 * 1024;
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  for (let i = 0; i < bytes.byteLength; i += chunk) {
    if (i > 0) {
      await pause();
      options.signal?.throwIfAborted();
    }
    out.set(bytes.subarray(i, i + chunk), i);
  }
  return out;
}

class Reader {
  private readonly buf: Buffer;
  private readonly sliceMs: number;
  private readonly pieceBytes: number;
  private readonly pause: () => Promise<void>;
  private readonly now: () => number;
  private sliceStart: number;

  constructor(
    bytes: Uint8Array,
    private readonly o: ChunkedJsonOptions,
  ) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.sliceMs = o.sliceMs ?? 8;
    this.pieceBytes = o.pieceBytes ?? 1024 * 1024;
    this.pause = o.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.now = o.now ?? (() => performance.now());
    this.sliceStart = this.now();
  }

  skipSpace(i: number): number {
    const b = this.buf;
    while (isSpace(b[i])) i++;
    return i;
  }

  /** Pauses when the slice is used up (and stops when aborted). */
  private async tick(): Promise<void> {
    if (this.now() - this.sliceStart < this.sliceMs) return;
    await this.pause();
    this.o.signal?.throwIfAborted();
    this.sliceStart = this.now();
  }

  /** The object whose `{` is at `start`; `end` is just past its `}`. */
  async object(start: number, spans?: Map<string, { start: number; end: number }>): Promise<{ value: Record<string, unknown>; end: number }> {
    const b = this.buf;
    const value: Record<string, unknown> = {};
    let i = this.skipSpace(start + 1);
    if (b[i] === CLOSE_BRACE) return { value, end: i + 1 };
    for (;;) {
      if (b[i] !== QUOTE) throw new ChunkedJsonError('expected a member name', i);
      const keyEnd = this.endOfString(i);
      const key = this.parse(i, keyEnd) as string;
      i = this.skipSpace(keyEnd);
      if (b[i] !== COLON) throw new ChunkedJsonError('expected ":"', i);
      i = this.skipSpace(i + 1);
      const r = await this.value(i);
      spans?.set(key, { start: i, end: r.end });
      if (key === '__proto__') Object.defineProperty(value, key, { value: r.value, writable: true, enumerable: true, configurable: true });
      else value[key] = r.value;
      i = this.skipSpace(r.end);
      if (b[i] === COMMA) {
        i = this.skipSpace(i + 1);
        await this.tick();
        continue;
      }
      if (b[i] === CLOSE_BRACE) return { value, end: i + 1 };
      throw new ChunkedJsonError('expected "," or "}"', i);
    }
  }

  private async array(start: number): Promise<{ value: unknown[]; end: number }> {
    const b = this.buf;
    const value: unknown[] = [];
    let i = this.skipSpace(start + 1);
    if (b[i] === CLOSE_BRACKET) return { value, end: i + 1 };
    for (;;) {
      const r = await this.value(i);
      value.push(r.value);
      i = this.skipSpace(r.end);
      if (b[i] === COMMA) {
        i = this.skipSpace(i + 1);
        await this.tick();
        continue;
      }
      if (b[i] === CLOSE_BRACKET) return { value, end: i + 1 };
      throw new ChunkedJsonError('expected "," or "]"', i);
    }
  }

  /**
   * The value at `i` (no leading space): small ones through JSON.parse, large objects and arrays walked. The search
   * for the end stops after `pieceBytes`, so a 100 MB member is never scanned in one go before it is walked.
   */
  private async value(i: number): Promise<{ value: unknown; end: number }> {
    const end = this.endOfValue(i, this.pieceBytes);
    if (end < 0) return this.buf[i] === OPEN_BRACE ? this.object(i) : this.array(i);
    return { value: this.parse(i, end), end };
  }

  private parse(start: number, end: number): unknown {
    try {
      return JSON.parse(this.buf.toString('utf8', start, end));
    } catch (error) {
      throw new ChunkedJsonError(error instanceof Error ? error.message : 'malformed JSON', start);
    }
  }

  /** Just past the closing quote of the string whose opening quote is at `i`. */
  private endOfString(i: number): number {
    const b = this.buf;
    let from = i + 1;
    for (;;) {
      const q = b.indexOf(QUOTE, from);
      if (q < 0) throw new ChunkedJsonError('unterminated string', i);
      let backslashes = 0;
      for (let k = q - 1; k > i && b[k] === BACKSLASH; k--) backslashes++;
      if (backslashes % 2 === 0) return q + 1;
      from = q + 1;
    }
  }

  /**
   * Just past the value starting at `i`, found by bracket depth (strings skipped with `indexOf`), or -1 for an object
   * or array that does not end within `limit` bytes. It does not check the value: `JSON.parse` (or the walk) does.
   */
  private endOfValue(i: number, limit: number): number {
    const b = this.buf;
    const n = b.length;
    const c = b[i];
    if (c === QUOTE) return this.endOfString(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      let depth = 0;
      for (let j = i; j < n;) {
        if (j - i > limit) return -1;
        const x = b[j]!;
        if (x === QUOTE) {
          j = this.endOfString(j);
          continue;
        }
        if (x === OPEN_BRACE || x === OPEN_BRACKET) depth++;
        else if ((x === CLOSE_BRACE || x === CLOSE_BRACKET) && --depth === 0) return j + 1;
        j++;
      }
      throw new ChunkedJsonError('unterminated object or array', i);
    }
    let j = i;
    while (j < n) {
      const x = b[j];
      if (x === COMMA || x === CLOSE_BRACE || x === CLOSE_BRACKET || isSpace(x)) break;
      j++;
    }
    if (j === i) throw new ChunkedJsonError('expected a value', i);
    return j;
  }
}
