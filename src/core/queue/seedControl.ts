// "Control after generate" for queued workflows, as the ComfyUI web UI applies it.
//
// The web UI queues the widget's current value and only then moves it (mode "after", its default), so queueing N times
// sends v, f(v), f(f(v)), … and leaves f^N(v) in the widget for the next run. We reproduce that on the parsed JSON of a
// file: controls are found once, each queued copy gets its own values, and the values for the next run are returned so
// the editor can write them back into the file (otherwise "randomize" would resend the same seed on every queue and the
// server would answer from its cache).
import { findNodeAtLocation, parseTree, type JSONPath } from 'jsonc-parser';
import { isRecord } from '../util/guards';
import type { TextEdit } from '../workflow/edits';
import { expandUiWorkflow } from '../workflow/ui/expand';

export const CONTROL_MODES = ['fixed', 'increment', 'decrement', 'randomize'] as const;
export type ControlMode = (typeof CONTROL_MODES)[number];

export function isControlMode(value: unknown): value is ControlMode {
  return typeof value === 'string' && (CONTROL_MODES as readonly string[]).includes(value);
}

export interface NumberBounds {
  min: number;
  max: number;
  step: number;
}

/** The frontend caps random ranges at 2^50 so values stay exact doubles. */
export const MAX_RANDOM_RANGE = 1125899906842624;

/** Seeds of the core samplers are `0 … 0xffffffffffffffff`, step 1; the cap above makes that 0 … 2^50. */
export const DEFAULT_SEED_BOUNDS: NumberBounds = { min: 0, max: MAX_RANDOM_RANGE, step: 1 };

/** One integer value in the JSON that a control mode moves after each queue. */
export interface SeedControl {
  /** JSON path of the number literal (into the UI workflow or the API prompt/request). */
  path: JSONPath;
  mode: ControlMode;
  value: number;
  bounds: NumberBounds;
  /** Node id the value belongs to, for messages. */
  nodeId: string;
  /** Input name when known (API files), else undefined. */
  inputName?: string;
}

/** The web UI's `applyWidgetControl` for numbers, including its clamping. */
export function nextControlledValue(value: number, mode: ControlMode, bounds: NumberBounds, random: () => number = Math.random): number {
  const max = Math.min(MAX_RANDOM_RANGE, bounds.max);
  const min = Math.max(-MAX_RANDOM_RANGE, bounds.min);
  const step = bounds.step > 0 ? bounds.step : 1;
  let v = value;
  switch (mode) {
    case 'fixed':
      return value;
    case 'increment':
      v = value + step;
      break;
    case 'decrement':
      v = value - step;
      break;
    case 'randomize': {
      const range = (max - min) / step;
      v = Math.floor(random() * range) * step + min;
      break;
    }
  }
  if (v < min) v = min;
  if (v > max) v = max;
  return v;
}

const SEED_INPUT_NAMES = new Set(['seed', 'noise_seed']);

/** Looks up the bounds of an INT input when /object_info is at hand; undefined falls back to DEFAULT_SEED_BOUNDS. */
export type BoundsLookup = (classType: string, inputName: string) => NumberBounds | undefined;

function boundsFor(value: number, classType: string | undefined, inputName: string | undefined, lookup?: BoundsLookup): NumberBounds {
  const found = classType && inputName && lookup ? lookup(classType, inputName) : undefined;
  if (found) return found;
  // A negative seed means the widget allows negatives; keep the value inside the range we clamp to.
  return value < 0 ? { min: -MAX_RANDOM_RANGE, max: MAX_RANDOM_RANGE, step: 1 } : DEFAULT_SEED_BOUNDS;
}

/**
 * Controls of a UI workflow: in `widgets_values`, an integer directly followed by a control mode string is a controlled
 * widget (`[seed, "randomize", steps, …]`, PrimitiveNode `[value, "increment"]`). Nodes inside instanced subgraphs
 * and group-node instances count too. Modes on combos (a string before the mode) are left alone: their options are not in the file.
 */
