// What to write for an input the user has not filled in yet: the value a fresh node in the ComfyUI
// frontend would show (the declared default, else the first combo option / the minimum / empty), either
// as plain JSON (quick fixes) or as a snippet with a tab stop (completion). Also the link targets an
// input can take, under the server's type-matching rule.
import type { WorkflowDocument, WorkflowNode } from './document';
import { typesMatch, type InputDef, type NodeDefs, type OutputDef } from './nodeDefs';

/** The value a new widget would hold; undefined for inputs that can only be linked. */
export function initialValue(input: InputDef): { value: unknown } | undefined {
  switch (input.kind) {
    case 'INT':
    case 'FLOAT': {
      if (typeof input.default === 'number' && Number.isFinite(input.default)) return { value: input.default };
      let v = 0;
      if (input.min !== undefined && v < input.min) v = input.min;
      if (input.max !== undefined && v > input.max) v = input.max;
      return { value: v };
    }
    case 'BOOLEAN':
      return { value: typeof input.default === 'boolean' ? input.default : false };
    case 'STRING':
      return { value: typeof input.default === 'string' ? input.default : '' };
    case 'COMBO': {
      const values = input.comboValues ?? [];
      if (input.default !== undefined && values.some((v) => v === input.default)) return { value: input.default };
      if (values.length > 0) return { value: values[0] };
      return typeof input.default === 'string' ? { value: input.default } : { value: '' };
    }
    default:
      return undefined;
  }
}

/** Escape text for a snippet's literal part (`$`, `}` and `\` are special). */
export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** Escape one option of a snippet choice `${1|a,b|}` (`,` and `|` are special too). */
function escapeChoice(text: string): string {
  return text.replace(/[\\$}|,]/g, (c) => `\\${c}`);
}

/** Choices are offered for short combos; long model lists are better served by value completion. */
const MAX_CHOICES = 30;

/**
 * The value part of `"name": <value>` as a snippet with tab stop `tab`. Links get `["<id>", <slot>]` with
 * the first candidate pre-filled when there is one.
 */
export function valueSnippet(input: InputDef, tab: number, link?: LinkCandidate): string {
  if (input.dynamic === 'dynamicCombo' && input.dynamicOptions && input.dynamicOptions.length > 0 && input.dynamicOptions.length <= MAX_CHOICES) {
    // A dynamic combo's selector: one of its option keys (the chosen option's inputs are proposed once it is set).
    return `"\${${tab}|${input.dynamicOptions.map((v) => escapeChoice(JSON.stringify(v).slice(1, -1))).join(',')}|}"`;
  }
  if (input.kind === 'BOOLEAN') {
    const first = input.default === true ? 'true' : 'false';
    return `\${${tab}|${first},${first === 'true' ? 'false' : 'true'}|}`;
  }
  if (input.kind === 'COMBO') {
    const values = input.comboValues ?? [];
    const init = initialValue(input)?.value;
    if (values.length > 1 && values.length <= MAX_CHOICES && values.every((v) => typeof v === 'string')) {
      const ordered = [init, ...values.filter((v) => v !== init)] as string[];
      return `"\${${tab}|${ordered.map((v) => escapeChoice(JSON.stringify(v).slice(1, -1))).join(',')}|}"`;
    }
    if (typeof init === 'string') return `"\${${tab}:${escapeSnippet(JSON.stringify(init).slice(1, -1))}}"`;
    return `\${${tab}:${escapeSnippet(JSON.stringify(init ?? '') ?? '""')}}`;
  }
  const init = initialValue(input);
  if (init) {
    if (typeof init.value === 'string') return `"\${${tab}:${escapeSnippet(JSON.stringify(init.value).slice(1, -1))}}"`;
    return `\${${tab}:${escapeSnippet(JSON.stringify(init.value) ?? 'null')}}`;
  }
  if (link) return `["\${${tab}:${escapeSnippet(link.node.id)}}", \${${tab + 1}:${link.output.index}}]`;
  return `["\${${tab}}", \${${tab + 1}:0}]`;
}

/** How many tab stops `valueSnippet` uses for this input (a link has two: id and slot). */
export function snippetTabStops(input: InputDef): number {
  return input.kind === 'BOOLEAN' || input.kind === 'COMBO' || input.dynamic === 'dynamicCombo' || initialValue(input) ? 1 : 2;
}

export interface LinkCandidate {
  node: WorkflowNode;
  output: OutputDef;
  /** `_meta.title`, else the class display name, else the class name. */
  title: string;
  /** Matched only through `*` (weaker than a real type match). */
  viaWildcard: boolean;
}

/** How a node is called in labels: its title, else its class's display name, else its class. */
export function nodeTitle(node: WorkflowNode, defs: NodeDefs | undefined): string {
  if (node.title) return node.title;
  if (node.classType) return defs?.displayName(node.classType) ?? node.classType;
  return `#${node.id}`;
}

/**
 * Outputs of other nodes that may feed `input` of `target`: exact and union matches first (document
 * order), then those that only match through `*`.
 */
export function linkCandidates(doc: WorkflowDocument, defs: NodeDefs, target: WorkflowNode | undefined, input: InputDef): LinkCandidate[] {
  if (!input.acceptsLink) return [];
  const strong: LinkCandidate[] = [];
  const weak: LinkCandidate[] = [];
  const seen = new Set<string>();
  // Iterate from the end so a repeated id resolves to its last occurrence, like the server; then restore order.
  for (let i = doc.nodes.length - 1; i >= 0; i--) {
    const node = doc.nodes[i]!;
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    if (node === target || node.id === target?.id || !node.classType) continue;
    const def = defs.get(node.classType);
    if (!def) continue;
    for (let k = def.outputs.length - 1; k >= 0; k--) {
      const output = def.outputs[k]!;
      if (!typesMatch(output.type, input.type)) continue;
      const wildcard = output.types.includes('*') || input.types.includes('*');
      const exact = output.types.some((t) => t !== '*' && input.types.includes(t)) || (input.kind === 'COMBO' && output.type === 'COMBO');
      (exact || !wildcard ? strong : weak).push({ node, output, title: nodeTitle(node, defs), viaWildcard: !exact && wildcard });
    }
  }
  return [...strong.reverse(), ...weak.reverse()];
}
