// Quick fixes for validation problems: pick the closest combo value, rename an unknown class to a suggested
// one, add every missing required input with its default, clamp a number into range, drop or rename an
// undeclared input, connect a socket to a compatible output. Each fix is a list of text edits that keeps
// the JSON valid and formatted like the rest of the file.
//
// Fixes read `problem.data` (see validate.ts) when it is there and recompute from the document and the
// definitions when it is not, so problems from other sources (e.g. a server's 400 mapped back onto the
// file) can be fixed too, as long as they carry a code and a range.
import { findNodeAtOffset as findJsonNodeAtOffset } from 'jsonc-parser';
import { findNodeAtOffset, type JsonNode, type OffsetRange, type WorkflowDocument, type WorkflowInput, type WorkflowNode } from './document';
import { detectTextFormat, insertPropertiesEdit, removePropertyEdit, renderValue, type TextEdit } from './edits';
import { rankSuggestions } from './fuzzy';
import { inputDefForKey } from './graph';
import { initialValue, linkCandidates, type LinkCandidate } from './inputValues';
import { resolveLocale, type Locale } from './messages';
import type { NodeDef, NodeDefs } from './nodeDefs';
import { replaceNodeEdits, type NodeReplacement } from './nodeReplacements';
import { suggestClassTypes } from './suggest';
import type { Problem } from './validate';

export interface QuickFix {
  title: string;
  kind: 'quickfix';
  /** The code of the problem this fixes. */
  problemCode: string;
  isPreferred?: boolean;
  edits: TextEdit[];
}

/** What a fix needs from a problem; validate.ts `Problem` fits, so does anything with a code and a range. */
export type FixableProblem = Pick<Problem, 'range'> & Partial<Pick<Problem, 'nodeId' | 'inputName' | 'data'>> & { code: string };

export interface FixOptions {
  /** Title language (`en` default; `zh*` → Simplified Chinese). */
  locale?: string;
  /** At most this many alternatives per problem (combo values, class names, link sources). Default 3. */
  maxAlternatives?: number;
}

