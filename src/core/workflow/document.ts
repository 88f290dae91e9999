// A workflow file as the rest of the core sees it: one jsonc-parser tree plus an index of the API nodes,
// every key and value mapped to offsets. It runs on every keystroke, so it is one parse and one linear walk;
// nothing here looks at node definitions.
import { parseTree, printParseErrorCode, getNodeValue, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { parseStrictJsonTree } from './fastJson';
import { detectTreeFormat, sniffTextFormat, type WorkflowFormat } from './format';
import { checkTextLimits, type TextLimits } from './limits';

export type { JsonNode };

/** A span of the document text. */
export interface OffsetRange {
  offset: number;
  length: number;
}

export type { WorkflowFormat } from './format';

export interface SyntaxError {
  /** jsonc-parser's error name, e.g. `CommaExpected`. */
  code: string;
  range: OffsetRange;
}

/**
 * The server treats every JSON list under `inputs` as a link, so every array value gets one of these,
 * even a malformed one (`arity !== 2`).
 */
export interface WorkflowLink {
  /** Number of elements: a well-formed link has 2. */
  arity: number;
  /** First element (the source node id; a string in a well-formed link). */
  sourceId: unknown;
  sourceIdRange?: OffsetRange;
  /** Second element (the output slot; a non-negative integer in a well-formed link). */
  slot: unknown;
  slotRange?: OffsetRange;
}

export interface WorkflowInput {
  name: string;
  /** The key's string literal, quotes included. */
  keyRange: OffsetRange;
  /** The value; undefined while the user is still typing (`"steps": `). */
  valueNode: JsonNode | undefined;
  valueRange: OffsetRange;
  /** The value as plain JSON (undefined when absent). */
  value: unknown;
  /** Present when the value is a JSON array. */
  link?: WorkflowLink;
}

export interface WorkflowNode {
  /** The key under which the node sits in the prompt. */
  id: string;
  keyRange: OffsetRange;
  /** The node's value (normally an object); undefined when the value is missing. */
  valueNode: JsonNode | undefined;
  /** The whole `"id": {...}` property. */
  range: OffsetRange;
  /** False when the value is not a JSON object (the server rejects such a prompt). */
  isObject: boolean;
  /** `class_type` when it is a string. */
  classType: string | undefined;
  /** The `class_type` value node whatever its type (for ranges and "not a string" problems). */
  classTypeNode: JsonNode | undefined;
  classTypeKeyRange?: OffsetRange;
  /** The `inputs` value node (normally an object). */
  inputsNode: JsonNode | undefined;
  inputsKeyRange?: OffsetRange;
  /** Inputs by name; for duplicate keys the last one wins, as in the server's JSON parser. */
  inputs: Map<string, WorkflowInput>;
  /** Earlier entries of a repeated input key: the server ignores them (the last one wins). */
  duplicateInputs: WorkflowInput[];
  /** `_meta.title` when it is a string. */
  title: string | undefined;
}

export interface WorkflowDocument {
  readonly text: string;
  readonly root: JsonNode | undefined;
  readonly syntaxErrors: readonly SyntaxError[];
  readonly format: WorkflowFormat;
  /** Where the API nodes live: `[]` for `api`, `['prompt']` for `request`, undefined otherwise. */
  readonly promptPath: readonly string[] | undefined;
  /** The object holding the API nodes (the root, or the request's `prompt`). */
  readonly promptNode: JsonNode | undefined;
  /** Every API node in document order, duplicates included. */
  readonly nodes: readonly WorkflowNode[];
  /** API nodes by id; for duplicate ids the last one wins, as in the server's JSON parser. */
  readonly nodeById: ReadonlyMap<string, WorkflowNode>;
  /** Earlier entries of a repeated node id: the server ignores them (the last one wins). */
  readonly duplicateNodes: readonly WorkflowNode[];
  /**
   * Set when the text is too large to analyse (there is then no tree): too many objects (`ParseOptions.maxObjects`),
   * too many JSON values of any kind (`kind: 'values'`, `maxValues`) or nested too deep (`kind: 'depth'`, `maxDepth`).
   * `objects` is the count that tripped the limit (objects, values or depth).
   */
  readonly tooLarge?: { objects: number; limit: number; kind?: 'objects' | 'values' | 'depth' };
}

export interface ParseOptions extends TextLimits {
  /**
   * Above this many `{` the document is not parsed into a tree: a syntax tree costs ~40 bytes of heap per byte of
   * text, so a 50 MB prompt of small nodes would take gigabytes and most of a minute. The default (60,000) is about
   * 20,000 nodes, far beyond real workflows; large embedded strings (base64 images) do not count.
   */
  maxObjects?: number;
}

export const DEFAULT_MAX_OBJECTS = 60_000;

/** Parses and indexes a workflow file. Never throws: broken JSON yields `syntaxErrors` and a best-effort tree. */
export function parseWorkflowDocument(text: string, options: ParseOptions = {}): WorkflowDocument {
  const limit = options.maxObjects ?? DEFAULT_MAX_OBJECTS;
  const objects = countUpTo(text, '{', limit + 1);
  if (objects > limit) {
    return { ...emptyDocument(text, sniffTextFormat(text)), tooLarge: { objects, limit } };
  }
  // Arrays and scalars cost as much as objects, and deep nesting overflows recursive tree walkers (issue 13).
  const exceeded = checkTextLimits(text, options);
  if (exceeded) {
    return {
      ...emptyDocument(text, sniffTextFormat(text)),
      tooLarge:
        exceeded.kind === 'values'
          ? { objects: exceeded.count, limit: exceeded.limit, kind: 'values' }
          : { objects: exceeded.depth, limit: exceeded.limit, kind: 'depth' },
    };
  }
  const errors: ParseError[] = [];
  let root: JsonNode | undefined;
  try {
    root = parseStrictJsonTree(text) ?? parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  } catch (e) {
    // jsonc-parser recurses per nesting level: tens of thousands of nested brackets overflow the stack.
    if (!(e instanceof RangeError)) throw e;
    return { ...emptyDocument(text, 'none'), syntaxErrors: [{ code: 'NestingTooDeep', range: { offset: 0, length: 0 } }] };
  }
  const syntaxErrors = errors.map((e) => ({ code: printParseErrorCode(e.error), range: { offset: e.offset, length: e.length } }));
  const { format, promptNode, promptPath } = detectFormat(root);
  const nodes: WorkflowNode[] = [];
  const nodeById = new Map<string, WorkflowNode>();
  const duplicateNodes: WorkflowNode[] = [];
  if (promptNode?.type === 'object' && promptNode.children) {
    for (const prop of promptNode.children) {
      const node = indexNode(prop);
      if (!node) continue;
      nodes.push(node);
      const shadowed = nodeById.get(node.id);
      if (shadowed) duplicateNodes.push(shadowed);
      nodeById.set(node.id, node);
    }
  }
  return { text, root, syntaxErrors, format, promptPath, promptNode, nodes, nodeById, duplicateNodes };
}

/** The API node whose property contains `offset` (keys included), or undefined. Binary search: nodes are in order. */
export function findNodeAtOffset(doc: WorkflowDocument, offset: number): WorkflowNode | undefined {
  const nodes = doc.nodes;
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = nodes[mid]!.range;
    if (offset < r.offset) hi = mid - 1;
    else if (offset > r.offset + r.length) lo = mid + 1;
    else return nodes[mid];
  }
  return undefined;
}

