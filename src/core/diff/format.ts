// The canonical layout of a workflow file: stable key order, links and short scalar arrays inline, one member
// per line otherwise. Idempotent (formatting a formatted file changes nothing) and meaning-preserving (numbers
// keep their exact text; only key order and whitespace change; API node ids are ordered numerically, which the
// server never depends on). A one-value edit of a formatted file changes one line.
import type { ObjectInfo } from '../comfy/types';
import { compareIds, diffFormatOfJson } from './model';
import { get, isObj, parseJson, printJson, remove, type JObj, type JVal } from './json';

export interface FormatOptions {
  /** Class definitions: API inputs follow the class's input order. */
  objectInfo?: ObjectInfo;
  /** Drop fields that change on every save without meaning anything: `extra.ds`, frontend version stamps. */
  stripVolatile?: boolean;
}

const API_NODE_KEYS = ['class_type', 'inputs', '_meta'];
const UI_TOP_KEYS = ['id', 'revision', 'last_node_id', 'last_link_id', 'nodes', 'links', 'groups', 'definitions', 'config', 'extra', 'version'];
const UI_NODE_KEYS = ['id', 'type', 'title', 'pos', 'size', 'flags', 'order', 'mode', 'inputs', 'outputs', 'properties', 'widgets_values'];
const REQUEST_KEYS = ['prompt', 'client_id', 'prompt_id', 'number', 'front', 'extra_data'];
const VOLATILE_EXTRA = ['ds', 'frontendVersion'];

/** Members named in `order` first (in that order), the rest as the file had them. */
function ordered(o: JObj, order: readonly string[]): JObj {
  const rank = new Map(order.map((k, i) => [k, i]));
  const known = o.entries.filter(([k]) => rank.has(k)).sort(([a], [b]) => rank.get(a)! - rank.get(b)!);
  return { entries: [...known, ...o.entries.filter(([k]) => !rank.has(k))] };
}

function mapEntries(o: JObj, f: (k: string, v: JVal) => JVal): JObj {
  return { entries: o.entries.map(([k, v]) => [k, f(k, v)]) };
}

function inputOrder(objectInfo: ObjectInfo | undefined, cls: JVal | undefined): string[] {
  if (typeof cls !== 'string' || !objectInfo) return [];
  const info = objectInfo[cls];
  if (!info || typeof info !== 'object') return [];
  const io = info.input_order;
  if (io && (Array.isArray(io.required) || Array.isArray(io.optional))) return [...(io.required ?? []), ...(io.optional ?? [])];
  const input = info.input as { required?: object; optional?: object } | undefined;
  return [...Object.keys(input?.required ?? {}), ...Object.keys(input?.optional ?? {})];
}

function formatApiPrompt(p: JObj, options: FormatOptions): JObj {
  const nodes = [...p.entries].sort(([a], [b]) => compareIds(a, b));
  return {
    entries: nodes.map(([id, n]) => {
      if (!isObj(n)) return [id, n];
      const node = ordered(n, API_NODE_KEYS);
      const inputs = get(node, 'inputs');
      if (isObj(inputs)) {
        const order = inputOrder(options.objectInfo, get(node, 'class_type'));
        return [id, mapEntries(node, (k, v) => (k === 'inputs' ? ordered(inputs, order) : v))];
      }
      return [id, node];
    }),
  };
}

function formatUiGraph(g: JObj, top: boolean): JObj {
  const o = top ? ordered(g, UI_TOP_KEYS) : g;
  return mapEntries(o, (k, v) => {
    if (k === 'nodes' && Array.isArray(v)) return v.map((n) => (isObj(n) ? ordered(n, UI_NODE_KEYS) : n));
    if (k === 'definitions' && isObj(v)) {
      return mapEntries(v, (dk, dv) => (dk === 'subgraphs' && Array.isArray(dv) ? dv.map((s) => (isObj(s) ? formatUiGraph(s, false) : s)) : dv));
    }
    return v;
  });
}

function stripVolatile(g: JObj): void {
  const extra = get(g, 'extra');
  if (isObj(extra)) for (const k of VOLATILE_EXTRA) remove(extra, k);
}

export class FormatError extends Error {
  override readonly name = 'FormatError';
}

/** The canonical text of a workflow. Throws FormatError on invalid JSON or a non-workflow. */
export function formatWorkflowText(text: string, options: FormatOptions = {}): string {
  let root: JVal;
  try {
    root = parseJson(text);
  } catch (e) {
    throw new FormatError(`Not valid JSON: ${(e as Error).message}.`);
  }
  return printJson(formatValue(root, options));
}

export function formatValue(root: JVal, options: FormatOptions = {}): JVal {
  if (!isObj(root)) throw new FormatError('Not a ComfyUI workflow: the top level is not an object.');
  const format = diffFormatOfJson(root);
  if (format === 'api') return formatApiPrompt(root, options);
  if (format === 'ui') {
    if (options.stripVolatile) stripVolatile(root);
    return formatUiGraph(root, true);
  }
  if (format === 'request') {
    const o = ordered(root, REQUEST_KEYS);
    return mapEntries(o, (k, v) => {
      if (k === 'prompt' && isObj(v)) return formatApiPrompt(v, options);
      if (k === 'extra_data' && isObj(v)) {
        const png = get(v, 'extra_pnginfo');
        const wf = get(png, 'workflow');
        if (isObj(png) && isObj(wf) && Array.isArray(get(wf, 'nodes'))) {
          if (options.stripVolatile) stripVolatile(wf);
          return mapEntries(v, (ek, ev) =>
            ek === 'extra_pnginfo' && isObj(ev) ? mapEntries(ev, (pk, pv) => (pk === 'workflow' ? formatUiGraph(wf, true) : pv)) : ev,
          );
        }
      }
      return v;
    });
  }
  throw new FormatError('Not a ComfyUI workflow (neither an API prompt, a /prompt body nor a UI workflow).');
}
