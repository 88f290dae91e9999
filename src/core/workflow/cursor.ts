// Where is the cursor, in workflow terms? Completion needs to know whether it sits on a node id, a node's
// own keys, a class_type value, an input name, an input value or inside a link tuple, plus the text span a
// proposal replaces and the separators it must bring along (json-languageservice's overwriteRange and
// separatorAfter). Only the tokens around the cursor are scanned, never the whole file, so the cost does
// not grow with the workflow's size.
import { createScanner, findNodeAtOffset as findJsonNodeAtOffset } from 'jsonc-parser';
import { findNodeAtOffset, type JsonNode, type OffsetRange, type WorkflowDocument, type WorkflowNode } from './document';

// jsonc-parser's SyntaxKind is an ambient const enum, which isolatedModules cannot inline.
const T = {
  OpenBrace: 1,
  CloseBrace: 2,
  OpenBracket: 3,
  CloseBracket: 4,
  Comma: 5,
  Colon: 6,
  String: 10,
  LineComment: 12,
  BlockComment: 13,
  LineBreak: 14,
  Trivia: 15,
  EOF: 17,
} as const;

interface KeySlot {
  /** Span the proposal replaces: an existing (maybe partial) key literal, or empty at the cursor. */
  range: OffsetRange;
  /** The cursor is on the key of a property that already has a colon: insert only the key. */
  keyOnly: boolean;
  /** `','` when a property follows without a separating comma. */
  separatorAfter: string;
  /** Where a comma must go when the previous property is not yet followed by one. */
  commaBefore: number | undefined;
  /** The object the key goes into. */
  object: JsonNode;
}

interface ValueSlot {
  /** Span the proposal replaces: the existing value, or empty at the cursor. */
  range: OffsetRange;
  /** The existing value node, if any. */
  valueNode: JsonNode | undefined;
  separatorAfter: string;
}

export type CursorContext =
  | { kind: 'none' }
  /** A key of a /prompt request body (`client_id`, `extra_data`, …). */
  | ({ kind: 'requestKey' } & KeySlot)
  /** A key directly in the prompt object: a new node id. */
  | ({ kind: 'nodeId'; existingIds: ReadonlySet<string> } & KeySlot)
  /** A key of a node object: `class_type`, `inputs`, `_meta`. */
  | ({ kind: 'nodeKey'; node: WorkflowNode } & KeySlot)
  /** The value of `class_type`. */
  | ({ kind: 'classType'; node: WorkflowNode } & ValueSlot)
  /** A key in a node's `inputs` object. */
  | ({ kind: 'inputName'; node: WorkflowNode; currentName: string | undefined } & KeySlot)
  /** The value of an input. */
  | ({ kind: 'inputValue'; node: WorkflowNode; inputName: string } & ValueSlot)
  /** An element of a link tuple `["<id>", slot]`: index 0 is the source id, 1 the slot. */
  | ({ kind: 'linkElement'; node: WorkflowNode; inputName: string; index: number; array: JsonNode } & ValueSlot);

const NONE: CursorContext = { kind: 'none' };

/** The workflow context at `offset`. Never throws; anything unrecognised is `{kind: 'none'}`. */
export function getCursorContext(doc: WorkflowDocument, offset: number): CursorContext {
  try {
    return locate(doc, offset);
  } catch {
    return NONE;
  }
}

/** The object that holds API nodes, also for an empty `{}` being started from scratch. */
export function promptObject(doc: WorkflowDocument): JsonNode | undefined {
  if (doc.promptNode?.type === 'object') return doc.promptNode;
  if (doc.format === 'none' && doc.root?.type === 'object' && (doc.root.children?.length ?? 0) === 0) return doc.root;
  return undefined;
}

function locate(doc: WorkflowDocument, offset: number): CursorContext {
  const prompt = promptObject(doc);
  if (!doc.root || !prompt || offset < 0 || offset > doc.text.length) return NONE;
  const scope = doc.format === 'request' && doc.root.type === 'object' ? doc.root : prompt;
  if (offset <= scope.offset || offset >= end(scope) + (isClosed(doc.text, scope, '}') ? 0 : 1)) return NONE;
  const hit = findJsonNodeAtOffset(doc.root, offset, true);
  if (!hit) return NONE;
  // On a token, or right before it (the proposal replaces it).
  if (isLeaf(hit)) return onToken(doc, hit, offset);
  if (hit.type === 'property') return inProperty(doc, hit, offset);
  if (hit.type === 'object') {
    if (offset === hit.offset) return hit.parent?.type === 'property' ? inProperty(doc, hit.parent, offset) : NONE;
    if (!isClosed(doc.text, hit, '}') || offset < end(hit)) return keyInObject(doc, hit, offset);
    return NONE;
  }
  if (hit.type === 'array') {
    if (offset === hit.offset) return hit.parent?.type === 'property' ? inProperty(doc, hit.parent, offset) : NONE;
    if (!isClosed(doc.text, hit, ']') || offset < end(hit)) return elementInArray(doc, hit, offset);
    return NONE;
  }
  return NONE;
}

