// What a workflow file itself says about its packs and models, offline. The frontend writes on every UI node
// `properties.cnr_id` (Comfy Registry id of the pack), `properties.aux_id` (`owner/repo` on GitHub for packs
// outside the registry) and `properties.ver` (version or commit it was saved with), and on loader nodes of
// template workflows `properties.models: [{name, url, directory, hash?, hash_type?}]` (newer files also have a
// top-level `models` list). Subgraph definitions (`definitions.subgraphs[].nodes`) carry the same properties.
// A /prompt body may embed the UI workflow under `extra_data.extra_pnginfo.workflow`.
import { isRecord } from '../util/guards';
import { registryIdOf } from './nodeMap';
import { cleanText, githubSlug, LIMITS, safeHttpUrl, type ModelRef, type PackCandidate } from './types';

/** The registry id the frontend writes for ComfyUI's own nodes: not a pack anyone installs. */
export const CORE_PACK_ID = 'comfy-core';

export interface WorkflowPackInfo {
  /** Per class: the packs the workflow's nodes name (usually one). */
  packs: Map<string, PackCandidate[]>;
  /** Classes the workflow marks as ComfyUI's own (`cnr_id: comfy-core`). */
  coreClasses: Set<string>;
  /** Models named by loader nodes and the top-level list, deduplicated by directory + name. */
  models: ModelRef[];
  /** Nodes that carry a `cnr_id` (for statistics). */
  nodesWithCnrId: number;
}

const MAX_NODES = 100_000;

/** Reads pack and model records from a parsed workflow (UI, or a /prompt body embedding one). Never throws. */
export function readWorkflowPackInfo(value: unknown): WorkflowPackInfo {
  const info: WorkflowPackInfo = { packs: new Map(), coreClasses: new Set(), models: [], nodesWithCnrId: 0 };
  const modelKeys = new Set<string>();
  const workflow = uiWorkflowOf(value);
  if (!workflow) return info;
  let seen = 0;
  const visitNodes = (nodes: unknown): void => {
    if (!Array.isArray(nodes)) return;
    for (const node of nodes) {
      if (++seen > MAX_NODES) return;
      if (isRecord(node)) visitNode(node, info, modelKeys);
    }
  };
  visitNodes(workflow.nodes);
  const defs = workflow.definitions;
  if (isRecord(defs) && Array.isArray(defs.subgraphs)) {
    for (const sg of defs.subgraphs.slice(0, 1000)) if (isRecord(sg)) visitNodes(sg.nodes);
  }
  if (Array.isArray(workflow.models)) for (const m of workflow.models.slice(0, LIMITS.maxModels)) addModel(m, info, modelKeys);
  return info;
}

function uiWorkflowOf(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  if (Array.isArray(value.nodes)) return value;
  const extra = value.extra_data;
  if (isRecord(extra) && isRecord(extra.extra_pnginfo) && isRecord(extra.extra_pnginfo.workflow)) {
    const wf = extra.extra_pnginfo.workflow;
    if (Array.isArray(wf.nodes)) return wf;
  }
  return undefined;
}

function visitNode(node: Record<string, unknown>, info: WorkflowPackInfo, modelKeys: Set<string>): void {
  const classType = typeof node.type === 'string' && node.type.length <= LIMITS.maxName ? node.type : undefined;
  const props = node.properties;
  if (!isRecord(props)) return;
  if (Array.isArray(props.models)) for (const m of props.models.slice(0, LIMITS.maxModels)) addModel(m, info, modelKeys);
  if (!classType) return;
  const cnrId = registryIdOf(props.cnr_id);
  if (typeof props.cnr_id === 'string') info.nodesWithCnrId++;
  if (cnrId === CORE_PACK_ID) {
    info.coreClasses.add(classType);
    return;
  }
  const auxSlug = typeof props.aux_id === 'string' ? githubSlug(props.aux_id) : undefined;
  if (!cnrId && !auxSlug) return;
  const version = cleanText(props.ver, 64);
  const pack: PackCandidate = {
    title: cnrId ?? auxSlug!,
    source: 'workflow',
    ...(cnrId ? { registryId: cnrId } : {}),
    ...(auxSlug ? { auxId: auxSlug, repository: `https://github.com/${auxSlug}` } : {}),
    ...(version ? { version, savedVersion: true } : {}),
  };
  let list = info.packs.get(classType);
  if (!list) info.packs.set(classType, (list = []));
  if (list.length < LIMITS.maxCandidates && !list.some((p) => p.registryId === pack.registryId && p.auxId === pack.auxId && p.version === pack.version))
    list.push(pack);
}

function addModel(m: unknown, info: WorkflowPackInfo, keys: Set<string>): void {
  if (!isRecord(m) || info.models.length >= LIMITS.maxModels) return;
  const name = cleanText(m.name, 512);
  if (!name) return;
  const directory = cleanText(m.directory, 128);
  const key = `${directory ?? ''}\u0000${name}`;
  if (keys.has(key)) return;
  keys.add(key);
  const url = safeHttpUrl(m.url);
  const hash = cleanText(m.hash, 128);
  const hashType = cleanText(m.hash_type, 32);
  info.models.push({
    name,
    ...(directory && isSafeFolder(directory) ? { directory } : {}),
    ...(url ? { url } : {}),
    ...(hash ? { hash } : {}),
    ...(hashType ? { hashType } : {}),
  });
}

/** A models/ folder name: one or more plain path segments, no `..`, no absolute path. */
export function isSafeFolder(dir: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}(\/[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}){0,3}$/.test(dir) && !dir.split('/').includes('..');
}
