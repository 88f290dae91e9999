// Glob matching for the `comfyui.workflowFiles` setting. Kept free of `vscode` so it is unit-testable and so the
// same rules apply in every editor host. Rules (documented in package.nls.json and the README):
// - `*` matches within one path segment, `**` across segments, `?` one character, `{a,b}` alternatives,
//   `[abc]` / `[!abc]` character classes;
// - a pattern without `/` is matched against the file name alone (so `*.workflow.json` works in any folder);
// - other patterns are matched against the path relative to the workspace folder, and also against the absolute
//   path (so `/home/me/comfy/**` works too). Matching is case-sensitive except on Windows paths.
import { baseName } from '../../core/util/display';

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const hit = cache.get(glob);
  if (hit) return hit;
  let re = '';
  let inGroup = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    switch (c) {
      case '*':
        if (glob[i + 1] === '*') {
          // `**/` may match zero segments: `**/a.json` matches `a.json`.
          if (glob[i + 2] === '/') {
            re += '(?:.*/)?';
            i += 2;
          } else {
            re += '.*';
            i++;
          }
        } else re += '[^/]*';
        break;
      case '?':
        re += '[^/]';
        break;
      case '{':
        inGroup++;
        re += '(?:';
        break;
      case '}':
        if (inGroup > 0) {
          inGroup--;
          re += ')';
        } else re += '\\}';
        break;
      case ',':
        re += inGroup > 0 ? '|' : ',';
        break;
      case '[': {
        const end = glob.indexOf(']', i + 1);
        if (end < 0) {
          re += '\\[';
          break;
        }
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
        break;
      }
      default:
        re += c.replace(/[.+^$()|\\]/g, '\\$&');
    }
  }
  while (inGroup-- > 0) re += ')';
  const compiled = new RegExp(`^${re}$`);
  cache.set(glob, compiled);
  return compiled;
}

/**
 * True when one of `patterns` matches the file. `relativePath` is the workspace-relative path (undefined for files
 * outside every folder), `absolutePath` the file's path; both use `/` separators.
 */
export function matchesAny(patterns: readonly string[], absolutePath: string, relativePath: string | undefined): boolean {
  if (patterns.length === 0) return false;
  const name = baseName(absolutePath);
  for (const raw of patterns) {
    const p = raw.trim().replace(/\\/g, '/');
    if (!p) continue;
    if (!p.includes('/')) {
      if (globToRegExp(p).test(name)) return true;
      continue;
    }
    const re = globToRegExp(p.startsWith('./') ? p.slice(2) : p);
    if ((relativePath !== undefined && re.test(relativePath)) || re.test(absolutePath)) return true;
  }
  return false;
}
