// Validation of an API prompt against node definitions. The bar is agreement with the server's `validate_prompt`:
// a node gets an error-severity problem exactly when the server would name it in `node_errors` (or in the error
// details for an unknown class). Everything the server tolerates but a user would want to know is a warning or hint.
import type { ErrorObject } from 'ajv';
import { findNodeAtLocation, type JSONPath } from 'jsonc-parser';
import { rangeOf, type OffsetRange, type WorkflowDocument, type WorkflowInput, type WorkflowNode } from './document';
import { analyzeGraph, inputDefForKey, type ResolvedLink } from './graph';
import { formatMessage, plainText, resolveLocale, SourceLiteral, type Locale, type MessageId, type MessageParams, type ValueExpectation } from './messages';
import type { InputDef, NodeDef, NodeDefs } from './nodeDefs';
import { schemaCacheFor } from './schema';
import { isPythonFloat, isPythonInt } from './pyNumbers';
import { suggestClassTypesCached } from './suggest';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Problem codes: the server's error types, plus a few for what the server tolerates silently. */
export type ProblemCode =
  | 'syntax_error'
  | 'invalid_prompt'
  | 'missing_node_type'
  | 'required_input_missing'
  | 'value_not_in_list'
  | 'value_smaller_than_min'
  | 'value_bigger_than_max'
  | 'invalid_input_type'
  | 'bad_linked_input'
  | 'return_type_mismatch'
  | 'exception_during_validation'
  | 'exception_during_inner_validation'
  | 'dependency_cycle'
  | 'prompt_no_outputs'
  | 'unreachable_node'
  | 'undeclared_input'
  | 'hidden_input'
  | 'duplicate_key'
  | 'file_too_large';

export interface Problem {
  severity: Severity;
  code: ProblemCode;
  message: string;
  nodeId?: string;
  inputName?: string;
  range: OffsetRange;
  /** What quick fixes need: expected values, a suggestion, min/max, the link involved… */
  data?: Record<string, unknown>;
}

export interface ValidateOptions {
  /** Message language (`en` by default); any `zh*` tag selects Simplified Chinese. */
  locale?: Locale | string;
}

/** Validates an API or request-body document. UI workflows and other JSON yield only syntax problems. Never throws. */
export function validateWorkflow(doc: WorkflowDocument, defs: NodeDefs, options: ValidateOptions = {}): Problem[] {
  const ctx = new Context(doc, defs, resolveLocale(options.locale));
  return ctx.run();
}

type NodeProblems = Problem[];

class Context {
  private readonly global: Problem[] = [];
  private readonly byNode = new Map<string, NodeProblems>();
  private readonly classProblemNodes = new Set<string>();
  /** Distinct unknown class names looked up for suggestions in this run (bounded: see MAX_SUGGESTED_CLASSES). */
  private readonly suggested = new Map<string, readonly string[]>();

  constructor(
    private readonly doc: WorkflowDocument,
    private readonly defs: NodeDefs,
    private readonly locale: Locale,
  ) {}

  private msg<K extends MessageId>(id: K, params: MessageParams[K]): string {
    return formatMessage(this.locale, id, params);
  }

  private add(node: WorkflowNode | undefined, p: Problem): void {
    if (!node) {
      this.global.push(p);
      return;
    }
    p.nodeId = node.id;
    let list = this.byNode.get(node.id);
    if (!list) this.byNode.set(node.id, (list = []));
    list.push(p);
  }

