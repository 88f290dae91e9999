// JSON Schema for API-format nodes, generated from node definitions, and a lazy ajv compile cache.
// Only the classes a document uses get compiled: compiling ~2,000 classes up front would cost seconds.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { InputDef, NodeDef, NodeDefs } from './nodeDefs';

export type JsonSchema = Record<string, unknown>;

/** A link `["<source node id>", <output index ≥ 0>]`. */
export const LINK_SCHEMA: JsonSchema = {
  type: 'array',
  minItems: 2,
  maxItems: 2,
  items: [{ type: 'string' }, { type: 'integer', minimum: 0 }],
};

/** The schema of the value an input takes when it is not a link; undefined when any value goes. */
export function valueSchema(def: InputDef): JsonSchema | undefined {
  const s: JsonSchema = {};
  switch (def.kind) {
    case 'INT':
      s.type = 'integer';
      break;
    case 'FLOAT':
      s.type = 'number';
      break;
    case 'STRING':
      s.type = 'string';
      break;
    case 'BOOLEAN':
      s.type = 'boolean';
      break;
    case 'COMBO':
      if (def.comboValues) {
        // Custom nodes do list a value twice; ajv refuses an enum with duplicates (the whole class would not compile).
        const values = distinct(def.comboValues);
        if (def.multiselect) {
          // A list literal must be wrapped, or the server takes it for a link.
          return {
            anyOf: [{ enum: values }, { type: 'object', required: ['__value__'], properties: { __value__: { type: 'array', items: { enum: values } } } }],
          };
        }
        // An empty list (no model files installed) accepts nothing; JSON Schema forbids an empty enum.
        if (values.length === 0) s.not = {};
        else s.enum = values;
      }
      break;
    case 'dynamic':
      if (def.dynamic === 'dynamicCombo' && def.dynamicOptions) s.enum = distinct(def.dynamicOptions);
      else return undefined;
      break;
    case 'socket':
      // A socket takes a link; a plain value is not a type error (the server passes it on), see validate.ts.
      // The server still compares numbers with min/max whatever the type (e.g. the union "INT,FLOAT").
      if (!(def.min !== undefined || def.max !== undefined) || !def.types.some((t) => t === 'INT' || t === 'FLOAT')) return undefined;
      break;
  }
  if (def.min !== undefined && def.kind !== 'COMBO' && def.kind !== 'STRING' && def.kind !== 'BOOLEAN') s.minimum = def.min;
  if (def.max !== undefined && def.kind !== 'COMBO' && def.kind !== 'STRING' && def.kind !== 'BOOLEAN') s.maximum = def.max;
  if (def.default !== undefined) s.default = def.default;
  if (def.tooltip) s.description = def.tooltip;
  return s;
}

/** The schema of one input: a link when it is an array (the server reads every list as a link), else its value. */
export function inputSchema(def: InputDef): JsonSchema {
  const value = valueSchema(def);
  if (!def.acceptsLink) return value ?? {};
  if (!value) return { if: { type: 'array' }, then: LINK_SCHEMA };
  return { if: { type: 'array' }, then: LINK_SCHEMA, else: value };
}

/** The JSON Schema of one API node of class `def`: `{class_type, inputs, _meta?}`. */
export function classSchema(def: NodeDef): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const input of def.inputs) {
    properties[input.name] = inputSchema(input);
    // Dynamic inputs are spread over dotted keys, so their bare key may legitimately be absent.
    if (input.category === 'required' && input.kind !== 'dynamic') required.push(input.name);
    else if (input.category === 'required' && input.dynamic === 'dynamicCombo') required.push(input.name);
  }
  return {
    title: def.displayName,
    ...(def.description ? { description: def.description } : {}),
    type: 'object',
    required: ['class_type', 'inputs'],
    properties: {
      class_type: { const: def.name },
      inputs: { type: 'object', required, properties },
      _meta: { type: 'object', properties: { title: { type: 'string' } } },
    },
  };
}

/**
 * One schema for a whole API prompt: every node is checked against its class through if/then on `class_type`.
 * This is what a user would contribute through `jsonValidation`: the peer baseline of the benchmark
 * (bench/cases/workflow.ts), which measures validation against it. `classes` limits it to some classes (default: all).
 * @internal
 */
export function promptSchema(defs: NodeDefs, classes: readonly string[] = defs.names()): JsonSchema {
  const allOf: JsonSchema[] = [];
  for (const name of classes) {
    const def = defs.get(name);
    if (!def) continue;
    const schema = classSchema(def);
    const props = schema.properties as Record<string, JsonSchema>;
    allOf.push({
      if: { properties: { class_type: { const: name } }, required: ['class_type'] },
      then: { properties: { inputs: props.inputs } },
    });
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'ComfyUI API prompt',
    type: 'object',
    additionalProperties: {
      type: 'object',
      required: ['class_type', 'inputs'],
      properties: {
        class_type: { type: 'string', enum: classes.filter((c) => defs.has(c)) },
        inputs: { type: 'object' },
        _meta: { type: 'object' },
      },
      allOf,
    },
  };
}

