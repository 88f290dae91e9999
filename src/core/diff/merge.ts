// Three-way merge of workflows at the node / input level, for the git merge driver. Edits to different nodes or
// inputs combine; the same input changed differently on both sides is a conflict, resolved to "ours" and reported.
// Layout (positions, sizes, view) always comes from "ours". A node both sides added under the same id keeps its
// id in "ours" and gets a fresh id in "theirs" (with every link to it renumbered), so neither is lost.
// Works on the number-preserving JSON tree (./json.ts) and prints the result in the canonical format.
import type { ObjectInfo } from '../comfy/types';
import { formatValue } from './format';
import { compact, get, isNum, isObj, num, parseJson, printJson, remove, set, toPlain, type JArr, type JObj, type JVal } from './json';
import { compareIds, diffFormatOfJson } from './model';

export interface MergeConflict {
  nodeId: string;
  /** The input (API) or field (UI: widgets_values[i], title, mode, type, …) in conflict; null for the whole node. */
  input: string | null;
  base: unknown;
  ours: unknown;
  theirs: unknown;
}

export interface MergeResult {
  text: string;
  conflicts: MergeConflict[];
  /** Theirs' node ids that were renumbered because ours added a different node with the same id. */
  renumbered: { from: string; to: string }[];
}

export class MergeError extends Error {
  override readonly name = 'MergeError';
}

const same = (a: JVal | undefined, b: JVal | undefined): boolean => (a === undefined || b === undefined ? a === b : compact(a) === compact(b));
const plain = (v: JVal | undefined): unknown => (v === undefined ? null : toPlain(v));

/** Classic three-way pick; `conflict` when both sides changed differently (then "ours" is kept). */
function pick(b: JVal | undefined, o: JVal | undefined, t: JVal | undefined): { value: JVal | undefined; conflict: boolean } {
  if (same(o, t)) return { value: o, conflict: false };
  if (same(b, o)) return { value: t, conflict: false };
  if (same(b, t)) return { value: o, conflict: false };
  return { value: o, conflict: true };
}

function idKey(v: JVal | undefined): string {
  return isNum(v) ? v.num : typeof v === 'string' ? v : '';
}

function parse(text: string, side: string): JObj {
  let v: JVal;
  try {
    v = parseJson(text);
  } catch (e) {
    throw new MergeError(`The ${side} version is not valid JSON: ${(e as Error).message}.`);
  }
  if (!isObj(v)) throw new MergeError(`The ${side} version is not a workflow (not a JSON object).`);
  return v;
}

export function mergeWorkflowTexts(baseText: string, oursText: string, theirsText: string, options: { objectInfo?: ObjectInfo } = {}): MergeResult {
  const b = parse(baseText, 'base');
  const o = parse(oursText, 'ours');
  const t = parse(theirsText, 'theirs');
  const fo = diffFormatOfJson(o);
  const ft = diffFormatOfJson(t);
  const fb = diffFormatOfJson(b) ?? fo;
  if (!fo || fo !== ft || fb !== fo) throw new MergeError('The three versions are not workflows of the same format (API prompt, /prompt body or UI workflow).');
  const conflicts: MergeConflict[] = [];
  const renumbered: MergeResult['renumbered'] = [];
  let merged: JObj;
  if (fo === 'api') merged = mergeApi(b, o, t, conflicts, renumbered);
  else if (fo === 'request') {
    merged = mergeMembers(
      b,
      o,
      t,
      (k, x, y, z) => (k === 'prompt' && isObj(x) && isObj(y) && isObj(z) ? mergeApi(x, y, z, conflicts, renumbered) : undefined),
      conflicts,
      '',
    );
  } else merged = mergeUi(b, o, t, conflicts, renumbered);
  return { text: printJson(formatValue(merged, options)), conflicts, renumbered };
}

/** Member by member (ours' order, then theirs' new members); `special` may merge a member itself. */
function mergeMembers(
  b: JObj,
  o: JObj,
  t: JObj,
  special: (k: string, b: JVal | undefined, o: JVal | undefined, t: JVal | undefined) => JVal | undefined,
  conflicts: MergeConflict[],
  nodeId: string,
  conflictName: (k: string) => string | null = (k) => k,
): JObj {
  const keys = [...o.entries.map(([k]) => k)];
  for (const [k] of t.entries) if (!keys.includes(k)) keys.push(k);
  const out: JObj = { entries: [] };
  for (const k of keys) {
    const x = get(b, k);
    const y = get(o, k);
    const z = get(t, k);
    const s = special(k, x, y, z);
    if (s !== undefined) {
      out.entries.push([k, s]);
      continue;
    }
    const r = pick(x, y, z);
    // At the top level (nodeId '') the member is a whole node (or a /prompt body member).
    if (r.conflict)
      conflicts.push({ nodeId: nodeId === '' ? k : nodeId, input: nodeId === '' ? null : conflictName(k), base: plain(x), ours: plain(y), theirs: plain(z) });
    if (r.value !== undefined) out.entries.push([k, r.value]);
  }
  return out;
}

