// ComfyUI-Manager on the user's server, read from its source (ltdrdata/Comfy-Org ComfyUI-Manager,
// glob/manager_server.py; v4: comfyui_manager/glob/manager_server.py and data_models):
//   mapping  GET  /customnode/getmappings?mode=cache         | GET  /v2/customnode/getmappings?mode=cache
//   version  GET  /manager/version (text)                     | GET  /v2/manager/version
//   status   GET  /manager/queue/status → {total_count, done_count, in_progress_count, is_processing}
//   reset    POST /manager/queue/reset (GET before 2025-10)   | POST /v2/manager/queue/reset
//   install  POST /manager/queue/install {id, version, selected_version, repository?, files?, channel, mode, ui_id,
//            skip_post_install}                               | POST /v2/manager/queue/task {ui_id, client_id, kind:
//            'install', params: {id, version, selected_version, repository?, channel, mode, skip_post_install}}
//   start    POST /manager/queue/start (GET before)          | POST /v2/manager/queue/start
//   models   GET /externalmodel/getlist?mode=cache → {models: [{name, type, base, save_path, filename, url}]};
//            POST /manager/queue/install_model <that entry + ui_id> (Manager only installs models on its list)
// Security (is_allowed_security_level): a registry version is "low" risk; a Git URL not in Manager's list is
// "high" (needs security_level weak, or allow_git_url_install on a loopback server); refusals are 403/404.
import { type ComfyClient } from '../comfy/client';
import type { CallOptions } from '../comfy/transport';
import { isHttpError } from '../comfy/errors';
import { delay } from '../util/abort';
import { type Clock, systemClock } from '../util/clock';
import { isRecord } from '../util/guards';
import { parseNodeMap, type NodeMapIndex } from './nodeMap';
import { cleanText, LIMITS, safeHttpUrl, type ModelRef, type PackCandidate } from './types';
import { baseName } from '../util/display';

export type ManagerFlavor = 'legacy' | 'v2';

export interface ManagerInfo {
  flavor: ManagerFlavor;
  version?: string;
}

const prefix = (f: ManagerFlavor): string => (f === 'v2' ? 'v2/' : '');

/** Which Manager the server runs (v4 first), or undefined when neither answers. Never throws for a missing one. */
export async function detectManager(client: ComfyClient, opts?: CallOptions): Promise<ManagerInfo | undefined> {
  for (const flavor of ['v2', 'legacy'] as const) {
    try {
      const body = await client.extensionCall('GET', `${prefix(flavor)}manager/version`, { maxBytes: 4096 }, opts);
      void body;
      return { flavor };
    } catch (e) {
      if (isHttpError(e, 404) || isHttpError(e, 405)) continue;
      throw e;
    }
  }
  return undefined;
}

/** Manager's class → pack map from the server (its cached copy of extension-node-map.json). */
export async function fetchManagerMappings(client: ComfyClient, info: ManagerInfo, opts?: CallOptions): Promise<NodeMapIndex> {
  const body = await client.extensionCall(
    'GET',
    `${prefix(info.flavor)}customnode/getmappings`,
    { params: { mode: 'cache' }, maxBytes: LIMITS.maxMapBytes, json: true },
    { timeoutMs: 60_000, ...opts },
  );
  return parseNodeMap(body, 'manager', client.displayUrl);
}

export interface QueueStatus {
  total: number;
  done: number;
  inProgress: number;
  processing: boolean;
}

export async function managerQueueStatus(client: ComfyClient, info: ManagerInfo, opts?: CallOptions, clientId?: string): Promise<QueueStatus> {
  const body = await client.extensionCall(
    'GET',
    `${prefix(info.flavor)}manager/queue/status`,
    { ...(clientId && info.flavor === 'v2' ? { params: { client_id: clientId } } : {}), maxBytes: 64 * 1024, json: true },
    opts,
  );
  if (!isRecord(body)) throw new Error('ComfyUI-Manager answered its queue status in an unexpected shape.');
  const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);
  return { total: n(body.total_count), done: n(body.done_count), inProgress: n(body.in_progress_count), processing: body.is_processing === true };
}

