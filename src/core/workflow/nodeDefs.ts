// Node definitions from /object_info, normalized into one shape whatever the dump's vintage:
// V1 and V3 nodes, old list combos and "COMBO" with options, comma unions, "*", forceInput, hidden inputs,
// display_name null, missing input_order, unknown option keys, V3 dynamic inputs.
// A real dump has ~2,000 classes and a document uses a dozen, so classes are normalized lazily on first use.
import { isRecord } from '../util/guards';

/** What a value for the input must look like. `socket` inputs only take links; `dynamic` are V3 dynamic inputs. */
export type InputKind = 'INT' | 'FLOAT' | 'STRING' | 'BOOLEAN' | 'COMBO' | 'socket' | 'dynamic';

export type DynamicKind = 'autogrow' | 'dynamicCombo' | 'dynamicGroup' | 'dynamicSlot' | 'matchType' | 'other';

export interface InputDef {
  name: string;
  category: 'required' | 'optional';
  /** The declared type string: `"INT"`, `"MODEL"`, `"INT,FLOAT"`, `"*"`, `"COMBO"` (also for old list combos). */
  type: string;
  /** `type` split on commas and trimmed (the server's union rule). */
  types: readonly string[];
  kind: InputKind;
  /** The options object (second element of the spec), unknown keys kept as they are. */
  options: Readonly<Record<string, unknown>>;
  /** Allowed values of a combo, when the definition lists them. */
  comboValues?: readonly unknown[];
  /**
   * `list`: old-style combo (the type is the list), checked by every server version.
   * `options`: `["COMBO", {options}]`, which ComfyUI 0.3.64 does not check and newer servers do.
   */
  comboStyle?: 'list' | 'options';
  multiselect: boolean;
  min?: number;
  max?: number;
  step?: number;
  default?: unknown;
  tooltip?: string;
  /** Label of the input in the UI (`display_name` option), when it differs from the key. */
  label?: string;
  /** `forceInput`: a socket only, no widget. */
  forceInput: boolean;
  /** The frontend shows a widget (the user types a value rather than drawing a link). */
  hasWidget: boolean;
  /** A link may feed it: sockets, and widgets (convertible to inputs) unless `socketless`. */
  acceptsLink: boolean;
  /** V3 dynamic inputs: their keys in a prompt are dotted (`images.image0`, `model.size_preset`). */
  dynamic?: DynamicKind;
  /** For a dynamic combo: the selectable keys. */
  dynamicOptions?: readonly string[];
  /** The raw spec from /object_info. */
  spec: unknown;
}

export interface OutputDef {
  index: number;
  name: string;
  type: string;
  types: readonly string[];
  isList: boolean;
  tooltip?: string;
}

export interface NodeDef {
  name: string;
  /** `display_name`, falling back to the class name (V3 nodes may send null). */
  displayName: string;
  category: string;
  description: string;
  pythonModule: string;
  outputNode: boolean;
  deprecated: boolean;
  experimental: boolean;
  apiNode: boolean;
  /** Required inputs, then optional ones, each in `input_order` when the dump has it. */
  inputs: readonly InputDef[];
  inputByName: ReadonlyMap<string, InputDef>;
  /** Hidden inputs (`PROMPT`, `UNIQUE_ID`, …): filled in by the server, never part of a prompt. */
  hidden: ReadonlyMap<string, string>;
  outputs: readonly OutputDef[];
  raw: Readonly<Record<string, unknown>>;
}

/** Something odd in a dump that was tolerated (the class still loads, or is skipped with this reason). */
export interface NodeDefIssue {
  classType: string;
  message: string;
}

export interface NodeDefs {
  /** Number of classes in the dump. */
  readonly size: number;
  /** Distinguishes one prepared dump from another (for caches keyed on definitions). */
  readonly id: number;
  has(classType: string): boolean;
  /** The normalized class, or undefined when the dump has no such class (or its entry is not an object). */
  get(classType: string): NodeDef | undefined;
  /** All class names, in dump order. */
  names(): readonly string[];
  /** Display name without normalizing the whole class (cheap; used for "did you mean"). */
  displayName(classType: string): string | undefined;
  /** Oddities met so far (classes are normalized lazily, so this grows as classes are used). */
  readonly issues: readonly NodeDefIssue[];
}

export class NodeDefsError extends Error {
  override readonly name = 'NodeDefsError';
}

let nextId = 1;

/**
 * Prepares node definitions from a parsed /object_info body. Cheap: classes are normalized on first `get()`.
 * Throws `NodeDefsError` (one sentence) when the body is not an object of classes.
 */
export function prepareNodeDefs(objectInfo: unknown): NodeDefs {
  if (!isRecord(objectInfo)) {
    throw new NodeDefsError(`The node definitions are not an /object_info object (got ${describe(objectInfo)}).`);
  }
  return new LazyNodeDefs(objectInfo);
}

class LazyNodeDefs implements NodeDefs {
  readonly id = nextId++;
  readonly issues: NodeDefIssue[] = [];
  private readonly cache = new Map<string, NodeDef | null>();
  private nameList: string[] | undefined;

