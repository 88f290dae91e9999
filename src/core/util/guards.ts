// Type guards for JSON read from the server or from files, which arrives as `unknown`.

/** A JSON object: not null and not an array (both are `typeof 'object'`). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
