// The Comfy Registry (what the web frontend asks): `GET /comfy-nodes/{comfyNodeName}/node` answers the pack
// ("Node": id, name, repository, latest_version.version, status, tags_admin, …) that provides a ComfyUI node class,
// 404 when none does (comfy-cli's vendored openapi.yml, operationId getNodeByComfyNodeName).
// undici like every other network call; timeout + AbortSignal; bounded bodies; answers cached (also "none").
import { request, type Dispatcher } from 'undici';
import { deadline } from '../util/abort';
import { type Clock, systemClock } from '../util/clock';
import { isRecord } from '../util/guards';
import { registryIdOf } from './nodeMap';
import { cleanText, githubSlug, LIMITS, safeHttpUrl, type PackCandidate } from './types';
import { formatBytes } from '../util/display';

export const DEFAULT_REGISTRY_URL = 'https://api.comfy.org';

export interface RegistryOptions {
  baseUrl?: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  clock?: Clock;
  /** How long an answer (also "no pack") is reused; default one day. */
  ttlMs?: number;
  maxEntries?: number;
}

/** The registry could not answer (network, timeout, 5xx, not JSON); one sentence. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
}

interface Entry {
  value: PackCandidate | null;
  at: number;
}

export class RegistryClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<PackCandidate | null>>();
  /** Requests actually sent (for tests and the log). */
  requests = 0;

  constructor(private readonly options: RegistryOptions = {}) {
    const base = safeHttpUrl(options.baseUrl ?? DEFAULT_REGISTRY_URL);
    if (!base) throw new RegistryError(`The registry URL must be an http(s) URL without credentials.`);
    this.baseUrl = base.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.maxEntries = options.maxEntries ?? 5_000;
  }

  /** A cached answer without asking: the pack, null (the registry knows none), undefined (not asked yet). */
  cached(className: string): PackCandidate | null | undefined {
    const e = this.cache.get(className);
    if (!e) return undefined;
    if (this.clock.now() - e.at > this.ttlMs) {
      this.cache.delete(className);
      return undefined;
    }
    return e.value;
  }

  /** The pack that provides `className`, or null when the registry has none. Throws RegistryError. */
  async packForClass(className: string, signal?: AbortSignal): Promise<PackCandidate | null> {
    const hit = this.cached(className);
    if (hit !== undefined) return hit;
    const running = this.inflight.get(className);
    if (running) return running;
    const p = this.fetch(className, signal).finally(() => this.inflight.delete(className));
    this.inflight.set(className, p);
    const value = await p;
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(className, { value, at: this.clock.now() });
    return value;
  }

  private async fetch(className: string, signal: AbortSignal | undefined): Promise<PackCandidate | null> {
    if (className.length === 0 || className.length > LIMITS.maxName) return null;
    const url = `${this.baseUrl}/comfy-nodes/${encodeURIComponent(className)}/node`;
    const dl = deadline(signal, this.timeoutMs, this.clock);
    this.requests++;
    try {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method: 'GET',
          headers: { accept: 'application/json' },
          signal: dl.signal,
          ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
        });
      } catch (e) {
        throw this.fail(dl, e);
      }
      if (res.statusCode === 404) {
        await res.body.dump().catch(() => undefined);
        return null;
      }
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump().catch(() => undefined);
        throw new RegistryError(`The Comfy Registry answered HTTP ${res.statusCode}.`);
      }
      let text: string;
      try {
        text = await readCapped(res.body, LIMITS.maxRegistryBytes);
      } catch (e) {
        throw e instanceof RegistryError ? e : this.fail(dl, e);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new RegistryError('The Comfy Registry did not answer JSON.');
      }
      return registryNodeToPack(body);
    } finally {
      dl.dispose();
    }
  }

  private fail(dl: { cancelled(): boolean; timedOut(): boolean }, e: unknown): Error {
    if (dl.cancelled()) {
      const err = new Error('cancelled');
      err.name = 'AbortError';
      return err;
    }
    if (dl.timedOut()) return new RegistryError(`The Comfy Registry did not answer within ${Math.round(this.timeoutMs / 1000)} s.`);
    const code = (e as { code?: string } | undefined)?.code;
    return new RegistryError(`The Comfy Registry at ${this.baseUrl} is unreachable${code ? ` (${code})` : ''}.`);
  }
}

async function readCapped(body: Dispatcher.ResponseData['body'], max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      body.destroy();
      throw new RegistryError(`The Comfy Registry's answer is larger than ${formatBytes(max)}.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The registry's `Node` as a candidate; null when the answer has no usable id. */
export function registryNodeToPack(body: unknown): PackCandidate | null {
  if (!isRecord(body)) return null;
  const id = registryIdOf(body.id);
  if (!id) return null;
  const repository = safeHttpUrl(body.repository);
  const latest = isRecord(body.latest_version) ? cleanText(body.latest_version.version, 64) : undefined;
  const flags: string[] = [];
  const status = cleanText(body.status, 64);
  if (status && status !== 'NodeStatusActive') flags.push(status.replace(/^NodeStatus/, '').toLowerCase());
  if (isRecord(body.latest_version)) {
    const vs = cleanText(body.latest_version.status, 64);
    if (vs && vs !== 'NodeVersionStatusActive') flags.push(`latest version ${vs.replace(/^NodeVersionStatus/, '').toLowerCase()}`);
  }
  if (Array.isArray(body.tags_admin))
    for (const t of body.tags_admin.slice(0, 8)) {
      const tag = cleanText(t, 64);
      if (tag) flags.push(tag);
    }
  const slug = githubSlug(repository);
  return {
    title: cleanText(body.name) ?? id,
    registryId: id,
    source: 'registry',
    ...(repository ? { repository } : {}),
    ...(slug ? { auxId: slug } : {}),
    ...(latest ? { version: latest, savedVersion: false } : {}),
    ...(flags.length ? { flags } : {}),
  };
}
