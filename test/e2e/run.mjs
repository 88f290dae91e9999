#!/usr/bin/env node
// `npm run test:e2e`: cached set-up (code-server into .vscode-test/), build + package the .vsix, then run the
// scenarios under test/e2e/scenarios with node:test (through tsx), one file at a time: every file starts its own
// mock ComfyUI server, code-server and Chromium, and tears them down in after(), also on failure.
// Usage: node test/e2e/run.mjs [scenario-file-substring ...]   (E2E_SKIP_PACKAGE=1 reuses an existing .vsix)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkChromium, ensureCodeServer } from '../../scripts/setup-e2e.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const filters = process.argv.slice(2);

function step(title, fn) {
  const t0 = Date.now();
  console.log(`\n== ${title}`);
  fn();
  console.log(`== ${title}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
    process.exit(r.status ?? 1);
  }
}

try {
  step('set up code-server and Chromium', () => {
    ensureCodeServer();
    checkChromium();
  });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
if (process.env.E2E_SKIP_PACKAGE === '1' && existsSync(join(root, 'comfyui-workflows.vsix'))) {
  console.log('\n== E2E_SKIP_PACKAGE=1: reusing comfyui-workflows.vsix');
} else {
  step('build and package the extension', () => run('npm', ['run', '--silent', 'package']));
}

const dir = join(root, 'test', 'e2e', 'scenarios');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => relative(root, join(dir, f)))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('No e2e scenario matched.');
  process.exit(1);
}
console.log(`\n== scenarios: ${files.join(', ')}`);
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    // One file at a time: each brings up a whole VS Code, and the machines have 2 cores.
    '--test-concurrency=1',
    '--test-reporter=spec',
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } },
);
console.log(`\nScreenshots and logs: ${relative(process.cwd(), join(root, 'test-results', 'e2e')) || '.'}`);
process.exit(r.status ?? 1);
