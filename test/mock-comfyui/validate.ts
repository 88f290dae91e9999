// The mock's own implementation of ComfyUI's `POST /prompt` validation (execution.py validate_prompt and
// validate_inputs, server.py post_prompt) as of 0.3.64 and, with `comfyVersion: '0.33'`, 0.33.0, written from the
// server's source and checked against recordings of both (verdicts.jsonl, verdicts_v3.jsonl). It returns exactly
// what the server answers: {status, body}. Another area uses it as the reference side of a differential test, so it
// reproduces the quirks too:
// - a missing or unknown class is a top-level `invalid_prompt` in 0.3.64 and `missing_node_type` (named by the
//   node's title) in 0.33, with no node_errors; the first offending node in the prompt's own key order wins (pass
//   `keyOrder` when the prompt came from JSON text with integer-like keys);
// - only nodes reachable from an output node are validated; downstream nodes that fail only because of an upstream
//   error carry no entry; every failing output is appended to `dependent_outputs` of every erroneous node validated so
//   far (even ones it does not depend on), exactly like the server's loop over `validated`;
// - a link to a missing node or slot raises inside the upstream validation: `exception_during_inner_validation` on the
//   linked node (with the *downstream* input's name), or `exception_during_validation` when it happens on an output;
// - new-style "COMBO" inputs are not checked for membership in 0.3.64; 0.33 checks them against `options`;
// - 0.33 expands newer-schema inputs: a dynamic combo's chosen option adds `selector.input` keys (recursively; an
//   unknown, missing or non-string selector adds nothing and is accepted), an autogrow adds its entries (the first
//   `min` required, none past `max`), and match-type links are not type-checked;
// - min/max and combo checks are skipped for inputs the node validates itself (VALIDATE_INPUTS), e.g. LoadImage,
//   which accepts `"name.png [input]"`.
// Python iterates sets (outputs, a node's input names) in hash order, which varies per process; here the order is
// required-then-optional and the prompt's key order, so multi-output orders may legitimately differ from one real run.
import { randomUUID } from 'node:crypto';
import { PyError, pyCompare, pyEq, pyRepr, pyStr, pyToFloat, pyToInt, pyTruthy } from './python';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface PromptError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

export interface NodeErrors {
  [nodeId: string]: { errors: PromptError[]; dependent_outputs: string[]; class_type: string };
}

export interface ValidateOptions {
  /** Key order of the prompt object as written in the JSON text (JS objects put integer-like keys first). */
  keyOrder?: string[];
  /** `partial_execution_targets` of the request. */
  partialExecutionTargets?: unknown;
  /**
   * Whether a file named in a self-validating loader (LoadImage & co.) exists. Default: the name is among the
   * node's own combo options, which is what the server's folder listing put there.
   */
  fileExists?: (classType: string, inputName: string, value: unknown) => boolean;
  /** Which server's rules (default '0.3.64'): 0.33 names a missing class `missing_node_type`. */
  comfyVersion?: '0.3.64' | '0.33';
  /** Used in a 200 answer. */
  promptId?: string;
  number?: number;
}

export interface ValidateResult {
  status: 200 | 400 | 500;
  body: Json;
  /** On 200: the output node ids that will be executed (`outputs_to_execute`). */
  outputs?: string[];
  /** On 200: the prompt after the server's in-place conversions ("20" → 20, {"__value__": […]} unwrapped). */
  prompt?: Record<string, unknown>;
}

/** The body aiohttp answers when a handler raises. */
export const INTERNAL_ERROR_TEXT = '500 Internal Server Error\n\nServer got itself in trouble';

/**
 * Core nodes of 0.3.64 with a VALIDATE_INPUTS/validate_inputs: the input it takes and the message it returns when
 * the file is missing. Nothing in /object_info reveals these, so they are listed here.
 */
const SELF_VALIDATING: Record<string, { input: string; what: string }> = {
  LoadImage: { input: 'image', what: 'image' },
  LoadImageMask: { input: 'image', what: 'image' },
  LoadImageOutput: { input: 'image', what: 'image' },
  WebcamCapture: { input: 'image', what: 'image' },
  LoadLatent: { input: 'latent', what: 'latent' },
  LoadAudio: { input: 'audio', what: 'audio' },
  LoadVideo: { input: 'file', what: 'video' },
};