/** Quick fixes for one problem, best first. Never throws. */
export function getQuickFixes(doc: WorkflowDocument, defs: NodeDefs | undefined, problem: FixableProblem, options: FixOptions = {}): QuickFix[] {
  try {
    return fixesFor(new FixContext(doc, defs, options), problem);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------------------

type TitleId =
  | 'replaceNode'
  | 'changeTo'
  | 'changeClass'
  | 'addInputs'
  | 'connect'
  | 'clampMin'
  | 'clampMax'
  | 'removeInput'
  | 'renameInput'
  | 'useJson'
  | 'removeDuplicate';

const TITLES: Record<Locale, Record<TitleId, (a: string, b?: string) => string>> = {
  en: {
    replaceNode: (c) => `Replace with ${c} (the server's registered replacement)`,
    changeTo: (v) => `Change to ${v}`,
    changeClass: (c, d) => `Change class to ${c}${d ? ` (${d})` : ''}`,
    addInputs: (list) => `Add missing inputs: ${list}`,
    connect: (input, source) => `Connect ${input} to ${source}`,
    clampMin: (v) => `Change to the minimum, ${v}`,
    clampMax: (v) => `Change to the maximum, ${v}`,
    removeInput: (i) => `Remove input ${i}`,
    renameInput: (from, to) => `Rename ${from} to ${to}`,
    useJson: (v) => `Write it as ${v}`,
    removeDuplicate: (k) => `Remove the ignored duplicate ${k}`,
  },
  'zh-cn': {
    replaceNode: (c) => `替换为 ${c}（服务器登记的替代节点）`,
    changeTo: (v) => `改为 ${v}`,
    changeClass: (c, d) => `将节点类型改为 ${c}${d ? `（${d}）` : ''}`,
    addInputs: (list) => `添加缺少的输入：${list}`,
    connect: (input, source) => `将 ${input} 连接到 ${source}`,
    clampMin: (v) => `改为最小值 ${v}`,
    clampMax: (v) => `改为最大值 ${v}`,
    removeInput: (i) => `删除输入 ${i}`,
    renameInput: (from, to) => `将 ${from} 重命名为 ${to}`,
    useJson: (v) => `改写为 ${v}`,
    removeDuplicate: (k) => `删除被忽略的重复项 ${k}`,
  },
};

class FixContext {
  readonly locale: Locale;
  readonly max: number;
  constructor(
    readonly doc: WorkflowDocument,
    readonly defs: NodeDefs | undefined,
    options: FixOptions,
  ) {
    this.locale = resolveLocale(options.locale);
    this.max = Math.max(1, options.maxAlternatives ?? 3);
  }

  title(id: TitleId, a: string, b?: string): string {
    return TITLES[this.locale][id](a, b);
  }

  /** The node the problem is on: by position first (duplicate ids), else by id. */
  node(p: FixableProblem): WorkflowNode | undefined {
    return findNodeAtOffset(this.doc, p.range.offset) ?? (p.nodeId !== undefined ? this.doc.nodeById.get(p.nodeId) : undefined);
  }

  def(node: WorkflowNode | undefined): NodeDef | undefined {
    return node?.classType && this.defs ? this.defs.get(node.classType) : undefined;
  }

  /** The input the problem is on: the one whose key or value holds the problem's range, else by name. */
  input(node: WorkflowNode, p: FixableProblem): WorkflowInput | undefined {
    const at = p.range.offset;
    for (const i of [...node.inputs.values(), ...node.duplicateInputs]) {
      if (at >= i.keyRange.offset && at <= i.valueRange.offset + i.valueRange.length) return i;
    }
    return p.inputName !== undefined ? node.inputs.get(p.inputName) : undefined;
  }

  /** The `"key": value` property node whose key literal starts at `keyOffset`. */
  property(keyOffset: number): JsonNode | undefined {
    if (!this.doc.root) return undefined;
    const key = findJsonNodeAtOffset(this.doc.root, keyOffset + 1, false);
    return key?.parent?.type === 'property' && key.parent.children?.[0] === key ? key.parent : undefined;
  }
}

function fix(p: FixableProblem, title: string, edits: TextEdit[], isPreferred = false): QuickFix {
  const f: QuickFix = { title, kind: 'quickfix', problemCode: p.code, edits };
  if (isPreferred) f.isPreferred = true;
  return f;
}

function fixesFor(ctx: FixContext, p: FixableProblem): QuickFix[] {
  switch (p.code) {
    case 'value_not_in_list':
      return comboFixes(ctx, p);
    case 'deprecated_node':
      return replacementFixes(ctx, p);
    case 'missing_node_type':
      if (p.data?.replacement) return [...replacementFixes(ctx, p), ...classFixes(ctx, p)];
      return classFixes(ctx, p);
    case 'invalid_prompt':
      return classFixes(ctx, p);
    case 'required_input_missing':
      return missingInputFixes(ctx, p);
    case 'value_smaller_than_min':
    case 'value_bigger_than_max':
      return clampFixes(ctx, p);
    case 'undeclared_input':
    case 'hidden_input':
      return undeclaredFixes(ctx, p);
    case 'invalid_input_type':
      return typeFixes(ctx, p);
    case 'return_type_mismatch':
    case 'exception_during_inner_validation':
    case 'exception_during_validation':
    case 'bad_linked_input':
      return relinkFixes(ctx, p);
    case 'duplicate_key':
      return duplicateFixes(ctx, p);
    default:
      return [];
  }
}

/** The combo values closest to the current one: case-insensitive equal, same basename, then edit distance. */
function comboFixes(ctx: FixContext, p: FixableProblem): QuickFix[] {
  const node = ctx.node(p);
  const input = node ? ctx.input(node, p) : undefined;
  const inputDef = input && ctx.def(node) ? inputDefForKey(ctx.def(node)!, input.name) : undefined;
  const values = (Array.isArray(p.data?.values) ? (p.data.values as unknown[]) : inputDef?.comboValues) ?? [];
  const current = p.data && 'value' in p.data ? p.data.value : valueAtRange(ctx, p.range);
  if (typeof current !== 'string' || values.length === 0) return [];
  const strings = values.filter((v): v is string => typeof v === 'string');
  return rankSuggestions(current, strings, ctx.max).map((s, i) =>
    fix(p, ctx.title('changeTo', JSON.stringify(s.value)), [{ ...p.range, newText: JSON.stringify(s.value) }], i === 0 && s.score <= 2),
  );
}

function valueAtRange(ctx: FixContext, range: OffsetRange): unknown {
  if (!ctx.doc.root) return undefined;
  const n = findJsonNodeAtOffset(ctx.doc.root, range.offset, false);
  return n && n.offset === range.offset && n.length === range.length ? n.value : undefined;
}

/** Rename an unknown class to one of the suggestions ("did you mean"). */
/** Rewrites a node into the class the server registers as its replacement (inputs and output links mapped). */
function replacementFixes(ctx: FixContext, p: FixableProblem): QuickFix[] {
  const node = ctx.node(p);
  const r = p.data?.replacement as NodeReplacement | undefined;
  if (!node || !r || typeof r.newClass !== 'string') return [];
  const edits = replaceNodeEdits(ctx.doc, node.id, r);
  return edits.length > 0 ? [fix(p, ctx.title('replaceNode', r.newClass), edits, true)] : [];
}

function classFixes(ctx: FixContext, p: FixableProblem): QuickFix[] {
  const node = ctx.node(p);
  if (!node?.classTypeNode || node.classType === undefined || !ctx.defs) return [];
  if (ctx.defs.has(node.classType)) return [];
  const given = Array.isArray(p.data?.suggestions) ? (p.data.suggestions as unknown[]).filter((s): s is string => typeof s === 'string') : undefined;
  const suggestions = (given ?? suggestClassTypes(ctx.defs, node.classType, ctx.max)).filter((s) => ctx.defs!.has(s)).slice(0, ctx.max);
  const range = { offset: node.classTypeNode.offset, length: node.classTypeNode.length };
  return suggestions.map((name, i) => {
    const display = ctx.defs!.displayName(name);
    return fix(
      p,
      ctx.title('changeClass', name, display && display !== name ? display : undefined),
      [{ ...range, newText: JSON.stringify(name) }],
      i === 0 && suggestions.length === 1,
    );
  });
}

/**
 * One fix adds every missing required input of the node: widgets with their defaults, sockets linked to
 * the only compatible output when there is exactly one. Sockets with several candidates get one
 * "Connect" fix per candidate for the input the problem is about.
 */
function missingInputFixes(ctx: FixContext, p: FixableProblem): QuickFix[] {
  const node = ctx.node(p);
  const def = ctx.def(node);
  if (!node || !def || node.inputsNode?.type !== 'object' || !ctx.defs) return [];
  const missing = def.inputs.filter((i) => i.category === 'required' && !i.dynamic && !node.inputs.has(i.name));
  const props: [string, string][] = [];
  for (const input of missing) {
    const init = initialValue(input);
    if (init) {
      props.push([input.name, renderValue(init.value)]);
      continue;
    }
    const candidates = linkCandidates(ctx.doc, ctx.defs, node, input).filter((c) => !c.viaWildcard);
    if (candidates.length === 1) props.push([input.name, renderValue([candidates[0]!.node.id, candidates[0]!.output.index])]);
  }
  const fmt = detectTextFormat(ctx.doc.text);
  const out: QuickFix[] = [];
  const all = insertPropertiesEdit(ctx.doc.text, node.inputsNode, props, fmt);
  if (all) out.push(fix(p, ctx.title('addInputs', props.map(([k]) => k).join(', ')), [all], true));
  const name = typeof p.data?.input === 'string' ? p.data.input : p.inputName;
  const target = name !== undefined ? def.inputByName.get(name) : undefined;
  if (target && !initialValue(target) && !node.inputs.has(target.name)) {
    for (const c of linkCandidates(ctx.doc, ctx.defs, node, target).slice(0, ctx.max)) {
      const edit = insertPropertiesEdit(ctx.doc.text, node.inputsNode, [[target.name, renderValue([c.node.id, c.output.index])]], fmt);
      if (edit) out.push(fix(p, ctx.title('connect', target.name, sourceLabel(c)), [edit]));
    }
  }
  return out;
}

function sourceLabel(c: LinkCandidate): string {
  return `#${c.node.id} ${c.title} › ${c.output.name}`;
}

/** Clamp a number into the declared range. */
function clampFixes(ctx: FixContext, p: FixableProblem): QuickFix[] {
  const node = ctx.node(p);
  const input = node ? ctx.input(node, p) : undefined;
  const def = ctx.def(node);
  const inputDef = input && def ? inputDefForKey(def, input.name) : undefined;
  const min = typeof p.data?.min === 'number' ? p.data.min : inputDef?.min;
  const max = typeof p.data?.max === 'number' ? p.data.max : inputDef?.max;
  const bound = p.code === 'value_smaller_than_min' ? min : max;
  if (bound === undefined || !Number.isFinite(bound)) return [];
  // The problem's range is the value (a number, or a numeric string the server converts).
  const range = input && input.valueNode ? input.valueRange : p.range;
  const text = renderBound(bound);
  return [fix(p, ctx.title(p.code === 'value_smaller_than_min' ? 'clampMin' : 'clampMax', text), [{ ...range, newText: text }], true)];
}

/** Seeds' 0xffffffffffffffff survives only as text: a JS number would print 18446744073709552000. */
function renderBound(n: number): string {
  if (n === 2 ** 64) return '18446744073709551615';
  return Number.isInteger(n) && !Number.isSafeInteger(n) ? BigInt(n).toString() : JSON.stringify(n);
}

/** Remove an input the class does not declare, or rename it to a close declared name that is still free. */
function undeclaredFixes(ctx: FixContext, p: FixableProblem): QuickFix[] {
  const node = ctx.node(p);
  const input = node ? ctx.input(node, p) : undefined;
  if (!node || !input) return [];
  const prop = ctx.property(input.keyRange.offset);
  const out: QuickFix[] = [];
  const def = ctx.def(node);
  if (def && p.code === 'undeclared_input') {
    const free = def.inputs.map((i) => i.name).filter((n) => !node.inputs.has(n));
    const best = rankSuggestions(input.name, free, 1)[0];
    if (best) out.push(fix(p, ctx.title('renameInput', input.name, best.value), [{ ...input.keyRange, newText: JSON.stringify(best.value) }], true));
  }
  const remove = prop ? removePropertyEdit(ctx.doc.text, prop) : undefined;
  if (remove) out.push(fix(p, ctx.title('removeInput', input.name), [remove], out.length === 0));
  return out;
}

/** Values the server converts (`"20"` for an INT, `"false"` for a BOOLEAN, which is *true*): write real JSON. */
function typeFixes(ctx: FixContext, p: FixableProblem): QuickFix[] {
  if (p.data?.expected === 'link') return connectFixes(ctx, p);
  const value = p.data && 'value' in p.data ? p.data.value : valueAtRange(ctx, p.range);
  const node = ctx.node(p);
  const input = node ? ctx.input(node, p) : undefined;
  const def = ctx.def(node);
  const inputDef = input && def ? inputDefForKey(def, input.name) : undefined;
  let replacement: unknown;
  if (inputDef?.kind === 'BOOLEAN' && typeof value === 'string') {
    // What the user meant, not what bool() makes of it.
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === 'false') replacement = v === 'true';
  } else if (p.data && 'converted' in p.data) replacement = p.data.converted;
  else if ((inputDef?.kind === 'INT' || inputDef?.kind === 'FLOAT') && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    replacement = inputDef.kind === 'INT' ? Math.trunc(Number(value)) : Number(value);
  }
  if (replacement === undefined || (typeof replacement === 'number' && !Number.isFinite(replacement))) return [];
  const text = renderValue(replacement);
  return [fix(p, ctx.title('useJson', text), [{ ...p.range, newText: text }], true)];
}

/** A socket holding a plain value: link it to a compatible output instead. */
function connectFixes(ctx: FixContext, p: FixableProblem): QuickFix[] {
  const node = ctx.node(p);
  const input = node ? ctx.input(node, p) : undefined;
  const def = ctx.def(node);
  const inputDef = input && def ? inputDefForKey(def, input.name) : undefined;
  if (!node || !input || !inputDef || !ctx.defs || !input.valueNode) return [];
  return linkCandidates(ctx.doc, ctx.defs, node, inputDef)
    .slice(0, ctx.max)
    .map((c, i, all) =>
      fix(
        p,
        ctx.title('connect', input.name, sourceLabel(c)),
        [{ ...input.valueRange, newText: renderValue([c.node.id, c.output.index]) }],
        all.length === 1 && i === 0,
      ),
    );
}

/** A broken link (missing node, bad slot, wrong type): point it at a compatible output. */
function relinkFixes(ctx: FixContext, p: FixableProblem): QuickFix[] {
  const node = ctx.node(p);
  const input = node ? ctx.input(node, p) : undefined;
  if (!input?.link) return [];
  const def = ctx.def(node);
  const inputDef = def ? inputDefForKey(def, input.name) : undefined;
  if (!node || !inputDef || !ctx.defs) return [];
  const current = input.link.arity === 2 ? [input.link.sourceId, input.link.slot] : undefined;
  return linkCandidates(ctx.doc, ctx.defs, node, inputDef)
    .filter((c) => !current || c.node.id !== current[0] || c.output.index !== current[1])
    .slice(0, ctx.max)
    .map((c, i, all) =>
      fix(
        p,
        ctx.title('connect', input.name, sourceLabel(c)),
        [{ ...input.valueRange, newText: renderValue([c.node.id, c.output.index]) }],
        all.length === 1 && i === 0,
      ),
    );
}

/** A repeated key: the server keeps the last one; remove the earlier, ignored one. */
function duplicateFixes(ctx: FixContext, p: FixableProblem): QuickFix[] {
  const prop = ctx.property(p.range.offset);
  const key = prop?.children?.[0]?.value;
  if (!prop || typeof key !== 'string') return [];
  const edit = removePropertyEdit(ctx.doc.text, prop);
  return edit ? [fix(p, ctx.title('removeDuplicate', key), [edit], true)] : [];
}
