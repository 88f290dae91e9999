// Maps a node's saved `widgets_values` onto input names.
// The frontend restores widgets positionally (widgets_values[i] → widgets[i]), where widgets include never-sent
// companions: the control mode after a seed/control_after_generate input, a combo's filter list, and (in older
// frontends) an upload button's value. Files from different frontend versions differ in which companions they
// saved, so companions are optional and the alignment that best fits the saved values wins.
import type { JsonPath } from './types';
import type { WidgetSpec } from './nodeSchema';

// Very old frontends saved the control as a boolean toggle (true = randomize).
export const CONTROL_VALUES: ReadonlySet<unknown> = new Set(['fixed', 'increment', 'decrement', 'randomize', true, false]);
const UPLOAD_VALUES: ReadonlySet<unknown> = new Set(['image', 'audio', 'video', 'file', 'upload', 'Upload', null]);

export interface WidgetValue {
  value: unknown;
  /** Where the value lives in the UI document; undefined when the widget default was used. */
  path?: JsonPath;
}

export interface WidgetMapping {
  values: Map<string, WidgetValue>;
  /** Saved values left over after every widget took its share. */
  extra: number;
  /**
   * Widgets that found no saved value. They stay unset: a file saved before the widget existed was queued
   * without it, and filling in a default would make the result depend on which /object_info is used.
   */
  missing: string[];
}

interface Token {
  widget: WidgetSpec;
  role: 'value' | 'control' | 'filter' | 'upload';
}

function tokensOf(widgets: readonly WidgetSpec[]): Token[] {
  const out: Token[] = [];
  const upload = widgets.find((w) => w.upload);
  const lastRequired = widgets.reduce((last, w, i) => (w.required ? i : last), -1);
  widgets.forEach((w, i) => {
    out.push({ widget: w, role: 'value' });
    if (w.control !== 'none') out.push({ widget: w, role: 'control' });
    if (w.control === 'combo') out.push({ widget: w, role: 'filter' });
    if (w.upload) out.push({ widget: w, role: 'upload' });
    if (upload && i === lastRequired && w !== upload) out.push({ widget: upload, role: 'upload' });
  });
  return out;
}

/** Whether a saved value is plausible for a widget kind (null: a hole left by a non-serialized widget). */
function fitsKind(w: WidgetSpec, value: unknown): boolean {
  if (value === null) return true;
  switch (w.kind) {
    case 'INT':
    case 'FLOAT':
      return typeof value === 'number';
    case 'STRING':
      return typeof value === 'string';
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'COMBO':
      return typeof value === 'string' || typeof value === 'number';
    default:
      return true;
  }
}

/** Alignment cost, compared in order: values of the wrong kind, values left over or missing, companions skipped. */
type Cost = [mismatch: number, count: number, skipped: number];
interface Step {
  cost: Cost;
  /** How many saved values token i takes (0 or 1); undefined at the end. */
  take?: 0 | 1;
  /** Tokens to continue with when a dynamic combo selector spliced in its option's sub-widgets. */
  next?: Token[];
}

function less(a: Cost, b: Cost): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/**
 * Maps an array of saved values; `pathOf(i)` is where value i lives in the document.
 * Finds the cheapest alignment of values to widgets (dynamic programming over token × value position): values
 * should fit their widget's kind, all values should be used, and a companion whose value fits is kept. This
 * copes with files from every frontend era (with or without control values, upload values, forceInput values)
 * and with servers whose node has gained widgets since the file was saved (they come out as missing).
 */
export function mapWidgetArray(widgets: readonly WidgetSpec[], saved: readonly unknown[], pathOf: (key: number | string) => JsonPath): WidgetMapping {
  const n = saved.length;
  const memo = new Map<Token[], Map<number, Step>>();

  const solve = (tokens: Token[], i: number, v: number, controlTaken: boolean): Step => {
    let perTokens = memo.get(tokens);
    if (!perTokens) memo.set(tokens, (perTokens = new Map()));
    const key = (i * (n + 1) + v) * 2 + (controlTaken ? 1 : 0);
    const hit = perTokens.get(key);
    if (hit) return hit;
    let best: Step;
    if (i >= tokens.length) best = { cost: [0, n - v, 0] };
    else {
      const t = tokens[i]!;
      const w = t.widget;
      const add = (c: Cost, d: Cost): Cost => [c[0] + d[0], c[1] + d[1], c[2] + d[2]];
      if (t.role === 'value') {
        if (v >= n) {
          const rest = solve(tokens, i + 1, v, false);
          best = { cost: add(rest.cost, [0, w.optionalValue ? 0 : 1, 0]), take: 0 };
        } else {
          const subs = w.dynamicOptions?.get(saved[v]);
          const next = subs ? [...tokens.slice(0, i + 1), ...tokensOf(subs), ...tokens.slice(i + 1)] : tokens;
          const taken = solve(next, i + 1, v + 1, false);
          best = { cost: add(taken.cost, [fitsKind(w, saved[v]) ? 0 : 1, 0, w.optionalValue ? 1 : 0]), take: 1, ...(subs ? { next } : {}) };
          if (w.optionalValue) {
            const skipped = solve(tokens, i + 1, v, false);
            if (!less(best.cost, skipped.cost)) best = { cost: skipped.cost, take: 0 };
          }
        }
      } else {
        const value = saved[v];
        const fits =
          v < n &&
          (t.role === 'control' ? CONTROL_VALUES.has(value) : t.role === 'filter' ? controlTaken && typeof value === 'string' : UPLOAD_VALUES.has(value));
        const skipped = solve(tokens, i + 1, v, false);
        best = { cost: add(skipped.cost, [0, 0, fits ? 1 : 0]), take: 0 };
        if (fits) {
          const taken = solve(tokens, i + 1, v + 1, t.role === 'control');
          if (!less(best.cost, taken.cost)) best = { cost: taken.cost, take: 1 };
        }
      }
    }
    perTokens.set(key, best);
    return best;
  };

  const values = new Map<string, WidgetValue>();
  const missing: string[] = [];
  let tokens = tokensOf(widgets);
  let v = 0;
  let controlTaken = false;
  for (let i = 0; i < tokens.length; i++) {
    const step = solve(tokens, i, v, controlTaken);
    const t = tokens[i]!;
    if (t.role === 'value') {
      // A value saved for a forceInput input is dropped, as the frontend's migrateWidgetsValues does.
      if (step.take && !t.widget.optionalValue) values.set(t.widget.name, { value: saved[v], path: pathOf(v) });
      else if (!step.take && !t.widget.optionalValue) missing.push(t.widget.name);
    }
    controlTaken = t.role === 'control' && step.take === 1;
    v += step.take ?? 0;
    if (step.next) tokens = step.next;
  }
  return { values, extra: Math.max(0, n - v), missing };
}

/** Maps values saved as an object keyed by widget name (some custom nodes, e.g. VHS). */
export function mapWidgetObject(widgets: readonly WidgetSpec[], saved: Record<string, unknown>, pathOf: (key: number | string) => JsonPath): WidgetMapping {
  const values = new Map<string, WidgetValue>();
  const missing: string[] = [];
  const queue = [...widgets];
  while (queue.length > 0) {
    const w = queue.shift()!;
    const has = Object.prototype.hasOwnProperty.call(saved, w.name);
    if (has && !w.optionalValue) values.set(w.name, { value: saved[w.name], path: pathOf(w.name) });
    else if (!w.optionalValue) missing.push(w.name);
    const subs = has ? w.dynamicOptions?.get(saved[w.name]) : undefined;
    if (subs) queue.unshift(...subs);
  }
  return { values, extra: 0, missing };
}