/** The next free numeric id above every id in use. */
function freshIds(used: Iterable<string>): () => string {
  let max = 0;
  for (const id of used) {
    const n = Number(id);
    if (Number.isInteger(n) && n > max) max = n;
  }
  return () => String(++max);
}

function mergeApi(b: JObj, o: JObj, t: JObj, conflicts: MergeConflict[], renumbered: MergeResult['renumbered']): JObj {
  // Both added a different node under one id: theirs' node moves to a fresh id, and theirs' links follow it.
  const next = freshIds([...b.entries, ...o.entries, ...t.entries].map(([k]) => k));
  const rename = new Map<string, string>();
  for (const [id, node] of t.entries) {
    if (get(b, id) === undefined && get(o, id) !== undefined && !same(get(o, id), node)) rename.set(id, next());
  }
  if (rename.size > 0) {
    for (const [from, to] of rename) renumbered.push({ from, to });
    t = {
      entries: t.entries.map(([id, node]) => {
        if (!isObj(node)) return [rename.get(id) ?? id, node];
        const inputs = get(node, 'inputs');
        const fixed = isObj(inputs)
          ? {
              entries: inputs.entries.map(([k, v]): [string, JVal] => {
                if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && rename.has(v[0])) return [k, [rename.get(v[0])!, v[1]!]];
                return [k, v];
              }),
            }
          : inputs;
        return [rename.get(id) ?? id, fixed === inputs ? node : { entries: node.entries.map(([k, v]) => [k, k === 'inputs' ? fixed! : v]) }];
      }),
    };
  }
  const merged = mergeMembers(
    b,
    o,
    t,
    (id, x, y, z) => {
      if (!isObj(y) || !isObj(z) || same(y, z)) return undefined;
      if (!isObj(x)) return undefined;
      // Both changed this node: merge class, title and each input on its own.
      return mergeMembers(
        x,
        y,
        z,
        (k, p, q, r) => {
          if (k === 'inputs' && isObj(p) && isObj(q) && isObj(r)) return mergeMembers(p, q, r, () => undefined, conflicts, id);
          if (k === '_meta' && isObj(p) && isObj(q) && isObj(r))
            return mergeMembers(
              p,
              q,
              r,
              () => undefined,
              conflicts,
              id,
              (m) => (m === 'title' ? 'title' : `_meta.${m}`),
            );
          return undefined;
        },
        conflicts,
        id,
      );
    },
    conflicts,
    '',
  );
  merged.entries.sort(([x], [y]) => compareIds(x, y));
  return merged;
}

// ---------------------------------------------------------------------------------------------------------------
// UI workflows

const NODE_FIELDS = ['type', 'title', 'mode', 'properties'];

interface Wire {
  origin: string;
  slot: JVal;
}

interface LinkRow {
  id: string;
  origin: string;
  originSlot: JVal;
  target: string;
  targetSlot: number;
  type: JVal;
}

function readLinks(g: JObj): Map<string, LinkRow> {
  const out = new Map<string, LinkRow>();
  const links = get(g, 'links');
  if (!Array.isArray(links)) return out;
  for (const l of links) {
    let f: (JVal | undefined)[];
    if (Array.isArray(l)) f = l;
    else if (isObj(l)) f = ['id', 'origin_id', 'origin_slot', 'target_id', 'target_slot', 'type'].map((k) => get(l, k));
    else continue;
    const ts = f[4];
    if (!isNum(ts)) continue;
    out.set(idKey(f[0]), {
      id: idKey(f[0]),
      origin: idKey(f[1]),
      originSlot: f[2] ?? null,
      target: idKey(f[3]),
      targetSlot: Number(ts.num),
      type: f[5] ?? null,
    });
  }
  return out;
}

