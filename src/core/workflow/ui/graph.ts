// Reads an untrusted UI workflow (graph version 0.4 or 1, LiteGraph's save format) into normalized records.
// Nothing here throws: malformed parts are skipped and reported, so the rest of the graph still converts.
import { countUiNodes, MAX_UI_NODES } from '../limits';
import { isRecord } from '../../util/guards';
import type { ConversionProblem, JsonPath, LinkId, UiGraph, UiInputSlot, UiLink, UiNode, UiOutputSlot, UiSubgraphDef, UiWorkflow } from './types';

export const KNOWN_VERSIONS: readonly number[] = [0.4, 1];

function isLinkId(v: unknown): v is LinkId {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== '');
}

function isNodeId(v: unknown): v is number | string {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== '');
}

/** A slot index: a non-negative integer (LiteGraph also saves them as numeric strings in some old files). */
function toSlot(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

function typeString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === 0 || v === undefined || v === null) return '*';
  // String() throws on objects whose toString/valueOf are not functions (e.g. {"toString": 1} in a hostile file).
  return Array.isArray(v) ? 'COMBO' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Reads the whole workflow: root graph, subgraph definitions and legacy group node definitions. */
export function readUiWorkflow(json: unknown, problems: ConversionProblem[]): UiWorkflow | undefined {
  if (!isRecord(json) || !Array.isArray(json.nodes)) {
    problems.push({
      severity: 'error',
      code: 'invalid_workflow',
      message: 'This is not a UI workflow: the top level must be an object with a "nodes" array.',
      path: [],
    });
    return undefined;
  }
  // Counted before anything is read: a small file of tiny nodes must not expand into gigabytes (issue 13, finding 3).
  const declared = countUiNodes(json);
  if (declared > MAX_UI_NODES) {
    problems.push({
      severity: 'error',
      code: 'workflow_too_large',
      message: `This workflow declares ${declared.toLocaleString('en-US')} nodes, more than the ${MAX_UI_NODES.toLocaleString('en-US')} that are checked; it is not converted.`,
      path: ['nodes'],
    });
    return undefined;
  }
  const version = json.version;
  if (version !== undefined && !(typeof version === 'number' && KNOWN_VERSIONS.includes(version))) {
    problems.push({
      severity: 'warning',
      code: 'unknown_version',
      message: `Unknown workflow version ${JSON.stringify(version)} (known: ${KNOWN_VERSIONS.join(', ')}); converting it as the closest known format.`,
      path: ['version'],
    });
  }
  const root = readGraph(json, [], problems);
  const subgraphs = new Map<string, UiSubgraphDef>();
  const defs = isRecord(json.definitions) ? json.definitions.subgraphs : undefined;
  if (Array.isArray(defs)) {
    defs.forEach((raw, i) => {
      const path: JsonPath = ['definitions', 'subgraphs', i];
      if (!isRecord(raw) || typeof raw.id !== 'string' || raw.id === '') {
        problems.push({ severity: 'warning', code: 'invalid_workflow', message: 'Subgraph definition without an "id" string is ignored.', path });
        return;
      }
      if (subgraphs.has(raw.id)) {
        problems.push({
          severity: 'warning',
          code: 'invalid_workflow',
          message: `Subgraph definition ${raw.id} is defined twice; the last one is used, as the frontend does.`,
          path,
        });
      }
      const graph = readGraph(raw, path, problems);
      subgraphs.set(raw.id, {
        ...graph,
        id: raw.id,
        name: typeof raw.name === 'string' ? raw.name : raw.id,
        inputs: readIo(raw.inputs),
        outputs: readIo(raw.outputs),
      });
    });
  }
  const extra = isRecord(json.extra) ? json.extra : {};
  const groupNodes = isRecord(extra.groupNodes) ? extra.groupNodes : {};
  return { root, subgraphs, groupNodes, version };
}

function readIo(raw: unknown): UiSubgraphDef['inputs'] {
  if (!Array.isArray(raw)) return [];
  return raw.map((io) => {
    const r = isRecord(io) ? io : {};
    return {
      name: typeof r.name === 'string' ? r.name : '',
      type: typeString(r.type),
      linkIds: Array.isArray(r.linkIds) ? r.linkIds.filter(isLinkId) : [],
    };
  });
}