type NodeInfo = { input?: Record<string, Record<string, unknown> | undefined>; output?: unknown[]; output_node?: boolean };
type ObjectInfo = Record<string, NodeInfo>;
type Validated = Map<string, { ok: boolean; errors: PromptError[] }>;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `'class_type' in node` as Python evaluates it for whatever JSON value the node is. */
function hasClassType(node: unknown): boolean {
  if (isObject(node)) return Object.hasOwn(node, 'class_type');
  if (typeof node === 'string') return node.includes('class_type');
  if (Array.isArray(node)) return node.some((x) => x === 'class_type');
  throw new PyError('TypeError', 'argument of type is not iterable');
}

function fakeTraceback(...lines: string[]): string[] {
  return lines.map((l) => `  File "/opt/ComfyUI/execution.py", ${l}\n`);
}

/** Python `type_a != type_b` is false, or the comma-union overlap of validate_node_input. */
export function typesMatch(received: unknown, expected: unknown): boolean {
  if (pyEq(received, expected)) return true;
  if (typeof received !== 'string' || typeof expected !== 'string') return false;
  // A "*" in a dump is almost always an AnyType/IO.ANY whose __ne__ accepts everything; a dump cannot tell them apart
  // from a plain "*" string (which would not match), so the mock treats "*" as the wildcard it nearly always is.
  if (received === '*' || expected === '*') return true;
  const r = new Set(received.split(',').map((t) => t.trim()));
  return expected.split(',').some((t) => r.has(t.trim()));
}

function getInputInfo(info: NodeInfo, name: string): { type: unknown; category: string; extra: Record<string, unknown> } | undefined {
  for (const category of ['required', 'optional', 'hidden']) {
    const group = info.input?.[category];
    if (isObject(group) && Object.prototype.hasOwnProperty.call(group, name)) {
      const spec = group[name];
      const arr = Array.isArray(spec) ? spec : typeof spec === 'string' ? [spec] : [spec];
      const extra = arr.length > 1 && isObject(arr[1]) ? arr[1] : {};
      return { type: arr[0], category, extra };
    }
  }
  return undefined;
}

function comboOptions(type: unknown, extra: Record<string, unknown>): unknown[] | undefined {
  if (Array.isArray(type)) return type;
  if (type === 'COMBO' && Array.isArray(extra['options'])) return extra['options'] as unknown[];
  return undefined;
}

/** One input to check: a top-level one, or (0.33) one a dynamic combo's chosen option or an autogrow adds. */
interface FlatInput {
  /** The prompt key: `resize_type.width`, `images.image0`, `format.codec.encoding.crf`. */
  name: string;
  /** The last segment (what `details` of required_input_missing names). */
  short: string;
  type: unknown;
  category: string;
  extra: Record<string, unknown>;
}

function specParts(spec: unknown): { type: unknown; extra: Record<string, unknown> } {
  const arr = Array.isArray(spec) ? spec : [spec];
  return { type: arr[0], extra: arr.length > 1 && isObject(arr[1]) ? arr[1] : {} };
}

/** 0.3.64: the node's declared inputs, required first, each once. */
function topLevelInputs(info: NodeInfo): FlatInput[] {
  const out: FlatInput[] = [];
  const seen = new Set<string>();
  for (const category of ['required', 'optional']) {
    const group = info.input?.[category];
    if (!isObject(group)) continue;
    for (const name of Object.keys(group)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const found = getInputInfo(info, name)!;
      out.push({ name, short: name, type: found.type, category: found.category, extra: found.extra });
    }
  }
  return out;
}

/** Autogrow entries of 0.33: `prefix` + 0..max-1 or the `names` list; the first `min` are required. */
function autogrowEntries(extra: Record<string, unknown>): { names: string[]; min: number; spec: unknown } | undefined {
  const template = extra['template'];
  if (!isObject(template) || !isObject(template['input'])) return undefined;
  const groups = template['input'];
  const group = isObject(groups['required']) ? groups['required'] : isObject(groups['optional']) ? groups['optional'] : undefined;
  const spec = group ? Object.values(group)[0] : undefined;
  if (spec === undefined) return undefined;
  const min = typeof template['min'] === 'number' ? template['min'] : 0;
  let names: string[];
  if (Array.isArray(template['names'])) names = template['names'].map((n) => pyStr(n));
  else {
    const max = typeof template['max'] === 'number' ? template['max'] : 100;
    const prefix = typeof template['prefix'] === 'string' ? template['prefix'] : '';
    names = Array.from({ length: Math.min(max, 1000) }, (_, i) => `${prefix}${i}`);
  }
  return { names, min, spec };
}