function nodesOf(g: JObj): Map<string, JObj> {
  const out = new Map<string, JObj>();
  const nodes = get(g, 'nodes');
  if (Array.isArray(nodes)) for (const n of nodes) if (isObj(n)) out.set(idKey(get(n, 'id')), n);
  return out;
}

/** Wiring by (target node, input name) → origin: what the link table and the input slots say together. */
function wiring(nodes: Map<string, JObj>, links: Map<string, LinkRow>): Map<string, Wire> {
  const out = new Map<string, Wire>();
  for (const [id, n] of nodes) {
    const inputs = get(n, 'inputs');
    if (!Array.isArray(inputs)) continue;
    for (const s of inputs) {
      const name = get(s, 'name');
      const link = links.get(idKey(get(s, 'link')));
      if (typeof name !== 'string' || !link) continue;
      out.set(`${id}\u0000${name}`, { origin: link.origin, slot: link.originSlot });
    }
  }
  return out;
}

function wireText(w: Wire | undefined): JVal | undefined {
  return w ? [w.origin, w.slot] : undefined;
}

function mergeUi(b: JObj, o: JObj, t: JObj, conflicts: MergeConflict[], renumbered: MergeResult['renumbered']): JObj {
  const bn = nodesOf(b);
  const on = nodesOf(o);
  const tn = nodesOf(t);
  const bw = wiring(bn, readLinks(b));
  const ow = wiring(on, readLinks(o));
  let tw = wiring(tn, readLinks(t));
  const lastNode = (g: JObj): string => idKey(get(g, 'last_node_id'));
  const nextNode = freshIds([...bn.keys(), ...on.keys(), ...tn.keys(), lastNode(o), lastNode(t)]);

  // Both added a node under one id: theirs' moves.
  const rename = new Map<string, string>();
  for (const [id, node] of tn) if (!bn.has(id) && on.has(id) && !same(on.get(id), node)) rename.set(id, nextNode());
  if (rename.size > 0) {
    const renamed = new Map<string, JObj>();
    for (const [id, node] of tn) {
      const to = rename.get(id);
      if (!to) renamed.set(id, node);
      else {
        renamed.set(to, { entries: node.entries.map(([k, v]) => [k, k === 'id' ? num(Number(to)) : v]) });
        renumbered.push({ from: id, to });
      }
    }
    const rewired = new Map<string, Wire>();
    for (const [key, w] of tw) {
      const [target, name] = key.split('\u0000') as [string, string];
      rewired.set(`${rename.get(target) ?? target}\u0000${name}`, { origin: rename.get(w.origin) ?? w.origin, slot: w.slot });
    }
    tn.clear();
    for (const [k, v] of renamed) tn.set(k, v);
    tw = rewired;
  }

  // Nodes: start from ours (its layout), apply theirs' semantic edits where ours left the field alone.
  const resultNodes: JObj[] = [];
  const kept = new Set<string>();
  const ids = [...on.keys()];
  for (const id of tn.keys()) if (!on.has(id)) ids.push(id);
  for (const id of ids) {
    const x = bn.get(id);
    const y = on.get(id);
    const z = tn.get(id);
    if (!y && z) {
      if (!x) {
        resultNodes.push(unwired(z));
        kept.add(id);
      } else if (!sameNode(x, z)) conflicts.push({ nodeId: id, input: null, base: 'present', ours: 'removed', theirs: 'changed' });
      continue;
    }
    if (y && !z) {
      if (x && sameNode(x, y)) continue; // theirs removed it, ours did not touch it
      if (x) conflicts.push({ nodeId: id, input: null, base: 'present', ours: 'changed', theirs: 'removed' });
      resultNodes.push(y);
      kept.add(id);
      continue;
    }
    if (!y || !z) continue;
    const node: JObj = { entries: y.entries.map(([k, v]) => [k, v]) };
    for (const f of NODE_FIELDS) {
      const r = pick(get(x, f), get(y, f), get(z, f));
      if (r.conflict) conflicts.push({ nodeId: id, input: f, base: plain(get(x, f)), ours: plain(get(y, f)), theirs: plain(get(z, f)) });
      if (r.value === undefined) remove(node, f);
      else set(node, f, r.value);
    }
    const wb = get(x, 'widgets_values');
    const wo = get(y, 'widgets_values');
    const wt = get(z, 'widgets_values');
    if (Array.isArray(wb) && Array.isArray(wo) && Array.isArray(wt) && wb.length === wo.length && wo.length === wt.length) {
      const values: JArr = wo.map((v, i) => {
        const r = pick(wb[i], v, wt[i]);
        if (r.conflict) conflicts.push({ nodeId: id, input: `widgets_values[${i}]`, base: plain(wb[i]), ours: plain(v), theirs: plain(wt[i]) });
        return r.value ?? null;
      });
      set(node, 'widgets_values', values);
    } else {
      const r = pick(wb, wo, wt);
      if (r.conflict) conflicts.push({ nodeId: id, input: 'widgets_values', base: plain(wb), ours: plain(wo), theirs: plain(wt) });
      if (r.value === undefined) remove(node, 'widgets_values');
      else set(node, 'widgets_values', r.value);
    }
    resultNodes.push(node);
    kept.add(id);
  }

  // Wiring: per input, three-way; only links between kept nodes survive.
  const merged = new Map<string, Wire>();
  const keys = new Set([...ow.keys(), ...tw.keys(), ...bw.keys()]);
  for (const key of keys) {
    const r = pick(wireText(bw.get(key)), wireText(ow.get(key)), wireText(tw.get(key)));
    const [target, name] = key.split('\u0000') as [string, string];
    if (r.conflict)
      conflicts.push({
        nodeId: target,
        input: name,
        base: plain(wireText(bw.get(key))),
        ours: plain(wireText(ow.get(key))),
        theirs: plain(wireText(tw.get(key))),
      });
    if (!Array.isArray(r.value)) continue;
    const origin = idKey(r.value[0]);
    if (kept.has(target) && kept.has(origin)) merged.set(key, { origin, slot: r.value[1]! });
  }

  const result: JObj = { entries: o.entries.map(([k, v]) => [k, v]) };
  set(result, 'nodes', resultNodes);
  relink(result, resultNodes, ow, merged, readLinks(o), readLinks(t), tn);
  const maxNode = freshIds(resultNodes.map((n) => idKey(get(n, 'id'))))();
  const lastId = get(result, 'last_node_id');
  if (isNum(lastId) && Number(lastId.num) < Number(maxNode) - 1) set(result, 'last_node_id', num(Number(maxNode) - 1));

  // Subgraph and group-node definitions: whole definitions, three-way by id / name.
  const defsOf = (g: JObj): Map<string, JVal> => {
    const out = new Map<string, JVal>();
    const subs = get(get(g, 'definitions'), 'subgraphs');
    if (Array.isArray(subs)) for (const s of subs) out.set(idKey(get(s, 'id')), s);
    return out;
  };
  const [bd, od, td] = [defsOf(b), defsOf(o), defsOf(t)];
  if (od.size > 0 || td.size > 0) {
    const list: JVal[] = [];
    const dids = [...od.keys()];
    for (const k of td.keys()) if (!od.has(k)) dids.push(k);
    for (const id of dids) {
      const r = pick(bd.get(id), od.get(id), td.get(id));
      if (r.conflict) conflicts.push({ nodeId: id, input: null, base: 'subgraph definition', ours: 'changed', theirs: 'changed' });
      if (r.value !== undefined) list.push(r.value);
    }
    const defs = get(result, 'definitions');
    const target: JObj = isObj(defs) ? { entries: defs.entries.map(([k, v]) => [k, v]) } : { entries: [] };
    set(target, 'subgraphs', list);
    set(result, 'definitions', target);
  }
  const groups = (g: JObj): JObj | undefined => {
    const v = get(get(g, 'extra'), 'groupNodes');
    return isObj(v) ? v : undefined;
  };
  const [bg, og, tg] = [groups(b), groups(o), groups(t)];
  if (og || tg) {
    const gm = mergeMembers(bg ?? { entries: [] }, og ?? { entries: [] }, tg ?? { entries: [] }, () => undefined, conflicts, 'extra.groupNodes');
    const extra = get(result, 'extra');
    const e: JObj = isObj(extra) ? { entries: extra.entries.map(([k, v]) => [k, v]) } : { entries: [] };
    set(e, 'groupNodes', gm);
    set(result, 'extra', e);
  }
  return result;
}

