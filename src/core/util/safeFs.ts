// File-system helpers for paths a server or a workspace controls: a private temp folder (mkdtemp, 0700) instead of
// a predictable shared path another local user could pre-create or plant symlinks in; writes that never follow a
// symlink; and a containment check on real paths (a symlinked folder inside a repository must not lead outside it).
import { constants, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const privateDirs = new Map<string, Promise<string>>();

/**
 * One private folder per process and prefix, created with mkdtemp (mode 0700, unpredictable name) under `root`.
 * A folder that disappeared (temp cleaners) is created again.
 */
export async function privateTempDir(prefix: string, root = tmpdir()): Promise<string> {
  const key = `${root}\0${prefix}`;
  const known = privateDirs.get(key);
  if (known) {
    const dir = await known.catch(() => undefined);
    if (dir && (await isOwnPrivateDir(dir))) return dir;
  }
  const made = fsp.mkdtemp(path.join(root, `${prefix}-`)).then(async (dir) => {
    await fsp.chmod(dir, 0o700);
    return dir;
  });
  privateDirs.set(key, made);
  return made;
}

async function isOwnPrivateDir(dir: string): Promise<boolean> {
  try {
    const st = await fsp.lstat(dir);
    return st.isDirectory() && !st.isSymbolicLink();
  } catch {
    return false;
  }
}

/** Writes (replacing) a file without following a symlink at `target` (O_NOFOLLOW; a symlink there is removed first). */
export async function writeFileNoFollow(target: string, bytes: Uint8Array): Promise<void> {
  try {
    const st = await fsp.lstat(target);
    if (st.isSymbolicLink()) await fsp.unlink(target);
  } catch {
    // absent: fine
  }
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);
  const handle = await fsp.open(target, flags, 0o600);
  try {
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
}

/** Creates `dir` (0700) below a private root; refuses when a component resolves outside `root`. */
export async function mkdirInside(root: string, dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  if (!(await isInsideReal(root, dir))) throw new Error(`${dir} resolves outside ${root}`);
}

/** True when the real path of `p` (symlinks resolved) is `root` or below the real path of `root`. */
export async function isInsideReal(root: string, p: string): Promise<boolean> {
  const [r, q] = await Promise.all([fsp.realpath(root), fsp.realpath(p)]);
  return isInside(r, q);
}

/** Lexical containment of two absolute, normalised paths. */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
