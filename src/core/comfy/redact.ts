// Keeps credentials out of anything a user may see or paste into a bug report: error messages, logs.
// Two layers: query parameters whose names look secret are masked in any URL, and the exact secret values the
// client was configured with (header values, query values, URL userinfo) are masked wherever they appear.

const MASK = '***';

/** Query parameter names treated as secrets even when the client was not told about them. */
const SENSITIVE_PARAM = /(token|key|secret|password|passwd|pwd|auth|session|signature|sig|jwt|credential|cookie)/i;

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string> = []) {
    // Longest first, so a secret that contains another is masked whole. Very short values (e.g. "1") would
    // mangle ordinary text and are not credentials anyway.
    this.secrets = [...new Set([...secrets].filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  }

  /** Masks userinfo and secret-looking or known-secret query values of a URL; non-URLs go through `text()`. */
  url(input: string | URL): string {
    let u: URL;
    try {
      u = new URL(String(input));
    } catch {
      return this.text(String(input));
    }
    if (u.username) u.username = MASK;
    if (u.password) u.password = MASK;
    const entries = [...u.searchParams.entries()];
    if (entries.length > 0) {
      const masked = new URLSearchParams();
      for (const [k, v] of entries) {
        masked.append(k, SENSITIVE_PARAM.test(k) || this.secrets.includes(v) ? MASK : v);
      }
      u.search = masked.toString().replaceAll(encodeURIComponent(MASK), MASK);
    }
    return this.text(u.toString());
  }

  /** Masks every known secret value (also in its URL-encoded form) inside free text. */
  text(input: string): string {
    let out = input;
    for (const s of this.secrets) {
      out = out.split(s).join(MASK);
      const enc = encodeURIComponent(s);
      if (enc !== s) out = out.split(enc).join(MASK);
    }
    return out;
  }
}

/** Header values worth treating as secrets: all configured ones except a few that are plainly not credentials. */
export function secretHeaderValues(headers: Record<string, string> | undefined): string[] {
  if (!headers) return [];
  const harmless = new Set(['content-type', 'accept', 'user-agent', 'comfy-user', 'comfy-usage-source']);
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (harmless.has(name.toLowerCase())) continue;
    out.push(value);
    // "Bearer abc" / "Basic abc": the bare credential may show up on its own too.
    const m = /^\s*\w+\s+(\S+)\s*$/.exec(value);
    if (m) out.push(m[1]!);
  }
  return out;
}
