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
        if (def.multiselect) {
          // A list literal must be wrapped, or the server takes it for a link.
          return {
            anyOf: [
              { enum: def.comboValues },
              { type: 'object', required: ['__value__'], properties: { __value__: { type: 'array', items: { enum: def.comboValues } } } },
            ],
          };
        }
        // An empty list (no model files installed) accepts nothing; JSON Schema forbids an empty enum.
        if (def.comboValues.length === 0) s.not = {};
        else s.enum = def.comboValues;
      }
      break;
    case 'dynamic':
      if (def.dynamic === 'dynamicCombo' && def.dynamicOptions) s.enum = def.dynamicOptions;
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
 * This is what a user would contribute through `jsonValidation`; it is exported for a "show schema" command and
 * as the peer baseline of the benchmark. `classes` limits it to some classes (default: all).
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

/**
 * What gets compiled per class: only the widget values, as `{ <input>: <value schema> }` over the non-link inputs.
 * Presence of required inputs and the shape of links are checked by validate.ts directly: they are the same for
 * every class, and leaving the link branch (if/then/else) out makes each compile about three times cheaper.
 */
export function compiledValueSchema(def: NodeDef): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const input of def.inputs) {
    const v = valueSchema(input);
    if (v) properties[input.name] = stripDocs(v);
  }
  return { type: 'object', properties };
}

function stripDocs(s: JsonSchema): JsonSchema {
  const { description: _d, default: _f, ...rest } = s;
  return rest;
}

/**
 * Checks the non-link input values of one class (see `compiledValueSchema`); returns ajv's errors, empty when valid.
 * Error paths are relative to the inputs object (`/steps`, `/tags/__value__/2`).
 */
export type ClassValidator = (values: Record<string, unknown>) => readonly ErrorObject[];

/**
 * Compiled validators per class, built on first use and kept for the life of the definitions.
 * Each ajv compile has a fixed cost (code generation plus `new Function`) that dwarfs the code of a small class, so
 * `prepare()` compiles all the classes a document needs and does not have yet in one batch: one schema whose
 * properties are the classes. A node is then checked as `{ [class_type]: values }`.
 */
export class SchemaCache {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, addUsedSchema: false, useDefaults: false, loopEnum: 8, loopRequired: 8, messages: false, code: { optimize: false } });
  private readonly compiled = new Map<string, ClassValidator | null>();

  constructor(readonly defs: NodeDefs) {}

  /** Compiles, in one batch, every class of `classTypes` that is known and not compiled yet. Never throws. */
  prepare(classTypes: Iterable<string>): void {
    const batch: string[] = [];
    for (const c of classTypes) if (!this.compiled.has(c) && !batch.includes(c) && this.defs.has(c)) batch.push(c);
    if (batch.length === 0) return;
    if (batch.length === 1) {
      this.compileOne(batch[0]!);
      return;
    }
    const properties: Record<string, JsonSchema> = {};
    for (const c of batch) properties[c] = compiledValueSchema(this.defs.get(c)!);
    let fn: ValidateFunction;
    try {
      fn = this.ajv.compile({ type: 'object', properties });
    } catch {
      // One odd class spoils a batch: compile them one by one so only that one goes unchecked.
      for (const c of batch) this.compileOne(c);
      return;
    }
    for (const c of batch) this.compiled.set(c, batchMember(fn, c));
  }

  /**
   * The validator of `classType`, compiled now if `prepare()` has not done it; undefined for an unknown class or a
   * schema ajv rejects (an odd custom spec must not break validation of the others).
   */
  validator(classType: string): ClassValidator | undefined {
    if (!this.compiled.has(classType)) this.compileOne(classType);
    return this.compiled.get(classType) ?? undefined;
  }

  private compileOne(classType: string): void {
    const def = this.defs.get(classType);
    let v: ClassValidator | null = null;
    if (def) {
      try {
        const fn = this.ajv.compile(compiledValueSchema(def));
        v = (values) => (fn(values) ? NO_ERRORS : (fn.errors ?? NO_ERRORS));
      } catch {
        v = null;
      }
    }
    this.compiled.set(classType, v);
  }

  /** How many classes have been compiled (tests use it to prove compilation is lazy). */
  get compiledCount(): number {
    return this.compiled.size;
  }
}

const NO_ERRORS: readonly ErrorObject[] = [];

/** A class's view of a batch validator: wraps the values under the class name and strips it from error paths. */
function batchMember(fn: ValidateFunction, classType: string): ClassValidator {
  const prefix = `/${classType.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return (values) => {
    if (fn({ [classType]: values })) return NO_ERRORS;
    return (fn.errors ?? NO_ERRORS).map((e) => ({ ...e, instancePath: e.instancePath.startsWith(prefix) ? e.instancePath.slice(prefix.length) : e.instancePath }));
  };
}

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
