// What the resolver answers: which pack provides a node class, and where a model file comes from, with the
// evidence for each answer. Everything here is plain data so the CLI, the diagnostics and the list view share it.

/** Where an answer came from, in order of trust (the workflow's own record first). */
export type PackSource = 'workflow' | 'nodeMap' | 'manager' | 'registry';

/** Trust order: lower is better. The workflow says what it was saved with; a user's map beats a server's. */
export const SOURCE_RANK: Record<PackSource, number> = { workflow: 0, nodeMap: 1, manager: 2, registry: 3 };

/** A pack that provides a class. Strings come from files and servers: render them as text, never as markup. */
export interface PackCandidate {
  /** Display title (the registry's name, Manager's `title_aux`, or the id). */
  title: string;
  /** `https://github.com/owner/repo` or another http(s) URL of the pack's repository, when known. */
  repository?: string;
  /** Comfy Registry id (`comfyui-impact-pack`), when known. */
  registryId?: string;
  /** `owner/repo` on GitHub, for packs outside the registry (the frontend's `aux_id`). */
  auxId?: string;
  /** The version the workflow was saved with (`ver`), else the registry's latest. */
  version?: string;
  /** Whether `version` is what the workflow was saved with (true) or the latest known (false). */
  savedVersion?: boolean;
  source: PackSource;
  /** Where the source was, e.g. the server's display URL for Manager or the map file's name. */
  origin?: string;
  /** Facts a user should weigh before installing (registry status, admin tags, "not in the registry"). */
  flags?: string[];
  /** Manager's `preemptions`: this pack claims the class ahead of others. */
  preempts?: boolean;
}

/** A model file a workflow needs. */
export interface ModelRef {
  name: string;
  /** Folder under models/ (`checkpoints`, `diffusion_models`, …), when known. */
  directory?: string;
  /** Download URL (http/https only). */
  url?: string;
  hash?: string;
  hashType?: string;
}

/** Limits for everything read from files and servers. */
export const LIMITS = {
  /** Longest class name, id, title or version kept. */
  maxName: 256,
  maxUrl: 2048,
  /** Packs read from one map (Manager's has ~5,600). */
  maxPacks: 50_000,
  /** Class names kept per pack. */
  maxClassesPerPack: 10_000,
  /** Class names in one map (Manager's has ~42,500). */
  maxClasses: 500_000,
  /** Candidates kept per class. */
  maxCandidates: 8,
  /** Bytes read from a map file or mapping route. */
  maxMapBytes: 64 * 1024 * 1024,
  /** Bytes read from one registry answer. */
  maxRegistryBytes: 256 * 1024,
  /** Models read from one workflow. */
  maxModels: 1_000,
} as const;

/** A bounded, single-line copy of a string from outside (control characters removed), or undefined. */
export function cleanText(v: unknown, max: number = LIMITS.maxName): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  if (!s) return undefined;
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** An http(s) URL without credentials, or undefined: the only kind of link the extension opens or prints. */
export function safeHttpUrl(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.length > LIMITS.maxUrl) return undefined;
  let u: URL;
  try {
    u = new URL(v.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  if (u.username || u.password) return undefined;
  return u.toString();
}

/** `owner/repo` of a GitHub URL (or of an `owner/repo` string), for the short form in messages. */
export function githubSlug(repositoryOrAux: string | undefined): string | undefined {
  if (!repositoryOrAux) return undefined;
  const plain = /^([A-Za-z0-9_.-]{1,100})\/([A-Za-z0-9_.-]{1,100})$/.exec(repositoryOrAux);
  if (plain) return `${plain[1]}/${plain[2]!.replace(/\.git$/, '')}`;
  let u: URL;
  try {
    u = new URL(repositoryOrAux);
  } catch {
    return undefined;
  }
  if (u.hostname !== 'github.com' && u.hostname !== 'www.github.com') return undefined;
  const parts = u.pathname.split('/').filter(Boolean);
  if (parts.length < 2) return undefined;
  return `${parts[0]}/${parts[1]!.replace(/\.git$/, '')}`;
}

/** The pack's page: its repository, else its registry page. */
export function packPageUrl(p: PackCandidate): string | undefined {
  if (p.repository) return safeHttpUrl(p.repository);
  if (p.auxId && githubSlug(p.auxId)) return `https://github.com/${githubSlug(p.auxId)}`;
  if (p.registryId) return `https://registry.comfy.org/nodes/${encodeURIComponent(p.registryId)}`;
  return undefined;
}