  run(): Problem[] {
    const { doc } = this;
    for (const e of doc.syntaxErrors) {
      this.global.push({ severity: 'error', code: 'syntax_error', message: this.msg('syntaxError', { code: e.code }), range: e.range });
    }
    if (doc.tooLarge) {
      this.global.push({
        severity: 'error',
        code: 'file_too_large',
        message: this.msg('tooLarge', { objects: doc.tooLarge.objects, limit: doc.tooLarge.limit, ...(doc.tooLarge.kind ? { kind: doc.tooLarge.kind } : {}) }),
        range: { offset: 0, length: 0 },
        data: { ...doc.tooLarge },
      });
      return this.global;
    }
    if (doc.format !== 'api' && doc.format !== 'request') return this.global;

    for (const shadowed of doc.duplicateNodes) {
      this.global.push({ severity: 'warning', code: 'duplicate_key', nodeId: shadowed.id, message: this.msg('duplicateNode', { id: shadowed.id }), range: shadowed.keyRange });
    }
    const known: [WorkflowNode, NodeDef][] = [];
    for (const node of doc.nodeById.values()) {
      const def = this.checkClass(node);
      if (def) known.push([node, def]);
    }
    schemaCacheFor(this.defs).prepare(known.map(([, def]) => def.name));
    for (const [node, def] of known) this.checkNode(node, def);

    const graph = analyzeGraph(doc, this.defs, partialExecutionTargets(doc));
    for (const link of graph.links) this.checkLink(link);
    const linksOf = new Map<string, ResolvedLink[]>();
    if (graph.cycles.length > 0) for (const l of graph.links) (linksOf.get(l.holder.id) ?? linksOf.set(l.holder.id, []).get(l.holder.id)!).push(l);
    // One problem per cycle, on its first member, naming each member once (capped): a ring of N nodes used to give
    // N problems that each spelled all N ids (quadratic output for a linear file).
    for (const cycle of graph.cycles) {
      const id = cycle[0]!;
      const members = new Set(cycle);
      const node = doc.nodeById.get(id)!;
      const edge = linksOf.get(id)?.find((l) => l.status === 'ok' && l.source !== undefined && members.has(l.source.id));
      const shown = cycleForMessage(cycle);
      this.add(node, {
        severity: 'error',
        code: 'dependency_cycle',
        message: this.msg('dependencyCycle', { path: shown }),
        range: edge ? edge.input.valueRange : node.keyRange,
        ...(edge ? { inputName: edge.input.name } : {}),
        data: { cycle: shown, members: members.size },
      });
    }

    const blocked = this.classProblemNodes.size > 0;
    if (!blocked && graph.outputs.length === 0 && doc.nodeById.size > 0) {
      const at = doc.promptNode ?? doc.root!;
      this.global.push({ severity: 'error', code: 'prompt_no_outputs', message: this.msg('promptNoOutputs', {}), range: { offset: at.offset, length: 1 } });
    }

    // The server checks every node's class first and stops at a missing one; otherwise it validates only the nodes
    // reached from outputs. Problems it would not report stay visible, as warnings.
    const out: Problem[] = [...this.global];
    const firstClassProblem = [...doc.nodeById.keys()].find((id) => this.classProblemNodes.has(id));
    for (const node of doc.nodes) {
      if (doc.nodeById.get(node.id) !== node) continue;
      const list = this.byNode.get(node.id) ?? [];
      const isClassProblemNode = this.classProblemNodes.has(node.id);
      const reached = graph.reached.has(node.id);
      if (!blocked && !reached && graph.outputs.length > 0) {
        out.push({ severity: 'hint', code: 'unreachable_node', nodeId: node.id, message: this.msg('unreachableNode', { id: node.id }), range: node.keyRange });
      }
      for (const p of list) {
        if (isClassProblemNode && node.id !== firstClassProblem && (p.code === 'missing_node_type' || p.code === 'invalid_prompt')) {
          // The server reports only the first such node (in prompt order) and stops.
          p.severity = 'warning';
        } else if (p.severity === 'error' && p.code !== 'missing_node_type' && p.code !== 'invalid_prompt') {
          if (blocked && !isClassProblemNode) {
            p.severity = 'warning';
            p.message = this.msg('blockedByUnknownClass', { message: p.message });
          } else if (!blocked && !reached) {
            p.severity = 'warning';
          }
        }
        out.push(p);
      }
    }
    out.sort((a, b) => a.range.offset - b.range.offset);
    return out;
  }

