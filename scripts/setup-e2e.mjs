#!/usr/bin/env node
// Idempotent, cached set-up of the end-to-end test machinery: code-server (VS Code in a browser) installed into
// .vscode-test/code-server. Re-running is a no-op once the pinned version is in place.
//
// Why code-server 4.100.3: it ships VS Code 1.100.3 (our engines.vscode minimum) and is the last release line that runs
// on Node 20. Its install fetches ripgrep from GitHub, which CI machines cannot reach, so we seed @vscode/ripgrep's
// download cache with a tarball holding Debian's `rg` first.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_DIR = join(ROOT, '.vscode-test', 'code-server');
export const CODE_SERVER_BIN = join(CACHE_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

// What @vscode/ripgrep 1.15.11's postinstall looks for in its cache (os.tmpdir()/vscode-ripgrep-cache-<version>/).
const RG_CACHE_DIR = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
const RG_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

function installedVersion() {
  const pkg = join(CACHE_DIR, 'node_modules', 'code-server', 'package.json');
  if (!existsSync(pkg) || !existsSync(CODE_SERVER_BIN)) return undefined;
  return JSON.parse(readFileSync(pkg, 'utf8')).version;
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function seedRipgrepCache() {
  const target = join(RG_CACHE_DIR, RG_TARBALL);
  if (existsSync(target)) return;
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep is missing: install the Debian package first (apt-get install -y ripgrep).');
  mkdirSync(RG_CACHE_DIR, { recursive: true });
  const stage = mkdtempSync(join(tmpdir(), 'rg-stage-'));
  try {
    copyFileSync(rg, join(stage, 'rg'));
    execFileSync('tar', ['-czf', target, '-C', stage, 'rg']);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

export function ensureCodeServer({ quiet = false } = {}) {
  const have = installedVersion();
  if (have === CODE_SERVER_VERSION) {
    if (!quiet) console.log(`code-server ${have} already installed in ${CACHE_DIR}`);
    return CODE_SERVER_BIN;
  }
  console.log(`Installing code-server ${CODE_SERVER_VERSION} into ${CACHE_DIR} (about 2 minutes)...`);
  seedRipgrepCache();
  mkdirSync(CACHE_DIR, { recursive: true });
  // A private package.json keeps this install out of the project's own dependency tree. npm 11 asks for install
  // scripts to be approved: code-server's postinstall installs its bundled VS Code, argon2 builds its native module.
  writeFileSync(
    join(CACHE_DIR, 'package.json'),
    JSON.stringify(
      {
        name: 'e2e-code-server',
        private: true,
        allowScripts: { 'code-server': true, argon2: true },
      },
      null,
      2,
    ),
  );
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: CACHE_DIR,
    stdio: 'inherit',
    env: { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true', npm_config_ignore_scripts: 'false' },
  });
  if (r.status !== 0 || installedVersion() !== CODE_SERVER_VERSION) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status}); see the log above.`);
  }
  console.log(`code-server ${CODE_SERVER_VERSION} installed.`);
  return CODE_SERVER_BIN;
}

export function checkChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    throw new Error(`Chromium not found at ${chromium}: install the Debian package (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  return chromium;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureCodeServer();
    checkChromium();
  } catch (err) {
    console.error(String(err instanceof Error ? err.message : err));
    process.exit(1);
  }
}
