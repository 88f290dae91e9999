// The request checks the server makes before any route: server.py's origin_only_middleware (both versions) and,
// since 0.19, the refusal of any request a browser marks `Sec-Fetch-Site: cross-site`.

function isLoopback(hostname: string | undefined): boolean {
  if (!hostname) return false;
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** urllib's view of a netloc: lower-cased hostname without brackets, and the port if there is one. */
function splitNetloc(netloc: string): { hostname: string | undefined; port: string | undefined } {
  const at = netloc.lastIndexOf('@');
  const hostPort = (at >= 0 ? netloc.slice(at + 1) : netloc).toLowerCase();
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m) return { hostname: undefined, port: undefined };
  const hostname = m[1]!.replace(/^\[|\]$/g, '');
  return { hostname: hostname || undefined, port: m[2] ? m[2] : undefined };
}

/** The origin_only_middleware of server.py: true when the request must get 403 (Origin ≠ Host on loopback). */
export function originRejected(hostHeader: string | undefined, origin: string | undefined): boolean {
  if (hostHeader === undefined || origin === undefined) return false;
  let hostDomain: string | undefined = hostHeader.toLowerCase();
  const originNetloc = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(origin)?.[1] ?? '';
  let originDomain: string | undefined = originNetloc.toLowerCase();
  const originParts = splitNetloc(originNetloc);
  const hostParts = splitNetloc(hostHeader);
  const loopback = isLoopback(hostParts.hostname);
  if (originParts.port === undefined) hostDomain = hostParts.hostname;
  if (hostParts.port === undefined) originDomain = originParts.hostname;
  return loopback && !!hostDomain && !!originDomain && hostDomain !== originDomain;
}

/** 0.33: a request a browser sent from another site (`Sec-Fetch-Site: cross-site`) is refused whatever its route. */
export function crossSiteRejected(secFetchSite: string | string[] | undefined): boolean {
  const v = Array.isArray(secFetchSite) ? secFetchSite[0] : secFetchSite;
  return v !== undefined && v.trim().toLowerCase() === 'cross-site';
}
