// Which pack(s) provide a class, from every source in order of trust: the workflow's own record, a map the user
// named, ComfyUI-Manager's map on the server, the Comfy Registry. The synchronous part answers from what is
// already loaded (the editor calls it on every validation); `resolveClasses` adds registry answers, asynchronously,
// for the classes nothing else knows (and to fill in the title and repository of a bare registry id).
import type { NodeMapIndex } from './nodeMap';
import type { RegistryClient } from './registry';
import { githubSlug, LIMITS, SOURCE_RANK, type PackCandidate } from './types';
import type { WorkflowPackInfo } from './workflowInfo';

export interface PackSources {
  workflow?: WorkflowPackInfo;
  /** Maps the user named (`comfyui.nodeMap`, `--node-map`). */
  nodeMaps?: readonly NodeMapIndex[];
  /** ComfyUI-Manager's map from the server. */
  manager?: NodeMapIndex;
  /** Undefined when the registry is off (`comfyui.registry.enabled: false`, `--no-registry`). */
  registry?: RegistryClient;
}

/** Candidates for one class from what is loaded now (registry: cached answers only). Best first. */
export function resolveClassSync(classType: string, sources: PackSources): PackCandidate[] {
  const all: PackCandidate[] = [];
  all.push(...(sources.workflow?.packs.get(classType) ?? []));
  for (const m of sources.nodeMaps ?? []) all.push(...m.lookup(classType));
  if (sources.manager) all.push(...sources.manager.lookup(classType));
  const cached = sources.registry?.cached(classType);
  if (cached) all.push(cached);
  return mergeCandidates(all);
}

/** Same pack: same registry id, or same GitHub repository. */
function samePack(a: PackCandidate, b: PackCandidate): boolean {
  if (a.registryId && b.registryId) return a.registryId === b.registryId;
  const sa = githubSlug(a.repository) ?? a.auxId;
  const sb = githubSlug(b.repository) ?? b.auxId;
  if (sa !== undefined && sb !== undefined) return sa.toLowerCase() === sb.toLowerCase();
  // A bare registry id against a repository-only entry (extension-node-map.json keys by URL): registry ids are
  // the lowercased repository name when the author published it under that name (comfyui-impact-pack).
  const id = a.registryId ?? b.registryId;
  const slug = a.registryId ? sb : sa;
  return id !== undefined && slug !== undefined && slug.split('/')[1]!.toLowerCase() === id.toLowerCase();
}

/**
 * One entry per pack, ordered by trust (then preemption). An entry keeps the most trusted source and version but
 * borrows a readable title, the repository and flags from the others.
 */
export function mergeCandidates(list: readonly PackCandidate[]): PackCandidate[] {
  const sorted = [...list].sort((a, b) => SOURCE_RANK[a.source] - SOURCE_RANK[b.source] || Number(b.preempts ?? false) - Number(a.preempts ?? false));
  const out: PackCandidate[] = [];
  for (const c of sorted) {
    const same = out.find((o) => samePack(o, c));
    if (!same) {
      if (out.length < LIMITS.maxCandidates) out.push({ ...c });
      continue;
    }
    if ((same.title === same.registryId || same.title === same.auxId) && c.title !== c.registryId && c.title !== c.auxId) same.title = c.title;
    same.repository ??= c.repository;
    same.registryId ??= c.registryId;
    same.auxId ??= c.auxId;
    if (same.version === undefined && c.version !== undefined) {
      same.version = c.version;
      same.savedVersion = c.savedVersion ?? false;
    }
    if (c.flags?.length) same.flags = [...new Set([...(same.flags ?? []), ...c.flags])];
  }
  return out;
}

export interface ResolveOptions {
  signal?: AbortSignal;
  /** Registry requests at a time (default 4). */
  concurrency?: number;
  /** Registry requests per call at most (default 64): a workflow of unknown classes must not flood the registry. */
  maxLookups?: number;
}

export interface ClassResolution {
  classType: string;
  candidates: PackCandidate[];
}

export interface Resolution {
  classes: Map<string, ClassResolution>;
  /** One sentence when the registry could not be asked (the other sources still answered). */
  registryError?: string;
}

/** Resolves classes from every source, asking the registry only for what the others leave open. */
export async function resolveClasses(classTypes: Iterable<string>, sources: PackSources, options: ResolveOptions = {}): Promise<Resolution> {
  const classes = new Map<string, ClassResolution>();
  const ask: string[] = [];
  for (const c of classTypes) {
    if (classes.has(c)) continue;
    const candidates = resolveClassSync(c, sources);
    classes.set(c, { classType: c, candidates });
    const best = candidates[0];
    if (sources.registry && (!best || (!best.repository && best.registryId !== undefined))) ask.push(c);
  }
  const result: Resolution = { classes };
  const registry = sources.registry;
  if (!registry || ask.length === 0) return result;
  const queue = ask.slice(0, options.maxLookups ?? 64);
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      if (options.signal?.aborted || result.registryError) return;
      try {
        const pack = await registry.packForClass(c, options.signal);
        if (pack) classes.get(c)!.candidates = mergeCandidates([...classes.get(c)!.candidates, pack]);
      } catch (e) {
        if ((e as Error).name === 'AbortError') return;
        result.registryError = (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, worker));
  return result;
}