/** The input of `node` whose key or value contains `offset`, or undefined. */
export function findInputAtOffset(node: WorkflowNode, offset: number): WorkflowInput | undefined {
  for (const input of node.inputs.values()) {
    const start = input.keyRange.offset;
    const end = input.valueRange.offset + input.valueRange.length;
    if (offset >= start && offset <= end) return input;
  }
  for (const input of node.duplicateInputs) {
    if (offset >= input.keyRange.offset && offset <= input.valueRange.offset + input.valueRange.length) return input;
  }
  return undefined;
}

export function rangeOf(node: JsonNode): OffsetRange {
  return { offset: node.offset, length: node.length };
}

function emptyDocument(text: string, format: WorkflowFormat): WorkflowDocument {
  return { text, root: undefined, syntaxErrors: [], format, promptPath: undefined, promptNode: undefined, nodes: [], nodeById: new Map(), duplicateNodes: [] };
}

/** Occurrences of `ch` in `text`, counting stops at `max` (indexOf is native and fast on huge strings). */
function countUpTo(text: string, ch: string, max: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1 && n < max; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

function detectFormat(root: JsonNode | undefined): { format: WorkflowFormat; promptNode?: JsonNode; promptPath?: string[] } {
  const { format, props } = detectTreeFormat(root);
  if (format === 'request') return { format, promptNode: props.get('prompt'), promptPath: ['prompt'] };
  if (format === 'api') return { format, promptNode: root, promptPath: [] };
  return { format };
}

function indexNode(prop: JsonNode): WorkflowNode | undefined {
  const keyNode = prop.children?.[0];
  if (!keyNode || typeof keyNode.value !== 'string') return undefined;
  const valueNode = prop.children?.[1];
  const node: WorkflowNode = {
    id: keyNode.value,
    keyRange: rangeOf(keyNode),
    valueNode,
    range: rangeOf(prop),
    isObject: valueNode?.type === 'object',
    classType: undefined,
    classTypeNode: undefined,
    inputsNode: undefined,
    inputs: new Map(),
    duplicateInputs: [],
    title: undefined,
  };
  if (valueNode?.type !== 'object') return node;
  for (const p of valueNode.children ?? []) {
    const k = p.children?.[0];
    const v = p.children?.[1];
    switch (k?.value) {
      case 'class_type':
        node.classTypeNode = v;
        node.classTypeKeyRange = rangeOf(k);
        node.classType = typeof v?.value === 'string' && v.type === 'string' ? v.value : undefined;
        break;
      case 'inputs':
        node.inputsNode = v;
        node.inputsKeyRange = rangeOf(k);
        // A repeated "inputs" key replaces the earlier one, as in the server's JSON parser.
        node.inputs = new Map();
        node.duplicateInputs = [];
        if (v?.type === 'object') indexInputs(v, node);
        break;
      case '_meta': {
        const title = v?.type === 'object' ? v.children?.find((q) => q.children?.[0]?.value === 'title')?.children?.[1] : undefined;
        node.title = title?.type === 'string' ? (title.value as string) : undefined;
        break;
      }
      default:
        break;
    }
  }
  return node;
}

function indexInputs(inputsNode: JsonNode, node: WorkflowNode): void {
  for (const p of inputsNode.children ?? []) {
    const k = p.children?.[0];
    if (!k || typeof k.value !== 'string') continue;
    const v = p.children?.[1];
    const input: WorkflowInput = {
      name: k.value,
      keyRange: rangeOf(k),
      valueNode: v,
      valueRange: v ? rangeOf(v) : { offset: k.offset + k.length, length: 0 },
      value: v ? scalarOrTree(v) : undefined,
    };
    if (v?.type === 'array') {
      const items = v.children ?? [];
      const a = items[0];
      const b = items[1];
      input.link = {
        arity: items.length,
        sourceId: a ? scalarOrTree(a) : undefined,
        sourceIdRange: a ? rangeOf(a) : undefined,
        slot: b ? scalarOrTree(b) : undefined,
        slotRange: b ? rangeOf(b) : undefined,
      };
    }
    if (node.inputs.has(input.name)) node.duplicateInputs.push(node.inputs.get(input.name)!);
    node.inputs.set(input.name, input);
  }
}

function scalarOrTree(n: JsonNode): unknown {
  return n.type === 'object' || n.type === 'array' ? getNodeValue(n) : n.value;
}