/** Reads one graph level (`nodes` + `links`) found at `path`. */
export function readGraph(raw: Record<string, unknown>, path: JsonPath, problems: ConversionProblem[]): UiGraph {
  const nodes = new Map<string, UiNode>();
  const nodeList: UiNode[] = [];
  const rawNodes = Array.isArray(raw.nodes) ? raw.nodes : [];
  rawNodes.forEach((rn, i) => {
    const node = readNode(rn, [...path, 'nodes', i], problems);
    if (!node) return;
    if (nodes.has(node.id)) {
      problems.push({
        severity: 'error',
        code: 'invalid_node',
        message: `Two nodes have the id ${node.id}; only the first is converted.`,
        path: node.path,
        nodeId: node.id,
      });
      return;
    }
    nodes.set(node.id, node);
    nodeList.push(node);
  });
  const links = new Map<string, UiLink>();
  const rawLinks = Array.isArray(raw.links) ? raw.links : [];
  rawLinks.forEach((rl, i) => {
    const linkPath = [...path, 'links', i];
    const link = readLink(rl, linkPath);
    if (!link) {
      if (rl !== null) {
        problems.push({ severity: 'warning', code: 'invalid_workflow', message: 'Malformed link entry is ignored.', path: linkPath });
      }
      return;
    }
    const key = String(link.id);
    if (links.has(key)) {
      problems.push({
        severity: 'warning',
        code: 'duplicate_link_id',
        message: `Link id ${key} appears more than once; the last entry wins, as in the frontend.`,
        path: linkPath,
      });
    }
    links.set(key, link);
  });
  return { nodes, nodeList, links, path };
}

function readLink(rl: unknown, path: JsonPath): UiLink | undefined {
  let id: unknown, o: unknown, os: unknown, t: unknown, ts: unknown, ty: unknown;
  if (Array.isArray(rl)) [id, o, os, t, ts, ty] = rl;
  else if (isRecord(rl)) ({ id, origin_id: o, origin_slot: os, target_id: t, target_slot: ts, type: ty } = rl);
  else return undefined;
  const originSlot = toSlot(os);
  const targetSlot = toSlot(ts);
  if (!isLinkId(id) || !isNodeId(o) || !isNodeId(t) || originSlot === undefined || targetSlot === undefined) return undefined;
  return { id, originId: String(o), originSlot, targetId: String(t), targetSlot, type: typeString(ty), path };
}

function readNode(rn: unknown, path: JsonPath, problems: ConversionProblem[]): UiNode | undefined {
  if (!isRecord(rn) || !isNodeId(rn.id)) {
    problems.push({ severity: 'warning', code: 'invalid_node', message: 'Node without a valid "id" is ignored.', path });
    return undefined;
  }
  const id = String(rn.id);
  if (typeof rn.type !== 'string' || rn.type === '') {
    problems.push({ severity: 'error', code: 'invalid_node', message: `Node ${id} has no "type"; it is ignored.`, path, nodeId: id });
    return undefined;
  }
  // Plain loops and no temporary spread objects: a 2 MB workflow has tens of thousands of slots (git textconv).
  const inputs: UiInputSlot[] = [];
  if (Array.isArray(rn.inputs)) {
    for (let i = 0; i < rn.inputs.length; i++) {
      const ri: unknown = rn.inputs[i];
      const r = isRecord(ri) ? ri : {};
      const slot: UiInputSlot = {
        name: typeof r.name === 'string' ? r.name : '',
        type: typeString(r.type),
        link: isLinkId(r.link) ? r.link : null,
        path: path.concat('inputs', i),
      };
      if (isRecord(r.widget) && typeof r.widget.name === 'string') slot.widgetName = r.widget.name;
      inputs.push(slot);
    }
  }
  const outputs: UiOutputSlot[] = [];
  if (Array.isArray(rn.outputs)) {
    for (let i = 0; i < rn.outputs.length; i++) {
      const ro: unknown = rn.outputs[i];
      const r = isRecord(ro) ? ro : {};
      outputs.push({
        name: typeof r.name === 'string' ? r.name : '',
        type: typeString(r.type),
        links: Array.isArray(r.links) ? r.links.filter(isLinkId) : [],
        path: path.concat('outputs', i),
      });
    }
  }
  const wv = rn.widgets_values;
  const node: UiNode = {
    id,
    type: rn.type,
    mode: typeof rn.mode === 'number' ? rn.mode : 0,
    inputs,
    outputs,
    widgetsValues: Array.isArray(wv) || isRecord(wv) ? wv : undefined,
    properties: isRecord(rn.properties) ? rn.properties : {},
    path,
  };
  if (typeof rn.title === 'string') node.title = rn.title;
  return node;
}
