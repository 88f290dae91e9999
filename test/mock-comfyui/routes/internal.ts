// The frontend's /internal routes (not under /api).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteFamily } from '../context';
import { json } from '../http';
import { MODEL_FOLDERS } from '../files';

export const internalRoutes: RouteFamily = {
  name: 'internal',
  route({ method, rawPath: path }, { dirs }) {
    if (!path.startsWith('/internal/') || method !== 'GET') return undefined;
    if (path === '/internal/folder_paths') {
      return json(Object.fromEntries(MODEL_FOLDERS.map((f) => [f, [join(dirs.models, f)]])));
    }
    const filesMatch = /^\/internal\/files\/([^/]+)$/.exec(path);
    if (filesMatch) {
      const type = filesMatch[1]!;
      if (type !== 'input' && type !== 'output' && type !== 'temp') return json({ error: 'Invalid directory type' }, 400);
      const dir = dirs[type];
      const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
      files.sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs);
      return json(files);
    }
    if (path === '/internal/logs') return json('');
    if (path === '/internal/logs/raw') return json({ entries: [], size: { cols: 80, rows: 24 } });
    return undefined;
  },
};