/**
 * 0.33 (comfy_api's V3 schema): a dynamic combo contributes the inputs of the option its selector names, as
 * `selector.input`, recursively; an unknown, missing or non-string selector contributes nothing (and is not an
 * error). An autogrow contributes its entries. Everything else is a plain input.
 */
function expandInputs(info: NodeInfo, values: Record<string, unknown>): FlatInput[] {
  const out: FlatInput[] = [];
  const seen = new Set<string>();
  const walk = (groups: Record<string, unknown>, prefix: string) => {
    for (const category of ['required', 'optional']) {
      const group = groups[category];
      if (!isObject(group)) continue;
      for (const [n, spec] of Object.entries(group)) {
        const name = prefix ? `${prefix}.${n}` : n;
        if (seen.has(name)) continue;
        seen.add(name);
        const { type, extra } = specParts(spec);
        if (type === 'COMFY_DYNAMICCOMBO_V3') {
          const selector = values[name];
          const options = Array.isArray(extra['options']) ? extra['options'] : [];
          const chosen = typeof selector === 'string' ? options.find((o) => isObject(o) && o['key'] === selector) : undefined;
          if (isObject(chosen) && isObject(chosen['inputs'])) walk(chosen['inputs'], name);
          continue;
        }
        if (type === 'COMFY_AUTOGROW_V3') {
          const entries = autogrowEntries(extra);
          if (!entries) continue;
          const inner = specParts(entries.spec);
          entries.names.forEach((entry, i) => {
            out.push({ name: `${name}.${entry}`, short: entry, type: inner.type, extra: inner.extra, category: i < entries.min ? 'required' : 'optional' });
          });
          continue;
        }
        out.push({ name, short: n, type, extra, category });
      }
    }
  };
  walk(info.input ?? {}, '');
  return out;
}

class Validator {
  readonly validated: Validated = new Map();
  private readonly onStack = new Set<string>();

  constructor(
    private readonly prompt: Record<string, unknown>,
    private readonly objectInfo: ObjectInfo,
    private readonly fileExists: NonNullable<ValidateOptions['fileExists']>,
    private readonly comfyVersion: '0.3.64' | '0.33' = '0.3.64',
  ) {}

  private node(id: unknown): Record<string, unknown> {
    if (typeof id !== 'string' && typeof id !== 'number' && typeof id !== 'boolean' && id !== null) {
      throw new PyError('TypeError', `unhashable type: '${Array.isArray(id) ? 'list' : 'dict'}'`);
    }
    const key = typeof id === 'string' ? id : undefined;
    if (key === undefined || !Object.prototype.hasOwnProperty.call(this.prompt, key)) {
      throw new PyError('KeyError', typeof id === 'string' ? pyRepr(id) : pyStr(id));
    }
    return this.prompt[key] as Record<string, unknown>;
  }

  validateInputs(id: string): { ok: boolean; errors: PromptError[] } {
    const done = this.validated.get(id);
    if (done) return done;
    // 0.3.64 has no cycle detection: the recursion overflows and the nearest enclosing try records a RecursionError.
    if (this.onStack.has(id)) throw new PyError('RecursionError', 'maximum recursion depth exceeded');
    this.onStack.add(id);
    try {
      return this.validateInputsInner(id);
    } finally {
      this.onStack.delete(id);
    }
  }

