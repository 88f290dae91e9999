// Typed errors of the ComfyUI client. Every `message` is one sentence a user can act on, and holds no secret
// (URLs pass through a Redactor before they get here). Cancellation is modelled as an error class so `await` can
// unwind, but UIs should test `isCancellation()` and stay silent.
import type { PromptErrorBody } from './types';
import { isRecord } from '../util/guards';
import { formatBytes, formatDuration } from '../util/display';

export type ComfyErrorKind = 'config' | 'unreachable' | 'timeout' | 'http' | 'protocol' | 'too-large' | 'aborted';

export abstract class ComfyError extends Error {
  abstract readonly kind: ComfyErrorKind;
  /** The request URL, already redacted. */
  readonly url: string;

  protected constructor(message: string, url: string, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
    this.name = new.target.name;
  }
}

/** The server URL setting itself is unusable. */
export class ComfyConfigError extends ComfyError {
  readonly kind = 'config';
  constructor(url: string, reason: string) {
    super(`The ComfyUI server URL "${url}" is not usable (${reason}); set it to something like http://127.0.0.1:8188.`, url);
  }
}

export type UnreachableReason = 'refused' | 'dns' | 'reset' | 'tls' | 'network' | 'closed';

/** No HTTP answer at all: connection refused, DNS failure, connection reset, TLS failure. */
export class ComfyUnreachableError extends ComfyError {
  readonly kind = 'unreachable';
  constructor(
    url: string,
    readonly reason: UnreachableReason,
    /** The system error code, e.g. ECONNREFUSED, when one was found. */
    readonly code: string | undefined,
    cause?: unknown,
  ) {
    super(unreachableMessage(url, reason, code), url, { cause });
  }
}

function unreachableMessage(url: string, reason: UnreachableReason, code: string | undefined): string {
  switch (reason) {
    case 'refused':
      return `ComfyUI at ${url} refused the connection; check that the server is running and listening on that host and port.`;
    case 'dns':
      return `The host name of ${url} could not be resolved; check the ComfyUI server URL for typos.`;
    case 'reset':
      return `The connection to ComfyUI at ${url} was reset or closed early; the server or a proxy dropped it, so retry and check the server log.`;
    case 'tls':
      return `The secure (TLS) connection to ${url} failed${code ? ` (${code})` : ''}; check the server's certificate or use the right http/https scheme.`;
    case 'closed':
      return `The connection to ComfyUI at ${url} closed before the server answered; retry and check the server log.`;
    case 'network':
      return `ComfyUI at ${url} could not be reached${code ? ` (${code})` : ''}; check the network and the server URL.`;
  }
}

/** The call did not complete within its time budget. */
export class ComfyTimeoutError extends ComfyError {
  readonly kind = 'timeout';
  constructor(
    url: string,
    readonly timeoutMs: number,
    cause?: unknown,
  ) {
    super(`ComfyUI at ${url} did not answer within ${formatDuration(timeoutMs)}; the server may be busy or unreachable, so retry or raise the timeout.`, url, {
      cause,
    });
  }
}

/** A non-2xx HTTP status. `body` is the parsed JSON when it was JSON, else the (capped, redacted) text. */
export class ComfyHttpError extends ComfyError {
  readonly kind = 'http';
  constructor(
    url: string,
    readonly method: string,
    readonly status: number,
    readonly statusText: string,
    readonly body: unknown,
    /** The 400 body of POST /prompt (`error` + `node_errors`), when the body has that shape. */
    readonly promptError?: PromptErrorBody,
    message?: string,
  ) {
    super(message ?? httpMessage(url, method, status, body, promptError), url);
  }
}

function httpMessage(url: string, method: string, status: number, body: unknown, promptError: PromptErrorBody | undefined): string {
  if (promptError) {
    const e = promptError.error;
    const nodes = Object.keys(promptError.node_errors ?? {}).length;
    const details = e.details ? ` (${truncate(oneLine(e.details), 200)})` : '';
    const nodePart = nodes > 0 ? `; ${nodes} node${nodes === 1 ? ' has' : 's have'} errors` : '';
    return `ComfyUI rejected the prompt: ${stripPeriod(oneLine(e.message))}${details}${nodePart}.`;
  }
  const summary = bodySummary(body);
  const what = `${method} ${url} failed with HTTP ${status}${summary ? ` (${summary})` : ''}`;
  if (status === 401 || status === 403) return `${what}; check the server's auth token or headers (a browser Origin header also causes 403).`;
  if (status === 404) return `${what}; the route or file does not exist on this server (check the URL prefix and server version).`;
  if (status === 413) return `${what}; the request is larger than the server accepts (see --max-upload-size).`;
  if (status === 502 || status === 503 || status === 504) return `${what}; a proxy could not reach ComfyUI, so check that the server behind it is running.`;
  if (status >= 500) return `${what}; see the ComfyUI server log for the cause.`;
  return `${what}; check the request parameters.`;
}

