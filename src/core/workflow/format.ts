// THE format detector (issue 12): the document model (a jsonc tree, in the editor and the CLI) and the queue
// command (parsed values) used to decide with two sets of rules and disagreed (`{"nodes": […]}`, `{"1": 2}`).
// Both now describe the top level through `RootView` and get the same answer from `detectWorkflowFormat`.
import type { Node as JsonNode } from 'jsonc-parser';
import { endOfString } from '../util/jsonScan';

/**
 * - `api`: an API prompt `{ "<id>": { class_type, inputs } }` (also half-typed: every key id-like);
 * - `request`: a `/prompt` request body `{ prompt: {...}, client_id?, extra_data?, ... }`;
 * - `ui`: a UI (litegraph) workflow: a `nodes` list (usually with `links`, `version`, `last_node_id`, `state`; the
 *   frontend loads a graph without them, so a `nodes` list alone decides);
 * - `none`: anything else (including an empty file).
 */
export type WorkflowFormat = 'api' | 'request' | 'ui' | 'none';

export type ValueKind = 'object' | 'array' | 'other';

/** The top level of a JSON document, whatever it is stored as. */
export interface RootView {
  /** Undefined when the top level is not an object. */
  keys(): Iterable<string> | undefined;
  /** The kind of the value under `key` (the last duplicate wins); undefined when absent. */
  kind(key: string): ValueKind | undefined;
  /** For an object value under `key`: whether it has any of `names` as its own key. */
  childHasKey(key: string, names: readonly string[]): boolean;
}

/** True for a string that looks like an API node id ("12", "5:3" inside group nodes / subgraphs). */
export const NODE_ID = /^-?\d+(?::-?\d+)*$/;

const NODE_KEYS = ['class_type', 'inputs'];

export function detectWorkflowFormat(view: RootView): WorkflowFormat {
  const keys = view.keys();
  if (!keys) return 'none';
  const all = [...keys];
  if (all.length === 0) return 'none';
  if (view.kind('nodes') === 'array') return 'ui';
  if (view.kind('prompt') === 'object' && view.kind('class_type') === undefined && view.kind('inputs') === undefined) return 'request';
  let allIdLike = true;
  for (const k of all) {
    if (view.kind(k) === 'object' && view.childHasKey(k, NODE_KEYS)) return 'api';
    if (!NODE_ID.test(k)) allIdLike = false;
  }
  // A half-typed prompt (`{"1": {}}`, `{"1": 2}`) has no class_type yet; id-like keys are enough: the validator then
  // says what is wrong with each node.
  return allIdLike ? 'api' : 'none';
}

function kindOfValue(v: unknown): ValueKind {
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' && v !== null ? 'object' : 'other';
}

/** The format of a parsed JSON value (the queue command). */
export function detectValueFormat(root: unknown): WorkflowFormat {
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return 'none';
  const r = root as Record<string, unknown>;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(r, k);
  return detectWorkflowFormat({
    keys: () => Object.keys(r),
    kind: (k) => (has(k) ? kindOfValue(r[k]) : undefined),
    childHasKey: (k, names) => {
      const v = r[k];
      return typeof v === 'object' && v !== null && !Array.isArray(v) && names.some((n) => Object.prototype.hasOwnProperty.call(v, n));
    },
  });
}

/** The format of a jsonc syntax tree (the document model), and the properties it looked at. */
export function detectTreeFormat(root: JsonNode | undefined): { format: WorkflowFormat; props: Map<string, JsonNode | undefined> } {
  const props = new Map<string, JsonNode | undefined>();
  if (root?.type !== 'object') return { format: 'none', props };
  for (const p of root.children ?? []) {
    const k = p.children?.[0]?.value;
    if (typeof k === 'string') props.set(k, p.children?.[1]);
  }
  const kindOf = (n: JsonNode | undefined): ValueKind => (n?.type === 'object' ? 'object' : n?.type === 'array' ? 'array' : 'other');
  const format = detectWorkflowFormat({
    keys: () => props.keys(),
    kind: (k) => (props.has(k) ? kindOf(props.get(k)) : undefined),
    childHasKey: (k, names) => {
      const v = props.get(k);
      return v?.type === 'object' && (v.children ?? []).some((q) => names.includes(q.children?.[0]?.value as string));
    },
  });
  return { format, props };
}

/** How much of a text too large to parse `sniffTextFormat` reads. */
const SNIFF_CHARS = 65_536;

/**
 * The format of a text too large to parse into a tree (a document over the size limits): the same rules, applied to
 * the top-level keys and their objects' keys found in the first `maxChars` characters by one scan that steps over
 * strings and comments. It can only differ from `detectTreeFormat` when a deciding key lies beyond the head (then
 * the keys seen so far decide).
 */
export function sniffTextFormat(text: string, maxChars = SNIFF_CHARS): WorkflowFormat {
  const head = text.length > maxChars ? text.slice(0, maxChars) : text;
  const kinds = new Map<string, ValueKind>();
  const childKeys = new Map<string, Set<string>>();
  let top: string | undefined;
  let depth = 0;
  let rootIsObject = false;
  const n = head.length;
  const skipSpace = (i: number): number => {
    while (i < n && /\s/.test(head[i]!)) i++;
    return i;
  };
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === '"') {
      const end = endOfString(head, i);
      if (end >= n) break;
      const after = skipSpace(end + 1);
      if (head[after] === ':' && (depth === 1 || depth === 2)) {
        const key = decodeKey(head.slice(i, end + 1));
        if (depth === 1) {
          const v = head[skipSpace(after + 1)];
          kinds.set(key, v === '[' ? 'array' : v === '{' ? 'object' : 'other');
          top = key;
          childKeys.set(key, new Set()); // the last duplicate wins, as in the tree
        } else if (top !== undefined) childKeys.get(top)?.add(key);
      }
      i = end;
    } else if (c === '/' && head[i + 1] === '/') {
      const nl = head.indexOf('\n', i);
      i = nl === -1 ? n : nl;
    } else if (c === '/' && head[i + 1] === '*') {
      const close = head.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 1;
    } else if (c === '{' || c === '[') {
      if (depth === 0) rootIsObject = c === '{';
      depth++;
    } else if (c === '}' || c === ']') depth--;
  }
  if (!rootIsObject) return 'none';
  return detectWorkflowFormat({
    keys: () => kinds.keys(),
    kind: (k) => kinds.get(k),
    childHasKey: (k, names) => names.some((name) => childKeys.get(k)?.has(name) === true),
  });
}

function decodeKey(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, -1); // an invalid escape: the raw text is as good a key as any
  }
}
