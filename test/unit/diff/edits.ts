// Scripted edits of real fixture workflows for the diff tests: each takes a deep copy of a UI workflow (as the
// frontend saves it) and changes it the way a user would in the editor, links table and slots kept consistent.
type Json = Record<string, any>;

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function node(g: Json, id: number | string): Json {
  const n = (g.nodes as Json[]).find((x) => String(x.id) === String(id));
  if (!n) throw new Error(`no node ${id}`);
  return n;
}

export function subgraph(w: Json, id: string): Json {
  const s = (w.definitions.subgraphs as Json[]).find((x) => x.id === id);
  if (!s) throw new Error(`no subgraph ${id}`);
  return s;
}

/** Moves link `linkId` so it leaves `newOrigin` output `slot` (rewiring its target input). */
export function rewire(g: Json, linkId: number, newOrigin: number, slot: number): void {
  const link = (g.links as unknown[][]).find((l) => l[0] === linkId)!;
  const old = node(g, link[1] as number);
  for (const o of old.outputs as Json[]) o.links = (o.links ?? []).filter((x: number) => x !== linkId);
  link[1] = newOrigin;
  link[2] = slot;
  const n = node(g, newOrigin);
  n.outputs[slot].links = [...(n.outputs[slot].links ?? []), linkId];
}

/** Adds a node fed from `origin` output `slot` into its first input. */
export function addNode(g: Json, id: number, type: string, inputName: string, inputType: string, origin: number, slot: number): void {
  const linkId = Math.max(0, ...(g.links as unknown[][]).map((l) => Number(l[0]))) + 1;
  (g.nodes as Json[]).push({
    id,
    type,
    pos: [0, 0],
    size: [200, 100],
    flags: {},
    order: 99,
    mode: 0,
    inputs: [{ name: inputName, type: inputType, link: linkId }],
    outputs: [],
    properties: {},
    widgets_values: [],
  });
  (g.links as unknown[][]).push([linkId, origin, slot, id, 0, inputType]);
  const o = node(g, origin);
  o.outputs[slot].links = [...(o.outputs[slot].links ?? []), linkId];
}

/** Removes a node and every link touching it. */
export function removeNode(g: Json, id: number): void {
  const gone = new Set((g.links as unknown[][]).filter((l) => l[1] === id || l[3] === id).map((l) => l[0]));
  g.nodes = (g.nodes as Json[]).filter((n) => n.id !== id);
  g.links = (g.links as unknown[][]).filter((l) => !gone.has(l[0]));
  for (const n of g.nodes as Json[]) {
    for (const i of n.inputs ?? []) if (gone.has(i.link)) i.link = null;
    for (const o of n.outputs ?? []) o.links = (o.links ?? []).filter((x: unknown) => !gone.has(x));
  }
}

/** Gives every link a new id (as a frontend that renumbers on load does), wiring unchanged. */
export function renumberLinks(g: Json, by: number): void {
  for (const l of g.links as unknown[][]) l[0] = (l[0] as number) + by;
  for (const n of g.nodes as Json[]) {
    for (const i of n.inputs ?? []) if (i.link !== null && i.link !== undefined) i.link += by;
    for (const o of n.outputs ?? []) o.links = (o.links ?? []).map((x: number) => x + by);
  }
}
