// Completion in API prompts and /prompt request bodies: class names, input names (with default values as
// snippets), combo values, link targets, number/boolean defaults, and whole-node skeletons for new ids.
// Offsets in, items with replace ranges out; the editor filters by the text between range start and
// cursor, so every item's filterText starts the way its literal does.
//
// The class list is the hot path (2,000+ classes on every keystroke in `class_type`): the per-class parts
// are computed once per NodeDefs instance and only the range is attached per call.
import type { OffsetRange, WorkflowDocument, WorkflowNode } from './document';
import type { NodeDef, NodeDefs } from './nodeDefs';
import { getCursorContext, type CursorContext } from './cursor';
import { escapeMarkdown } from '../util/escape';
import { describeClass, describeInput, packOf, typeLabel } from './describe';
import { inputDefForNodeKey, proposableInputs } from './dynamicInputs';
import { inputDefForKey } from './graph';
import { detectTextFormat, lineIndentAt, startsLine, type TextEdit, type TextFormat } from './edits';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { escapeSnippet, linkCandidates, snippetTabStops, valueSnippet, type LinkCandidate } from './inputValues';

export type CompletionKind = 'class' | 'property' | 'value' | 'reference' | 'snippet' | 'keyword' | 'enumMember';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** One line shown next to the label. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Replaces `range`. A snippet (`${1:x}` tab stops) when `isSnippet`. */
  insertText: string;
  isSnippet?: boolean;
  range: OffsetRange;
  sortText?: string;
  filterText?: string;
  preselect?: boolean;
  /** Multi-line text already carries the document's indentation: the editor must not re-indent it. */
  keepWhitespace?: boolean;
  /** Edits elsewhere, e.g. the comma a new property needs after the previous one. */
  additionalEdits?: TextEdit[];
  /** Open completion again after inserting (e.g. after `"class_type": ""`). */
  retrigger?: boolean;
  /** Marked deprecated by its node definition. */
  deprecated?: boolean;
}

export interface CompletionList {
  items: CompletionItem[];
}

const EMPTY: CompletionList = { items: [] };

/**
 * Completion items at `offset`. `defs` may be undefined (no server yet): structural proposals still work.
 * Never throws.
 */
export function getCompletions(doc: WorkflowDocument, defs: NodeDefs | undefined, offset: number): CompletionList {
  try {
    const ctx = getCursorContext(doc, offset);
    switch (ctx.kind) {
      case 'classType':
        return { items: defs ? classItems(defs, ctx) : [] };
      case 'nodeKey':
        return { items: nodeKeyItems(doc, defs, ctx) };
      case 'inputName':
        return { items: defs ? inputNameItems(doc, defs, ctx) : [] };
      case 'inputValue':
        return { items: defs ? inputValueItems(doc, defs, ctx) : [] };
      case 'linkElement':
        return { items: defs ? linkElementItems(doc, defs, ctx) : [] };
      case 'nodeId':
        return { items: nodeIdItems(doc, defs, ctx, offset) };
      case 'requestKey':
        return { items: requestKeyItems(ctx) };
      default:
        return EMPTY;
    }
  } catch {
    return EMPTY;
  }
}

type Ctx<K extends CursorContext['kind']> = Extract<CursorContext, { kind: K }>;

// ---------------------------------------------------------------------------------------------------------
// class_type values

interface ClassEntry {
  name: string;
  literal: string;
  detail: string;
  filterText: string;
  sortText: string;
  deprecated: boolean;
  def: NodeDef | undefined;
  /** Short markdown (description, pack); `resolveCompletionItem` swaps in the full class description. */
  summary: string;
}

const classCache = new WeakMap<NodeDefs, ClassEntry[]>();

/** Per-class parts of class items, built once per NodeDefs. */
export function classEntries(defs: NodeDefs): ClassEntry[] {
  let entries = classCache.get(defs);
  if (entries) return entries;
  entries = defs.names().map((name) => classEntry(defs, name));
  classCache.set(defs, entries);
  return entries;
}