function stripDocs(s: JsonSchema): JsonSchema {
  const { description: _d, default: _f, ...rest } = s;
  return rest;
}

/**
 * Checks the non-link input values of one class (as `{ <input>: <value schema> }` over the non-link inputs; presence
 * and link shape are checked in validate.ts); returns ajv's errors, empty when valid.
 * Error paths are relative to the inputs object (`/steps`, `/tags/__value__/2`).
 */
export type ClassValidator = (values: Record<string, unknown>) => readonly ErrorObject[];

/**
 * Compiled validators per class, built on first use and kept for the life of the definitions.
 * An ajv compile has a fixed cost (code generation plus `new Function`) that dwarfs the code of one small class, and
 * classes share most of their input specs (seeds, steps, denoise, the same model lists). So the cache compiles
 * *distinct input value schemas*, many at once: `prepare()` takes every class a document needs, collects the value
 * schemas it has not compiled yet, and compiles them in one batch schema `{ s<id>: { type: 'array', items: <schema> } }`.
 * A node's values are then checked as `{ s<id>: [values of its inputs with that schema] }`, and error paths are mapped
 * back to input names.
 */
export class SchemaCache {
  private readonly ajv = new Ajv({
    allErrors: true,
    strict: false,
    validateSchema: false,
    addUsedSchema: false,
    useDefaults: false,
    loopEnum: 8,
    loopRequired: 8,
    messages: false,
    code: { optimize: false },
  });
  private readonly compiled = new Map<string, ClassValidator | null>();
  /** Distinct value schemas: canonical JSON → id. */
  private readonly schemaIds = new Map<string, number>();
  /** id → the batch validator that covers it (absent until compiled; null if ajv rejected it). */
  private readonly batchOf = new Map<number, ValidateFunction | null>();
  private readonly plans = new Map<string, { name: string; id: number }[]>();
  private readonly results = new Map<string, readonly ErrorObject[]>();
  private memoChars = 0;

  constructor(readonly defs: NodeDefs) {}

  /** Compiles, in one batch, the value schemas of every class of `classTypes` not compiled yet. Never throws. */
  prepare(classTypes: Iterable<string>): void {
    const pending = new Map<number, JsonSchema>();
    const classes: string[] = [];
    for (const c of classTypes) {
      if (this.compiled.has(c) || classes.includes(c)) continue;
      const def = this.defs.get(c);
      if (!def) continue;
      classes.push(c);
      this.plans.set(c, this.plan(def, pending));
    }
    if (pending.size > 0) this.compileBatch(pending);
    for (const c of classes) this.compiled.set(c, this.classValidator(this.plans.get(c)!));
  }

  /**
   * The validator of `classType`, compiled now if `prepare()` has not done it; undefined for an unknown class.
   * Inputs whose schema ajv rejects (an odd custom spec) go unchecked rather than breaking the others.
   */
  validator(classType: string): ClassValidator | undefined {
    if (!this.compiled.has(classType)) {
      if (this.defs.has(classType)) this.prepare([classType]);
      else this.compiled.set(classType, null);
    }
    return this.compiled.get(classType) ?? undefined;
  }

  /**
   * Checks one node's values, remembering the answer: while a user types, all nodes but one are unchanged, so a
   * re-validation costs one lookup per node instead of one call into the batch validator.
   */
  check(classType: string, values: Record<string, unknown>): readonly ErrorObject[] {
    return this.memo(classType, this.validator(classType), values);
  }

  /**
   * Checks values against an explicit input list: a newer-schema node's inputs after expanding its dynamic inputs
   * (`format.codec.encoding.crf`). `key` names the list (class and the expanded names); compiled once per key.
   */
  checkInputs(key: string, inputs: readonly InputDef[], values: Record<string, unknown>): readonly ErrorObject[] {
    const id = `\u0001${key}`;
    if (!this.compiled.has(id)) {
      const pending = new Map<number, JsonSchema>();
      const plan = this.planInputs(inputs, pending);
      if (pending.size > 0) this.compileBatch(pending);
      this.compiled.set(id, this.classValidator(plan));
    }
    return this.memo(id, this.compiled.get(id) ?? undefined, values);
  }

