// The inputs a newer-schema (V3) node really has, given the values in the prompt: what the server's
// `get_finalized_class_inputs` produces before it validates. A dynamic combo adds the chosen option's inputs under
// `<selector>.<name>` (nested as deep as the options nest); an autogrow input adds its entries (`images.image0`,
// `values.a`), the first `min` of them required. An unknown, missing, wrapped or non-string selector expands nothing:
// the server accepts the prompt, and the node fails when it runs.
import { isRecord } from '../util/guards';
import { normalizeInput, type InputDef, type NodeDef } from './nodeDefs';

/** A dynamic-combo selector whose value the server cannot expand (it accepts the prompt; execution fails). */
export interface UnresolvedSelector {
  /** Full dotted name of the selector (`format`, `format.codec`). */
  name: string;
  def: InputDef;
  /** Why: no value at all, a value of another JSON type, a `{"__value__": …}` wrapper, or a key no option has. */
  reason: 'missing' | 'notString' | 'wrapped' | 'unknownKey';
  value: unknown;
}

export interface ExpandedInputs {
  /** Every input the server checks, with full dotted names, in declaration order. */
  inputs: InputDef[];
  byName: Map<string, InputDef>;
  unresolved: UnresolvedSelector[];
  /** Whether the class has any dynamic input (else `inputs` is just `def.inputs`). */
  dynamic: boolean;
  /** Names this expansion among others of the class: the chosen option of every expanded selector, and the names. */
  key: string;
}

/** Bound on generated autogrow entries and on nesting (untrusted dumps may declare anything). */
const MAX_AUTOGROW = 200;
const MAX_DEPTH = 16;

/** What an expansion needs of a node: its value for a key, and whether the key is present. */
export interface InputValues {
  has(name: string): boolean;
  get(name: string): unknown;
}

/** Expands `def`'s inputs for the given values. Cheap for classes without dynamic inputs (returns their own list). */
export function expandInputs(def: NodeDef, values: InputValues): ExpandedInputs {
  if (!def.inputs.some((i) => i.kind === 'dynamic' && (i.dynamic === 'dynamicCombo' || i.dynamic === 'autogrow'))) {
    return { inputs: def.inputs as InputDef[], byName: def.inputByName as Map<string, InputDef>, unresolved: [], dynamic: false, key: def.name };
  }
  const out: ExpandedInputs = { inputs: [], byName: new Map(), unresolved: [], dynamic: true, key: def.name };
  for (const input of def.inputs) expandOne(input, input.name, values, out, 0);
  // Two options may give an input of the same name different specs (crf: max 51 for h264, 63 for av1).
  out.key = [def.name, ...out.inputs.map((i) => (i.dynamic === 'dynamicCombo' ? `${i.name}=${selectorKey(values.get(i.name))}` : i.name))].join('\u0000');
  return out;
}

/** A selector's part of the key: only string values expand anything. */
function selectorKey(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v;
}

function push(out: ExpandedInputs, def: InputDef): void {
  if (out.byName.has(def.name)) return;
  out.inputs.push(def);
  out.byName.set(def.name, def);
}

function expandOne(input: InputDef, fullName: string, values: InputValues, out: ExpandedInputs, depth: number): void {
  push(out, input);
  if (depth >= MAX_DEPTH || input.kind !== 'dynamic') return;
  if (input.dynamic === 'dynamicCombo') expandCombo(input, fullName, values, out, depth);
  else if (input.dynamic === 'autogrow') expandAutogrow(input, fullName, values, out, depth);
}

function expandCombo(input: InputDef, fullName: string, values: InputValues, out: ExpandedInputs, depth: number): void {
  const present = values.has(fullName);
  const value = present ? values.get(fullName) : undefined;
  const options = Array.isArray(input.options.options) ? input.options.options : [];
  let reason: UnresolvedSelector['reason'] | undefined;
  let chosen: Record<string, unknown> | undefined;
  if (!present) reason = 'missing';
  else if (isRecord(value) && '__value__' in value) reason = 'wrapped';
  else if (typeof value !== 'string') reason = 'notString';
  else {
    chosen = options.find((o): o is Record<string, unknown> => isRecord(o) && o.key === value);
    if (!chosen) reason = 'unknownKey';
  }
  if (reason) {
    out.unresolved.push({ name: fullName, def: input, reason, value });
    return;
  }
  const groups = isRecord(chosen!.inputs) ? chosen!.inputs : {};
  expandGroups(groups, `${fullName}.`, values, out, depth + 1);
}

function expandGroups(groups: Record<string, unknown>, prefix: string, values: InputValues, out: ExpandedInputs, depth: number, forceOptional = false): void {
  for (const category of ['required', 'optional'] as const) {
    const specs = groups[category];
    if (!isRecord(specs)) continue;
    for (const [name, spec] of Object.entries(specs)) {
      const full = prefix + name;
      const def = normalizeInput(full, forceOptional ? 'optional' : category, spec);
      expandOne(def, full, values, out, depth);
    }
  }
}