  private validateInputsInner(id: string): { ok: boolean; errors: PromptError[] } {
    const node = this.node(id);
    if (!Object.hasOwn(node, 'inputs')) throw new PyError('KeyError', "'inputs'");
    const inputs = node['inputs'];
    if (!isObject(inputs)) throw new PyError('TypeError', `'${inputs === null ? 'NoneType' : typeof inputs}' object is not subscriptable`);
    const classType = node['class_type'] as string;
    const info = this.objectInfo[classType]!;
    const selfCheck = SELF_VALIDATING[classType];
    const flat = this.comfyVersion === '0.33' ? expandInputs(info, inputs) : topLevelInputs(info);
    const errors: PromptError[] = [];
    let valid = true;
    for (const { name: x, short, type, category, extra } of flat) {
      if (!Object.hasOwn(inputs, x)) {
        if (category === 'required') {
          errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: short, extra_info: { input_name: x } });
        }
        continue;
      }
      let val = inputs[x];
      const config = [type, extra];
      if (Array.isArray(val)) {
        if (val.length !== 2) {
          errors.push({
            type: 'bad_linked_input',
            message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
            details: x,
            extra_info: { input_name: x, input_config: config, received_value: val },
          });
          continue;
        }
        const [oId, slot] = val as [unknown, unknown];
        const source = this.node(oId);
        const returnTypes = this.objectInfo[source['class_type'] as string]?.output ?? [];
        const receivedType = this.indexReturnTypes(returnTypes, slot);
        // 0.33 leaves match-type links to the frontend (allowed_types is not checked).
        if (type !== 'COMFY_MATCHTYPE_V3' && !typesMatch(receivedType, type)) {
          errors.push({
            type: 'return_type_mismatch',
            message: 'Return type mismatch between linked nodes',
            details: `${x}, received_type(${pyStr(receivedType)}) mismatch input_type(${pyStr(type)})`,
            extra_info: { input_name: x, input_config: config, received_type: receivedType, linked_node: val },
          });
          continue;
        }
        try {
          const r = this.validateInputs(oId as string);
          if (!r.ok) valid = false;
        } catch (e) {
          const ex = asPyError(e);
          valid = false;
          this.validated.set(oId as string, {
            ok: false,
            errors: [
              {
                type: 'exception_during_inner_validation',
                message: 'Exception when validating inner node',
                details: ex.message,
                extra_info: {
                  input_name: x,
                  input_config: config,
                  exception_message: ex.message,
                  exception_type: ex.pyType,
                  traceback: fakeTraceback(
                    'line 808, in validate_inputs\n    r = await validate_inputs(prompt_id, prompt, o_id, validated)',
                    "line 788, in validate_inputs\n    o_class_type = prompt[o_id]['class_type']",
                  ),
                  linked_node: val,
                },
              },
            ],
          });
        }
        continue;
      }

      let isFloat = false;
      try {
        if (isObject(val) && Object.hasOwn(val, '__value__')) {
          val = val['__value__'];
          inputs[x] = val;
        }
        if (type === 'INT') val = inputs[x] = pyToInt(val);
        if (type === 'FLOAT') {
          val = inputs[x] = pyToFloat(val);
          isFloat = true;
        }
        if (type === 'STRING') val = inputs[x] = pyStr(val);
        if (type === 'BOOLEAN') val = inputs[x] = pyTruthy(val);
      } catch (e) {
        const ex = asPyError(e);
        errors.push({
          type: 'invalid_input_type',
          message: `Failed to convert an input value to a ${pyStr(type)} value`,
          details: `${x}, ${pyStr(val)}, ${ex.message}`,
          extra_info: { input_name: x, input_config: config, received_value: val, exception_message: ex.message },
        });
        continue;
      }