  /** Class-level checks; returns the definition when the node can be checked further. */
  private checkClass(node: WorkflowNode): NodeDef | undefined {
    if (!node.isObject) {
      this.classProblemNodes.add(node.id);
      this.add(node, { severity: 'error', code: 'invalid_prompt', message: this.msg('nodeNotObject', { id: node.id }), range: node.valueNode ? rangeOf(node.valueNode) : node.keyRange });
      return undefined;
    }
    if (!node.classTypeNode) {
      this.classProblemNodes.add(node.id);
      this.add(node, { severity: 'error', code: 'missing_node_type', message: this.msg('classTypeMissing', { id: node.id }), range: node.keyRange });
      return undefined;
    }
    if (node.classType === undefined) {
      this.classProblemNodes.add(node.id);
      this.add(node, { severity: 'error', code: 'missing_node_type', message: this.msg('classTypeNotString', { id: node.id }), range: rangeOf(node.classTypeNode) });
      return undefined;
    }
    const def = this.defs.get(node.classType);
    if (!def) {
      this.classProblemNodes.add(node.id);
      const suggestions = this.suggestionsFor(node.classType);
      this.add(node, {
        severity: 'error',
        code: 'missing_node_type',
        message: this.msg('unknownClass', { classType: node.classType, suggestions }),
        range: rangeOf(node.classTypeNode),
        data: { classType: node.classType, suggestions },
      });
      return undefined;
    }
    return def;
  }

  /** Did-you-mean names, once per distinct unknown class, and for at most MAX_SUGGESTED_CLASSES of them per run. */
  private suggestionsFor(classType: string): string[] {
    let s = this.suggested.get(classType);
    if (!s) {
      s = this.suggested.size < MAX_SUGGESTED_CLASSES ? suggestClassTypesCached(this.defs, classType) : [];
      this.suggested.set(classType, s);
    }
    return [...s];
  }

  private checkNode(node: WorkflowNode, def: NodeDef): void {
    for (const shadowed of node.duplicateInputs) {
      this.add(node, { severity: 'warning', code: 'duplicate_key', inputName: shadowed.name, message: this.msg('duplicateInput', { input: shadowed.name }), range: shadowed.keyRange });
    }
    if (node.inputsNode?.type !== 'object') {
      // The server fails on `prompt[id]['inputs']` with an exception when it reaches this node.
      this.add(node, {
        severity: 'error',
        code: def.outputNode ? 'exception_during_validation' : 'exception_during_inner_validation',
        message: this.msg('inputsNotObject', { id: node.id }),
        range: node.inputsNode ? rangeOf(node.inputsNode) : node.keyRange,
      });
      return;
    }
    // Presence of required inputs (dynamic inputs spread over dotted keys, so only their selector is required).
    for (const inputDef of def.inputs) {
      if (inputDef.category !== 'required' || node.inputs.has(inputDef.name)) continue;
      if (inputDef.kind === 'dynamic' && inputDef.dynamic !== 'dynamicCombo') continue;
      this.add(node, {
        severity: 'error',
        code: 'required_input_missing',
        inputName: inputDef.name,
        message: this.msg('requiredInputMissing', { input: inputDef.name, type: inputDef.type }),
        range: node.inputsKeyRange ?? node.keyRange,
        data: { input: inputDef.name, type: inputDef.type, default: inputDef.default, values: inputDef.comboValues },
      });
    }
    const values: Record<string, unknown> = {};
    for (const input of node.inputs.values()) {
      const inputDef = inputDefForKey(def, input.name);
      if (!inputDef) {
        const hidden = def.hidden.has(input.name);
        this.add(node, {
          severity: 'warning',
          code: hidden ? 'hidden_input' : 'undeclared_input',
          inputName: input.name,
          message: hidden ? this.msg('hiddenInput', { input: input.name, classType: def.name }) : this.msg('undeclaredInput', { input: input.name, classType: def.name }),
          range: input.keyRange,
          data: { declared: def.inputs.map((i) => i.name) },
        });
      } else if (input.link) {
        this.checkLinkShape(node, input, inputDef);
      } else if (inputDef.name === input.name) {
        values[input.name] = input.value;
        if (inputDef.kind === 'socket' && input.valueNode && !inputDef.types.some((t) => t === '*' || WIDGET_TYPES.has(t))) {
          this.add(node, {
            severity: 'warning',
            code: 'invalid_input_type',
            inputName: input.name,
            message: this.msg('socketNeedsLink', { input: input.name, type: inputDef.type }),
            range: input.valueRange,
            data: { expected: 'link', type: inputDef.type },
          });
        }
      }
    }
    for (const err of schemaCacheFor(this.defs).check(def.name, values)) this.mapSchemaError(node, def, err);
  }