/** The server answered, but not with what the API promises (HTML from a proxy, truncated JSON, bad shape). */
export class ComfyProtocolError extends ComfyError {
  readonly kind = 'protocol';
  constructor(
    url: string,
    readonly detail: string,
    cause?: unknown,
  ) {
    super(`ComfyUI at ${url} sent ${stripPeriod(detail)}; check that the URL points at ComfyUI itself and not at a proxy or login page.`, url, { cause });
  }
}

/** A response body exceeded the size cap the caller set. */
export class ComfyTooLargeError extends ComfyError {
  readonly kind = 'too-large';
  constructor(
    url: string,
    readonly limitBytes: number,
    readonly receivedBytes: number,
  ) {
    // No advice to "raise the limit": the caps are per route and fixed (issue 13, finding 13); no setting changes them.
    super(`The response from ${url} is larger than the ${formatBytes(limitBytes)} limit for this request, so it was not read.`, url);
  }
}

/** The caller cancelled. Not a failure: UIs should ignore it (see `isCancellation`). */
export class ComfyAbortError extends ComfyError {
  readonly kind = 'aborted';
  constructor(url: string, cause?: unknown) {
    super(`The request to ${url} was cancelled.`, url, { cause });
  }
}

export function isComfyError(e: unknown): e is ComfyError {
  return e instanceof ComfyError;
}
export function isUnreachableError(e: unknown): e is ComfyUnreachableError {
  return e instanceof ComfyUnreachableError;
}
export function isTimeoutError(e: unknown): e is ComfyTimeoutError {
  return e instanceof ComfyTimeoutError;
}
export function isHttpError(e: unknown, status?: number): e is ComfyHttpError {
  return e instanceof ComfyHttpError && (status === undefined || e.status === status);
}
/** @internal The client's tests check which failures become protocol errors; the editor shows every error alike. */
export function isProtocolError(e: unknown): e is ComfyProtocolError {
  return e instanceof ComfyProtocolError;
}
export function isTooLargeError(e: unknown): e is ComfyTooLargeError {
  return e instanceof ComfyTooLargeError;
}
/** True for a POST /prompt validation failure (HTTP 400 with `error` + `node_errors`). */
export function isPromptValidationError(e: unknown): e is ComfyHttpError & { promptError: PromptErrorBody } {
  return e instanceof ComfyHttpError && e.promptError !== undefined;
}

/** True for any cancellation: ours, or a bare AbortError from platform APIs. Such errors need no user message. */
export function isCancellation(e: unknown): boolean {
  if (e instanceof ComfyAbortError) return true;
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError' && !(e instanceof ComfyError);
}

/** True when retrying later might help (the server was down, slow, or overloaded). */
export function isTransient(e: unknown): boolean {
  if (e instanceof ComfyUnreachableError || e instanceof ComfyTimeoutError) return true;
  return e instanceof ComfyHttpError && (e.status === 502 || e.status === 503 || e.status === 504);
}

/** Recognizes the 400 body of POST /prompt. */
export function asPromptErrorBody(body: unknown): PromptErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const err = b.error;
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as Record<string, unknown>;
  if (typeof e.type !== 'string' || typeof e.message !== 'string') return undefined;
  const nodeErrors = b.node_errors;
  if (nodeErrors !== undefined && (typeof nodeErrors !== 'object' || nodeErrors === null || Array.isArray(nodeErrors))) return undefined;
  return {
    error: {
      type: e.type,
      message: e.message,
      details: typeof e.details === 'string' ? e.details : '',
      ...(isRecord(e.extra_info) ? { extra_info: e.extra_info } : {}),
    },
    node_errors: (nodeErrors ?? {}) as PromptErrorBody['node_errors'],
  };
}

function bodySummary(body: unknown): string {
  if (body === undefined || body === null || body === '') return '';
  if (typeof body === 'string') {
    if (/^\s*</.test(body)) return 'an HTML page';
    return truncate(oneLine(body), 160);
  }
  if (isRecord(body)) {
    const err = body.error;
    if (typeof err === 'string') return truncate(oneLine(err), 160);
    if (isRecord(err) && typeof err.message === 'string') return truncate(oneLine(err.message), 160);
    if (typeof body.message === 'string') return truncate(oneLine(body.message), 160);
  }
  return '';
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
function stripPeriod(s: string): string {
  return s.replace(/[.\s]+$/, '');
}
function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