  private memo(classType: string, validate: ClassValidator | undefined, values: Record<string, unknown>): readonly ErrorObject[] {
    if (!validate) return NO_ERRORS;
    // A value too large to remember is not even turned into a key (serializing 1 MB per keystroke adds up).
    let size = classType.length;
    for (const k in values) {
      const v = values[k];
      size += k.length + (typeof v === 'string' ? v.length : 8);
    }
    if (size > MAX_REMEMBERED_KEY) return validate(values);
    let key: string;
    try {
      key = `${classType}\u0000${JSON.stringify(values)}`;
    } catch {
      return validate(values); // not serialisable (cannot come from JSON text, but stay safe)
    }
    const hit = this.results.get(key);
    if (hit) return hit;
    const errors = validate(values);
    // Bounded by entries AND by the characters of the keys: a node holding a 1 MB string edited 1,000 times must
    // not keep 1,000 copies (issue 13, finding 11). Very large values are not remembered at all.
    if (key.length > MAX_REMEMBERED_KEY) return errors;
    if (this.results.size >= MAX_REMEMBERED || this.memoChars + key.length > MAX_REMEMBERED_CHARS) {
      this.results.clear();
      this.memoChars = 0;
    }
    this.results.set(key, errors);
    this.memoChars += key.length;
    return errors;
  }

  /** How many classes have been compiled (tests use it to prove compilation is lazy). */
  get compiledCount(): number {
    return this.compiled.size;
  }

  /** How many characters of node values the result memo holds (tests use it to prove the bound). */
  get rememberedChars(): number {
    return this.memoChars;
  }

  /** How many distinct value schemas have been compiled. */
  get compiledSchemas(): number {
    return this.batchOf.size;
  }

  private plan(def: NodeDef, pending: Map<number, JsonSchema>): { name: string; id: number }[] {
    return this.planInputs(def.inputs, pending);
  }

  private planInputs(inputs: readonly InputDef[], pending: Map<number, JsonSchema>): { name: string; id: number }[] {
    const out: { name: string; id: number }[] = [];
    for (const input of inputs) {
      const v = valueSchema(input);
      if (!v) continue;
      const schema = stripDocs(v);
      const key = JSON.stringify(schema);
      let id = this.schemaIds.get(key);
      if (id === undefined) {
        id = this.schemaIds.size;
        this.schemaIds.set(key, id);
        pending.set(id, schema);
      }
      out.push({ name: input.name, id });
    }
    return out;
  }

  private compileBatch(pending: Map<number, JsonSchema>): void {
    const properties: Record<string, JsonSchema> = {};
    for (const [id, schema] of pending) properties[`s${id}`] = { type: 'array', items: schema };
    try {
      const fn = this.ajv.compile({ type: 'object', properties });
      for (const id of pending.keys()) this.batchOf.set(id, fn);
    } catch {
      // One odd schema spoils a batch: compile them one by one so only that one goes unchecked.
      for (const [id, schema] of pending) {
        try {
          this.batchOf.set(id, this.ajv.compile({ type: 'object', properties: { [`s${id}`]: { type: 'array', items: schema } } }));
        } catch {
          this.batchOf.set(id, null);
        }
      }
    }
  }

  private classValidator(plan: { name: string; id: number }[]): ClassValidator {
    if (plan.length === 0) return () => NO_ERRORS;
    return (values) => {
      // Group the present values by batch, then by schema id (positions map error paths back to input names).
      let errors: ErrorObject[] | undefined;
      const byBatch = new Map<ValidateFunction, { instance: Record<string, unknown[]>; names: Record<string, string[]> }>();
      for (const { name, id } of plan) {
        if (!Object.prototype.hasOwnProperty.call(values, name)) continue;
        const fn = this.batchOf.get(id);
        if (!fn) continue;
        let group = byBatch.get(fn);
        if (!group) byBatch.set(fn, (group = { instance: {}, names: {} }));
        const key = `s${id}`;
        (group.instance[key] ??= []).push(values[name]);
        (group.names[key] ??= []).push(name);
      }
      for (const [fn, { instance, names }] of byBatch) {
        if (fn(instance)) continue;
        for (const e of fn.errors ?? []) {
          const m = /^\/(s\d+)\/(\d+)(.*)$/.exec(e.instancePath);
          const name = m ? names[m[1]!]?.[Number(m[2])] : undefined;
          if (name === undefined) continue;
          (errors ??= []).push({ ...e, instancePath: `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}${m![3]}` });
        }
      }
      return errors ?? NO_ERRORS;
    };
  }
}

const NO_ERRORS: readonly ErrorObject[] = [];

/** Bound on remembered node results (a few documents' worth); the memo is simply dropped when full. */
const MAX_REMEMBERED = 20_000;
/** Bound on the characters of all remembered keys (~2 bytes each: 32 MB), and on one key. */
const MAX_REMEMBERED_CHARS = 16_000_000;
const MAX_REMEMBERED_KEY = 256_000;

const caches = new WeakMap<NodeDefs, SchemaCache>();

/** The shared cache of one set of definitions. */
export function schemaCacheFor(defs: NodeDefs): SchemaCache {
  let c = caches.get(defs);
  if (!c) {
    c = new SchemaCache(defs);
    caches.set(defs, c);
  }
  return c;
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
