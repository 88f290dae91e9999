// `npm run demo`: the extension as a user sees it, with no ComfyUI install needed. Starts the mock ComfyUI server and
// code-server (VS Code in the browser) with the freshly packaged .vsix and a sample workspace of workflows, prints
// the URL, and runs until Ctrl-C, then shuts both down.
//
// Options: --port N (code-server, default: a free port), --comfy-port N (mock, default: a free port),
//          --skip-package (reuse comfyui-workflows.vsix), --object-info FILE (serve a real /object_info dump).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { installExtension, startCodeServer } from '../test/e2e/harness/codeServer';
import { startMock } from '../test/e2e/harness/env';
import { REPO_ROOT, SAMPLE_WORKSPACE, VSIX_PATH } from '../test/e2e/harness/paths';
import { freePort } from '../test/e2e/harness/processes';
import { ensureCodeServer } from './setup-e2e.mjs';

const DEMO_DIR = join(REPO_ROOT, '.vscode-test', 'demo');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'comfy-port': { type: 'string' },
      'skip-package': { type: 'boolean', default: false },
      'object-info': { type: 'string' },
    },
  });
  ensureCodeServer({ quiet: true });
  if (!values['skip-package']) {
    const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('npm run package failed');
  }
  // A separate extensions dir, so a demo can run while the e2e suite reinstalls its own copy.
  const extensionsDir = join(DEMO_DIR, 'extensions');
  installExtension(VSIX_PATH, extensionsDir);

  const comfyPort = values['comfy-port'] ? Number(values['comfy-port']) : await freePort();
  const mock = await startMock({ port: comfyPort, ...(values['object-info'] ? { objectInfo: values['object-info'] } : {}) });

  // A fresh copy of the sample workflows each run; the profile (user-data) persists between demos.
  const workspace = join(DEMO_DIR, 'workspace');
  rmSync(workspace, { recursive: true, force: true });
  cpSync(SAMPLE_WORKSPACE, workspace, { recursive: true });
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'comfyui.serverUrl': mock.url }, null, 2));

  const port = values.port ? Number(values.port) : await freePort();
  let codeServer: Awaited<ReturnType<typeof startCodeServer>> | undefined;
  try {
    codeServer = await startCodeServer({
      port,
      folder: workspace,
      extensionsDir,
      userDataDir: join(DEMO_DIR, 'user-data'),
      logFile: join(DEMO_DIR, 'code-server.log'),
      userSettings: { 'workbench.startupEditor': 'readme' },
    });
  } catch (err) {
    await mock.close();
    throw err;
  }

  console.log(`\nMock ComfyUI server: ${mock.url}`);
  console.log(`VS Code (code-server): ${codeServer.url}/?folder=${encodeURIComponent(workspace)}`);
  console.log(`\nOpen ${codeServer.url} in a browser. Press Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping code-server and the mock server...`);
    await Promise.allSettled([codeServer?.stop(), mock.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // If code-server dies on its own, there is nothing left to demo.
  void codeServer.proc.exited.then((code) => {
    if (stopping) return;
    console.error(`code-server exited unexpectedly (code ${code}); see ${join(DEMO_DIR, 'code-server.log')}`);
    void mock.close().finally(() => process.exit(1));
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