function classEntry(defs: NodeDefs, name: string): ClassEntry {
  const def = defs.get(name);
  const display = def?.displayName ?? name;
  const literal = JSON.stringify(name);
  const category = def?.category ?? '';
  return {
    name,
    literal,
    detail: [display !== name ? display : '', category].filter(Boolean).join(' · '),
    // The editor filters on the typed literal ("KSa…); the display name after it lets "Load Ch… match too.
    filterText: display !== name ? `${literal} ${display}` : literal,
    // Deprecated classes sink to the bottom; otherwise the editor's own ranking applies.
    sortText: `${def?.deprecated ? '1' : '0'}${name.toLowerCase()}`,
    deprecated: def?.deprecated === true,
    def,
    summary: def ? classSummary(def) : '',
  };
}

/** Description and pack: enough to pick a class from the list; the rest comes with resolve. */
function classSummary(def: NodeDef): string {
  const pack = packOf(def.pythonModule);
  return [def.description ? escapeMarkdown(def.description) : '', `Pack: ${escapeMarkdown(pack)}`].filter(Boolean).join('\n\n');
}

export interface WarmOptions {
  clock?: Clock;
  /** Stops warming (e.g. the definitions were replaced meanwhile). */
  signal?: AbortSignal;
  /** Classes normalized per timer turn (default 100: about 10 ms with 2,000 classes, so the host never blocks long). */
  classesPerTurn?: number;
}

/**
 * Builds the per-class cache (normalizing every class once) ahead of the first keystroke in a `class_type` value,
 * which otherwise pays ~200 ms for 2,000 classes. The work runs a slice at a time on timer turns, never in the
 * caller's turn. Resolves when the cache is complete or the signal aborts; cheap to call again.
 */
export function warmCompletionCache(defs: NodeDefs, options: WarmOptions = {}): Promise<void> {
  const { clock = systemClock, signal } = options;
  const perTurn = Math.max(1, options.classesPerTurn ?? 100);
  if (classCache.has(defs) || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const names = defs.names();
    const entries: ClassEntry[] = [];
    let timer: TimerHandle | undefined;
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = (): void => {
      if (timer !== undefined) clock.clearTimeout(timer);
      done();
    };
    const step = (): void => {
      timer = undefined;
      // A keystroke may have built the cache synchronously meanwhile.
      if (classCache.has(defs)) return done();
      const end = Math.min(names.length, entries.length + perTurn);
      for (let i = entries.length; i < end; i++) entries.push(classEntry(defs, names[i]!));
      if (entries.length < names.length) {
        timer = clock.setTimeout(step, 0);
        return;
      }
      classCache.set(defs, entries);
      done();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    timer = clock.setTimeout(step, 0);
  });
}

/**
 * The full documentation of an item, for the editor's lazy resolve step: class items get the complete
 * class description (inputs, outputs). Other items are returned unchanged.
 */
export function resolveCompletionItem(item: CompletionItem, defs: NodeDefs | undefined): CompletionItem {
  if (item.kind !== 'class' || !defs) return item;
  const def = defs.get(item.label);
  return def ? { ...item, documentation: describeClass(def) } : item;
}

function classItems(defs: NodeDefs, ctx: Ctx<'classType'>): CompletionItem[] {
  const entries = classEntries(defs);
  const items: CompletionItem[] = new Array(entries.length);
  const sep = ctx.separatorAfter;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const item: CompletionItem = {
      label: e.name,
      kind: 'class',
      detail: e.detail,
      insertText: sep ? e.literal + sep : e.literal,
      range: ctx.range,
      filterText: e.filterText,
      sortText: e.sortText,
    };
    if (e.summary) item.documentation = e.summary;
    if (e.deprecated) item.deprecated = true;
    items[i] = item;
  }
  return items;
}

// ---------------------------------------------------------------------------------------------------------
// keys of a node object