export function findUiControls(workflow: unknown): SeedControl[] {
  const out: SeedControl[] = [];
  if (!isRecord(workflow)) return out;
  // The shared expansion of the UI graph (issue 13): the same nodes the converter sends. A node definition used by
  // several instances is scanned once; inner nodes of legacy group nodes are skipped because their values live on
  // the instance (extra.groupNodes keeps only the definition's defaults), and the instance itself is scanned.
  // Subgraph definitions no instance uses yet are scanned too (their values are what a new instance starts with).
  const seen = new Set<string>();
  const scan = (path: JSONPath, nodeId: string, wv: unknown) => {
    const key = path.join('\u0000');
    if (seen.has(key) || !Array.isArray(wv)) return;
    seen.add(key);
    for (let i = 1; i < wv.length; i++) {
      const mode = wv[i];
      const value = wv[i - 1];
      if (!isControlMode(mode) || typeof value !== 'number' || !Number.isInteger(value)) continue;
      out.push({ path: [...path, 'widgets_values', i - 1], mode, value, bounds: boundsFor(value, undefined, undefined), nodeId });
    }
  };
  for (const n of expandUiWorkflow(workflow).nodes) if (n.path[0] !== 'extra') scan(n.path, n.node.id, n.node.widgetsValues);
  const defs = isRecord(workflow.definitions) ? workflow.definitions.subgraphs : undefined;
  if (Array.isArray(defs)) {
    defs.forEach((sg, si) => {
      if (isRecord(sg) && Array.isArray(sg.nodes))
        sg.nodes.forEach((node, ni) => isRecord(node) && scan(['definitions', 'subgraphs', si, 'nodes', ni], String(node.id), node.widgets_values));
    });
  }
  return out;
}

/**
 * Controls of an API prompt. The API format has no place for a mode, so each integer `seed`/`noise_seed` input follows
 * `defaultMode` (a setting, "fixed" by default: an API file means exactly what it says). A node may override it with
 * `_meta.control_after_generate` (`_meta` is ignored by the server), e.g. `"_meta": {"control_after_generate": "randomize"}`;
 * that key may also name other INT inputs as `{"steps": "increment"}`.
 */
export function findApiControls(prompt: unknown, defaultMode: ControlMode, base: JSONPath = [], lookup?: BoundsLookup): SeedControl[] {
  const out: SeedControl[] = [];
  if (!isRecord(prompt)) return out;
  for (const [nodeId, node] of Object.entries(prompt)) {
    if (!isRecord(node) || !isRecord(node.inputs)) continue;
    const classType = typeof node.class_type === 'string' ? node.class_type : undefined;
    const meta = isRecord(node._meta) ? node._meta.control_after_generate : undefined;
    const perInput: Record<string, ControlMode> = {};
    let nodeMode: ControlMode | undefined;
    if (isControlMode(meta)) nodeMode = meta;
    else if (isRecord(meta)) for (const [k, m] of Object.entries(meta)) if (isControlMode(m)) perInput[k] = m;
    for (const [inputName, value] of Object.entries(node.inputs)) {
      if (typeof value !== 'number' || !Number.isInteger(value)) continue;
      const mode = perInput[inputName] ?? (SEED_INPUT_NAMES.has(inputName) ? (nodeMode ?? defaultMode) : undefined);
      if (!mode) continue;
      out.push({ path: [...base, nodeId, 'inputs', inputName], mode, value, bounds: boundsFor(value, classType, inputName, lookup), nodeId, inputName });
    }
  }
  return out;
}

/** Values for `count` queued runs plus the values to leave in the file for the next run. */
export function planSeedRuns(controls: readonly SeedControl[], count: number, random: () => number = Math.random): { runs: number[][]; next: number[] } {
  const runs: number[][] = [];
  let current = controls.map((c) => c.value);
  for (let k = 0; k < count; k++) {
    runs.push(current);
    current = current.map((v, i) => nextControlledValue(v, controls[i]!.mode, controls[i]!.bounds, random));
  }
  return { runs, next: current };
}

/** A deep copy of `root` with each control's value replaced. */
export function withValues<T>(root: T, controls: readonly SeedControl[], values: readonly number[]): T {
  const copy = structuredClone(root);
  controls.forEach((c, i) => setAtPath(copy, c.path, values[i]));
  return copy;
}

function setAtPath(root: unknown, path: JSONPath, value: unknown): void {
  let cur: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (typeof cur !== 'object' || cur === null) return;
    cur = (cur as Record<string | number, unknown>)[path[i]!];
  }
  if (typeof cur === 'object' && cur !== null) (cur as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}

/** True when queueing would move at least one value (so a write-back is worth offering). */
export function hasMovingControls(controls: readonly SeedControl[]): boolean {
  return controls.some((c) => c.mode !== 'fixed');
}

export type { TextEdit };

/**
 * Edits that put `values` into the number literals of `text` at the controls' paths. Only the literals change, so the
 * user's formatting survives and undo restores the old seeds in one step. Literals that moved or changed kind since the
 * controls were found are skipped rather than guessed.
 */
export function seedWriteBackEdits(text: string, controls: readonly SeedControl[], values: readonly number[]): TextEdit[] {
  const tree = parseTree(text);
  if (!tree) return [];
  const edits: TextEdit[] = [];
  controls.forEach((c, i) => {
    const node = findNodeAtLocation(tree, c.path);
    const v = values[i];
    if (!node || node.type !== 'number' || v === undefined || node.value === v) return;
    edits.push({ offset: node.offset, length: node.length, newText: String(v) });
  });
  return edits;
}