      if (selfCheck?.input === x) continue;
      const fmt = { float: isFloat || type === 'FLOAT' };
      if (Object.hasOwn(extra, 'min') && pyCompare(val, '<', extra['min'])) {
        errors.push({
          type: 'value_smaller_than_min',
          message: `Value ${pyStr(val, { float: isFloat })} smaller than min of ${pyStr(extra['min'], fmt)}`,
          details: x,
          extra_info: { input_name: x, input_config: config, received_value: val },
        });
        continue;
      }
      if (Object.hasOwn(extra, 'max') && pyCompare(val, '>', extra['max'])) {
        errors.push({
          type: 'value_bigger_than_max',
          message: `Value ${pyStr(val, { float: isFloat })} bigger than max of ${pyStr(extra['max'], fmt)}`,
          details: x,
          extra_info: { input_name: x, input_config: config, received_value: val },
        });
        continue;
      }
      // 0.3.64 checks only list combos; 0.33 also ["COMBO", {options}] (a remote combo has no options: unchecked).
      const listed = Array.isArray(type) ? type : this.comfyVersion === '0.33' ? comboOptions(type, extra) : undefined;
      if (listed && !listed.some((o) => pyEq(o, val))) {
        const long = listed.length > 20;
        errors.push({
          type: 'value_not_in_list',
          message: 'Value not in list',
          details: `${x}: '${pyStr(val)}' not in ${long ? `(list of length ${listed.length})` : pyRepr(listed)}`,
          extra_info: { input_name: x, input_config: long ? null : config, received_value: val },
        });
        continue;
      }
    }

    if (selfCheck) {
      const value = inputs[selfCheck.input];
      if (!Object.hasOwn(inputs, selfCheck.input)) {
        // The server calls VALIDATE_INPUTS() without the argument and Python raises.
        throw new PyError('TypeError', `${classType}.VALIDATE_INPUTS() missing 1 required positional argument: '${selfCheck.input}'`);
      }
      // A linked value is None at validation time; the loaders then fail on it like on a missing file.
      if (Array.isArray(value) || !this.fileExists(classType, selfCheck.input, value)) {
        errors.push({
          type: 'custom_validation_failed',
          message: 'Custom validation failed for node',
          details: `${selfCheck.input} - Invalid ${selfCheck.what} file: ${Array.isArray(value) ? 'None' : pyStr(value)}`,
          extra_info: { input_name: selfCheck.input },
        });
      }
    }

    const result = { ok: errors.length === 0 && valid, errors: errors.length === 0 && valid ? [] : errors };
    this.validated.set(id, result);
    return result;
  }

  private indexReturnTypes(types: unknown[], slot: unknown): unknown {
    if (typeof slot === 'boolean') return types[Number(slot)];
    if (typeof slot !== 'number' || !Number.isInteger(slot)) {
      throw new PyError(
        'TypeError',
        `tuple indices must be integers or slices, not ${slot === null ? 'NoneType' : typeof slot === 'number' ? 'float' : typeof slot === 'string' ? 'str' : Array.isArray(slot) ? 'list' : 'dict'}`,
      );
    }
    const i = slot < 0 ? types.length + slot : slot;
    if (i < 0 || i >= types.length) throw new PyError('IndexError', 'tuple index out of range');
    return types[i];
  }
}

function asPyError(e: unknown): PyError {
  if (e instanceof PyError) return e;
  return new PyError('Exception', e instanceof Error ? e.message : String(e));
}

function errorBody(error: PromptError, nodeErrors: NodeErrors = {}): Json {
  return { error, node_errors: nodeErrors } as unknown as Json;
}

function defaultFileExists(objectInfo: ObjectInfo) {
  return (classType: string, inputName: string, value: unknown): boolean => {
    const info = objectInfo[classType];
    const spec = info && getInputInfo(info, inputName);
    const options = spec && comboOptions(spec.type, spec.extra);
    // folder_paths.exists_annotated_filepath: "name.png [input]" names input/name.png, which the list shows bare.
    const bare = typeof value === 'string' ? value.replace(/ \[(input|output|temp)\]$/, '') : value;
    return !!options && options.some((o) => pyEq(o, value) || pyEq(o, bare));
  };
}

/**
 * Validates an API-format prompt the way ComfyUI 0.3.64 does and returns the server's answer.
 * `prompt` is not modified: conversions happen on a copy, returned as `prompt` on success.
 */
export function validatePrompt(prompt: unknown, objectInfo: Record<string, unknown>, options: ValidateOptions = {}): ValidateResult {
  try {
    return validatePromptOrThrow(structuredClone(prompt), objectInfo as ObjectInfo, options);
  } catch (e) {
    if (e instanceof PyError) return { status: 500, body: INTERNAL_ERROR_TEXT };
    throw e;
  }
}

