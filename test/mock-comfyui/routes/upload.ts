// POST /upload/image and /upload/mask (multipart; identical-bytes reuse, "name (1).ext" renaming, masks).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { MockContext, RouteFamily } from '../context';
import type { HttpAnswer } from '../http';
import { empty, internalError, json } from '../http';
import { resolveRef, sha256 } from '../files';
import { decodePng, encodePng, readPngText } from '../images';
import { parseMultipart } from '../multipart';

export const uploadRoutes: RouteFamily = {
  name: 'upload',
  paths: /^\/upload\/(image|mask)$/,
  route({ method, path, req, body }, ctx) {
    if ((path === '/upload/image' || path === '/upload/mask') && method === 'POST') return upload(ctx, path === '/upload/mask', req, body);
    return undefined;
  },
};

function upload({ dirs }: MockContext, isMask: boolean, req: IncomingMessage, body: Buffer): HttpAnswer {
  const parts = parseMultipart(body, req.headers['content-type']);
  if (!parts) return internalError();
  const field = (name: string) => parts.find((p) => p.name === name && p.filename === undefined)?.data.toString('utf8');
  const image = parts.find((p) => p.name === 'image' && p.filename !== undefined);
  const overwrite = field('overwrite');
  const typeField = field('type');
  const type = typeField ?? 'input';
  if (type !== 'input' && type !== 'temp' && type !== 'output') return internalError();
  const uploadDir = dirs[type];
  if (!image) return empty(400);
  let filename = image.filename!;
  if (!filename) return empty(400);
  const subfolder = field('subfolder') ?? '';
  const folder = resolve(uploadDir, normalize(subfolder || '.'));
  let filepath = resolve(folder, filename);
  if (filepath !== uploadDir && !filepath.startsWith(uploadDir + sep)) return empty(400);
  mkdirSync(folder, { recursive: true });
  const ext = extname(filename);
  const stem = filename.slice(0, filename.length - ext.length);
  let duplicate = false;
  if (!(overwrite === 'true' || overwrite === '1')) {
    // Same name: reuse it when the bytes are identical, else try "name (1).ext", "name (2).ext", …
    for (let i = 1; existsSync(filepath); i++) {
      if (sha256(readFileSync(filepath)) === sha256(image.data)) {
        duplicate = true;
        break;
      }
      filename = `${stem} (${i})${ext}`;
      filepath = join(folder, filename);
    }
  }
  if (!duplicate) {
    if (isMask) {
      const refText = field('original_ref');
      if (refText === undefined) return internalError();
      let ref: Record<string, unknown>;
      try {
        ref = JSON.parse(refText) as Record<string, unknown>;
      } catch {
        return internalError();
      }
      // server.py ignores the answers of this inner function: a bad ref silently writes nothing (still 200).
      const original = resolveRef(dirs, ref);
      if (original) {
        try {
          const orig = decodePng(readFileSync(original));
          const mask = decodePng(image.data);
          const meta = readPngText(readFileSync(original));
          for (let i = 0; i < orig.width * orig.height; i++) {
            const x = i % orig.width;
            const y = Math.floor(i / orig.width);
            orig.data[i * 4 + 3] = x < mask.width && y < mask.height ? mask.data[(y * mask.width + x) * 4 + 3]! : 0;
          }
          writeFileSync(filepath, encodePng(orig, { text: meta }));
        } catch {
          return internalError();
        }
      }
    } else {
      writeFileSync(filepath, image.data);
    }
  }
  return json({ name: filename, subfolder, type });
}
