// Node definitions for the editor: fetched from the active server's /object_info (with its version from
// /system_stats), cached per server in globalStorage so validation and completion work offline with the last known
// definitions, or read from a dump file (`comfyui.objectInfoPath`) instead of any server.
//
// Invariants: a failed fetch keeps the last good definitions; a corrupt cache file is deleted (the next fetch
// rewrites it); there is at most one fetch in flight per server; switching servers abandons the old fetch.
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { prepareNodeDefs, type NodeDefs } from '../../core/workflow/nodeDefs';
import { parseNodeReplacements, type NodeReplacements } from '../../core/workflow/nodeReplacements';
import type { Logger } from '../../core/util/logger';
import { errorMessage } from '../../core/util/errorMessage';
import type { SystemStats } from '../../core/comfy/types';
import { isCancellation, isTransient } from '../../core/comfy/errors';
import { delay } from '../../core/util/abort';
import { copyToShared, parseJsonObjectChunked } from '../../core/util/chunkedJson';
import { isRecord } from '../../core/util/guards';

export type DefsSource = 'server' | 'cache' | 'file';

/** Prepared definitions plus the raw /object_info body (UI-workflow conversion reads the raw specs). */
export interface Definitions {
  defs: NodeDefs;
  objectInfo: Record<string, unknown>;
  /**
   * `objectInfo` as JSON bytes, when it came as bytes (server, cache, file): the validation worker gets a copy of
   * these (a transfer, no structured clone of a 100 MB object graph on the host) and the cache is written from them.
   */
  objectInfoBytes?: Uint8Array | undefined;
  /** The server's `comfyui_version`, when the definitions came from it: validation follows that server's rules. */
  serverVersion?: string | undefined;
  /** The server's /node_replacements (0.33+), when it has them: hints and quick fixes for deprecated classes. */
  nodeReplacements?: NodeReplacements | undefined;
}

export interface NodeDefsSnapshot extends Definitions {
  source: DefsSource;
  /** Server URL for display (no secrets), or the dump file path. */
  origin: string;
  serverVersion: string | undefined;
  /** When the definitions were fetched (server/cache) or the file last modified (file), ms since epoch. */
  fetchedAt: number;
  classCount: number;
}

