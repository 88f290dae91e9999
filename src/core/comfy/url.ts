// URL building for a ComfyUI server that may sit behind a reverse proxy: http or https, an optional path prefix
// (https://host/comfy/), credentials in the URL, and a query (e.g. ?token=…) that must ride along on every call.
import { ComfyConfigError } from './errors';
import { Redactor, secretHeaderValues } from './redact';

export type QueryValue = string | number | boolean | undefined | null;

export interface ServerEndpoint {
  /** Origin plus path prefix, always ending in "/", without userinfo, query or hash. */
  readonly base: URL;
  /** Query parameters appended to every URL (from the options and from the base URL's own query). */
  readonly query: Readonly<Record<string, string>>;
  /** Headers derived from the URL (Basic auth from userinfo), to merge under the configured headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** The secret values found in the URL (userinfo, query values), for redaction. */
  readonly secrets: readonly string[];
}

/**
 * Parses the configured server URL. `ws:`/`wss:` are accepted and mapped to http/https, since users paste
 * either. Userinfo becomes a Basic Authorization header because undici refuses URLs with credentials.
 */
export function parseServerUrl(input: string, extraQuery: Record<string, string> = {}): ServerEndpoint {
  const trimmed = input.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ComfyConfigError(stripCredentials(trimmed), 'not a valid URL');
  }
  const scheme = url.protocol === 'ws:' ? 'http:' : url.protocol === 'wss:' ? 'https:' : url.protocol;
  if (scheme !== 'http:' && scheme !== 'https:') throw new ComfyConfigError(stripCredentials(trimmed), `unsupported scheme ${url.protocol}`);
  const base = new URL(`${scheme}//${url.host}${url.pathname}`);
  if (!base.pathname.endsWith('/')) base.pathname += '/';

  const headers: Record<string, string> = {};
  const secrets = urlSecrets(url);
  if (url.username || url.password) {
    const token = Buffer.from(`${decodePart(url.username)}:${decodePart(url.password)}`).toString('base64');
    headers.authorization = `Basic ${token}`;
    secrets.push(token);
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  Object.assign(query, extraQuery);
  secrets.push(...Object.values(extraQuery));
  return { base, query, headers, secrets };
}

/**
 * The secrets written into a URL: the user name and password, decoded and as written (percent-encoding spells a
 * character several ways, and text may quote either), and every query value (tokens ride as `?token=…`, and the
 * parameter a proxy expects has no fixed name). The one extractor: the client's redactor (`parseServerUrl`), the
 * extension log and the CLI all take their URL secrets from here. Text that is not a URL has none.
 */
export function urlSecrets(input: string | URL): string[] {
  let url: URL;
  try {
    url = new URL(String(input).trim());
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const part of [url.username, url.password]) if (part) out.push(decodePart(part), part);
  out.push(...url.searchParams.values());
  return [...new Set(out)];
}

/** A userinfo part decoded; as written when its percent-encoding is malformed (`%zz` must not throw). */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * The URL of `path` (relative to the base, e.g. "prompt" or "view_metadata/loras") with `params`, then the
 * endpoint's fixed query. Undefined/null params are left out. Path segments must already be encoded.
 */
export function buildUrl(endpoint: ServerEndpoint, path: string, params: Record<string, QueryValue> = {}): URL {
  const url = new URL(path.replace(/^\/+/, ''), endpoint.base);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null) url.searchParams.append(k, String(v));
  }
  for (const [k, v] of Object.entries(endpoint.query)) {
    if (!url.searchParams.has(k)) url.searchParams.append(k, v);
  }
  return url;
}

/** `<base>/ws?clientId=<id>` with ws/wss and the fixed query. */
export function webSocketUrl(endpoint: ServerEndpoint, clientId: string | undefined): URL {
  const url = buildUrl(endpoint, 'ws', { clientId });
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

/**
 * Encodes one path segment (class names, prompt ids, folder names may contain anything). "." and ".." cannot be
 * encoded: URL parsers remove them (and their %2E spellings) as dot segments, so `models/..` would reach another
 * route. They throw a RangeError instead of silently going elsewhere (issue 13, finding 19).
 */
export function segment(value: string): string {
  if (value === '.' || value === '..') throw new RangeError(`"${value}" cannot be used as a name in a server URL.`);
  return encodeURIComponent(value);
}

/** For messages about an unusable URL: no userinfo and no query (either may hold a secret). */
function stripCredentials(s: string): string {
  return s.replace(/\/\/[^/@]*@/, '//***@').replace(/[?#].*$/, '');
}

export interface ConnectionConfig {
  endpoint: ServerEndpoint;
  /** Lower-cased header names: user-agent, auth from the URL, then the configured headers (which win). */
  headers: Record<string, string>;
  /** Knows every secret of this configuration (URL userinfo and query values, header values). */
  redactor: Redactor;
}

/** What the HTTP client and the socket both derive from `{baseUrl, query?, headers?}`, so they agree on it. */
export function resolveConnection(baseUrl: string, query?: Record<string, string>, extraHeaders?: Record<string, string>): ConnectionConfig {
  const endpoint = parseServerUrl(baseUrl, query);
  const headers: Record<string, string> = { 'user-agent': 'comfyui-workflows', ...endpoint.headers };
  for (const [k, v] of Object.entries(extraHeaders ?? {})) headers[k.toLowerCase()] = v;
  const redactor = new Redactor([...endpoint.secrets, ...secretHeaderValues(extraHeaders), ...secretHeaderValues(endpoint.headers)]);
  return { endpoint, headers, redactor };
}

/** `http(s)://host:port/path` without userinfo, query or a trailing slash; ws(s) counts as http(s). The server's identity. */
export function serverKey(url: string): string | undefined {
  try {
    const u = new URL(url.trim());
    const protocol = u.protocol === 'ws:' ? 'http:' : u.protocol === 'wss:' ? 'https:' : u.protocol;
    if (protocol !== 'http:' && protocol !== 'https:') return undefined;
    const port = u.port && !((protocol === 'http:' && u.port === '80') || (protocol === 'https:' && u.port === '443')) ? `:${u.port}` : '';
    return `${protocol}//${u.hostname.toLowerCase()}${port}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}

/**
 * A server URL for display and logs (the full form): its identity (`serverKey`) when it is an http(s) or ws(s) URL;
 * otherwise scheme, host and path. The userinfo and the query, where credentials live, are always dropped; text
 * that does not parse as a URL loses the same parts by pattern.
 */
export function displayServerUrl(url: string): string {
  const key = serverKey(url);
  if (key !== undefined) return key;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//').replace(/[?#].*$/, '');
  }
}

/**
 * The short form, `host[:port][/prefix]`, for a status bar, a code lens or a tree item. Takes any server URL,
 * including a display URL whose secrets are already masked (the query is dropped either way).
 */
export function shortServerUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return displayServerUrl(url);
  }
}
