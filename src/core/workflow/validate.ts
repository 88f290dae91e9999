// Validation of an API prompt against node definitions. The bar is agreement with the server's `validate_prompt`:
// a node gets an error-severity problem exactly when the server would name it in `node_errors` (or in the error
// details for an unknown class). Everything the server tolerates but a user would want to know is a warning or hint.
import type { ErrorObject } from 'ajv';
import { findNodeAtLocation, type JSONPath } from 'jsonc-parser';
import { rangeOf, type OffsetRange, type WorkflowDocument, type WorkflowInput, type WorkflowNode } from './document';
import { analyzeGraph, type GraphAnalysis, type ResolvedLink } from './graph';
import { expandNode, inputDefForNodeKey, type UnresolvedSelector } from './dynamicInputs';
import { formatMessage, plainText, resolveLocale, SourceLiteral, type Locale, type MessageId, type MessageParams, type ValueExpectation } from './messages';
import { typesMatch, type InputDef, type NodeDef, type NodeDefs } from './nodeDefs';
import type { NodeReplacements } from './nodeReplacements';
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
  | 'custom_validation_failed'
  | 'value_smaller_than_min'
  | 'value_bigger_than_max'
  | 'invalid_input_type'
  | 'bad_linked_input'
  | 'return_type_mismatch'
  | 'exception_during_validation'
  | 'exception_during_inner_validation'
  | 'dependency_cycle'
  | 'prompt_no_outputs'
  | 'prompt_outputs_failed_validation'
  | 'unreachable_node'
  | 'undeclared_input'
  | 'hidden_input'
  | 'duplicate_key'
  | 'file_too_large'
  | 'deprecated_node';

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
  /**
   * The server's `comfyui_version` (from /system_stats), when known: where versions differ, follow that server
   * (0.3.x does not check ["COMBO", {options}] values). Unknown: the newest rules.
   */
  serverVersion?: string;
  /** The server's /node_replacements: deprecated classes get a hint, missing ones with a replacement say so. */
  nodeReplacements?: NodeReplacements;
}