function nodeKeyItems(doc: WorkflowDocument, defs: NodeDefs | undefined, ctx: Ctx<'nodeKey'>): CompletionItem[] {
  const present = presentKeys(ctx);
  const def = ctx.node.classType ? defs?.get(ctx.node.classType) : undefined;
  const fmt = detectTextFormat(doc.text);
  const items: CompletionItem[] = [];
  const add = (key: string, value: string, detail: string, retrigger = false): void => {
    if (present.has(key)) return;
    const item = propertyItem(ctx, key, value, detail, String(items.length));
    if (!ctx.keyOnly && value.includes('\n')) item.keepWhitespace = true;
    if (retrigger && !ctx.keyOnly) item.retrigger = true;
    items.push(item);
  };
  add('class_type', '"$1"', 'The node class (a key of /object_info)', true);
  if (def) {
    const base = lineIndentAt(doc.text, ctx.range.offset);
    add('inputs', inputsObjectSnippet(doc, defs!, ctx.node, def, fmt, base, startsLine(doc.text, ctx.range.offset)), `Required inputs of ${def.name}`);
  } else add('inputs', '{$1}', 'Input values and links');
  add('_meta', `{"title": "\${1:${escapeSnippet(JSON.stringify(def?.displayName ?? '').slice(1, -1))}}"}`, 'Title shown in error messages');
  return items;
}

/** `{ "a": …, "b": … }` with the required inputs of a class, formatted like the document. */
function inputsObjectSnippet(
  doc: WorkflowDocument,
  defs: NodeDefs,
  node: WorkflowNode | undefined,
  def: NodeDef,
  fmt: TextFormat,
  base: string,
  ownLine: boolean,
): string {
  const required = def.inputs.filter((i) => i.category === 'required' && !i.dynamic);
  if (required.length === 0) return '{$0}';
  let tab = 1;
  const props = required.map((input) => {
    const link = node ? linkCandidates(doc, defs, node, input)[0] : undefined;
    const text = `${JSON.stringify(input.name)}: ${valueSnippet(input, tab, link)}`;
    tab += snippetTabStops(input);
    return text;
  });
  if (!fmt.multiline || !ownLine) return `{${props.join(', ')}}`;
  const inner = base + fmt.indentUnit;
  return `{${fmt.eol}${inner}${props.join(`,${fmt.eol}${inner}`)}${fmt.eol}${base}}`;
}

function withComma(item: CompletionItem, commaBefore: number | undefined): void {
  if (commaBefore !== undefined) item.additionalEdits = [{ offset: commaBefore, length: 0, newText: ',' }];
}

type KeyCtx = Ctx<'nodeKey' | 'requestKey'>;

/** Keys already written in the object, except the key being replaced (so retyping a key still proposes it). */
function presentKeys(ctx: KeyCtx): Set<string> {
  const present = new Set<string>();
  for (const p of ctx.object.children ?? []) {
    const k = p.children?.[0];
    if (typeof k?.value === 'string' && !(k.offset === ctx.range.offset && ctx.range.length > 0)) present.add(k.value);
  }
  return present;
}

/** A fixed property proposal: only the key when a colon already follows, else `"key": value` as a snippet. */
function propertyItem(ctx: KeyCtx, key: string, value: string, detail: string, sortText: string): CompletionItem {
  const item: CompletionItem = {
    label: key,
    kind: 'property',
    detail,
    insertText: ctx.keyOnly ? JSON.stringify(key) : `${JSON.stringify(key)}: ${value}${ctx.separatorAfter}`,
    isSnippet: !ctx.keyOnly,
    range: ctx.range,
    filterText: JSON.stringify(key),
    sortText,
  };
  withComma(item, ctx.commaBefore);
  return item;
}

// ---------------------------------------------------------------------------------------------------------
// input names