/** What one install asks Manager for. */
export interface InstallPlan {
  pack: PackCandidate;
  /** The id Manager knows the pack by: registry id, else the repository's last path segment. */
  id: string;
  /** `1.2.3`, `nightly` (Git head) or `unknown` (a Git URL outside the registry). */
  selectedVersion: string;
  /** What a user should know before confirming: risk as Manager sees it, registry flags. */
  flags: string[];
  /** Why it cannot be installed through Manager (no registry id and no repository). */
  impossible?: string;
}

const COMMIT = /^[0-9a-f]{7,40}$/i;

/** Plans Manager installs for packs (one per pack; versions from the workflow when it saved a release). */
export function planInstalls(packs: readonly PackCandidate[]): InstallPlan[] {
  return packs.map((pack) => {
    const flags = [...(pack.flags ?? [])];
    if (pack.registryId) {
      const v = pack.version;
      if (v && COMMIT.test(v)) {
        flags.unshift('nightly (Git): Manager treats it as a Git install');
        return { pack, id: pack.registryId, selectedVersion: 'nightly', flags };
      }
      flags.unshift('Comfy Registry release: Manager treats it as low risk');
      return { pack, id: pack.registryId, selectedVersion: v && /^[0-9A-Za-z.+-]{1,64}$/.test(v) ? v : 'latest', flags };
    }
    const repo = safeHttpUrl(pack.repository);
    if (!repo) return { pack, id: pack.title, selectedVersion: 'unknown', flags, impossible: 'no registry id and no repository URL' };
    flags.unshift(
      'not in the Comfy Registry: Manager installs the Git repository only at security level "weak" (or with allow_git_url_install on a local server)',
    );
    const last = new URL(repo).pathname.split('/').filter(Boolean).pop() ?? pack.title;
    return { pack, id: last.replace(/\.git$/, ''), selectedVersion: 'unknown', flags };
  });
}

/** Manager's body for one install (legacy route; v4 wraps `params` in a task). */
export function installBody(plan: InstallPlan, uiId: string): Record<string, unknown> {
  const repo = safeHttpUrl(plan.pack.repository);
  const base: Record<string, unknown> = {
    id: plan.id,
    version: plan.selectedVersion === 'unknown' ? 'unknown' : plan.selectedVersion,
    selected_version: plan.selectedVersion,
    channel: 'default',
    mode: 'cache',
    skip_post_install: false,
    ui_id: uiId,
  };
  if (repo) {
    base.repository = repo;
    if (plan.selectedVersion === 'unknown') base.files = [repo];
  }
  return base;
}

/** Manager refused or failed one request; one sentence for the user. */
export class ManagerRefusedError extends Error {
  override readonly name = 'ManagerRefusedError';
}

/** POST, falling back to GET for Managers older than the CSRF change (those answer 405 to POST). */
async function postOrGet(client: ComfyClient, path: string, opts?: CallOptions): Promise<void> {
  try {
    await client.extensionCall('POST', path, {}, opts);
  } catch (e) {
    if (!isHttpError(e, 405)) throw e;
    await client.extensionCall('GET', path, {}, opts);
  }
}

export interface QueueResult {
  queued: InstallPlan[];
  refused: { plan: InstallPlan; reason: string }[];
}

/** Queues installs and starts Manager's worker. Throws ManagerRefusedError when Manager is busy. */
export async function queueInstalls(
  client: ComfyClient,
  info: ManagerInfo,
  plans: readonly InstallPlan[],
  clientId: string,
  opts?: CallOptions,
): Promise<QueueResult> {
  const status = await managerQueueStatus(client, info, opts);
  if (status.processing)
    throw new ManagerRefusedError(`ComfyUI-Manager is already working on ${status.total - status.done} task(s); try again when it has finished.`);
  const p = prefix(info.flavor);
  await postOrGet(client, `${p}manager/queue/reset`, opts);
  const result: QueueResult = { queued: [], refused: [] };
  let i = 0;
  for (const plan of plans) {
    if (plan.impossible) {
      result.refused.push({ plan, reason: plan.impossible });
      continue;
    }
    const uiId = `comfyui-workflows-${clientId.slice(0, 8)}-${i++}`;
    const body = installBody(plan, uiId);
    try {
      if (info.flavor === 'v2') {
        const { ui_id: _u, ...params } = body;
        await client.extensionCall('POST', 'v2/manager/queue/task', { body: { ui_id: uiId, client_id: clientId, kind: 'install', params } }, opts);
      } else {
        await client.extensionCall('POST', 'manager/queue/install', { body }, opts);
      }
      result.queued.push(plan);
    } catch (e) {
      if (isHttpError(e, 403)) result.refused.push({ plan, reason: "ComfyUI-Manager's security level forbids installs on this server" });
      else if (isHttpError(e, 404)) result.refused.push({ plan, reason: "ComfyUI-Manager's security policy refused this pack (see the server's terminal)" });
      else if (isHttpError(e, 400)) result.refused.push({ plan, reason: 'ComfyUI-Manager rejected the request as invalid' });
      else throw e;
    }
  }
  if (result.queued.length > 0) await postOrGet(client, `${p}manager/queue/start`, opts);
  return result;
}

