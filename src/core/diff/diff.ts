// Semantic diff of two workflow models: each edit once (rewiring an input is one link_changed), layout-only
// edits only counted. The JSON shape of a Change is the CLI's stable `--format json` interface.
import { sortIds, stableStringify, type LayoutItem, type ModelInput, type ModelNode, type WorkflowModel } from './model';
import type { JsonPath } from '../workflow/ui/types';

export type ChangeKind =
  'node_added' | 'node_removed' | 'class_changed' | 'value_changed' | 'link_changed' | 'mode_changed' | 'title_changed' | 'subgraph_changed' | 'layout_changed';

export interface Change {
  kind: ChangeKind;
  nodeId: string;
  input: string | null;
  before: unknown;
  after: unknown;
  detail: string | null;
}

export interface DiffResult {
  changes: Change[];
  layoutChanged: number;
  /** Layout items that differ (listed with --include-layout). */
  layout: Change[];
  /** Some widget values are named by position because definitions for their class were missing. */
  positional: boolean;
}

/** Where each change lives in the "after" file (or the "before" file for removals), for reveal-in-editor. */
export interface LocatedChange extends Change {
  path?: JsonPath;
  side: 'before' | 'after';
}

export function modeName(mode: number): string {
  return mode === 0 ? 'always' : mode === 2 ? 'muted' : mode === 4 ? 'bypassed' : mode === 1 ? 'on event' : mode === 3 ? 'on trigger' : `mode ${mode}`;
}

function inputValue(i: ModelInput | undefined): unknown {
  if (!i) return null;
  return i.kind === 'link' ? [i.origin, i.slot] : i.value;
}

function sameInput(a: ModelInput | undefined, b: ModelInput | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind === 'link' || b.kind === 'link') return a.kind === 'link' && b.kind === 'link' && a.origin === b.origin && a.slot === b.slot;
  if (a.value === b.value) return true;
  if (typeof a.value !== 'object' || typeof b.value !== 'object') return false;
  return stableStringify(a.value) === stableStringify(b.value);
}

function nodeLabel(n: ModelNode): string {
  return n.title && n.title !== n.classType ? `${n.classType} "${n.title}"` : n.classType;
}

export function diffModels(a: WorkflowModel, b: WorkflowModel): LocatedChange[] {
  const out: LocatedChange[] = [];
  const ids = new Set([...a.nodes.keys(), ...b.nodes.keys()]);
  for (const id of sortIds(ids)) {
    const x = a.nodes.get(id);
    const y = b.nodes.get(id);
    if (!x && y) {
      out.push({ kind: 'node_added', nodeId: id, input: null, before: null, after: y.classType, detail: nodeLabel(y), path: y.path, side: 'after' });
      continue;
    }
    if (x && !y) {
      out.push({ kind: 'node_removed', nodeId: id, input: null, before: x.classType, after: null, detail: nodeLabel(x), path: x.path, side: 'before' });
      continue;
    }
    if (!x || !y) continue;
    if (x.classType !== y.classType) {
      // The inputs of a replaced node belong to the new class: one change, not one per input.
      out.push({ kind: 'class_changed', nodeId: id, input: null, before: x.classType, after: y.classType, detail: null, path: y.path, side: 'after' });
      continue;
    }
    if (x.mode !== y.mode) {
      out.push({ kind: 'mode_changed', nodeId: id, input: null, before: modeName(x.mode), after: modeName(y.mode), detail: null, path: y.path, side: 'after' });
    }
    if (x.title !== y.title) {
      out.push({ kind: 'title_changed', nodeId: id, input: null, before: x.title, after: y.title, detail: null, path: y.path, side: 'after' });
    }
    const names = [...x.inputs.keys()];
    for (const k of y.inputs.keys()) if (!x.inputs.has(k)) names.push(k);
    for (const name of names) {
      const p = x.inputs.get(name);
      const q = y.inputs.get(name);
      if (sameInput(p, q)) continue;
      const kind = p?.kind === 'link' || q?.kind === 'link' ? 'link_changed' : 'value_changed';
      const detail = name.startsWith('widgets_values[') ? 'named by position: no node definitions for this class' : null;
      out.push({
        kind,
        nodeId: id,
        input: name,
        before: inputValue(p),
        after: inputValue(q),
        detail,
        path: q ? (y.inputPaths.get(name) ?? y.path) : (x.inputPaths.get(name) ?? x.path),
        side: q ? 'after' : 'before',
      });
    }
  }
  const defs = new Set([...a.definitions.keys(), ...b.definitions.keys()]);
  for (const id of [...defs].sort()) {
    const x = a.definitions.get(id);
    const y = b.definitions.get(id);
    if (x?.signature === y?.signature) continue;
    const detail = !x
      ? `subgraph "${y!.name}" added`
      : !y
        ? `subgraph "${x.name}" removed`
        : x.name !== y.name
          ? `subgraph renamed`
          : `subgraph "${y.name}" inputs or outputs changed`;
    out.push({
      kind: 'subgraph_changed',
      nodeId: id,
      input: null,
      before: x ? JSON.parse(x.signature) : null,
      after: y ? JSON.parse(y.signature) : null,
      detail,
      path: (y ?? x)!.path,
      side: y ? 'after' : 'before',
    });
  }
  return out;
}

function layoutDiffers(x: LayoutItem, y: LayoutItem): boolean {
  if (x.order && y.order) {
    const inY = new Set(y.order);
    const inX = new Set(x.order);
    const p = x.order.filter((id) => inY.has(id));
    const q = y.order.filter((id) => inX.has(id));
    return p.some((id, i) => q[i] !== id);
  }
  if (x.keyed && y.keyed) {
    for (const [k, v] of x.keyed) if (y.keyed.has(k) && y.keyed.get(k) !== v) return true;
    return false;
  }
  return x.fp !== y.fp;
}

export function diffLayout(a: WorkflowModel, b: WorkflowModel): Change[] {
  const out: Change[] = [];
  const keys = new Set([...a.layout.keys(), ...b.layout.keys()]);
  for (const key of keys) {
    const x = a.layout.get(key);
    const y = b.layout.get(key);
    if (x && y && !layoutDiffers(x, y)) continue;
    // A node that was added or removed is one semantic change; its layout does not count again.
    const nodeId = (x ?? y)!.nodeId;
    if (nodeId !== undefined && (x === undefined || y === undefined)) continue;
    out.push({ kind: 'layout_changed', nodeId: nodeId ?? '', input: null, before: null, after: null, detail: key });
  }
  return out.sort((p, q) => (p.detail! < q.detail! ? -1 : p.detail! > q.detail! ? 1 : 0));
}

export function diffWorkflows(a: WorkflowModel, b: WorkflowModel): DiffResult & { located: LocatedChange[] } {
  const located = diffModels(a, b);
  const layout = diffLayout(a, b);
  const changes = located.map(({ kind, nodeId, input, before, after, detail }) => ({ kind, nodeId, input, before, after, detail }));
  return { changes, layoutChanged: layout.length, layout, positional: a.positional || b.positional, located };
}