function validatePromptOrThrow(prompt: unknown, objectInfo: ObjectInfo, options: ValidateOptions): ValidateResult {
  // `for x in prompt` then `prompt[x]`: anything but a dict either has nothing to iterate or raises (→ 500).
  if (!isObject(prompt)) {
    if ((Array.isArray(prompt) || typeof prompt === 'string') && prompt.length === 0) {
      return noOutputs();
    }
    throw new PyError('TypeError', 'prompt is not a dict');
  }
  const keys = options.keyOrder?.filter((k) => Object.prototype.hasOwnProperty.call(prompt, k)) ?? Object.keys(prompt);
  for (const k of Object.keys(prompt)) if (!keys.includes(k)) keys.push(k);

  const targets = options.partialExecutionTargets;
  const outputs: string[] = [];
  for (const x of keys) {
    const node = prompt[x];
    if (!hasClassType(node)) {
      return {
        status: 400,
        body: errorBody({
          type: 'invalid_prompt',
          message: 'Cannot execute because a node is missing the class_type property.',
          details: `Node ID '#${x}'`,
          extra_info: {},
        }),
      };
    }
    if (!isObject(node)) throw new PyError('TypeError', 'indices must be integers');
    const classType = node['class_type'];
    if (classType !== null && typeof classType === 'object') throw new PyError('TypeError', 'unhashable type');
    const info = typeof classType === 'string' && Object.prototype.hasOwnProperty.call(objectInfo, classType) ? objectInfo[classType] : undefined;
    if (!info && options.comfyVersion === '0.33') {
      const meta = node['_meta'];
      const title = isObject(meta) && typeof meta['title'] === 'string' ? meta['title'] : pyStr(classType);
      return {
        status: 400,
        body: errorBody({
          type: 'missing_node_type',
          message: `Node '${title}' not found. The custom node may not be installed.`,
          details: `Node ID '#${x}'`,
          extra_info: { node_id: x, class_type: classType, node_title: title },
        }),
      };
    }
    if (!info) {
      return {
        status: 400,
        body: errorBody({
          type: 'invalid_prompt',
          message: `Cannot execute because node ${pyStr(classType)} does not exist.`,
          details: `Node ID '#${x}'`,
          extra_info: {},
        }),
      };
    }
    if (info.output_node === true) {
      if (targets === undefined || targets === null || partialTargetsInclude(targets, x)) outputs.push(x);
    }
  }
  if (outputs.length === 0) return noOutputs();

  const fileExists = options.fileExists ?? defaultFileExists(objectInfo);
  const v = new Validator(prompt, objectInfo, fileExists, options.comfyVersion);
  const good: string[] = [];
  const failed: Array<{ output: string; reasons: PromptError[] }> = [];
  const nodeErrors: NodeErrors = {};
  for (const o of outputs) {
    let ok = false;
    let reasons: PromptError[];
    try {
      const m = v.validateInputs(o);
      ok = m.ok;
      reasons = m.errors;
    } catch (e) {
      const ex = asPyError(e);
      reasons = [
        {
          type: 'exception_during_validation',
          message: 'Exception when validating node',
          details: ex.message,
          extra_info: {
            exception_type: ex.pyType,
            traceback: fakeTraceback(
              'line 1010, in validate_prompt\n    m = await validate_inputs(prompt_id, prompt, o, validated)',
              'line 790, in validate_inputs\n    received_type = r[val[1]]',
            ),
          },
        },
      ];
      v.validated.set(o, { ok: false, errors: reasons });
    }
    if (ok) {
      good.push(o);
      continue;
    }
    failed.push({ output: o, reasons });
    for (const [nodeId, result] of v.validated) {
      if (result.ok || result.errors.length === 0) continue;
      nodeErrors[nodeId] ??= { errors: result.errors, dependent_outputs: [], class_type: (prompt[nodeId] as Record<string, unknown>)['class_type'] as string };
      nodeErrors[nodeId].dependent_outputs.push(o);
    }
  }

  if (good.length === 0) {
    const details = failed.flatMap((f) => f.reasons.map((r) => `${r.message}: ${r.details}`)).join('\n');
    return {
      status: 400,
      body: errorBody({ type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details, extra_info: {} }, nodeErrors),
    };
  }
  return {
    status: 200,
    body: { prompt_id: options.promptId ?? randomUUID(), number: options.number ?? 0, node_errors: nodeErrors } as unknown as Json,
    outputs: good,
    prompt,
  };
}

function partialTargetsInclude(targets: unknown, x: string): boolean {
  if (Array.isArray(targets)) return targets.some((t) => t === x);
  if (typeof targets === 'string') return targets.includes(x);
  if (isObject(targets)) return Object.hasOwn(targets, x);
  throw new PyError('TypeError', 'argument is not iterable');
}

function noOutputs(): ValidateResult {
  return { status: 400, body: errorBody({ type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} }) };
}