export interface FollowOptions {
  signal?: AbortSignal;
  pollMs?: number;
  clock?: Clock;
  onProgress?: (s: QueueStatus) => void;
  /** Give up after this long (default 30 minutes): installs can take long, but not forever. */
  maxMs?: number;
  clientId?: string;
}

/** Polls Manager's queue until it stops processing; resolves with the last status. */
export async function followManagerQueue(client: ComfyClient, info: ManagerInfo, options: FollowOptions = {}): Promise<QueueStatus> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const pollMs = options.pollMs ?? 1000;
  let last: QueueStatus | undefined;
  for (;;) {
    last = await managerQueueStatus(client, info, options.signal ? { signal: options.signal } : undefined, options.clientId);
    options.onProgress?.(last);
    if (!last.processing && last.inProgress === 0) return last;
    if (clock.now() - started > (options.maxMs ?? 30 * 60_000)) return last;
    await delay(pollMs, options.signal, clock);
  }
}

/** An entry of Manager's model list (the only models Manager agrees to download). */
export interface ManagerModelEntry {
  name: string;
  type: string;
  base: string;
  save_path: string;
  filename: string;
  url: string;
}

/** Finds a missing model on Manager's model list (by file name and, when known, URL or folder). */
export async function findManagerModel(client: ComfyClient, info: ManagerInfo, model: ModelRef, opts?: CallOptions): Promise<ManagerModelEntry | undefined> {
  let body: unknown;
  try {
    body = await client.extensionCall(
      'GET',
      `${prefix(info.flavor)}externalmodel/getlist`,
      { params: { mode: 'cache' }, maxBytes: 32 * 1024 * 1024, json: true },
      opts,
    );
  } catch (e) {
    if (isHttpError(e, 404) && info.flavor === 'v2')
      body = await client.extensionCall('GET', 'externalmodel/getlist', { params: { mode: 'cache' }, maxBytes: 32 * 1024 * 1024, json: true }, opts);
    else throw e;
  }
  if (!isRecord(body) || !Array.isArray(body.models)) return undefined;
  const base = baseName(model.name);
  let best: ManagerModelEntry | undefined;
  for (const m of body.models.slice(0, 50_000)) {
    if (!isRecord(m) || m.filename !== base) continue;
    const entry: ManagerModelEntry = {
      name: cleanText(m.name) ?? base,
      type: cleanText(m.type, 64) ?? '',
      base: cleanText(m.base, 64) ?? '',
      save_path: cleanText(m.save_path, 256) ?? 'default',
      filename: base,
      url: safeHttpUrl(m.url) ?? '',
    };
    if (!entry.url) continue;
    if (model.url && entry.url === model.url) return entry;
    if (!best || (model.directory && entry.save_path === model.directory)) best = entry;
  }
  return best;
}

/** Queues a model download from Manager's list and starts the worker. */
export async function queueModelInstall(client: ComfyClient, info: ManagerInfo, entry: ManagerModelEntry, clientId: string, opts?: CallOptions): Promise<void> {
  const uiId = `comfyui-workflows-model-${clientId.slice(0, 8)}`;
  const p = prefix(info.flavor);
  try {
    await client.extensionCall(
      'POST',
      `${p}manager/queue/install_model`,
      { body: { ...entry, ui_id: uiId, ...(info.flavor === 'v2' ? { client_id: clientId } : {}) } },
      opts,
    );
  } catch (e) {
    if (isHttpError(e, 403)) throw new ManagerRefusedError("ComfyUI-Manager's security level forbids model downloads on this server.");
    if (isHttpError(e, 400)) throw new ManagerRefusedError('ComfyUI-Manager refused the model: it is not on its model list.');
    throw e;
  }
  await postOrGet(client, `${p}manager/queue/start`, opts);
}