  constructor(private readonly raw: Record<string, unknown>) {}

  get size(): number {
    return this.names().length;
  }

  has(classType: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.raw, classType) && isRecord(this.raw[classType]);
  }

  names(): readonly string[] {
    this.nameList ??= Object.keys(this.raw).filter((k) => isRecord(this.raw[k]));
    return this.nameList;
  }

  displayName(classType: string): string | undefined {
    if (!this.has(classType)) return undefined;
    const dn = (this.raw[classType] as Record<string, unknown>).display_name;
    return typeof dn === 'string' && dn !== '' ? dn : classType;
  }

  get(classType: string): NodeDef | undefined {
    const hit = this.cache.get(classType);
    if (hit !== undefined) return hit ?? undefined;
    let def: NodeDef | null = null;
    if (this.has(classType)) {
      def = normalizeClass(classType, this.raw[classType] as Record<string, unknown>, (message) => this.issues.push({ classType, message }));
    }
    this.cache.set(classType, def);
    return def ?? undefined;
  }
}

const PRIMITIVES = new Set(['INT', 'FLOAT', 'STRING', 'BOOLEAN']);

// A Map, not an object literal: a type named `toString`, `constructor` or `__proto__` must not look dynamic.
const DYNAMIC_TYPES: ReadonlyMap<string, DynamicKind> = new Map<string, DynamicKind>([
  ['COMFY_AUTOGROW_V3', 'autogrow'],
  ['COMFY_DYNAMICCOMBO_V3', 'dynamicCombo'],
  ['COMFY_DYNAMICGROUP_V3', 'dynamicGroup'],
  ['COMFY_DYNAMICSLOT_V3', 'dynamicSlot'],
  ['COMFY_MATCHTYPE_V3', 'matchType'],
]);

/** Normalizes one class; never throws (odd specs become issues and permissive inputs). */
export function normalizeClass(name: string, raw: Record<string, unknown>, onIssue: (message: string) => void = () => {}): NodeDef {
  const input = isRecord(raw.input) ? raw.input : {};
  const order = isRecord(raw.input_order) ? raw.input_order : {};
  const inputs: InputDef[] = [];
  const inputByName = new Map<string, InputDef>();
  for (const category of ['required', 'optional'] as const) {
    const specs = input[category];
    if (specs === undefined || specs === null) continue;
    if (!isRecord(specs)) {
      onIssue(`input.${category} is ${describe(specs)}, not an object; ignored`);
      continue;
    }
    for (const key of orderedKeys(specs, order[category])) {
      if (inputByName.has(key)) continue; // the server's union of required and optional: required wins
      const def = normalizeInput(key, category, specs[key], onIssue);
      inputs.push(def);
      inputByName.set(key, def);
    }
  }
  const hidden = new Map<string, string>();
  if (isRecord(input.hidden)) {
    for (const [k, v] of Object.entries(input.hidden)) {
      // V1 sends plain strings ("PROMPT"), V3 a one-element list (["PROMPT"]).
      const value = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : String(v);
      hidden.set(k, value);
    }
  }
  const outputs: OutputDef[] = [];
  const outTypes = Array.isArray(raw.output) ? raw.output : [];
  if (raw.output !== undefined && !Array.isArray(raw.output)) onIssue(`output is ${describe(raw.output)}, not a list; no outputs`);
  const outNames = Array.isArray(raw.output_name) ? raw.output_name : [];
  const outIsList = Array.isArray(raw.output_is_list) ? raw.output_is_list : [];
  const outTips = Array.isArray(raw.output_tooltips) ? raw.output_tooltips : [];
  outTypes.forEach((t, index) => {
    // An output may itself be a list (an output combo); its type for matching is then "COMBO".
    const type = typeof t === 'string' ? t : Array.isArray(t) ? 'COMBO' : String(t);
    const nm = outNames[index];
    const tip = outTips[index];
    outputs.push({
      index,
      name: typeof nm === 'string' ? nm : type,
      type,
      types: splitTypes(type),
      isList: outIsList[index] === true,
      ...(typeof tip === 'string' ? { tooltip: tip } : {}),
    });
  });
  const dn = raw.display_name;
  return {
    name,
    displayName: typeof dn === 'string' && dn !== '' ? dn : name,
    category: typeof raw.category === 'string' ? raw.category : '',
    description: typeof raw.description === 'string' ? raw.description : '',
    pythonModule: typeof raw.python_module === 'string' ? raw.python_module : '',
    outputNode: raw.output_node === true,
    deprecated: raw.deprecated === true,
    experimental: raw.experimental === true,
    apiNode: raw.api_node === true,
    inputs,
    inputByName,
    hidden,
    outputs,
    raw,
  };
}