/** What the store needs from a server (ComfyClient satisfies it). */
export interface DefsFetcher {
  getObjectInfo(opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<unknown>;
  /** /object_info parsed in time slices, with its bytes (ComfyClient.getObjectInfoChunked); preferred when present. */
  getObjectInfoChunked?(opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<{ objectInfo: unknown; bytes: Uint8Array }>;
  getSystemStats(opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<SystemStats>;
  getNodeReplacements?(opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<unknown>;
}

export type RefreshResult = { ok: true; snapshot: NodeDefsSnapshot } | { ok: false; error: unknown; cancelled: boolean };

interface CacheFile {
  format: 1;
  server: string;
  fetchedAt: number;
  serverVersion?: string;
  objectInfo: Record<string, unknown>;
}

export class NodeDefsStore implements vscode.Disposable {
  private snapshot: NodeDefsSnapshot | undefined;
  private readonly _onDidChange = new vscode.EventEmitter<NodeDefsSnapshot | undefined>();
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidChangeStatus = new vscode.EventEmitter<void>();
  /** Fires when the definitions OR `lastError` change (status displays listen to this one). */
  readonly onDidChangeStatus = this._onDidChangeStatus.event;
  /** The current server (display form, no secrets) and its fetcher; undefined in file mode. */
  private server: { key: string; display: string; fetcher: DefsFetcher } | undefined;
  private inFlight: { key: string; promise: Promise<RefreshResult>; controller: AbortController } | undefined;
  private generation = 0;
  private disposed = false;
  /** Cache writes in progress (awaited by dispose()). */
  private readonly writes = new Set<Promise<void>>();
  private _lastError: string | undefined;

  constructor(
    private readonly storageDir: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): NodeDefsSnapshot | undefined {
    return this.snapshot;
  }

  /** The last fetch/load failure, one sentence, for the status bar tooltip (cleared by a success). */
  get lastError(): string | undefined {
    return this._lastError;
  }
  private set lastError(value: string | undefined) {
    if (value === this._lastError) return;
    this._lastError = value;
    this._onDidChangeStatus.fire();
  }

  /**
   * Switches to a server: loads its cached definitions (no network) and remembers the fetcher for `refresh()`.
   * Resolves once the cache was read (or found missing/corrupt).
   */
  async useServer(displayUrl: string, fetcher: DefsFetcher): Promise<void> {
    const key = cacheKey(displayUrl);
    const gen = this.switchTo();
    this.server = { key, display: displayUrl, fetcher };
    const cached = await this.readCache(key, displayUrl);
    if (gen !== this.generation) return;
    this.set(cached);
  }

  /** No server and no file (the URL is unusable): no definitions until one is configured. */
  useNothing(): void {
    this.switchTo();
    this.server = undefined;
    this.set(undefined);
  }

  /** Switches to a dump file (no server, no cache). Failure leaves no definitions and a clear `lastError`. */
  async useFile(filePath: string): Promise<boolean> {
    const gen = this.switchTo();
    this.server = undefined;
    try {
      const [raw, stat] = await Promise.all([fsp.readFile(filePath), fsp.stat(filePath)]);
      const bytes = withoutBom(raw);
      const objectInfo = await parseJsonObjectChunked(bytes);
      const shared = await copyToShared(bytes);
      const defs = prepareNodeDefs(objectInfo);
      if (gen !== this.generation) return false;
      this.lastError = undefined;
      this.set({
        defs,
        objectInfo,
        objectInfoBytes: shared,
        source: 'file',
        origin: filePath,
        serverVersion: undefined,
        fetchedAt: stat.mtimeMs,
        classCount: defs.size,
      });
      this.log.info(`Node definitions: ${defs.size} classes from ${filePath}`);
      return true;
    } catch (error) {
      if (gen !== this.generation) return false;
      this.lastError = vscode.l10n.t('Cannot read node definitions from {0}: {1}', filePath, errorMessage(error));
      this.log.warn(this.lastError);
      this.set(undefined);
      return false;
    }
  }

  /**
   * Fetches /object_info (+ /system_stats for the version) from the current server. On success the cache file is
   * rewritten and listeners are told; on failure the last good definitions stay. Concurrent calls share one fetch.
   */
  refresh(options: { timeoutMs?: number; restart?: boolean } = {}): Promise<RefreshResult> {
    const server = this.server;
    if (!server) return Promise.resolve({ ok: false, error: new Error(vscode.l10n.t('No ComfyUI server is configured.')), cancelled: false });
    if (this.inFlight?.key === server.key) {
      // After a reconnect, a fetch begun before the connection dropped may be doomed: start over instead.
      if (!options.restart) return this.inFlight.promise;
      this.inFlight.controller.abort();
      this.inFlight = undefined;
    }
    const controller = new AbortController();
    const gen = this.generation;
    const promise = this.fetch(server, controller.signal, options.timeoutMs, gen).finally(() => {
      if (this.inFlight?.promise === promise) this.inFlight = undefined;
    });
    this.inFlight = { key: server.key, promise, controller };
    return promise;
  }

  private async fetch(
    server: { key: string; display: string; fetcher: DefsFetcher },
    signal: AbortSignal,
    timeoutMs: number | undefined,
    gen: number,
  ): Promise<RefreshResult> {
    try {
      const [{ objectInfo, bytes }, version, replacements] = await this.fetchOnce(server.fetcher, signal, timeoutMs).catch(async (error: unknown) => {
        // Right after a server restart the first request may hit a pooled connection the old process closed:
        // one quick retry tells that apart from a server that is really gone.
        if (!isTransient(error) || signal.aborted) throw error;
        await delay(300, signal);
        return this.fetchOnce(server.fetcher, signal, timeoutMs);
      });
      // The bytes in shared memory (copied in slices): the validation worker reads them without another copy.
      const shared = bytes ? await copyToShared(bytes, { signal }) : undefined;
      const defs = prepareNodeDefs(objectInfo);
      if (gen !== this.generation) return { ok: false, error: new Error('superseded'), cancelled: true };
      const snapshot: NodeDefsSnapshot = {
        defs,
        objectInfo: objectInfo as Record<string, unknown>,
        ...(shared ? { objectInfoBytes: shared } : {}),
        source: 'server',
        origin: server.display,
        serverVersion: version,
        fetchedAt: this.now(),
        classCount: defs.size,
      };
      if (replacements && replacements.size > 0) snapshot.nodeReplacements = replacements;
      this.lastError = undefined;
      this.set(snapshot);
      this.log.info(`Node definitions: ${defs.size} classes from ${server.display}${version ? ` (ComfyUI ${version})` : ''}`);
      // Not awaited: the fetch is done once the definitions are in use; writing the cache must not hold it open.
      void this.writeCache(
        server.key,
        { format: 1, server: server.display, fetchedAt: snapshot.fetchedAt, serverVersion: version },
        shared ?? (objectInfo as Record<string, unknown>),
      );
      return { ok: true, snapshot };
    } catch (error) {
      const cancelled = isCancellation(error) || signal.aborted;
      if (!cancelled && gen === this.generation) {
        this.lastError = errorMessage(error);
        this.log.warn(`Fetching node definitions from ${server.display} failed: ${this.lastError}`);
      }
      return { ok: false, error, cancelled };
    }
  }

  private fetchOnce(
    fetcher: DefsFetcher,
    signal: AbortSignal,
    timeoutMs: number | undefined,
  ): Promise<[{ objectInfo: unknown; bytes?: Uint8Array }, string | undefined, NodeReplacements | undefined]> {
    const opts = { signal, ...(timeoutMs ? { timeoutMs } : {}) };
    return Promise.all([
      fetcher.getObjectInfoChunked ? fetcher.getObjectInfoChunked(opts) : fetcher.getObjectInfo(opts).then((objectInfo) => ({ objectInfo })),
      // The version is nice to show but not worth failing the refresh for.
      fetcher.getSystemStats({ signal, timeoutMs: 10_000 }).then(
        (s) => (typeof s?.system?.comfyui_version === 'string' ? s.system.comfyui_version : undefined),
        () => undefined,
      ),
      // Older servers have no /node_replacements (404): no hints then.
      fetcher.getNodeReplacements
        ? fetcher.getNodeReplacements({ signal, timeoutMs: 10_000 }).then(parseNodeReplacements, () => undefined)
        : Promise.resolve(undefined),
    ]);
  }

  /** True while a fetch from the server is in flight. */
  get refreshing(): boolean {
    return this.inFlight !== undefined;
  }

  /** Path of the cache file of a server (exposed for tests and the "corrupt cache" path). */
  cacheFile(displayUrl: string): string {
    return path.join(this.storageDir, 'nodeDefs', `${cacheKey(displayUrl)}.json`);
  }

  private async readCache(key: string, displayUrl: string): Promise<NodeDefsSnapshot | undefined> {
    const file = path.join(this.storageDir, 'nodeDefs', `${key}.json`);
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(file);
    } catch {
      return undefined; // no cache yet
    }
    try {
      // In time slices: the cache of a 100 MB /object_info must not hold the editor for the parse.
      const spans = new Map<string, { start: number; end: number }>();
      const data = (await parseJsonObjectChunked(bytes, { spans })) as unknown as CacheFile;
      const span = spans.get('objectInfo');
      if (data?.format !== 1 || typeof data.fetchedAt !== 'number' || !isRecord(data.objectInfo) || !span) {
        throw new Error('unexpected cache layout');
      }
      const defs = prepareNodeDefs(data.objectInfo);
      this.log.info(`Node definitions: ${defs.size} classes from the cache of ${displayUrl} (fetched ${new Date(data.fetchedAt).toISOString()})`);
      return {
        defs,
        objectInfo: data.objectInfo,
        objectInfoBytes: await copyToShared(bytes.subarray(span.start, span.end)),
        source: 'cache',
        origin: displayUrl,
        serverVersion: data.serverVersion,
        fetchedAt: data.fetchedAt,
        classCount: defs.size,
      };
    } catch (error) {
      // A half-written or hand-edited cache must not poison validation: drop it; the next fetch rewrites it.
      this.log.warn(`Discarding the corrupt node-definitions cache ${file}: ${errorMessage(error)}`);
      await fsp.rm(file, { force: true }).catch(() => {});
      return undefined;
    }
  }

  private writeCache(key: string, header: Omit<CacheFile, 'objectInfo'>, objectInfo: Uint8Array | Record<string, unknown>): void {
    if (this.disposed) return;
    const write = this.doWriteCache(key, header, objectInfo).finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /**
   * A cache write that outlives deactivation must be harmless: it stops at the next step once disposed, removes
   * its temp file and any folder its mkdir re-created after the storage folder was deleted, and logs nothing.
   */
  private async doWriteCache(key: string, header: Omit<CacheFile, 'objectInfo'>, objectInfo: Uint8Array | Record<string, unknown>): Promise<void> {
    const dir = path.join(this.storageDir, 'nodeDefs');
    const file = path.join(dir, `${key}.json`);
    // Write-then-rename so a crash mid-write never leaves a truncated cache behind.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    let created: string | undefined;
    try {
      created = await fsp.mkdir(dir, { recursive: true });
      if (this.disposed) return await this.undoWrite(tmp, created);
      // The JSON of a CacheFile, with /object_info as the bytes received (already checked JSON): no JSON.stringify of
      // 100 MB on the host; the pieces are written one after the other by the file system thread.
      const head = JSON.stringify(header);
      const body = objectInfo instanceof Uint8Array ? objectInfo : Buffer.from(JSON.stringify(objectInfo));
      await writePieces(tmp, [Buffer.from(`${head.slice(0, -1)},"objectInfo":`), body, Buffer.from('}')]);
      if (this.disposed) return await this.undoWrite(tmp, created);
      await fsp.rename(tmp, file);
    } catch (error) {
      if (!this.disposed) this.log.warn(`Could not write the node-definitions cache ${file}: ${errorMessage(error)}`);
      await this.undoWrite(tmp, this.disposed ? created : undefined);
    }
  }

  private async undoWrite(tmp: string, createdDir: string | undefined): Promise<void> {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    if (createdDir) await fsp.rm(createdDir, { recursive: true, force: true }).catch(() => {});
  }

  private switchTo(): number {
    this.inFlight?.controller.abort();
    this.inFlight = undefined;
    return ++this.generation;
  }

  private set(snapshot: NodeDefsSnapshot | undefined): void {
    if (snapshot === this.snapshot) return;
    this.snapshot = snapshot;
    this._onDidChange.fire(snapshot);
    this._onDidChangeStatus.fire();
  }

  /** Stops everything; resolves when cache writes begun before are settled (deactivation may await it). */
  dispose(): Promise<void> {
    this.disposed = true;
    this.switchTo();
    this._onDidChange.dispose();
    this._onDidChangeStatus.dispose();
    return Promise.allSettled([...this.writes]).then(() => undefined);
  }
}

/** Writes the pieces to a new file, one after the other (no concatenated copy of a large body). */
async function writePieces(file: string, pieces: Uint8Array[]): Promise<void> {
  const fh = await fsp.open(file, 'w');
  try {
    for (const piece of pieces) {
      for (let done = 0; done < piece.length;) done += (await fh.write(piece, done, piece.length - done)).bytesWritten;
    }
  } finally {
    await fh.close();
  }
}

/** A file may start with a UTF-8 byte order mark (editors on Windows write one); JSON does not. */
function withoutBom(bytes: Buffer): Buffer {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/** Cache file name of a server: a hash of its display URL (no secrets ever reach the file system name). */
export function cacheKey(displayUrl: string): string {
  return createHash('sha256').update(displayUrl.replace(/\/+$/, '')).digest('hex').slice(0, 20);
}