function inputNameItems(doc: WorkflowDocument, defs: NodeDefs, ctx: Ctx<'inputName'>): CompletionItem[] {
  const def = ctx.node.classType ? defs.get(ctx.node.classType) : undefined;
  if (!def) return [];
  const present = new Set(ctx.node.inputs.keys());
  if (ctx.currentName !== undefined && ctx.range.length > 0) present.delete(ctx.currentName);
  const items: CompletionItem[] = [];
  proposableInputs(def, ctx.node).forEach((input, index) => {
    if (present.has(input.name)) return;
    const literal = JSON.stringify(input.name);
    let insertText = literal;
    let isSnippet = false;
    if (!ctx.keyOnly) {
      const link = input.hasWidget ? undefined : linkCandidates(doc, defs, ctx.node, input)[0];
      insertText = `${literal}: ${valueSnippet(input, 1, link)}${ctx.separatorAfter}`;
      isSnippet = true;
    }
    const item: CompletionItem = {
      label: input.name,
      kind: 'property',
      detail: `${typeLabel(input)}${input.category === 'required' ? '' : ' (optional)'}`,
      documentation: describeInput(def, input),
      insertText,
      isSnippet,
      range: ctx.range,
      filterText: literal,
      // Required inputs first, each group in the definition's order.
      sortText: `${input.category === 'required' ? 0 : 1}${String(index).padStart(4, '0')}`,
    };
    withComma(item, ctx.commaBefore);
    items.push(item);
  });
  return items;
}

// ---------------------------------------------------------------------------------------------------------
// input values

function inputValueItems(doc: WorkflowDocument, defs: NodeDefs, ctx: Ctx<'inputValue'>): CompletionItem[] {
  const def = ctx.node.classType ? defs.get(ctx.node.classType) : undefined;
  const input = def ? (inputDefForNodeKey(def, ctx.node, ctx.inputName) ?? inputDefForKey(def, ctx.inputName)) : undefined;
  if (!def || !input) return [];
  const items: CompletionItem[] = [];
  const sep = ctx.separatorAfter;
  const value = (label: string, literal: string, detail: string | undefined, sortText: string, preselect = false): void => {
    const item: CompletionItem = { label, kind: 'value', insertText: literal + sep, range: ctx.range, filterText: literal, sortText };
    if (detail) item.detail = detail;
    if (preselect) item.preselect = true;
    items.push(item);
  };
  switch (input.kind) {
    case 'COMBO': {
      // All options, in the server's order (it sorts file lists itself); the editor narrows by prefix.
      const values = input.comboValues ?? [];
      values.forEach((v, i) => {
        const literal = JSON.stringify(v);
        if (literal === undefined) return;
        const isDefault = input.default !== undefined && v === input.default;
        value(typeof v === 'string' ? v : literal, literal, isDefault ? 'default' : undefined, `0${String(i).padStart(6, '0')}`, isDefault);
      });
      break;
    }
    case 'BOOLEAN':
      for (const b of [true, false]) value(String(b), String(b), input.default === b ? 'default' : undefined, `0${b ? 0 : 1}`, input.default === b);
      break;
    case 'INT':
    case 'FLOAT': {
      const seen = new Set<number>();
      const add = (n: number | undefined, what: string, rank: number): void => {
        if (n === undefined || !Number.isFinite(n) || seen.has(n)) return;
        seen.add(n);
        value(String(n), JSON.stringify(n), what, `0${rank}`, rank === 0);
      };
      add(typeof input.default === 'number' ? input.default : undefined, 'default', 0);
      add(input.min, 'minimum', 1);
      add(input.max, 'maximum', 2);
      break;
    }
    case 'STRING':
      if (typeof input.default === 'string' && input.default !== '') value(JSON.stringify(input.default), JSON.stringify(input.default), 'default', '00', true);
      break;
    case 'dynamic':
      // A dynamic combo's option keys; the chosen option's inputs are then proposed as `<selector>.<name>` keys.
      (input.dynamicOptions ?? []).forEach((k, i) => value(k, JSON.stringify(k), 'option', `0${String(i).padStart(6, '0')}`, i === 0));
      break;
    default:
      break;
  }
  for (const [i, c] of linkCandidates(doc, defs, ctx.node, input).entries()) items.push(linkItem(c, ctx.range, sep, i, input.hasWidget));
  return items;
}

function linkLiteral(c: LinkCandidate): string {
  return `[${JSON.stringify(c.node.id)}, ${c.output.index}]`;
}

