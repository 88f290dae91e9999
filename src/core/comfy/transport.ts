// One HTTP exchange with ComfyUI: timeout + cancellation, capped body reading, and the mapping of every failure
// to a typed ComfyError. The route methods in client.ts build on this and never see a raw undici error.
import { request, type Dispatcher } from 'undici';
import { deadline } from '../util/abort';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/logger';
import {
  ComfyAbortError,
  ComfyError,
  ComfyHttpError,
  ComfyProtocolError,
  ComfyTimeoutError,
  ComfyTooLargeError,
  ComfyUnreachableError,
  type UnreachableReason,
  asPromptErrorBody,
} from './errors';
import type { Redactor } from './redact';

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's default timeout for this call; covers connecting, headers and the whole body. */
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  contentType: string;
  bytes: Buffer;
}

export interface ExchangeInit {
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Body size cap for 2xx answers (bytes). */
  maxBytes: number;
  call: CallOptions | undefined;
  defaultTimeoutMs: number;
}

export interface TransportDeps {
  dispatcher?: Dispatcher;
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
}

/** Error bodies are only for messages; a huge one is cut, not read. */
const MAX_ERROR_BODY = 64 * 1024;

/** Performs the request; resolves only for 2xx, throws a ComfyError otherwise. */
export async function exchange(init: ExchangeInit, deps: TransportDeps): Promise<RawResponse> {
  const shownUrl = deps.redactor.url(init.url);
  const timeoutMs = init.call?.timeoutMs ?? init.defaultTimeoutMs;
  const dl = deadline(init.call?.signal, timeoutMs, deps.clock);
  const fail = (error: unknown): ComfyError => {
    if (dl.cancelled()) return new ComfyAbortError(shownUrl, error);
    if (dl.timedOut()) return new ComfyTimeoutError(shownUrl, timeoutMs);
    if (error instanceof ComfyError) return error;
    return classifyNetworkError(error, shownUrl, timeoutMs);
  };
  try {
    if (dl.signal.aborted) throw fail(dl.signal.reason);
    deps.logger.trace(`${init.method} ${shownUrl}`);
    let res: Dispatcher.ResponseData;
    try {
      res = await request(init.url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: dl.signal,
        ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
      });
    } catch (error) {
      throw fail(error);
    }
    const contentType = headerValue(res.headers['content-type']);
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    let bytes: Buffer;
    try {
      bytes = await readCapped(res.body, ok ? init.maxBytes : MAX_ERROR_BODY, !ok, shownUrl, headerValue(res.headers['content-length']));
    } catch (error) {
      throw fail(error);
    }
    if (!ok) throw httpError(init.method, shownUrl, res.statusCode, res.statusText ?? '', contentType, bytes, deps.redactor, headerValue(res.headers.location));
    return { status: res.statusCode, headers: res.headers, contentType, bytes };
  } finally {
    dl.dispose();
  }
}

type Body = AsyncIterable<Buffer | Uint8Array> & { destroy(error?: Error): unknown; on(event: 'error', fn: () => void): unknown };

/** Stops reading a body we will not use; undici then emits an AbortError on the stream, which must not go unhandled. */
function discard(body: Body): void {
  body.on('error', () => {});
  body.destroy();
}

async function readCapped(body: Body, cap: number, truncate: boolean, shownUrl: string, contentLength: string): Promise<Buffer> {
  const declared = Number(contentLength);
  if (!truncate && contentLength !== '' && Number.isFinite(declared) && declared > cap) {
    discard(body);
    throw new ComfyTooLargeError(shownUrl, cap, declared);
  }
  // With a declared length, one buffer filled as chunks arrive: no concatenation at the end, which for a 100 MB
  // /object_info was one block of the thread (a fresh 100 MB allocation and copy) of a few hundred ms.
  if (!truncate && contentLength !== '' && Number.isInteger(declared) && declared > 64 * 1024) return readInto(body, declared, cap, shownUrl);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (total + buf.length > cap) {
      if (truncate) {
        chunks.push(buf.subarray(0, cap - total));
        total = cap;
        discard(body);
        break;
      }
      discard(body);
      throw new ComfyTooLargeError(shownUrl, cap, total + buf.length);
    }
    chunks.push(buf);
    total += buf.length;
  }
  return Buffer.concat(chunks, total);
}

