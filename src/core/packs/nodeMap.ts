// ComfyUI-Manager's class → pack map, in the format of its `extension-node-map.json` (also what
// `GET /customnode/getmappings?mode=cache` and `/v2/customnode/getmappings` answer):
//   { "<repository URL or registry id>": [ ["ClassA", "ClassB", …], { "title_aux": …, "preemptions"?: [...],
//     "nodename_pattern"?: regex, … } ] }
// The server's answer maps a repository URL to its registry id when the registry knows it (map_to_unified_keys),
// so a key is either an http(s) URL or a registry id.
// `nodename_pattern` is not evaluated: it is a regular expression from a file or server, and running it on every
// class name would be a backtracking hazard; Manager itself only applies it to classes already installed.
import { isRecord } from '../util/guards';
import { cleanText, githubSlug, LIMITS, safeHttpUrl, type PackCandidate, type PackSource } from './types';
import { formatBytes } from '../util/display';

export interface NodeMapIndex {
  /** Packs that list the class (preempting packs first, then map order). */
  lookup(classType: string): readonly PackCandidate[];
  /** Distinct class names in the map. */
  readonly classCount: number;
  readonly packCount: number;
  /** Class names listed by more than one pack. */
  readonly sharedClassCount: number;
  /** What was dropped as malformed or over a limit (for a log line, never an error). */
  readonly skipped: number;
}

/** Reads a parsed map; never throws (anything that is not the format is skipped and counted). */
export function parseNodeMap(value: unknown, source: PackSource, origin?: string): NodeMapIndex {
  const byClass = new Map<string, PackCandidate[]>();
  let packCount = 0;
  let skipped = 0;
  let shared = 0;
  if (!isRecord(value)) return emptyIndex(1);
  for (const key of Object.keys(value)) {
    if (packCount >= LIMITS.maxPacks) {
      skipped++;
      continue;
    }
    const entry = value[key];
    if (!Array.isArray(entry) || !Array.isArray(entry[0])) {
      skipped++;
      continue;
    }
    const meta = isRecord(entry[1]) ? entry[1] : {};
    const pack = packOf(key, meta, source, origin);
    if (!pack) {
      skipped++;
      continue;
    }
    packCount++;
    const preempts = new Set<string>();
    if (Array.isArray(meta.preemptions)) for (const p of meta.preemptions.slice(0, LIMITS.maxClassesPerPack)) if (typeof p === 'string') preempts.add(p);
    const classes = entry[0] as unknown[];
    const n = Math.min(classes.length, LIMITS.maxClassesPerPack);
    if (classes.length > n) skipped += classes.length - n;
    for (let i = 0; i < n; i++) {
      const c = classes[i];
      if (typeof c !== 'string' || c.length === 0 || c.length > LIMITS.maxName) {
        skipped++;
        continue;
      }
      let list = byClass.get(c);
      if (!list) {
        if (byClass.size >= LIMITS.maxClasses) {
          skipped++;
          continue;
        }
        byClass.set(c, (list = []));
      }
      if (list.some((p) => samePack(p, pack))) continue;
      if (list.length === 1) shared++;
      if (list.length >= LIMITS.maxCandidates) continue;
      const candidate = preempts.has(c) ? { ...pack, preempts: true } : pack;
      if (candidate.preempts) list.unshift(candidate);
      else list.push(candidate);
    }
  }
  return {
    lookup: (c) => byClass.get(c) ?? [],
    classCount: byClass.size,
    packCount,
    sharedClassCount: shared,
    skipped,
  };
}

function emptyIndex(skipped: number): NodeMapIndex {
  return { lookup: () => [], classCount: 0, packCount: 0, sharedClassCount: 0, skipped };
}

/** Parses map text (a file the user names); throws a one-sentence Error when it is not JSON. */
export function parseNodeMapText(text: string, source: PackSource, origin?: string): NodeMapIndex {
  if (text.length > LIMITS.maxMapBytes) throw new Error(`the node map is larger than ${formatBytes(LIMITS.maxMapBytes)}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`the node map is not valid JSON (${(e as Error).message.replace(/\.$/, '')})`, { cause: e });
  }
  if (!isRecord(value)) throw new Error('the node map is not a JSON object in the extension-node-map.json format');
  return parseNodeMap(value, source, origin);
}

function packOf(key: string, meta: Record<string, unknown>, source: PackSource, origin: string | undefined): PackCandidate | undefined {
  if (key.length === 0 || key.length > LIMITS.maxUrl) return undefined;
  const url = /^https?:\/\//i.test(key) ? safeHttpUrl(key) : undefined;
  const registryId = url ? undefined : registryIdOf(key);
  if (!url && !registryId) return undefined;
  const title = cleanText(meta.title_aux) ?? cleanText(meta.title) ?? (url ? (githubSlug(url) ?? url) : registryId!);
  const pack: PackCandidate = { title, source };
  if (url) pack.repository = url;
  if (registryId) pack.registryId = registryId;
  const slug = githubSlug(url);
  if (slug) pack.auxId = slug;
  if (origin) pack.origin = origin;
  return pack;
}

/** Registry ids are lowercase-ish slugs; anything else in a key position is not trusted as an id. */
export function registryIdOf(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(v) ? v : undefined;
}

function samePack(a: PackCandidate, b: PackCandidate): boolean {
  return (a.registryId !== undefined && a.registryId === b.registryId) || (a.repository !== undefined && a.repository === b.repository);
}
