// code-server (VS Code 1.100 in the browser) for the end-to-end scenarios and the demo.
// The extension is installed from the packaged .vsix, exactly as a user gets it, because dropping a folder into the
// extensions dir is not picked up by code-server.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_SERVER_ENTRY, EXTENSIONS_DIR } from './paths';
import { spawnLogged, waitForHttp, type Spawned } from './processes';

function assertInstalled(): void {
  if (!existsSync(CODE_SERVER_ENTRY)) {
    throw new Error('code-server is not installed: run `node scripts/setup-e2e.mjs` (npm run test:e2e does it).');
  }
}

/**
 * Installs `vsixPath` into the shared extensions dir unless that exact build is already there (keyed by the
 * file's hash, so a rebuilt .vsix is always re-installed and an unchanged one costs nothing).
 */
export function installExtension(vsixPath: string, extensionsDir = EXTENSIONS_DIR): void {
  assertInstalled();
  if (!existsSync(vsixPath)) throw new Error(`${vsixPath} does not exist: run \`npm run package\` first.`);
  const sha = createHash('sha256').update(readFileSync(vsixPath)).digest('hex');
  const marker = join(extensionsDir, '.installed-vsix-sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === sha) return;
  rmSync(extensionsDir, { recursive: true, force: true });
  mkdirSync(extensionsDir, { recursive: true });
  const userDataDir = `${extensionsDir}-install-user-data`;
  rmSync(userDataDir, { recursive: true, force: true });
  const r = spawnSync(
    process.execPath,
    [CODE_SERVER_ENTRY, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsixPath, '--force'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  rmSync(userDataDir, { recursive: true, force: true });
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
    throw new Error(`code-server --install-extension failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  writeFileSync(marker, sha);
}

/** User settings that keep the workbench quiet and deterministic for screenshots. */
export const QUIET_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'chat.disableAIFeatures': true,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  // The mock server's port would otherwise show up as an auto-forwarded port in the Ports view.
  'remote.autoForwardPorts': false,
} as const;

export interface CodeServer {
  url: string;
  port: number;
  proc: Spawned;
  stop(): Promise<void>;
}

export async function startCodeServer(opts: {
  port: number;
  folder: string;
  userDataDir: string;
  logFile: string;
  extensionsDir?: string;
  userSettings?: Record<string, unknown>;
}): Promise<CodeServer> {
  assertInstalled();
  const userDir = join(opts.userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(join(userDir, 'settings.json'), JSON.stringify({ ...QUIET_USER_SETTINGS, ...opts.userSettings }, null, 2));
  // An own (empty) config file: the developer's ~/.config/code-server/config.yaml (password, cert...) must not apply.
  const configFile = join(opts.userDataDir, 'code-server.yaml');
  writeFileSync(configFile, '');
  const args = [
    CODE_SERVER_ENTRY,
    '--config',
    configFile,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${opts.port}`,
    '--user-data-dir',
    opts.userDataDir,
    '--extensions-dir',
    opts.extensionsDir ?? EXTENSIONS_DIR,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    opts.folder,
  ];
  // Settings/sync/proxy variables of the developer's shell must not leak into the test instance.
  const env: NodeJS.ProcessEnv = { ...process.env, VSCODE_PROXY_URI: '', NODE_OPTIONS: '' };
  delete env.VSCODE_IPC_HOOK_CLI;
  const proc = spawnLogged(process.execPath, args, { env, logFile: opts.logFile });
  const url = `http://127.0.0.1:${opts.port}`;
  try {
    await waitForHttp(`${url}/healthz`, 60_000, () => proc.child.exitCode !== null);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { url, port: opts.port, proc, stop: () => proc.stop() };
}
