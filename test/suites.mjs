// Which test files a run takes, shared by `node test/run.mjs` (every suite, or those matching a filter) and
// `npm run test:real` (only the suites that talk to the server at COMFYUI_TEST_URL). Plain ESM, like the runners.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export const ROOT = new URL('..', import.meta.url).pathname;

/** Every *.test.ts under test/ (relative to the repository, sorted), except the end-to-end suite and fixtures. */
export function testFiles(root = ROOT) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name === 'e2e' || name === 'node_modules' || name === 'fixtures') continue;
        walk(full);
      } else if (name.endsWith('.test.ts')) {
        out.push(relative(root, full));
      }
    }
  };
  walk(join(root, 'test'));
  return out.sort();
}

/** The files whose path contains any of `filters` (all files when there is none). */
export function matching(files, filters) {
  return filters.length === 0 ? files : files.filter((f) => filters.some((x) => f.includes(x)));
}

/**
 * The rule of `npm run test:real`: an integration suite talks to the server at COMFYUI_TEST_URL exactly when it gets
 * its server from getTestServer() (test/helpers/server.ts). Suites that start a mock of their own (its switches,
 * several servers, a fake registry…) or only use the vscode shim would pass whatever the URL, so they are not run.
 */
export function realServerSuites(files, read = (f) => readFileSync(join(ROOT, f), 'utf8')) {
  return files.filter((f) => f.startsWith('test/integration/') && /\bgetTestServer\s*\(/.test(read(f)));
}

/** Runs `files` with node:test through tsx; returns the exit status. */
export function runTests(files, root = ROOT) {
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${Math.max(2, availableParallelism())}`, '--test-reporter=spec', ...files];
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } });
  return r.status ?? 1;
}
