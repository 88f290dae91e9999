// GET /view (files, previews, channels) and GET /view_metadata/{folder} (safetensors headers).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import type { MockContext, RouteFamily } from '../context';
import { HttpAnswer, empty, json } from '../http';
import { MODEL_FOLDERS } from '../files';
import { decodePng, encodeJpeg, encodePng, encodeWebp, type Image } from '../images';
import { readSafetensorsMetadata } from '../safetensors';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.wav': 'audio/x-wav',
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.svg': 'image/svg+xml',
  '.bmp': 'image/bmp',
};
/** Types the server forces to download instead of rendering (server.py view_image). */
const FORCED_DOWNLOAD = new Set(['text/html', 'text/html-sandboxed', 'application/xhtml+xml', 'text/javascript', 'text/css']);

export const viewRoutes: RouteFamily = {
  name: 'view',
  paths: /^\/(view|view_metadata\/[^/]+)$/,
  route({ method, path, query }, ctx) {
    if (path === '/view' && method === 'GET') return view(ctx, query);
    const metaMatch = /^\/view_metadata\/([^/]+)$/.exec(path);
    if (metaMatch && method === 'GET') {
      const filename = query.get('filename');
      if (filename === null || !filename.endsWith('.safetensors')) return empty(404);
      const folder = decodeURIComponent(metaMatch[1]!);
      if (!MODEL_FOLDERS.includes(folder)) return empty(404);
      const full = join(ctx.dirs.models, folder, relative('/', join('/', filename)));
      if (!existsSync(full) || !statSync(full).isFile()) return empty(404);
      const meta = readSafetensorsMetadata(full);
      return meta ? json(meta) : empty(404);
    }
    return undefined;
  },
};

function opaque(img: Image): Image {
  const data = new Uint8Array(img.data);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { ...img, data };
}

function view({ dirs }: MockContext, q: URLSearchParams): HttpAnswer {
  const rawName = q.get('filename');
  if (rawName === null) return empty(404);
  let filename = rawName;
  let dir: string | undefined;
  for (const t of ['output', 'input', 'temp'] as const) {
    if (rawName.endsWith(`[${t}]`)) {
      filename = rawName.slice(0, -(t.length + 3));
      dir = dirs[t];
      break;
    }
  }
  if (!filename) return empty(400);
  if (filename[0] === '/' || filename.includes('..')) return empty(400);
  if (dir === undefined) {
    const type = q.get('type') ?? 'output';
    if (type !== 'output' && type !== 'input' && type !== 'temp') return empty(400);
    dir = dirs[type];
  }
  const subfolder = q.get('subfolder');
  if (subfolder !== null) {
    const full = resolve(dir, subfolder);
    if (full !== dir && !full.startsWith(dir + sep)) return empty(403);
    dir = full;
  }
  const name = basename(filename);
  const file = join(dir, name);
  if (!existsSync(file) || !statSync(file).isFile()) return empty(404);
  const disposition = { 'Content-Disposition': `filename="${name}"` };
  const preview = q.get('preview');
  const channel = q.get('channel') ?? 'rgba';
  const loadImage = (): Image => decodePng(readFileSync(file));
  if (preview !== null) {
    const info = preview.split(';');
    let format = info[0]!;
    if ((format !== 'webp' && format !== 'jpeg') || (q.get('channel') ?? '').includes('a')) format = 'webp';
    let img = loadImage();
    if (format === 'jpeg' || q.get('channel') === 'rgb') img = opaque(img);
    const out = format === 'jpeg' ? encodeJpeg(img) : encodeWebp(img);
    return new HttpAnswer(200, out, { 'Content-Type': `image/${format}`, ...disposition });
  }
  if (channel === 'rgb') return new HttpAnswer(200, encodePng(loadImage(), { rgb: true }), { 'Content-Type': 'image/png', ...disposition });
  if (channel === 'a') {
    const img = loadImage();
    const data = new Uint8Array(img.data.length);
    for (let i = 3; i < data.length; i += 4) data[i] = img.data[i]!;
    return new HttpAnswer(200, encodePng({ ...img, data }), { 'Content-Type': 'image/png', ...disposition });
  }
  let contentType = MIME[extname(name).toLowerCase()] ?? (extname(name).toLowerCase() === '.html' ? 'text/html' : 'application/octet-stream');
  if (FORCED_DOWNLOAD.has(contentType)) contentType = 'application/octet-stream';
  return new HttpAnswer(200, readFileSync(file), { 'Content-Type': contentType, ...disposition });
}
