// Text edits on workflow JSON that keep the file valid and formatted the way its author formatted it.
// Quick fixes and completion both build on these, so the rules live in one place: detect the document's
// indentation unit and line ending, insert properties on their own lines (or inline in one-line files),
// and remove a property together with exactly one separating comma.
import type { Node as JsonNode } from 'jsonc-parser';

/** Replace `length` characters at `offset` with `newText` (a pure-core twin of vscode.TextEdit). */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

export interface TextFormat {
  /** One level of indentation: `'\t'` or some spaces. */
  indentUnit: string;
  eol: '\n' | '\r\n';
  /** False for single-line (minified) files, where insertions stay inline. */
  multiline: boolean;
}

/**
 * Apply non-overlapping edits (any order). Later offsets are applied first so earlier ones stay valid.
 * @internal The editor applies edits itself; tests and the vscode shim use this to check what a fix writes.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset || b.length - a.length);
  let out = text;
  let lastStart = Number.POSITIVE_INFINITY;
  for (const e of sorted) {
    if (e.offset + e.length > lastStart) throw new Error('overlapping edits');
    out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
    lastStart = e.offset;
  }
  return out;
}

/**
 * Detect indentation and line endings from the text. Only the first lines are inspected (enough for
 * JSON, whose nesting shows up immediately) so this stays cheap on 500-node files.
 */
export function detectTextFormat(text: string): TextFormat {
  const head = text.length > 20_000 ? text.slice(0, 20_000) : text;
  const eol: TextFormat['eol'] = head.includes('\r\n') ? '\r\n' : '\n';
  const multiline = head.includes('\n');
  let indentUnit = '  ';
  let smallest = Number.POSITIVE_INFINITY;
  for (const line of head.split('\n').slice(1, 200)) {
    const m = /^([ \t]+)\S/.exec(line);
    if (!m) continue;
    const ws = m[1]!;
    if (ws.startsWith('\t')) {
      indentUnit = '\t';
      smallest = 0;
      break;
    }
    if (ws.length < smallest) smallest = ws.length;
  }
  if (smallest !== 0 && Number.isFinite(smallest)) indentUnit = ' '.repeat(smallest);
  return { indentUnit, eol, multiline };
}

/** The whitespace that starts the line containing `offset`. */
export function lineIndentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^[ \t]*/.exec(text.slice(lineStart, Math.min(text.length, lineStart + 200)));
  return m ? m[0] : '';
}

/** True when only whitespace precedes `offset` on its line (the token starts its own line). */
export function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(lineStart, offset));
}

/** Render a JSON value compactly but readably: `["4", 0]`, `{"a": 1}`. Used for inserted values. */
export function renderValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}: ${renderValue(v)}`);
    return `{${parts.join(', ')}}`;
  }
  const s = JSON.stringify(value);
  return s === undefined ? 'null' : s;
}

/**
 * Insert `"key": value` pairs (values already rendered as JSON text) at the end of an object node.
 * Multi-line objects get one property per line at the indentation of the existing ones; one-line
 * objects stay on one line.
 */
export function insertPropertiesEdit(
  text: string,
  object: JsonNode,
  props: readonly (readonly [string, string])[],
  fmt = detectTextFormat(text),
): TextEdit | undefined {
  if (object.type !== 'object' || props.length === 0) return undefined;
  const rendered = props.map(([k, v]) => `${JSON.stringify(k)}: ${v}`);
  const children = object.children ?? [];
  const last = children[children.length - 1];
  if (last) {
    const end = last.offset + last.length;
    const ownLines = fmt.multiline && startsLine(text, last.offset);
    const sep = ownLines ? `,${fmt.eol}${lineIndentAt(text, last.offset)}` : ', ';
    return { offset: end, length: 0, newText: sep + rendered.join(sep) };
  }
  // Empty object: replace everything between the braces (there may be whitespace or comments-free junk).
  const inner = { offset: object.offset + 1, length: Math.max(0, object.length - 2) };
  const closed = text[object.offset + object.length - 1] === '}';
  if (!closed) {
    // Unterminated object (broken JSON): append right after the brace without touching the rest.
    return { offset: object.offset + 1, length: 0, newText: rendered.join(', ') };
  }
  if (!fmt.multiline) return { ...inner, newText: rendered.join(', ') };
  const base = lineIndentAt(text, object.offset);
  const inside = base + fmt.indentUnit;
  return { ...inner, newText: fmt.eol + inside + rendered.join(`,${fmt.eol}${inside}`) + fmt.eol + base };
}

/** Remove a property node from its object, with one adjacent comma, leaving the neighbours' layout intact. */
export function removePropertyEdit(text: string, property: JsonNode): TextEdit | undefined {
  const object = property.parent;
  if (!object || object.type !== 'object' || property.type !== 'property') return undefined;
  const siblings = object.children ?? [];
  const i = siblings.indexOf(property);
  if (i < 0) return undefined;
  const next = siblings[i + 1];
  if (next) return { offset: property.offset, length: next.offset - property.offset, newText: '' };
  const prev = siblings[i - 1];
  if (prev) {
    const start = prev.offset + prev.length;
    return { offset: start, length: property.offset + property.length - start, newText: '' };
  }
  // Only property: empty the object, keeping `{}` on the line where it was.
  const closed = text[object.offset + object.length - 1] === '}';
  const end = closed ? object.offset + object.length - 1 : property.offset + property.length;
  return { offset: object.offset + 1, length: end - object.offset - 1, newText: '' };
}