function linkItem(c: LinkCandidate, range: OffsetRange, sep: string, rank: number, afterValues: boolean): CompletionItem {
  const literal = linkLiteral(c);
  const out = c.output.name !== c.output.type ? `${c.output.name} (${c.output.type})` : c.output.type;
  return {
    // The id disambiguates nodes with the same title (two "CLIP Text Encode (Prompt)" nodes are the norm).
    label: `#${c.node.id} ${c.title} › ${c.output.name}`,
    kind: 'reference',
    detail: `${literal} · ${c.node.classType ?? ''} → ${out}${c.viaWildcard ? ' (any type)' : ''}`,
    insertText: literal + sep,
    range,
    // The literal first so a typed `[` or `["4` filters; the title after it so typing a name does too.
    filterText: `${literal} ${c.title} ${c.output.name}`,
    // After the widget's own values, nearest-in-document-order first otherwise.
    sortText: `${afterValues ? 1 : 0}${c.viaWildcard ? 1 : 0}${String(rank).padStart(5, '0')}`,
  };
}

/** Inside `[…]`: element 0 proposes source ids, element 1 the source's output slots. */
function linkElementItems(doc: WorkflowDocument, defs: NodeDefs, ctx: Ctx<'linkElement'>): CompletionItem[] {
  const def = ctx.node.classType ? defs.get(ctx.node.classType) : undefined;
  const input = def ? inputDefForKey(def, ctx.inputName) : undefined;
  if (!input) return [];
  const candidates = linkCandidates(doc, defs, ctx.node, input);
  const items: CompletionItem[] = [];
  if (ctx.index === 0) {
    const byNode = new Map<string, LinkCandidate[]>();
    for (const c of candidates) byNode.set(c.node.id, [...(byNode.get(c.node.id) ?? []), c]);
    let rank = 0;
    for (const [id, cs] of byNode) {
      const literal = JSON.stringify(id);
      items.push({
        label: id,
        kind: 'reference',
        detail: `${cs[0]!.title} → ${cs.map((c) => `${c.output.index}: ${c.output.name}`).join(', ')}`,
        insertText: literal,
        range: ctx.range,
        filterText: `${literal} ${cs[0]!.title}`,
        sortText: String(rank++).padStart(5, '0'),
      });
    }
  } else if (ctx.index === 1) {
    const source = ctx.array.children?.[0]?.value;
    for (const c of candidates) {
      if (c.node.id !== source) continue;
      items.push({
        label: String(c.output.index),
        kind: 'value',
        detail: `${c.output.name} (${c.output.type})`,
        insertText: String(c.output.index),
        range: ctx.range,
        sortText: String(c.output.index).padStart(5, '0'),
      });
    }
  }
  return items;
}

// ---------------------------------------------------------------------------------------------------------
// new nodes (keys of the prompt object)

const skeletonCache = new WeakMap<NodeDefs, Map<string, Map<string, string>>>();

function nextNodeId(existing: ReadonlySet<string>): string {
  let max = 0;
  for (const id of existing) {
    const n = /^\d+$/.test(id) ? Number(id) : NaN;
    if (Number.isSafeInteger(n) && n > max) max = n;
  }
  return String(max + 1);
}

/** The `{class_type, inputs}` object of a new node, relative to indentation level 0 (cached per format). */
function skeletonBody(defs: NodeDefs, def: NodeDef, fmt: TextFormat, oneLine: boolean): string {
  const key = oneLine ? 'inline' : `${fmt.indentUnit}|${fmt.eol}`;
  let perFormat = skeletonCache.get(defs);
  if (!perFormat) skeletonCache.set(defs, (perFormat = new Map()));
  let bodies = perFormat.get(key);
  if (!bodies) perFormat.set(key, (bodies = new Map()));
  let body = bodies.get(def.name);
  if (body === undefined) {
    const required = def.inputs.filter((i) => i.category === 'required' && !i.dynamic);
    let tab = 1;
    const props = required.map((input) => {
      const text = `${JSON.stringify(input.name)}: ${valueSnippet(input, tab)}`;
      tab += snippetTabStops(input);
      return text;
    });
    const cls = `"class_type": ${escapeSnippet(JSON.stringify(def.name))}`;
    if (oneLine) body = `{${cls}, "inputs": {${props.join(', ')}}}`;
    else {
      const u = fmt.indentUnit;
      const nl = fmt.eol;
      const inputs = props.length ? `{${nl}${u}${u}${props.join(`,${nl}${u}${u}`)}${nl}${u}}` : '{}';
      body = `{${nl}${u}${cls},${nl}${u}"inputs": ${inputs}${nl}}`;
    }
    bodies.set(def.name, body);
  }
  return body;
}