function isLeaf(n: JsonNode): boolean {
  return n.type === 'string' || n.type === 'number' || n.type === 'boolean' || n.type === 'null';
}

function end(n: JsonNode): number {
  return n.offset + n.length;
}

function isClosed(text: string, n: JsonNode, close: '}' | ']'): boolean {
  return n.length >= 2 && text[end(n) - 1] === close;
}

/** Span of a string literal the user is typing: an unterminated one stops at the cursor, not at end of line. */
function literalRange(text: string, n: JsonNode, offset: number): OffsetRange {
  if (n.type === 'string' && (n.length < 2 || text[end(n) - 1] !== '"')) return { offset: n.offset, length: Math.max(0, offset - n.offset) };
  return { offset: n.offset, length: n.length };
}

/** The cursor is on (or at the start of) a scalar token. */
function onToken(doc: WorkflowDocument, token: JsonNode, offset: number): CursorContext {
  // Right after a closed literal (`"KSa"|`) still counts as on it, as in json-languageservice.
  const parent = token.parent;
  if (!parent) return NONE;
  const range = literalRange(doc.text, token, offset);
  // A literal still being typed (no closing quote) swallowed the rest of its line: what follows decides the comma.
  const open = token.type === 'string' && (token.length < 2 || doc.text[end(token) - 1] !== '"');
  const after = open ? separatorAfter(doc.text, offset) : '';
  if (parent.type === 'property') {
    const isKey = parent.children?.[0] === token;
    if (isKey) {
      const hasColon = parent.colonOffset !== undefined;
      return keyContext(doc, parent.parent, offset, range, hasColon, hasColon ? '' : open ? after : separatorAfter(doc.text, token.offset + token.length));
    }
    if (isKeyInDisguise(doc.text, token)) {
      if (offset > token.offset) return NONE;
      return valueContext(doc, parent, offset, { range: { offset, length: 0 }, valueNode: undefined, separatorAfter: ',' });
    }
    return valueContext(doc, parent, offset, { range, valueNode: token, separatorAfter: after });
  }
  if (parent.type === 'array') return arrayElementContext(doc, parent, offset, { range, valueNode: token, separatorAfter: '' }, indexIn(parent, token));
  return NONE;
}

function indexIn(parent: JsonNode, child: JsonNode): number {
  return parent.children?.indexOf(child) ?? -1;
}

/** Whitespace inside a property: between the key and the colon (key slot) or after the colon (value slot). */
function inProperty(doc: WorkflowDocument, prop: JsonNode, offset: number): CursorContext {
  const key = prop.children?.[0];
  if (prop.colonOffset === undefined || offset <= prop.colonOffset) {
    if (!key) return NONE;
    return keyContext(doc, prop.parent, offset, literalRange(doc.text, key, offset), prop.colonOffset !== undefined);
  }
  if (inComment(doc.text, prop.colonOffset + 1, offset)) return NONE;
  const value = prop.children?.[1];
  if (value && offset > value.offset) return NONE;
  if (value && isKeyInDisguise(doc.text, value))
    return valueContext(doc, prop, offset, { range: { offset, length: 0 }, valueNode: undefined, separatorAfter: ',' });
  if (value) return valueContext(doc, prop, offset, { range: { offset: value.offset, length: value.length }, valueNode: value, separatorAfter: '' });
  // No value yet. A bare word the parser rejected (`tru`, `f`) is what the user is typing: replace it.
  const range = wordAround(doc.text, offset);
  return valueContext(doc, prop, offset, { range, valueNode: undefined, separatorAfter: separatorAfter(doc.text, range.offset + range.length) });
}

const WORD = /[A-Za-z0-9_.+-]/;

function wordAround(text: string, offset: number): OffsetRange {
  let start = offset;
  while (start > 0 && WORD.test(text[start - 1]!)) start--;
  let stop = offset;
  while (stop < text.length && WORD.test(text[stop]!)) stop++;
  return { offset: start, length: stop - start };
}

/**
 * `"a": | "b": 1` parses as `"a": "b"` followed by garbage: a string value directly followed by a colon
 * is really the next key, and the value slot is still empty.
 */
function isKeyInDisguise(text: string, token: JsonNode): boolean {
  if (token.type !== 'string') return false;
  const scanner = createScanner(text, true);
  scanner.setPosition(end(token));
  return scanner.scan() === T.Colon;
}

