// Numbers sent as written (issue 13, finding 12). JSON.parse turns 18446744073709551615 into 2^64 and
// 12345678901234567 into …568; Python (the server) reads integers exactly, so a request body rebuilt with
// JSON.stringify silently changes seeds. These helpers remember the integer literals of the source text that a
// double cannot hold and write them back, as written, wherever that double appears in the value being serialized.
import { endOfString } from './jsonScan';

/** Integer literals of `text` (outside strings) that do not survive a round trip through a double: value → text. */
export function unsafeIntegerLiterals(text: string): Map<number, string> {
  const out = new Map<number, string>();
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = endOfString(text, i);
      continue;
    }
    if (c !== 45 && !(c >= 48 && c <= 57)) continue;
    let j = i + (c === 45 ? 1 : 0);
    const digitsStart = j;
    while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const next = text.charCodeAt(j);
    const isInteger = j > digitsStart && next !== 46 && next !== 101 && next !== 69;
    // Beyond 15 digits a double may round; only then can the literal differ from String(Number(literal)).
    if (isInteger && j - digitsStart > 15) {
      const literal = text.slice(i, j);
      const value = Number(literal);
      if (!Number.isSafeInteger(value) && !out.has(value)) out.set(value, literal);
    }
    // Skip the rest of a fraction/exponent so its digits are not read as another number.
    while (j < n && /[0-9.eE+-]/.test(text[j]!)) j++;
    i = j - 1;
  }
  return out;
}

/**
 * JSON.stringify(value), except that numbers found in `literals` are written as their literal text. Deterministic
 * and linear; the placeholder carries a per-call nonce so no string in the value can imitate it.
 */
export function stringifyWithLiterals(value: unknown, literals: ReadonlyMap<number, string> | undefined, space?: number): string {
  if (!literals || literals.size === 0) return JSON.stringify(value, null, space);
  const nonce = `\u0000n${Math.random().toString(36).slice(2)}:`;
  const used: string[] = [];
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number') {
        const literal = literals.get(v);
        if (literal !== undefined) {
          used.push(literal);
          return `${nonce}${used.length - 1}`;
        }
      }
      return v;
    },
    space,
  );
  if (used.length === 0) return text;
  const quoted = JSON.stringify(nonce).slice(1, -1); // how the nonce looks inside the output's string literals
  let out = '';
  let from = 0;
  for (let at = text.indexOf(`"${quoted}`, from); at !== -1; at = text.indexOf(`"${quoted}`, from)) {
    const end = text.indexOf('"', at + 1 + quoted.length);
    const index = Number(text.slice(at + 1 + quoted.length, end));
    out += text.slice(from, at) + used[index]!;
    from = end + 1;
  }
  return out + text.slice(from);
}

const NUMBER_LITERALS = Symbol('comfyui.numberLiterals');

/**
 * Remembers on `target` (a request body built from a file) the unsafe integer literals of the file's text, in a
 * non-enumerable symbol property: the body still compares and spreads as plain data. Returns `target`.
 */
export function attachNumberLiterals<T extends object>(target: T, sourceText: string): T {
  const literals = unsafeIntegerLiterals(sourceText);
  if (literals.size > 0) Object.defineProperty(target, NUMBER_LITERALS, { value: literals, enumerable: false, configurable: true });
  return target;
}

/** JSON text of a value, with the literals `attachNumberLiterals` remembered on it written as they were. */
export function stringifyAsWritten(value: unknown): string {
  const literals = typeof value === 'object' && value !== null ? (value as { [NUMBER_LITERALS]?: Map<number, string> })[NUMBER_LITERALS] : undefined;
  return stringifyWithLiterals(value, literals);
}