function nodeIdItems(doc: WorkflowDocument, defs: NodeDefs | undefined, ctx: Ctx<'nodeId'>, offset: number): CompletionItem[] {
  if (ctx.keyOnly) return [];
  const fmt = detectTextFormat(doc.text);
  const oneLine = !fmt.multiline || !startsLine(doc.text, ctx.range.offset);
  const base = oneLine ? '' : lineIndentAt(doc.text, offset);
  const id = nextNodeId(ctx.existingIds);
  const keyLiteral = JSON.stringify(id);
  const indent = (body: string): string => (base ? body.split(fmt.eol).join(fmt.eol + base) : body);
  const items: CompletionItem[] = [];
  const { eol, indentUnit } = fmt;
  const body = oneLine ? '{"class_type": "$1", "inputs": {}}' : `{${eol}${indentUnit}"class_type": "$1",${eol}${indentUnit}"inputs": {}${eol}}`;
  const generic: CompletionItem = {
    label: `New node ${keyLiteral}`,
    kind: 'snippet',
    detail: 'A node with class_type and inputs',
    insertText: `${keyLiteral}: ${indent(body)}${ctx.separatorAfter}`,
    isSnippet: true,
    range: ctx.range,
    filterText: keyLiteral,
    sortText: '0',
    retrigger: true,
  };
  if (!oneLine) generic.keepWhitespace = true;
  withComma(generic, ctx.commaBefore);
  items.push(generic);
  if (!defs) return items;
  for (const e of classEntries(defs)) {
    if (!e.def) continue;
    const item: CompletionItem = {
      label: e.name,
      kind: 'snippet',
      detail: `New node ${keyLiteral}${e.detail ? ` · ${e.detail}` : ''}`,
      insertText: `${keyLiteral}: ${indent(skeletonBody(defs, e.def, fmt, oneLine))}${ctx.separatorAfter}`,
      isSnippet: true,
      range: ctx.range,
      // Typing the id (`"1…`) or the class name both narrow the list.
      filterText: `${keyLiteral} ${e.name} ${e.def.displayName}`,
      sortText: `1${e.sortText}`,
    };
    if (!oneLine) item.keepWhitespace = true;
    if (e.deprecated) item.deprecated = true;
    withComma(item, ctx.commaBefore);
    items.push(item);
  }
  return items;
}

// ---------------------------------------------------------------------------------------------------------
// keys of a /prompt request body (comfyui-api.md §2.1)

const REQUEST_KEYS: readonly (readonly [key: string, value: string, detail: string])[] = [
  ['prompt', '{$1}', 'The API prompt: node id → {class_type, inputs}'],
  ['client_id', '"$1"', "WebSocket client id: required to receive this prompt's progress events"],
  ['prompt_id', '"$1"', 'Client-chosen id (a lowercase canonical UUID)'],
  ['number', '${1:0}', 'Explicit queue priority: lower runs first'],
  ['front', '${1|true,false|}', 'Jump the queue (when no number is given)'],
  ['partial_execution_targets', '["$1"]', 'Run only these output node ids (and what they need)'],
  ['extra_data', '{"extra_pnginfo": {"workflow": $1}}', 'Passed to the executor; extra_pnginfo.workflow is embedded in saved images'],
];

function requestKeyItems(ctx: Ctx<'requestKey'>): CompletionItem[] {
  const present = presentKeys(ctx);
  const items: CompletionItem[] = [];
  REQUEST_KEYS.forEach(([key, value, detail], i) => {
    if (!present.has(key)) items.push(propertyItem(ctx, key, value, detail, String(i)));
  });
  return items;
}
