// Access to ../shared (ground-truth fixtures recorded from real ComfyUI servers).
// The folder exists on developer machines and in CI, but not in a plain clone: suites that need it
// skip with a clear message instead of failing.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SHARED_DIR = process.env.COMFYUI_SHARED_DIR ?? resolve(REPO_ROOT, '..', 'shared');
export const HAS_SHARED = existsSync(join(SHARED_DIR, 'fixtures'));

/** Value for node:test's `skip` option: false when ../shared exists, else the reason. */
export const NEEDS_SHARED: false | string = HAS_SHARED ? false : `skipped: ${SHARED_DIR} is absent (ground-truth fixtures live there)`;

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

export function readSharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(sharedPath(...parts), 'utf8')) as T;
}

export function listShared(...parts: string[]): string[] {
  const dir = sharedPath(...parts);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
