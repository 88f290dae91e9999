// Output bytes fetched by the extension host (with the client's auth headers) and kept under globalStorage, so the
// webview can show them through asWebviewUri without ever talking to the server. The directory has a size cap
// with least-recently-used eviction (bookkeeping in src/core/media/byteLru.ts); concurrent requests for the same
// file share one download.
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { isHttpError } from '../../core/comfy/errors';
import type { FileRef } from '../../core/comfy/types';
import { ByteLru } from '../../core/media/byteLru';
import { mediaKindOf } from '../../core/media/fileNames';
import { imageInfo } from '../../core/media/imageInfo';

export interface ViewFetcher {
  view(
    file: { filename: string; type?: string; subfolder?: string; preview?: string },
    opts?: { signal?: AbortSignal; timeoutMs?: number; maxBytes?: number },
  ): Promise<{ bytes: Uint8Array; contentType: string }>;
}

export type Variant = 'thumb' | 'full';

export interface CachedFile {
  path: string;
  size: number;
  mimeType: string;
  width?: number;
  height?: number;
}

export interface OutputCacheOptions {
  dir: string;
  capBytes: number;
  /** Largest file fetched for display (thumbnails, live gallery). */
  maxPreviewBytes: number;
  /** Largest file fetched for save/open. */
  maxFullBytes: number;
}

/** Re-encoding through `/view?preview=` keeps thumbnails small; GIFs and WebPs may be animated, so they stay as they are. */
const THUMBNAIL_SOURCE = /\.(png|jpe?g|bmp|tiff?)$/i;

export class OutputCache {
  private readonly lru: ByteLru<string>;
  private readonly inflight = new Map<string, Promise<CachedFile>>();
  private readonly meta = new Map<string, CachedFile>();
  private loaded: Promise<void> | undefined;
  /** Servers that answered an error to `preview=`: later thumbnails are fetched as they are. */
  private readonly noPreview = new Set<string>();

  constructor(private readonly options: OutputCacheOptions) {
    this.lru = new ByteLru(options.capBytes);
  }

  get dir(): string {
    return this.options.dir;
  }
  get totalBytes(): number {
    return this.lru.totalBytes;
  }

  /** The cached copy of `file` (fetching it when missing). `server` keys the cache per server. */
  async get(fetcher: ViewFetcher, server: string, file: FileRef, variant: Variant, signal?: AbortSignal): Promise<CachedFile> {
    await this.load();
    const wantsThumb = variant === 'thumb' && THUMBNAIL_SOURCE.test(file.filename) && !this.noPreview.has(server);
    const key = cacheKey(server, file, wantsThumb ? 'thumb' : 'full');
    const known = this.meta.get(key);
    if (known && this.lru.touch(key)) {
      void fsp.utimes(known.path, new Date(), new Date()).catch(() => undefined);
      return known;
    }
    const running = this.inflight.get(key);
    if (running) return running;
    const job = this.download(fetcher, server, file, wantsThumb, key, variant, signal).finally(() => this.inflight.delete(key));
    this.inflight.set(key, job);
    return job;
  }

  private async download(
    fetcher: ViewFetcher,
    server: string,
    file: FileRef,
    thumb: boolean,
    key: string,
    variant: Variant,
    signal?: AbortSignal,
  ): Promise<CachedFile> {
    const maxBytes = variant === 'thumb' ? this.options.maxPreviewBytes : this.options.maxFullBytes;
    const ref = { filename: file.filename, type: file.type, subfolder: file.subfolder };
    let res: { bytes: Uint8Array; contentType: string };
    if (thumb) {
      try {
        res = await fetcher.view({ ...ref, preview: 'webp;90' }, { signal, maxBytes });
      } catch (error) {
        // A server (or proxy) that rejects `preview=` still serves the file itself; 404/403 are about the file.
        if (!isHttpError(error) || isHttpError(error, 404) || isHttpError(error, 403)) throw error;
        this.noPreview.add(server);
        res = await fetcher.view(ref, { signal, maxBytes });
      }
    } else {
      res = await fetcher.view(ref, { signal, maxBytes });
    }
    const info = imageInfo(res.bytes);
    if (mediaKindOf(file.filename) === 'image' && !info)
      throw new Error(`${file.filename} is not an image the preview can show (the server sent ${res.contentType}).`);
    const ext = info
      ? `.${info.mimeType.split('/')[1]}`
      : path
          .extname(file.filename)
          .replace(/[^.A-Za-z0-9]/g, '')
          .slice(0, 8);
    const target = path.join(this.options.dir, `${key}${ext}`);
    await fsp.mkdir(this.options.dir, { recursive: true });
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await fsp.writeFile(tmp, res.bytes);
    await fsp.rename(tmp, target);
    const cached: CachedFile = {
      path: target,
      size: res.bytes.byteLength,
      mimeType: info?.mimeType ?? res.contentType,
      ...(info?.width ? { width: info.width, height: info.height } : {}),
    };
    this.meta.set(key, cached);
    for (const evicted of this.lru.set(key, cached.size)) {
      if (evicted === key) continue; // larger than the whole cap: kept on disk for this use only, not indexed
      const gone = this.meta.get(evicted);
      this.meta.delete(evicted);
      if (gone) await fsp.rm(gone.path, { force: true }).catch(() => undefined);
    }
    return cached;
  }

  /** Reads the directory once: files from earlier sessions count against the cap, oldest evicted first. */
  private load(): Promise<void> {
    this.loaded ??= (async () => {
      let names: string[];
      try {
        names = await fsp.readdir(this.options.dir);
      } catch {
        return;
      }
      const files: { key: string; path: string; size: number; mtime: number }[] = [];
      for (const name of names) {
        const full = path.join(this.options.dir, name);
        if (name.endsWith('.tmp')) {
          await fsp.rm(full, { force: true }).catch(() => undefined);
          continue;
        }
        const m = /^([0-9a-f]{40})(\.[A-Za-z0-9]+)?$/.exec(name);
        if (!m) continue;
        const st = await fsp.stat(full).catch(() => undefined);
        if (st?.isFile()) files.push({ key: m[1]!, path: full, size: st.size, mtime: st.mtimeMs });
      }
      files.sort((a, b) => a.mtime - b.mtime);
      for (const f of files) {
        const head = await readHead(f.path, 64 * 1024);
        const info = head ? imageInfo(head) : undefined;
        this.meta.set(f.key, {
          path: f.path,
          size: f.size,
          mimeType: info?.mimeType ?? 'application/octet-stream',
          ...(info?.width ? { width: info.width, height: info.height } : {}),
        });
        for (const evicted of this.lru.set(f.key, f.size)) {
          const gone = this.meta.get(evicted);
          this.meta.delete(evicted);
          if (gone) await fsp.rm(gone.path, { force: true }).catch(() => undefined);
        }
      }
    })();
    return this.loaded;
  }
}

/** A hash, so no part of a server's file name ever becomes part of a local path. */
export function cacheKey(server: string, file: FileRef, variant: Variant): string {
  return createHash('sha1')
    .update(JSON.stringify([server, file.type, file.subfolder, file.filename, variant]))
    .digest('hex');
}

async function readHead(file: string, bytes: number): Promise<Uint8Array | undefined> {
  try {
    const fh = await fsp.open(file, 'r');
    try {
      const buf = new Uint8Array(bytes);
      const { bytesRead } = await fh.read(buf, 0, bytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}