  /** A list is always a link to the server: `["<id>", <slot>]`, or it raises / reports bad_linked_input. */
  private checkLinkShape(node: WorkflowNode, input: WorkflowInput, def: InputDef): void {
    const link = input.link!;
    const base = { inputName: input.name };
    if (!def.acceptsLink) {
      this.add(node, { ...base, severity: 'warning', code: 'bad_linked_input', message: this.msg('linkNotAccepted', { input: input.name }), range: input.valueRange });
    }
    if (link.arity !== 2) {
      this.add(node, { ...base, severity: 'error', code: 'bad_linked_input', message: this.msg('badLinkArity', { input: input.name, arity: link.arity }), range: input.valueRange, data: { arity: link.arity } });
    } else if (typeof link.sourceId !== 'string') {
      // The server looks the id up among the prompt's string keys and fails with a KeyError.
      this.add(node, {
        ...base,
        severity: 'error',
        code: 'exception_during_inner_validation',
        message: this.msg('linkSourceNotString', { input: input.name, value: link.sourceId }),
        range: link.sourceIdRange ?? input.valueRange,
        data: { sourceId: link.sourceId },
      });
    } else if (typeof link.slot !== 'number' || !Number.isInteger(link.slot) || link.slot < 0) {
      this.add(node, { ...base, severity: 'error', code: 'exception_during_inner_validation', message: this.msg('linkSlotInvalid', { input: input.name, value: link.slot }), range: link.slotRange ?? input.valueRange });
    }
  }

  private mapSchemaError(node: WorkflowNode, def: NodeDef, err: ErrorObject): void {
    const path = err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const name = path[0];
    if (name === undefined) return;
    const input = node.inputs.get(name);
    const inputDef = def.inputByName.get(name);
    if (!input || !inputDef) return;
    if (path.length === 1) this.mapValueError(node, input, inputDef, err);
    else this.mapInnerError(node, input, inputDef, err, path.slice(1));
  }

  private mapValueError(node: WorkflowNode, input: WorkflowInput, def: InputDef, err: ErrorObject): void {
    // A literal such as 1e400 parses to Infinity (JSON.stringify would say "null"): show what the file says.
    const value = typeof input.value === 'number' && !Number.isFinite(input.value) ? new SourceLiteral(this.doc.text.slice(input.valueRange.offset, input.valueRange.offset + input.valueRange.length)) : input.value;
    const base = { inputName: input.name, range: input.valueRange };
    switch (err.keyword) {
      case 'type':
        this.typeProblem(node, input, def);
        return;
      case 'minimum':
        this.add(node, { ...base, severity: 'error', code: 'value_smaller_than_min', message: this.msg('valueSmallerThanMin', { input: input.name, value, min: def.min! }), data: { min: def.min, max: def.max, value } });
        return;
      case 'maximum':
        this.add(node, { ...base, severity: 'error', code: 'value_bigger_than_max', message: this.msg('valueBiggerThanMax', { input: input.name, value, max: def.max! }), data: { min: def.min, max: def.max, value } });
        return;
      case 'enum':
      case 'not':
      case 'anyOf': {
        const values = def.comboValues ?? def.dynamicOptions ?? [];
        this.add(node, { ...base, severity: 'error', code: 'value_not_in_list', message: this.msg('valueNotInList', { input: input.name, value, values }), data: { values, value, comboStyle: def.comboStyle } });
        return;
      }
      default:
        return;
    }
  }