/** Whitespace inside an object: a new key goes here. */
function keyInObject(doc: WorkflowDocument, object: JsonNode, offset: number): CursorContext {
  const children = object.children ?? [];
  let prevEnd = object.offset + 1;
  for (const c of children) {
    if (end(c) <= offset) prevEnd = end(c);
    else break;
  }
  if (inComment(doc.text, prevEnd, offset)) return NONE;
  const commaBefore = prevEnd > object.offset + 1 && !commaBetween(doc.text, prevEnd, offset) ? prevEnd : undefined;
  return keyContext(doc, object, offset, { offset, length: 0 }, false, separatorAfter(doc.text, offset), commaBefore);
}

/** Whitespace inside an array: an element goes here. */
function elementInArray(doc: WorkflowDocument, array: JsonNode, offset: number): CursorContext {
  const children = array.children ?? [];
  let index = 0;
  let prevEnd = array.offset + 1;
  for (const c of children) {
    if (end(c) <= offset) {
      prevEnd = end(c);
      index++;
    } else break;
  }
  if (inComment(doc.text, prevEnd, offset)) return NONE;
  return arrayElementContext(doc, array, offset, { range: { offset, length: 0 }, valueNode: undefined, separatorAfter: '' }, index);
}

/** Which object is this key in, in workflow terms? */
function keyContext(
  doc: WorkflowDocument,
  object: JsonNode | undefined,
  offset: number,
  range: OffsetRange,
  keyOnly: boolean,
  after = '',
  commaBefore?: number,
): CursorContext {
  if (!object || object.type !== 'object') return NONE;
  const prompt = promptObject(doc);
  const slot: KeySlot = { range, keyOnly, separatorAfter: keyOnly ? '' : after, commaBefore, object };
  if (doc.format === 'request' && object === doc.root) return { kind: 'requestKey', ...slot };
  if (object === prompt) {
    const existingIds = new Set<string>();
    for (const p of object.children ?? []) {
      const k = p.children?.[0]?.value;
      if (typeof k === 'string') existingIds.add(k);
    }
    return { kind: 'nodeId', existingIds, ...slot };
  }
  const node = findNodeAtOffset(doc, offset);
  if (!node) return NONE;
  if (object === node.valueNode) return { kind: 'nodeKey', node, ...slot };
  if (object === node.inputsNode) {
    const keyNode = keyOnly || range.length > 0 ? findJsonNodeAtOffset(object, range.offset, false) : undefined;
    const currentName = keyNode?.type === 'string' && typeof keyNode.value === 'string' ? keyNode.value : undefined;
    return { kind: 'inputName', node, currentName, ...slot };
  }
  return NONE;
}

/** Which property is this value of, in workflow terms? */
function valueContext(doc: WorkflowDocument, prop: JsonNode, offset: number, slot: ValueSlot): CursorContext {
  const key = prop.children?.[0]?.value;
  const object = prop.parent;
  if (typeof key !== 'string' || !object) return NONE;
  const node = findNodeAtOffset(doc, offset);
  if (!node) return NONE;
  if (object === node.valueNode && key === 'class_type') return { kind: 'classType', node, ...slot };
  if (object === node.inputsNode) return { kind: 'inputValue', node, inputName: key, ...slot };
  return NONE;
}

function arrayElementContext(doc: WorkflowDocument, array: JsonNode, offset: number, slot: ValueSlot, index: number): CursorContext {
  const prop = array.parent;
  if (prop?.type !== 'property' || prop.children?.[1] !== array || index < 0) return NONE;
  const key = prop.children?.[0]?.value;
  const node = findNodeAtOffset(doc, offset);
  if (!node || typeof key !== 'string' || prop.parent !== node.inputsNode) return NONE;
  return { kind: 'linkElement', node, inputName: key, index, array, ...slot };
}

/** True when `offset` falls inside a comment that starts at or after `from`. */
function inComment(text: string, from: number, offset: number): boolean {
  const scanner = createScanner(text, false);
  scanner.setPosition(from);
  for (;;) {
    const kind = scanner.scan();
    const start = scanner.getTokenOffset();
    if (kind === T.EOF || start >= offset) return false;
    const stop = start + scanner.getTokenLength();
    if (kind === T.LineComment && offset > start && offset <= stop) return true;
    if (kind === T.BlockComment && offset > start && (offset < stop || !text.startsWith('*/', stop - 2))) return true;
  }
}

function commaBetween(text: string, from: number, to: number): boolean {
  const scanner = createScanner(text, true);
  scanner.setPosition(from);
  for (;;) {
    const kind = scanner.scan();
    if (kind === T.EOF || scanner.getTokenOffset() >= to) return false;
    if (kind === T.Comma || kind === T.OpenBrace) return true;
  }
}

/** `','` when the next token after the cursor starts another property or element. */
function separatorAfter(text: string, offset: number): string {
  const scanner = createScanner(text, true);
  scanner.setPosition(offset);
  const kind = scanner.scan();
  switch (kind) {
    case T.Comma:
    case T.CloseBrace:
    case T.CloseBracket:
    case T.EOF:
      return '';
    default:
      return ',';
  }
}