function expandAutogrow(input: InputDef, fullName: string, values: InputValues, out: ExpandedInputs, depth: number): void {
  const template = isRecord(input.options.template) ? input.options.template : {};
  const groups = isRecord(template.input) ? template.input : {};
  // One template input (required or optional) is repeated; its own name does not appear in the prompt.
  let spec: unknown;
  let templateRequired = false;
  for (const category of ['required', 'optional'] as const) {
    const specs = groups[category];
    if (spec === undefined && isRecord(specs)) {
      const first = Object.keys(specs)[0];
      if (first !== undefined) {
        spec = specs[first];
        templateRequired = category === 'required';
      }
    }
  }
  if (spec === undefined) return;
  const min = typeof template.min === 'number' ? Math.max(0, Math.min(MAX_AUTOGROW, Math.floor(template.min))) : 0;
  const names = entryNames(template);
  for (let i = 0; i < names.length; i++) {
    const full = `${fullName}.${names[i]!}`;
    const required = i < min && templateRequired;
    // Entries the prompt does not use are neither checked nor shown, except the required ones.
    if (!required && !values.has(full) && !hasKeyUnder(values, full)) continue;
    expandOne(normalizeInput(full, required ? 'required' : 'optional', spec), full, values, out, depth + 1);
  }
}

/** Entry names: the template's `names`, or `<prefix>0 … <prefix><max-1>`. */
function entryNames(template: Record<string, unknown>): string[] {
  if (Array.isArray(template.names)) return template.names.slice(0, MAX_AUTOGROW).filter((n): n is string => typeof n === 'string');
  const prefix = typeof template.prefix === 'string' ? template.prefix : 'input';
  const max = typeof template.max === 'number' ? Math.max(0, Math.min(MAX_AUTOGROW, Math.floor(template.max))) : MAX_AUTOGROW;
  return Array.from({ length: max }, (_, i) => `${prefix}${i}`);
}

/** Whether some key is nested under `name` (an autogrow entry that is itself dynamic). Only asked of real maps. */
function hasKeyUnder(values: InputValues, name: string): boolean {
  const keys = (values as { keys?: () => Iterable<string> }).keys?.();
  if (!keys) return false;
  const p = `${name}.`;
  for (const k of keys) if (k.startsWith(p)) return true;
  return false;
}

/** The InputValues of a parsed node (its present keys and their JSON values). */
export function nodeValues(inputs: ReadonlyMap<string, { value: unknown }>): InputValues & { keys(): Iterable<string> } {
  return { has: (n) => inputs.has(n), get: (n) => inputs.get(n)?.value, keys: () => inputs.keys() };
}

const expansions = new WeakMap<object, { defs: NodeDef; result: ExpandedInputs }>();

/** `expandInputs` of a parsed node, remembered per node object (validation and the link graph both need it). */
export function expandNode(def: NodeDef, node: { inputs: ReadonlyMap<string, { value: unknown }> }): ExpandedInputs {
  const hit = expansions.get(node);
  if (hit && hit.defs === def) return hit.result;
  const result = expandInputs(def, nodeValues(node.inputs));
  expansions.set(node, { defs: def, result });
  return result;
}

/**
 * The definition the server uses for a key of a node: the expanded input, or, for a dotted key under a dynamic input
 * this module does not expand (dynamic groups and slots), its owner. Undefined for keys the server ignores
 * (undeclared, another option's inputs, autogrow entries past the maximum).
 */
export function inputDefForNodeKey(def: NodeDef, node: { inputs: ReadonlyMap<string, { value: unknown }> }, key: string): InputDef | undefined {
  const expanded = expandNode(def, node);
  const hit = expanded.byName.get(key);
  if (hit) return hit;
  const dot = key.indexOf('.');
  if (dot <= 0) return undefined;
  const owner = def.inputByName.get(key.slice(0, dot));
  if (owner?.kind !== 'dynamic' || owner.dynamic === 'dynamicCombo' || owner.dynamic === 'autogrow') return undefined;
  return owner;
}

/**
 * The input keys to propose for a node: its expanded inputs (the chosen options' nested inputs included), with
 * each autogrow input standing for its next unused entry (`images.image2`) rather than its bare name.
 */
export function proposableInputs(def: NodeDef, node: { inputs: ReadonlyMap<string, { value: unknown }> }): InputDef[] {
  const expanded = expandNode(def, node);
  if (!expanded.dynamic) return expanded.inputs;
  const out: InputDef[] = [];
  for (const input of expanded.inputs) {
    if (input.dynamic !== 'autogrow') {
      out.push(input);
      continue;
    }
    const template = isRecord(input.options.template) ? input.options.template : {};
    const groups = isRecord(template.input) ? template.input : {};
    const specs = isRecord(groups.required) ? groups.required : isRecord(groups.optional) ? groups.optional : {};
    const spec = Object.values(specs)[0];
    const next = entryNames(template).find((n) => !node.inputs.has(`${input.name}.${n}`));
    if (spec !== undefined && next !== undefined) out.push(normalizeInput(`${input.name}.${next}`, 'optional', spec));
  }
  return out;
}