  private mapInnerError(node: WorkflowNode, input: WorkflowInput, def: InputDef, err: ErrorObject, rest: string[]): void {
    if (rest[0] === '__value__' && err.keyword === 'enum' && input.valueNode) {
      const at = findNodeAtLocation(input.valueNode, rest.map((s) => (/^\d+$/.test(s) ? Number(s) : s)) as JSONPath);
      const values = def.comboValues ?? [];
      const element = at ? (at.value as unknown) : undefined;
      this.add(node, {
        severity: 'error',
        code: 'value_not_in_list',
        inputName: input.name,
        message: this.msg('valueNotInList', { input: input.name, value: element, values }),
        range: at ? rangeOf(at) : input.valueRange,
        data: { values, value: element, comboStyle: def.comboStyle },
      });
    }
  }

  /** A value of the wrong JSON type: an error only when the server's own conversion (int(), float()…) fails too. */
  private typeProblem(node: WorkflowNode, input: WorkflowInput, def: InputDef): void {
    const value = input.value;
    const expected = expectation(def);
    const base = { inputName: input.name, range: input.valueRange };
    const conv = convertLikeServer(def, value);
    if (!conv.ok) {
      this.add(node, { ...base, severity: 'error', code: 'invalid_input_type', message: this.msg('invalidInputType', { input: input.name, expected, value }), data: { expected, value } });
      return;
    }
    if (def.kind === 'BOOLEAN' && typeof value === 'string') {
      this.add(node, { ...base, severity: 'warning', code: 'invalid_input_type', message: this.msg('booleanFromString', { input: input.name, value }), data: { expected, value, converted: conv.value } });
    } else {
      this.add(node, { ...base, severity: 'warning', code: 'invalid_input_type', message: this.msg('coercedValue', { input: input.name, expected, value, converted: conv.value }), data: { expected, value, converted: conv.value } });
    }
    // The server compares the converted value with min/max.
    const v = conv.value;
    if (typeof v === 'number') {
      if (def.min !== undefined && v < def.min) {
        this.add(node, { ...base, severity: 'error', code: 'value_smaller_than_min', message: this.msg('valueSmallerThanMin', { input: input.name, value, min: def.min }), data: { min: def.min, max: def.max, value } });
      } else if (def.max !== undefined && v > def.max) {
        this.add(node, { ...base, severity: 'error', code: 'value_bigger_than_max', message: this.msg('valueBiggerThanMax', { input: input.name, value, max: def.max }), data: { min: def.min, max: def.max, value } });
      }
    }
  }

  private checkLink(link: ResolvedLink): void {
    const { holder, input } = link;
    const code = this.defs.get(holder.classType!)?.outputNode ? 'exception_during_validation' : 'exception_during_inner_validation';
    const sourceId = plainText(input.link?.sourceId);
    switch (link.status) {
      case 'missing_node':
        this.add(holder, {
          severity: 'error',
          code,
          inputName: input.name,
          message: this.msg('linkToMissingNode', { input: input.name, sourceId }),
          range: input.link?.sourceIdRange ?? input.valueRange,
          data: { sourceId, expectedType: link.inputDef?.type },
        });
        return;
      case 'slot_out_of_range':
        this.add(holder, {
          severity: 'error',
          code,
          inputName: input.name,
          message: this.msg('linkSlotOutOfRange', { input: input.name, sourceId, classType: link.sourceDef!.name, slot: link.slot!, count: link.sourceDef!.outputs.length }),
          range: input.link?.slotRange ?? input.valueRange,
          data: { sourceId, slot: link.slot, outputs: link.sourceDef!.outputs.map((o) => o.type) },
        });
        return;
      case 'type_mismatch':
        this.add(holder, {
          severity: 'error',
          code: 'return_type_mismatch',
          inputName: input.name,
          message: this.msg('returnTypeMismatch', { input: input.name, received: link.receivedType!, expected: link.expectedType!, sourceId, slot: link.slot! }),
          range: input.valueRange,
          data: { sourceId, slot: link.slot, receivedType: link.receivedType, expectedType: link.expectedType },
        });
        return;
      default:
        return; // ok, malformed (schema problems), unknown_source (reported on the source)
    }
  }
}

