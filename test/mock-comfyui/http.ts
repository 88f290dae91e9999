// HTTP answers of the mock and the Python-flavoured helpers its handlers share (aiohttp's defaults, `key in value`,
// `d.get`, iteration of JSON values).
import type { IncomingMessage } from 'node:http';
import { INTERNAL_ERROR_TEXT } from './validate';
import { PyError, pyJsonDumps } from './python';

export class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: Buffer,
    readonly headers: Record<string, string>,
  ) {}
}

export function json(body: unknown, status = 200): HttpAnswer {
  return new HttpAnswer(status, Buffer.from(pyJsonDumps(body), 'utf8'), { 'Content-Type': 'application/json; charset=utf-8' });
}
export function empty(status = 200): HttpAnswer {
  return new HttpAnswer(status, Buffer.alloc(0), { 'Content-Type': 'application/octet-stream' });
}
/** An answer with no body and no Content-Type (what 0.33's security middleware sends with its 403). */
export function bare(status: number): HttpAnswer {
  return new HttpAnswer(status, Buffer.alloc(0), {});
}
export function text(status: number, body: string): HttpAnswer {
  return new HttpAnswer(status, Buffer.from(body, 'utf8'), { 'Content-Type': 'text/plain; charset=utf-8' });
}
export const internalError = (): HttpAnswer => text(500, INTERNAL_ERROR_TEXT);
export const notFound = (): HttpAnswer => text(404, '404: Not Found');
export const methodNotAllowed = (): HttpAnswer => text(405, '405: Method Not Allowed');

/** Python `key in value` for a JSON body of any type (TypeError → the server answers 500). */
export function pyIn(key: string, value: unknown): boolean {
  if (typeof value === 'string') return value.includes(key);
  if (Array.isArray(value)) return value.includes(key);
  if (value !== null && typeof value === 'object') return Object.hasOwn(value, key);
  throw new PyError('TypeError', 'argument is not iterable');
}

/** Python `d.get(key)` on a JSON body (AttributeError → 500 when it is not a dict). */
export function pyGet(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return (value as Record<string, unknown>)[key];
  throw new PyError('AttributeError', "object has no attribute 'get'");
}

/** Python `for x in value` over a JSON value. */
export function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v && typeof v === 'object') return Object.keys(v);
  throw new PyError('TypeError', 'object is not iterable');
}

/** `await request.json()`: a body that is not JSON raises (→ 500). */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new PyError('JSONDecodeError', 'Expecting value');
  }
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