function sameNode(a: JObj, b: JObj): boolean {
  return [...NODE_FIELDS, 'widgets_values'].every((f) => same(get(a, f), get(b, f)));
}

/** A node copied from theirs: its link ids belong to theirs' link table and are rebuilt by relink(). */
function unwired(n: JObj): JObj {
  return {
    entries: n.entries.map(([k, v]): [string, JVal] => {
      if (k === 'inputs' && Array.isArray(v))
        return [k, v.map((s) => (isObj(s) ? { entries: s.entries.map(([sk, sv]) => [sk, sk === 'link' ? null : sv]) } : s))];
      if (k === 'outputs' && Array.isArray(v))
        return [k, v.map((s) => (isObj(s) ? { entries: s.entries.map(([sk, sv]) => [sk, sk === 'links' ? [] : sv]) } : s))];
      return [k, v];
    }),
  };
}

/**
 * Makes the link table and the slots say what the merged wiring says: ours' links that no longer hold are
 * removed, new ones get fresh ids (in ours' link format), and slots point at them.
 */
function relink(
  result: JObj,
  nodes: JObj[],
  ours: Map<string, Wire>,
  merged: Map<string, Wire>,
  oursLinks: Map<string, LinkRow>,
  theirsLinks: Map<string, LinkRow>,
  theirsNodes: Map<string, JObj>,
): void {
  const byId = new Map(nodes.map((n) => [idKey(get(n, 'id')), n]));
  const links = get(result, 'links');
  let table: JVal[] = Array.isArray(links) ? [...links] : [];
  const objectForm = table.some((l) => isObj(l));
  const slotOf = (n: JObj | undefined, name: string): JObj | undefined => {
    const inputs = get(n, 'inputs');
    return Array.isArray(inputs) ? (inputs.find((s) => get(s, 'name') === name) as JObj | undefined) : undefined;
  };
  const outputLinks = (n: JObj | undefined, slot: JVal): JArr | undefined => {
    const outputs = get(n, 'outputs');
    const i = isNum(slot) ? Number(slot.num) : -1;
    const out = Array.isArray(outputs) ? outputs[i] : undefined;
    if (!isObj(out)) return undefined;
    let l = get(out, 'links');
    if (!Array.isArray(l)) set(out, 'links', (l = []));
    return l;
  };
  const removed = new Set<string>();
  for (const [key, w] of ours) {
    const m = merged.get(key);
    if (m && m.origin === w.origin && same(m.slot, w.slot)) continue;
    const [target, name] = key.split('\u0000') as [string, string];
    const slot = slotOf(byId.get(target), name);
    const linkId = idKey(get(slot, 'link'));
    if (slot) set(slot, 'link', null);
    removed.add(linkId);
    const out = outputLinks(byId.get(w.origin), w.slot);
    if (out) {
      const keep = out.filter((x) => idKey(x) !== linkId);
      out.splice(0, out.length, ...keep);
    }
  }
  table = table.filter((l) => !removed.has(idKey(Array.isArray(l) ? l[0] : get(l, 'id'))));
  const next = freshIds([...oursLinks.keys(), ...theirsLinks.keys(), idKey(get(result, 'last_link_id'))]);
  let last = '';
  for (const [key, w] of merged) {
    const had = ours.get(key);
    if (had && had.origin === w.origin && same(had.slot, w.slot)) continue;
    const [target, name] = key.split('\u0000') as [string, string];
    const node = byId.get(target);
    let slot = slotOf(node, name);
    if (!slot && node) {
      // Theirs turned a widget into an input (or the node is theirs'): take the slot from theirs.
      const theirs = slotOf(theirsNodes.get(target), name);
      if (!theirs) continue;
      slot = { entries: theirs.entries.map(([k, v]) => [k, k === 'link' ? null : v]) };
      let inputs = get(node, 'inputs');
      if (!Array.isArray(inputs)) set(node, 'inputs', (inputs = []));
      (inputs as JArr).push(slot);
    }
    if (!slot) continue;
    const inputs = get(node, 'inputs') as JArr;
    const targetSlot = inputs.indexOf(slot);
    const id = (last = next());
    set(slot, 'link', num(Number(id)));
    outputLinks(byId.get(w.origin), w.slot)?.push(num(Number(id)));
    const type = get(slot, 'type') ?? '*';
    const originId = get(byId.get(w.origin), 'id') ?? w.origin;
    const targetId = get(node, 'id') ?? target;
    table.push(
      objectForm
        ? {
            entries: [
              ['id', num(Number(id))],
              ['origin_id', originId],
              ['origin_slot', w.slot],
              ['target_id', targetId],
              ['target_slot', num(targetSlot)],
              ['type', type],
            ],
          }
        : [num(Number(id)), originId, w.slot, targetId, num(targetSlot), type],
    );
  }
  set(result, 'links', table);
  if (last !== '' && isNum(get(result, 'last_link_id'))) set(result, 'last_link_id', num(Number(last)));
}