/** Members shown in a cycle message: up to MAX_CYCLE_SHOWN ids, then "…" and the count, closing on the first id. */
const MAX_CYCLE_SHOWN = 12;

function cycleForMessage(cycle: readonly string[]): string[] {
  const members = cycle.slice(0, -1);
  if (members.length <= MAX_CYCLE_SHOWN) return [...cycle];
  return [...members.slice(0, MAX_CYCLE_SHOWN), `… (${members.length} nodes)`, cycle[0]!];
}

/** A request body's `partial_execution_targets` (a list of output node ids), when present. */
function partialExecutionTargets(doc: WorkflowDocument): Set<string> | undefined {
  if (doc.format !== 'request' || doc.root?.type !== 'object') return undefined;
  const prop = doc.root.children?.find((p) => p.children?.[0]?.value === 'partial_execution_targets');
  const list = prop?.children?.[1];
  if (list?.type !== 'array') return undefined;
  return new Set((list.children ?? []).flatMap((c) => (c.type === 'string' ? [c.value as string] : [])));
}

/**
 * Each distinct unknown class costs a scan of every class name; past this many in one file the rest get no
 * suggestions (the server stops at the first unknown class anyway), so a file of 20,000 made-up names stays linear.
 */
const MAX_SUGGESTED_CLASSES = 10;

/** Types whose values are typed in rather than linked; a union containing one of them takes plain values. */
const WIDGET_TYPES = new Set(['INT', 'FLOAT', 'STRING', 'BOOLEAN', 'COMBO']);

function expectation(def: InputDef): ValueExpectation {
  switch (def.kind) {
    case 'INT':
      return 'integer';
    case 'FLOAT':
      return 'number';
    case 'STRING':
      return 'string';
    case 'BOOLEAN':
      return 'boolean';
    case 'COMBO':
      return 'combo';
    default:
      return 'link';
  }
}


/**
 * What the server's `int()` / `float()` / `str()` / `bool()` make of a JSON value (after `__value__` unwrapping).
 * Lists never get here: the server takes them for links.
 */
export function convertLikeServer(def: InputDef, raw: unknown): { ok: true; value: unknown } | { ok: false } {
  let value = raw;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && '__value__' in value) {
    value = (value as { __value__: unknown }).__value__;
  }
  switch (def.kind) {
    case 'INT':
      if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value: Math.trunc(value) } : { ok: false };
      if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
      if (typeof value === 'string' && isPythonInt(value)) return { ok: true, value: Number(value.replace(/_/g, '')) };
      return { ok: false };
    case 'FLOAT':
      if (typeof value === 'number') return { ok: true, value };
      if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
      if (typeof value === 'string' && isPythonFloat(value)) {
        const t = value.trim().toLowerCase().replace(/_/g, '');
        const n = t.includes('inf') ? (t.startsWith('-') ? -Infinity : Infinity) : t.includes('nan') ? NaN : Number(t);
        return { ok: true, value: n };
      }
      return { ok: false };
    case 'STRING':
      return { ok: true, value: typeof value === 'string' ? value : JSON.stringify(value) };
    case 'BOOLEAN':
      return { ok: true, value: truthy(value) };
    default:
      return { ok: true, value };
  }
}

function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}