/** Reads a body of `declared` bytes into one buffer; a body longer than declared falls back to collecting chunks. */
async function readInto(body: Body, declared: number, cap: number, shownUrl: string): Promise<Buffer> {
  const out = Buffer.allocUnsafe(declared);
  let total = 0;
  let extra: Buffer[] | undefined;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (total + buf.length > cap) {
      discard(body);
      throw new ComfyTooLargeError(shownUrl, cap, total + buf.length);
    }
    if (!extra && total + buf.length <= declared) buf.copy(out, total);
    else (extra ??= [out.subarray(0, total)]).push(buf);
    total += buf.length;
  }
  return extra ? Buffer.concat(extra, total) : out.subarray(0, total);
}

function httpError(
  method: string,
  shownUrl: string,
  status: number,
  statusText: string,
  contentType: string,
  bytes: Buffer,
  redactor: Redactor,
  location: string,
): ComfyHttpError {
  if (status >= 300 && status < 400) {
    // ComfyUI never redirects its API routes; a redirect means something (an auth proxy, http→https) sits in front.
    const shownLocation = location ? redactor.url(location) : '';
    const target = shownLocation ? ` to ${shownLocation}` : '';
    return new ComfyHttpError(
      shownUrl,
      method,
      status,
      statusText,
      shownLocation,
      undefined,
      `${method} ${shownUrl} was redirected${target} (HTTP ${status}); a login page or proxy is in front of ComfyUI, so check the server URL (http/https, prefix) and credentials.`,
    );
  }
  const text = redactor.text(bytes.toString('utf8'));
  let body: unknown = text;
  if (/json/i.test(contentType) || /^\s*[[{]/.test(text)) {
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return new ComfyHttpError(shownUrl, method, status, statusText, body, status === 400 ? asPromptErrorBody(body) : undefined);
}

/** Parses a JSON body; non-JSON (an HTML page from a proxy, truncated output) becomes a ComfyProtocolError. */
export function parseJson(res: RawResponse, shownUrl: string): unknown {
  const text = res.bytes.toString('utf8');
  if (text.trim() === '') throw new ComfyProtocolError(shownUrl, 'an empty body where JSON was expected');
  try {
    return JSON.parse(text);
  } catch (error) {
    if (/html/i.test(res.contentType) || /^\s*</.test(text)) {
      throw new ComfyProtocolError(shownUrl, `an HTML page (${res.contentType || 'no content type'}) where JSON was expected`, error);
    }
    if (/^\s*[[{"]/.test(text)) {
      throw new ComfyProtocolError(shownUrl, `truncated or malformed JSON (${res.bytes.length} bytes)`, error);
    }
    throw new ComfyProtocolError(shownUrl, `non-JSON text (${res.contentType || 'no content type'}) where JSON was expected`, error);
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const CLOSED_CODES = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Maps a network-level failure (no HTTP answer) to a typed error, looking through `cause` chains. */
export function classifyNetworkError(error: unknown, shownUrl: string, timeoutMs: number): ComfyError {
  const code = findCode(error);
  let reason: UnreachableReason = 'network';
  if (code === 'ECONNREFUSED') reason = 'refused';
  else if (code && DNS_CODES.has(code)) reason = 'dns';
  else if (code && RESET_CODES.has(code)) reason = 'reset';
  else if (code && CLOSED_CODES.has(code)) reason = 'closed';
  else if (code && TIMEOUT_CODES.has(code)) return new ComfyTimeoutError(shownUrl, timeoutMs, error);
  else if (code && /CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) reason = 'tls';
  return new ComfyUnreachableError(shownUrl, reason, code, error);
}

function findCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 6 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR' && code !== 'UND_ERR_ABORTED') {
      // undici wraps socket errors (UND_ERR_SOCKET) around the system error; prefer the system code.
      const inner = findCode((e as { cause?: unknown }).cause);
      return code === 'UND_ERR_SOCKET' && inner ? inner : code;
    }
    // AggregateError (happy-eyeballs tried several addresses): use the first inner error.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = findCode(errors[0]);
      if (inner) return inner;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function headerValue(v: string | string[] | undefined): string {
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}