/** Validates an API or request-body document. UI workflows and other JSON yield only syntax problems. Never throws. */
export function validateWorkflow(doc: WorkflowDocument, defs: NodeDefs, options: ValidateOptions = {}): Problem[] {
  const ctx = new Context(doc, defs, resolveLocale(options.locale), options.serverVersion, options.nodeReplacements);
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
    private readonly serverVersion: string | undefined,
    private readonly replacements: NodeReplacements | undefined,
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

  /** The server's order: the document, every node's class, each node's inputs, links, cycles, outputs; then the verdict. */
  run(): Problem[] {
    if (!this.checkDocument()) return this.global;
    const known = this.checkClasses();
    schemaCacheFor(this.defs).prepare(known.map(([, def]) => def.name));
    for (const [node, def] of known) this.checkNode(node, def);
    const graph = analyzeGraph(this.doc, this.defs, partialExecutionTargets(this.doc));
    for (const link of graph.links) this.checkLink(link);
    this.checkCycles(graph);
    this.checkOutputs(graph);
    return this.verdict(graph);
  }

  /** Syntax and size; false when there is nothing (more) to check: too large, or not an API prompt. */
  private checkDocument(): boolean {
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
      return false;
    }
    return doc.format === 'api' || doc.format === 'request';
  }

  /** Duplicate node ids and every node's class; returns the nodes whose class is known. */
  private checkClasses(): [WorkflowNode, NodeDef][] {
    for (const shadowed of this.doc.duplicateNodes) {
      this.global.push({
        severity: 'warning',
        code: 'duplicate_key',
        nodeId: shadowed.id,
        message: this.msg('duplicateNode', { id: shadowed.id }),
        range: shadowed.keyRange,
      });
    }
    const known: [WorkflowNode, NodeDef][] = [];
    for (const node of this.doc.nodeById.values()) {
      const def = this.checkClass(node);
      if (def) known.push([node, def]);
    }
    return known;
  }

  private checkCycles(graph: GraphAnalysis): void {
    const linksOf = new Map<string, ResolvedLink[]>();
    if (graph.cycles.length > 0) for (const l of graph.links) (linksOf.get(l.holder.id) ?? linksOf.set(l.holder.id, []).get(l.holder.id)!).push(l);
    // One problem per cycle, on its first member, naming each member once (capped): a ring of N nodes used to give
    // N problems that each spelled all N ids (quadratic output for a linear file).
    for (const cycle of graph.cycles) {
      const id = cycle[0]!;
      const members = new Set(cycle);
      const node = this.doc.nodeById.get(id)!;
      const edge = linksOf.get(id)?.find((l) => l.status === 'ok' && l.source !== undefined && members.has(l.source.id));
      const shown = cycleForMessage(cycle);
      if (!detectsCycles(this.serverVersion)) {
        // Before 0.20 the server has no cycle check: the recursion overflows, every frame on the way back overwrites
        // its node's record with an empty one, and the prompt fails with no node named (a prompt-level problem here).
        // (Cycles are searched from the outputs, so an output reaches this one; an unknown class stops the server first.)
        this.global.push({
          severity: this.classProblemNodes.size === 0 ? 'error' : 'warning',
          code: 'prompt_outputs_failed_validation',
          message: this.msg('dependencyCycleRecursion', { path: shown, version: this.serverVersion ?? '' }),
          range: edge ? edge.input.valueRange : node.keyRange,
          data: { cycle: shown, members: members.size },
        });
        continue;
      }
      this.add(node, {
        severity: 'error',
        code: 'dependency_cycle',
        message: this.msg('dependencyCycle', { path: shown }),
        range: edge ? edge.input.valueRange : node.keyRange,
        ...(edge ? { inputName: edge.input.name } : {}),
        data: { cycle: shown, members: members.size },
      });
    }
  }

  private checkOutputs(graph: GraphAnalysis): void {
    const { doc } = this;
    if (this.classProblemNodes.size === 0 && graph.outputs.length === 0 && doc.nodeById.size > 0) {
      const at = doc.promptNode ?? doc.root!;
      this.global.push({ severity: 'error', code: 'prompt_no_outputs', message: this.msg('promptNoOutputs', {}), range: { offset: at.offset, length: 1 } });
    }
  }

  /**
   * The server checks every node's class first and stops at a missing one; otherwise it validates only the nodes
   * reached from outputs. Problems it would not report stay visible, as warnings.
   */
  private verdict(graph: GraphAnalysis): Problem[] {
    const { doc } = this;
    const blocked = this.classProblemNodes.size > 0;
    const out: Problem[] = [...this.global];
    const firstClassProblem = [...doc.nodeById.keys()].find((id) => this.classProblemNodes.has(id));
    for (const node of doc.nodes) {
      if (doc.nodeById.get(node.id) !== node) continue;
      const list = this.byNode.get(node.id) ?? [];
      const isClassProblemNode = this.classProblemNodes.has(node.id);
      const reached = graph.reached.has(node.id);
      if (!blocked && !reached && graph.outputs.length > 0) {
        // Behind a link the server cannot resolve, an output does depend on the node; the server just stops before it.
        const behind = graph.needed.has(node.id);
        out.push({
          severity: 'hint',
          code: 'unreachable_node',
          nodeId: node.id,
          message: this.msg(behind ? 'notValidatedBehindError' : 'unreachableNode', { id: node.id }),
          range: node.keyRange,
          ...(behind ? { data: { behindError: true } } : {}),
        });
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
      this.add(node, {
        severity: 'error',
        code: 'invalid_prompt',
        message: this.msg('nodeNotObject', { id: node.id }),
        range: node.valueNode ? rangeOf(node.valueNode) : node.keyRange,
      });
      return undefined;
    }
    // Servers before 0.12 call a missing class (or class_type) `invalid_prompt`; later ones `missing_node_type`.
    const missingCode = namesMissingNodeType(this.serverVersion) ? 'missing_node_type' : 'invalid_prompt';
    if (!node.classTypeNode) {
      this.classProblemNodes.add(node.id);
      this.add(node, {
        severity: 'error',
        code: missingCode,
        message: this.msg('classTypeMissing', { id: node.id }),
        range: node.keyRange,
        data: { missingClass: true },
      });
      return undefined;
    }
    if (node.classType === undefined) {
      this.classProblemNodes.add(node.id);
      this.add(node, {
        severity: 'error',
        code: missingCode,
        message: this.msg('classTypeNotString', { id: node.id }),
        range: rangeOf(node.classTypeNode),
        data: { missingClass: true },
      });
      return undefined;
    }
    const def = this.defs.get(node.classType);
    const replacement = this.replacements?.get(node.classType);
    if (!def) {
      this.classProblemNodes.add(node.id);
      const suggestions = this.suggestionsFor(node.classType);
      this.add(node, {
        severity: 'error',
        code: missingCode,
        message: replacement
          ? this.msg('replacementCrash', { id: node.id, classType: node.classType, replacement: replacement.newClass })
          : this.msg('unknownClass', { classType: node.classType, suggestions }),
        range: rangeOf(node.classTypeNode),
        data: { missingClass: true, classType: node.classType, suggestions, ...(replacement ? { replacement } : {}) },
      });
      return undefined;
    }
    if (replacement) {
      this.add(node, {
        severity: 'hint',
        code: 'deprecated_node',
        message: this.msg('deprecatedNode', { classType: node.classType, replacement: replacement.newClass }),
        range: rangeOf(node.classTypeNode),
        data: { classType: node.classType, replacement },
      });
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
      this.add(node, {
        severity: 'warning',
        code: 'duplicate_key',
        inputName: shadowed.name,
        message: this.msg('duplicateInput', { input: shadowed.name }),
        range: shadowed.keyRange,
      });
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
    const expanded = expandNode(def, node);
    this.checkRequired(node, expanded.inputs);
    for (const sel of expanded.unresolved) this.selectorWarning(node, sel);
    const values: Record<string, unknown> = {};
    for (const input of node.inputs.values()) {
      const inputDef = inputDefForNodeKey(def, node, input.name);
      if (!inputDef) {
        this.undeclared(node, def, input);
      } else if (input.link) {
        this.checkLinkShape(node, input, inputDef);
      } else if (inputDef.name === input.name && inputDef.kind !== 'dynamic') {
        this.checkPlainValue(node, def, input, inputDef, values);
      }
    }
    const errors = expanded.dynamic
      ? schemaCacheFor(this.defs).checkInputs(expanded.key, expanded.inputs, values)
      : schemaCacheFor(this.defs).check(def.name, values);
    for (const err of errors) this.mapSchemaError(node, expanded.byName, err);
  }

  /**
   * Presence of required inputs, nested ones included (`format.codec`, `images.image0`). A dynamic combo's selector,
   * autogrow owners and other dynamic owners never appear bare, so only the expanded inputs are required.
   */
  private checkRequired(node: WorkflowNode, inputs: readonly InputDef[]): void {
    for (const inputDef of inputs) {
      if (inputDef.category !== 'required' || node.inputs.has(inputDef.name)) continue;
      if (inputDef.kind === 'dynamic' && inputDef.dynamic !== 'matchType') continue;
      this.add(node, {
        severity: 'error',
        code: 'required_input_missing',
        inputName: inputDef.name,
        message: this.msg('requiredInputMissing', { input: inputDef.name, type: inputDef.type }),
        range: node.inputsKeyRange ?? node.keyRange,
        data: { input: inputDef.name, type: inputDef.type, default: inputDef.default, values: inputDef.comboValues },
      });
    }
  }

  /** A dynamic combo the server cannot expand: accepted, and the node fails at run time. */
  private selectorWarning(node: WorkflowNode, sel: UnresolvedSelector): void {
    // An optional selector left out is simply not used.
    if (sel.reason === 'missing' && sel.def.category !== 'required') return;
    const input = node.inputs.get(sel.name);
    const values = sel.def.dynamicOptions ?? [];
    this.add(node, {
      severity: 'warning',
      code: 'value_not_in_list',
      inputName: sel.name,
      message: this.msg('dynamicSelectorUnresolved', { input: sel.name, reason: sel.reason, value: sel.value, values }),
      range: input ? input.valueRange : (node.inputsKeyRange ?? node.keyRange),
      data: { values, value: sel.value, dynamicSelector: sel.reason },
    });
  }

  private undeclared(node: WorkflowNode, def: NodeDef, input: WorkflowInput): void {
    const hidden = def.hidden.has(input.name);
    const dot = input.name.indexOf('.');
    const underDynamic = !hidden && dot > 0 && def.inputByName.get(input.name.slice(0, dot))?.kind === 'dynamic';
    this.add(node, {
      severity: 'warning',
      code: hidden ? 'hidden_input' : 'undeclared_input',
      inputName: input.name,
      message: hidden
        ? this.msg('hiddenInput', { input: input.name, classType: def.name })
        : underDynamic
          ? this.msg('dynamicKeyIgnored', { input: input.name })
          : this.msg('undeclaredInput', { input: input.name, classType: def.name }),
      range: input.keyRange,
      data: { declared: def.inputs.map((i) => i.name) },
    });
  }

  /** A value (not a link): collected for the schema check, after the server's own unwrapping and special cases. */
  private checkPlainValue(node: WorkflowNode, def: NodeDef, input: WorkflowInput, inputDef: InputDef, values: Record<string, unknown>): void {
    // The server unwraps {"__value__": x} before any check (a multiselect combo's list is checked wrapped by the schema).
    const value = !inputDef.multiselect && isWrapped(input.value) ? input.value.__value__ : input.value;
    if (customValidated(def, inputDef)) {
      this.checkFileValue(node, input, inputDef, value);
      return;
    }
    if (inputDef.comboStyle === 'options' && !checksOptionsCombos(this.serverVersion)) {
      this.uncheckedCombo(node, input, inputDef, value);
      return;
    }
    values[input.name] = value;
    if (inputDef.kind !== 'socket' || !input.valueNode) return;
    if (typeof value === 'string' && (inputDef.min !== undefined || inputDef.max !== undefined) && inputDef.types.some((t) => t === 'INT' || t === 'FLOAT')) {
      // A union such as "FLOAT,INT" is not converted, so Python compares the string with the bound and raises.
      this.add(node, {
        severity: 'error',
        code: def.outputNode ? 'exception_during_validation' : 'exception_during_inner_validation',
        inputName: input.name,
        message: this.msg('numberUnionString', { input: input.name, value }),
        range: input.valueRange,
        data: { expected: 'number', value },
      });
    } else if (!inputDef.types.some((t) => t === '*' || WIDGET_TYPES.has(t)) && !takesWidgetValue(inputDef)) {
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

  /**
   * LoadImage & co. check in their own validation that the file exists, instead of the list check. A name the
   * listing has (also annotated " [input]") passes; subfolders and other folders cannot be known here: say nothing.
   */
  private checkFileValue(node: WorkflowNode, input: WorkflowInput, inputDef: InputDef, value: unknown): void {
    const listed = inputDef.comboValues;
    if (!listed || typeof value !== 'string') return;
    const m = / \[(input|output|temp)\]$/.exec(value);
    if (m && m[1] !== 'input') return;
    const name = m ? value.slice(0, -m[0].length) : value;
    if (listed.includes(name) || isRelativeSubpath(name)) return;
    this.add(node, {
      severity: 'error',
      code: 'custom_validation_failed',
      inputName: input.name,
      message: this.msg('fileNotOnServer', { input: input.name, value }),
      range: input.valueRange,
      data: { values: listed, value, comboStyle: inputDef.comboStyle },
    });
  }

  /** Servers before the newer schema do not check ["COMBO", {options}] values: a warning, not an error. */
  private uncheckedCombo(node: WorkflowNode, input: WorkflowInput, inputDef: InputDef, value: unknown): void {
    const values = inputDef.comboValues;
    if (!values || values.includes(value) || (inputDef.multiselect && isWrapped(input.value))) return;
    this.add(node, {
      severity: 'warning',
      code: 'value_not_in_list',
      inputName: input.name,
      message: this.msg('optionsComboUnchecked', { input: input.name, value, values, version: this.serverVersion ?? '' }),
      range: input.valueRange,
      data: { values, value, comboStyle: inputDef.comboStyle },
    });
  }

  /** A list is always a link to the server: `["<id>", <slot>]`, or it raises / reports bad_linked_input. */
  private checkLinkShape(node: WorkflowNode, input: WorkflowInput, def: InputDef): void {
    const link = input.link!;
    const base = { inputName: input.name };
    if (!def.acceptsLink) {
      this.add(node, {
        ...base,
        severity: 'warning',
        code: 'bad_linked_input',
        message: this.msg('linkNotAccepted', { input: input.name }),
        range: input.valueRange,
      });
    }
    if (link.arity !== 2) {
      this.add(node, {
        ...base,
        severity: 'error',
        code: 'bad_linked_input',
        message: this.msg('badLinkArity', { input: input.name, arity: link.arity }),
        range: input.valueRange,
        data: { arity: link.arity },
      });
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
      this.add(node, {
        ...base,
        severity: 'error',
        code: 'exception_during_inner_validation',
        message: this.msg('linkSlotInvalid', { input: input.name, value: link.slot }),
        range: link.slotRange ?? input.valueRange,
      });
    }
  }

  private mapSchemaError(node: WorkflowNode, defs: ReadonlyMap<string, InputDef>, err: ErrorObject): void {
    const path = err.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const name = path[0];
    if (name === undefined) return;
    const input = node.inputs.get(name);
    const inputDef = defs.get(name);
    if (!input || !inputDef) return;
    if (path.length === 1) this.mapValueError(node, input, inputDef, err);
    else this.mapInnerError(node, input, inputDef, err, path.slice(1));
  }

  private mapValueError(node: WorkflowNode, input: WorkflowInput, def: InputDef, err: ErrorObject): void {
    const unwrapped = !def.multiselect && isWrapped(input.value) ? input.value.__value__ : input.value;
    // A literal such as 1e400 parses to Infinity (JSON.stringify would say "null"): show what the file says.
    const value =
      typeof unwrapped === 'number' && !Number.isFinite(unwrapped)
        ? new SourceLiteral(this.doc.text.slice(input.valueRange.offset, input.valueRange.offset + input.valueRange.length))
        : unwrapped;
    const base = { inputName: input.name, range: input.valueRange };
    switch (err.keyword) {
      case 'type':
        this.typeProblem(node, input, def);
        return;
      case 'minimum':
        this.add(node, {
          ...base,
          severity: 'error',
          code: 'value_smaller_than_min',
          message: this.msg('valueSmallerThanMin', { input: input.name, value, min: def.min! }),
          data: { min: def.min, max: def.max, value },
        });
        return;
      case 'maximum':
        this.add(node, {
          ...base,
          severity: 'error',
          code: 'value_bigger_than_max',
          message: this.msg('valueBiggerThanMax', { input: input.name, value, max: def.max! }),
          data: { min: def.min, max: def.max, value },
        });
        return;
      case 'enum':
      case 'not':
      case 'anyOf': {
        const values = def.comboValues ?? def.dynamicOptions ?? [];
        this.add(node, {
          ...base,
          severity: 'error',
          code: 'value_not_in_list',
          message: this.msg('valueNotInList', { input: input.name, value, values }),
          data: { values, value, comboStyle: def.comboStyle },
        });
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
      this.add(node, {
        ...base,
        severity: 'error',
        code: 'invalid_input_type',
        message: this.msg('invalidInputType', { input: input.name, expected, value }),
        data: { expected, value },
      });
      return;
    }
    if (def.kind === 'BOOLEAN' && typeof value === 'string') {
      this.add(node, {
        ...base,
        severity: 'warning',
        code: 'invalid_input_type',
        message: this.msg('booleanFromString', { input: input.name, value }),
        data: { expected, value, converted: conv.value },
      });
    } else {
      this.add(node, {
        ...base,
        severity: 'warning',
        code: 'invalid_input_type',
        message: this.msg('coercedValue', { input: input.name, expected, value, converted: conv.value }),
        data: { expected, value, converted: conv.value },
      });
    }
    // The server compares the converted value with min/max.
    const v = conv.value;
    if (typeof v === 'number') {
      if (def.min !== undefined && v < def.min) {
        this.add(node, {
          ...base,
          severity: 'error',
          code: 'value_smaller_than_min',
          message: this.msg('valueSmallerThanMin', { input: input.name, value, min: def.min }),
          data: { min: def.min, max: def.max, value },
        });
      } else if (def.max !== undefined && v > def.max) {
        this.add(node, {
          ...base,
          severity: 'error',
          code: 'value_bigger_than_max',
          message: this.msg('valueBiggerThanMax', { input: input.name, value, max: def.max }),
          data: { min: def.min, max: def.max, value },
        });
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
          message: this.msg('linkSlotOutOfRange', {
            input: input.name,
            sourceId,
            classType: link.sourceDef!.name,
            slot: link.slot!,
            count: link.sourceDef!.outputs.length,
          }),
          range: input.link?.slotRange ?? input.valueRange,
          data: { sourceId, slot: link.slot, outputs: link.sourceDef!.outputs.map((o) => o.type) },
        });
        return;
      case 'type_mismatch':
        this.add(holder, {
          severity: 'error',
          code: 'return_type_mismatch',
          inputName: input.name,
          message: this.msg('returnTypeMismatch', {
            input: input.name,
            received: link.receivedType!,
            expected: link.expectedType!,
            sourceId,
            slot: link.slot!,
          }),
          range: input.valueRange,
          data: { sourceId, slot: link.slot, receivedType: link.receivedType, expectedType: link.expectedType },
        });
        return;
      case 'ok':
        this.checkMatchType(link);
        return;
      default:
        return; // malformed (schema problems), unknown_source (reported on the source)
    }
  }

  /** The server does not check match-type links against `allowed_types`; the editor does, so it is a warning. */
  private checkMatchType(link: ResolvedLink): void {
    const def = link.inputDef;
    if (def?.dynamic !== 'matchType' || link.receivedType === undefined) return;
    const template = def.options.template;
    const allowed = typeof template === 'object' && template !== null ? (template as { allowed_types?: unknown }).allowed_types : undefined;
    if (typeof allowed !== 'string' || allowed === '' || typesMatch(link.receivedType, allowed)) return;
    this.add(link.holder, {
      severity: 'warning',
      code: 'return_type_mismatch',
      inputName: link.input.name,
      message: this.msg('matchTypeNotAllowed', { input: link.input.name, received: link.receivedType, allowed }),
      range: link.input.valueRange,
      data: { receivedType: link.receivedType, allowedTypes: allowed },
    });
  }
}

/** `sub/x.png`: a file in a subfolder of input/, which the listing may not show. URLs and absolute paths are not. */
function isRelativeSubpath(name: string): boolean {
  return (name.includes('/') || name.includes('\\')) && !name.includes(':') && !name.startsWith('/') && !name.split(/[\\/]/).includes('..');
}

function isWrapped(v: unknown): v is { __value__: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && '__value__' in v;
}

/** Inputs whose class validates them itself (the file must exist) rather than by the list: upload widgets. */
const FILE_INPUTS: Record<string, string> = { LoadImage: 'image', LoadImageMask: 'image', LoadImageOutput: 'image', LoadAudio: 'audio', LoadVideo: 'file' };

export function customValidated(node: NodeDef, input: InputDef): boolean {
  if (input.kind !== 'COMBO') return false;
  if (FILE_INPUTS[node.name] === input.name) return true;
  const o = input.options;
  return o.image_upload === true || o.audio_upload === true || o.video_upload === true;
}

/**
 * Whether a server of this version (0.x) is at least 0.`minor`: where servers differ, an unknown version gets the
 * newest rules. `["COMBO", {options}]` values are checked from 0.4, a missing class is `missing_node_type` (not
 * `invalid_prompt`) from 0.12, and cycles are `dependency_cycle` (not a recursion failure) from 0.20.
 */
function atLeast(version: string | undefined, minor: number): boolean {
  const v = parseVersion(version);
  return !v || v[0] > 0 || v[1] >= minor;
}

const checksOptionsCombos = (version: string | undefined): boolean => atLeast(version, 4);
const namesMissingNodeType = (version: string | undefined): boolean => atLeast(version, 12);
const detectsCycles = (version: string | undefined): boolean => atLeast(version, 20);

/**
 * A problem about a node whose class is not on the server (or not named), whichever code the server version gives it:
 * `missing_node_type`, or `invalid_prompt` before 0.12 (those carry `data.missingClass`).
 */
export function isMissingClassProblem(p: { code: string; data?: unknown }): boolean {
  return p.code === 'missing_node_type' || (p.code === 'invalid_prompt' && (p.data as { missingClass?: unknown } | undefined)?.missingClass === true);
}

/** `"0.33.0"` → [0, 33, 0]; undefined when it is not a dotted version. */
export function parseVersion(version: string | undefined): [number, number, number] | undefined {
  const m = /^v?(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Newer widget types have no socket (or declare `socketless`/`widgetType`): a typed-in value is what they take. */
const SOCKETLESS_TYPES = new Set(['COLOR', 'COLORS', 'BOUNDING_BOX', 'BOUNDING_BOXES', 'CURVE', 'RANGE', 'IMAGECOMPARE', 'COMPOSITOR']);

function takesWidgetValue(def: InputDef): boolean {
  return def.options.socketless === true || typeof def.options.widgetType === 'string' || def.types.some((t) => SOCKETLESS_TYPES.has(t));
}

/** Members shown in a cycle message: up to MAX_CYCLE_SHOWN ids, then "…" and the count, closing on the first id. */
const MAX_CYCLE_SHOWN = 12;

function cycleForMessage(cycle: readonly string[]): string[] {
  const members = cycle.slice(0, -1);
  if (members.length <= MAX_CYCLE_SHOWN) return [...cycle];
  return [...members.slice(0, MAX_CYCLE_SHOWN), `… (${members.length} nodes)`, cycle[0]!];
}

/** A request body's `partial_execution_targets` (a list of output node ids), when present. */
export function partialExecutionTargets(doc: WorkflowDocument): Set<string> | undefined {
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
