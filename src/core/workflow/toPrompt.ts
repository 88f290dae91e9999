// UI workflow (what the ComfyUI frontend saves) → API prompt (what POST /prompt takes), reproducing the
// frontend's graphToPrompt (src/utils/executionUtil.ts) without a browser: widgets first, then links (a link
// overrides the widget value), muted/bypassed/virtual nodes omitted, links through bypassed and virtual nodes
// resolved, subgraphs and legacy group nodes flattened to `outer:inner` ids.
// Alongside the prompt it returns a source map (API node + input → JSON path in the UI document) so problems
// found on the prompt can be shown where the value lives in the user's file.
import { getNodeValue, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { ApiPrompt, ObjectInfo } from '../comfy/types';
import type { OffsetRange } from './document';
import { checkTextLimits } from './limits';
import { hasDynamicSyntax, processDynamicPrompt } from './ui/dynamicPrompts';
import { ExecGraph, isSentToServer, type ExecNode } from './ui/execGraph';
import { readUiWorkflow } from './ui/graph';
import { locatePath } from './ui/locate';
import type { ConversionCode, ConversionProblem, JsonPath, UiInputSlot } from './ui/types';
import { mapWidgetArray, mapWidgetObject, type WidgetMapping, type WidgetValue } from './ui/widgets';

export type { ConversionProblem, JsonPath } from './ui/types';

export interface ConvertOptions {
  /**
   * Resolve `{a|b}` choices and strip comments in dynamicPrompts text widgets, as the frontend does when it
   * queues (default true). Turn off for a reproducible conversion of text that uses that syntax.
   */
  dynamicPrompts?: boolean;
  /** Random source for dynamic prompts (default Math.random); inject one for reproducible output. */
  random?: () => number;
  /**
   * Give widgets the file has no value for (the node gained inputs since it was saved) their default, as today's
   * frontend does when it loads the file. Off by default: the result then depends only on the file, not on which
   * /object_info is used, and matches what the frontend that saved the file queued.
   */
  fillDefaults?: boolean;
}

export interface SourceMapEntry {
  /** Path of the UI node object (inside definitions.subgraphs[] for subgraph inner nodes). */
  node: JsonPath;
  /** The UI node id (the node's own id, without the instance prefix). */
  uiNodeId: string;
  title: string;
  /** Per API input: the widgets_values element or the inputs[i] slot the value comes from. */
  inputs: Record<string, JsonPath>;
}

/** API node id → where that node and each of its inputs live in the UI document. */
export type PromptSourceMap = Record<string, SourceMapEntry>;

export interface ConvertResult {
  prompt: ApiPrompt;
  problems: ConversionProblem[];
  sourceMap: PromptSourceMap;
}

/**
 * Converts a parsed UI workflow. `objectInfo` is the server's /object_info (any dump that covers the classes used).
 * Never throws: whatever cannot be converted is reported in `problems`, and the rest still converts.
 */
export function convertUiWorkflow(workflow: unknown, objectInfo: ObjectInfo, options: ConvertOptions = {}): ConvertResult {
  const problems: ConversionProblem[] = [];
  const prompt: ApiPrompt = {};
  const sourceMap: PromptSourceMap = {};
  const ui = readUiWorkflow(workflow, problems);
  if (!ui) return { prompt, problems, sourceMap };
  const graph = new ExecGraph(ui, objectInfo, problems);
  const pushed = primitivePushes(graph);

  for (const dto of graph.nodes.values()) {
    const { node } = dto;
    if (!isSentToServer(dto)) continue;
    const title = node.title ?? dto.layout?.displayName ?? node.type;
    const inputs: Record<string, unknown> = {};
    const paths: Record<string, JsonPath> = {};
    const named = { nodeId: dto.id, title };

    const widgetValues = dto.kind === 'real' ? mapWidgets(dto, problems, named, options.fillDefaults === true) : guessMissingWidgets(dto);
    if (dto.kind === 'missing') {
      problems.push({
        severity: 'error',
        code: 'missing_node_type',
        message: `Node ${dto.id} ("${title}") has type "${node.type}", which the server's node definitions do not contain (a custom node that is not installed?).`,
        path: node.path,
        ...named,
      });
    }
    const overrides = pushed.get(dto.id);
    const dynamic = options.dynamicPrompts === false ? undefined : dto.layout?.widgets.filter((w) => w.dynamicPrompts).map((w) => w.name);
    for (const [name, wv] of widgetValues) {
      const v = overrides?.get(name) ?? wv;
      const value =
        typeof v.value === 'string' && dynamic?.includes(name) && hasDynamicSyntax(v.value) ? processDynamicPrompt(v.value, options.random) : v.value;
      inputs[name] = wrapValue(value);
      if (v.path) paths[name] = v.path;
    }
    node.inputs.forEach((input, slot) => {
      if (input.link === null || input.name === '') return;
      const r = graph.resolveInput(dto, slot);
      if (!r) return;
      if (r.kind === 'widget') {
        inputs[input.name] = wrapValue(r.value);
        paths[input.name] = r.path ?? input.path;
      } else {
        inputs[input.name] = [r.originId, r.originSlot];
        paths[input.name] = input.path;
      }
    });
    prompt[dto.id] = { inputs, class_type: node.type, _meta: { title } };
    sourceMap[dto.id] = { node: node.path, uiNodeId: node.id, title, inputs: paths };
  }

  // As the frontend does last: inputs linked to nodes that were not emitted (muted, unexpanded) are dropped.
  for (const apiNode of Object.values(prompt)) {
    for (const [name, value] of Object.entries(apiNode.inputs)) {
      if (Array.isArray(value) && value.length === 2 && !(String(value[0]) in prompt)) delete apiNode.inputs[name];
    }
  }
  return { prompt, problems: dedupe(problems), sourceMap };
}

/** The same link can be resolved from several places (an input fanned out inside a subgraph): report it once. */
function dedupe(problems: ConversionProblem[]): ConversionProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}\u0000${p.message}\u0000${p.path.join('/')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Arrays would read as links: the frontend wraps list widget values, the server unwraps them. */
function wrapValue(v: unknown): unknown {
  return Array.isArray(v) ? { __value__: v } : v;
}

function widgetPathOf(dto: ExecNode): (key: number | string) => JsonPath {
  return dto.node.widgetPath ?? ((key) => [...dto.node.path, 'widgets_values', key]);
}

function mapWidgets(dto: ExecNode, problems: ConversionProblem[], named: { nodeId: string; title: string }, fillDefaults: boolean): Map<string, WidgetValue> {
  const layout = dto.layout!;
  const { node } = dto;
  const filled = (m: WidgetMapping): string[] => {
    if (!fillDefaults) return [];
    const out: string[] = [];
    for (const name of m.missing) {
      const w = layout.widgets.find((x) => x.name === name);
      if (w && w.default !== undefined) {
        m.values.set(name, { value: w.default });
        out.push(name);
      }
    }
    return out;
  };
  const outcome = (names: string[], used: string[]): string =>
    used.length === names.length
      ? `the default ${names.length === 1 ? 'value is' : 'values are'} used`
      : `${names.length === 1 ? 'it stays' : 'they stay'} unset`;
  const saved = node.widgetsValues;
  const pathOf = widgetPathOf(dto);
  let m: WidgetMapping;
  if (Array.isArray(saved)) m = mapWidgetArray(layout.widgets, saved, pathOf);
  else if (saved) m = mapWidgetObject(layout.widgets, saved, pathOf);
  else {
    m = mapWidgetArray(layout.widgets, [], pathOf);
    const missing = [...m.missing];
    const used = filled(m);
    if (missing.length > 0) {
      problems.push({
        severity: 'warning',
        code: 'widgets_values_missing',
        message: `Node ${dto.id} ("${named.title}") has no widgets_values, so for ${missing.join(', ')} ${outcome(missing, used)}.`,
        path: node.path,
        ...named,
      });
    }
    return m.values;
  }
  if (m.extra > 0) {
    const n = Array.isArray(saved) ? saved.length : 0;
    problems.push({
      severity: 'warning',
      code: 'widgets_values_count',
      message: `Node ${dto.id} ("${named.title}") has ${m.extra} more widget value(s) than ${node.type} has widgets; the extra values are ignored (is the server's version of this node different?).`,
      path: pathOf(n - m.extra),
      ...named,
    });
  }
  // A widget without a saved value matters only when no link feeds it.
  const unlinked = m.missing.filter((name) => !node.inputs.some((i) => (i.widgetName ?? i.name) === name && i.link !== null));
  const used = filled(m).filter((name) => unlinked.includes(name));
  if (unlinked.length > 0) {
    problems.push({
      severity: 'warning',
      code: 'widgets_values_count',
      message: `Node ${dto.id} ("${named.title}") has no saved value for ${unlinked.join(', ')} (saved before ${unlinked.length === 1 ? 'this input' : 'these inputs'} existed?); ${outcome(unlinked, used)}.`,
      path: Array.isArray(saved) ? [...node.path, 'widgets_values'] : node.path,
      ...named,
    });
  }
  return m.values;
}

/**
 * A node whose class the server does not know: widget names come from the slots the frontend saved for them
 * (`inputs[].widget`), used only when they account for every saved value.
 */
function guessMissingWidgets(dto: ExecNode): Map<string, WidgetValue> {
  const out = new Map<string, WidgetValue>();
  const saved = dto.node.widgetsValues;
  const pathOf = widgetPathOf(dto);
  if (saved && !Array.isArray(saved)) {
    for (const [k, v] of Object.entries(saved)) out.set(k, { value: v, path: pathOf(k) });
    return out;
  }
  const names = dto.node.inputs.map((i) => i.widgetName).filter((n): n is string => n !== undefined);
  if (Array.isArray(saved) && names.length === saved.length) names.forEach((n, i) => out.set(n, { value: saved[i], path: pathOf(i) }));
  return out;
}

/**
 * PrimitiveNode.applyToGraph: before serializing, each PrimitiveNode writes its value into every widget it is
 * linked to (through legacy Reroutes too). Returns execution id → widget name → value.
 */
function primitivePushes(graph: ExecGraph): Map<string, Map<string, WidgetValue>> {
  const out = new Map<string, Map<string, WidgetValue>>();
  for (const dto of graph.nodes.values()) {
    if (dto.virtual !== 'primitive') continue;
    const saved = dto.node.widgetsValues;
    if (!Array.isArray(saved) || saved.length === 0) continue;
    const value: WidgetValue = { value: saved[0], path: widgetPathOf(dto)(0) };
    const seen = new Set<string>();
    const visit = (from: ExecNode, depth: number): void => {
      if (depth > 64) return;
      for (const link of from.graph.links.values()) {
        if (link.originId !== from.node.id || seen.has(String(link.id))) continue;
        seen.add(String(link.id));
        const target = graph.nodes.get([...from.prefix, link.targetId].join(':'));
        if (!target) continue;
        if (target.virtual === 'passthrough') {
          visit(target, depth + 1);
          continue;
        }
        const slot: UiInputSlot | undefined =
          target.node.inputs.find((i) => i.link !== null && String(i.link) === String(link.id)) ?? target.node.inputs[link.targetSlot];
        if (!slot) continue;
        const name = slot.widgetName ?? slot.name;
        let m = out.get(target.id);
        if (!m) out.set(target.id, (m = new Map()));
        m.set(name, value);
      }
    };
    visit(dto, 0);
  }
  return out;
}

/** A conversion problem placed in the UI document's text. */
export interface LocatedConversionProblem extends ConversionProblem {
  range: OffsetRange;
}

export interface UiPromptResult {
  /** The API prompt to send as `prompt`. */
  prompt: ApiPrompt;
  /** The parsed UI workflow, to attach as `extra_data.extra_pnginfo.workflow` (undefined when the text is not JSON). */
  workflow: unknown;
  problems: LocatedConversionProblem[];
  sourceMap: PromptSourceMap;
  /** Places a JSON path of the UI document in its text. */
  locate(path: JsonPath): OffsetRange;
}

/**
 * What the Queue feature needs: UI workflow text + node definitions → the prompt, the workflow object to attach,
 * and the problems placed in the text. Syntax errors are reported as `invalid_workflow` problems; the conversion
 * still runs on what jsonc-parser recovered. Never throws.
 */
export function uiWorkflowToPrompt(text: string, objectInfo: ObjectInfo, options: ConvertOptions = {}): UiPromptResult {
  // The tree (for offsets) is built only when something needs locating; plain JSON is read natively.
  let tree: { root: JsonNode | undefined; errors: ParseError[] } | undefined;
  const parsed = (): { root: JsonNode | undefined; errors: ParseError[] } => {
    if (!tree) {
      const errors: ParseError[] = [];
      const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
      tree = { root, errors };
    }
    return tree;
  };
  let workflow: unknown;
  let syntax: LocatedConversionProblem[] = [];
  // The same guards as the document model: no tree and no parse for a text too large or too deep (issue 13).
  const exceeded = checkTextLimits(text);
  if (exceeded) {
    const message =
      exceeded.kind === 'depth'
        ? `This file nests JSON more than ${exceeded.limit.toLocaleString('en-US')} levels deep; it is not converted.`
        : `This file has more than ${exceeded.limit.toLocaleString('en-US')} JSON values; it is not converted.`;
    const range = { offset: exceeded.kind === 'depth' ? exceeded.offset : 0, length: 0 };
    return {
      prompt: {},
      workflow: undefined,
      sourceMap: {},
      problems: [{ severity: 'error', code: 'workflow_too_large', message, path: [], range }],
      locate: () => ({ offset: 0, length: 0 }),
    };
  }
  try {
    workflow = JSON.parse(text);
  } catch {
    // Not strict JSON: comments, trailing commas, or broken. Use what jsonc-parser recovers.
    const { root, errors } = parsed();
    workflow = root ? getNodeValue(root) : undefined;
    syntax = errors.map((e) => ({
      severity: 'error',
      code: 'invalid_workflow' satisfies ConversionCode,
      message: `JSON syntax error: ${printParseErrorCode(e.error)}.`,
      path: [],
      range: { offset: e.offset, length: e.length },
    }));
  }
  const locate = (path: JsonPath): OffsetRange => locatePath(parsed().root, path);
  const result = convertUiWorkflow(workflow, objectInfo, options);
  return {
    prompt: result.prompt,
    workflow,
    sourceMap: result.sourceMap,
    problems: [...syntax, ...result.problems.map((p) => ({ ...p, range: locate(p.path) }))],
    locate,
  };
}