/** Keys of `specs` in `input_order` when it is given and consistent, else in dict order. */
function orderedKeys(specs: Record<string, unknown>, order: unknown): string[] {
  const keys = Object.keys(specs);
  if (!Array.isArray(order)) return keys;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of order) {
    if (typeof k === 'string' && Object.prototype.hasOwnProperty.call(specs, k) && !seen.has(k)) {
      seen.add(k);
      out.push(k);
    }
  }
  for (const k of keys) if (!seen.has(k)) out.push(k);
  return out;
}

export function normalizeInput(name: string, category: 'required' | 'optional', spec: unknown, onIssue: (message: string) => void = () => {}): InputDef {
  let head: unknown;
  let options: Record<string, unknown> = {};
  if (Array.isArray(spec)) {
    head = spec[0];
    if (spec.length > 1) {
      if (isRecord(spec[1])) options = spec[1];
      else if (spec[1] !== undefined && spec[1] !== null) onIssue(`input ${name}: options are ${describe(spec[1])}, not an object; ignored`);
    }
  } else if (typeof spec === 'string') {
    // Seen in custom nodes: a bare type string instead of [type]. Treated as [type].
    head = spec;
  } else {
    onIssue(`input ${name}: spec is ${describe(spec)}, expected [type, options]; accepting any value`);
    head = '*';
  }
  const def: InputDef = {
    name,
    category,
    type: '*',
    types: ['*'],
    kind: 'socket',
    options,
    multiselect: options.multiselect === true || options.multi_select === true || isRecord(options.multi_select),
    forceInput: options.forceInput === true,
    hasWidget: false,
    acceptsLink: true,
    spec,
  };
  if (typeof options.min === 'number' && Number.isFinite(options.min)) def.min = options.min;
  if (typeof options.max === 'number' && Number.isFinite(options.max)) def.max = options.max;
  if (typeof options.step === 'number') def.step = options.step;
  if ('default' in options) def.default = options.default;
  const tip = typeof options.tooltip === 'string' ? options.tooltip : typeof options.toolip === 'string' ? options.toolip : undefined;
  if (tip !== undefined) def.tooltip = tip;
  if (typeof options.display_name === 'string' && options.display_name !== name) def.label = options.display_name;

  if (Array.isArray(head)) {
    def.type = 'COMBO';
    def.types = ['COMBO'];
    def.kind = 'COMBO';
    def.comboValues = head;
    def.comboStyle = 'list';
  } else if (typeof head === 'string') {
    def.type = head;
    def.types = splitTypes(head);
    if (PRIMITIVES.has(head)) def.kind = head as InputKind;
    else if (head === 'COMBO') {
      def.kind = 'COMBO';
      if (Array.isArray(options.options)) {
        def.comboValues = options.options;
        def.comboStyle = 'options';
      }
    } else if (DYNAMIC_TYPES.has(head) || /^COMFY_.*_V3$/.test(head)) {
      def.kind = 'dynamic';
      def.dynamic = DYNAMIC_TYPES.get(head) ?? 'other';
      if (def.dynamic === 'dynamicCombo' && Array.isArray(options.options)) {
        def.dynamicOptions = options.options.flatMap((o) => (isRecord(o) && typeof o.key === 'string' ? [o.key] : []));
      }
    }
  } else {
    onIssue(`input ${name}: type is ${describe(head)}, not a string or list; accepting any value`);
  }
  def.hasWidget =
    !def.forceInput &&
    (def.kind === 'INT' || def.kind === 'FLOAT' || def.kind === 'STRING' || def.kind === 'BOOLEAN' || def.kind === 'COMBO' || def.dynamic === 'dynamicCombo');
  def.acceptsLink = !(def.hasWidget && options.socketless === true);
  return def;
}

/** The server's union rule: split on commas and strip whitespace. */
export function splitTypes(type: string): string[] {
  if (!type.includes(',')) return [type.trim()];
  return type.split(',').map((t) => t.trim());
}

/** Which server's matching rules to apply (comfyui-api.md §4.3). */
export type TypeRules = 'server' | 'frontend';

/**
 * Whether an output of type `received` may feed an input of type `expected`.
 * `server`: exact (case-sensitive) match or overlapping comma unions; `"*"` on either side passes, which is what
 * custom AnyType nodes achieve through `__ne__` (0.3.64) and what newer servers do for any `"*"`;
 * `COMFY_MATCHTYPE_V3` passes (the frontend enforces it). A list-typed output into "COMBO" passes.
 * `frontend`: the same, case-insensitive, and `""` passes too.
 */
export function typesMatch(received: string, expected: string, rules: TypeRules = 'server'): boolean {
  if (received === expected) return true;
  if (rules === 'frontend') {
    if (received === '' || expected === '') return true;
    received = received.toUpperCase();
    expected = expected.toUpperCase();
    if (received === expected) return true;
  }
  if (received === 'COMFY_MATCHTYPE_V3' || expected === 'COMFY_MATCHTYPE_V3') return true;
  const a = splitTypes(received);
  const b = splitTypes(expected);
  if (a.includes('*') || b.includes('*')) return true;
  for (const t of a) if (b.includes(t)) return true;
  return false;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
