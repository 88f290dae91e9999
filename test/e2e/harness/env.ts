// One isolated end-to-end environment per scenario file: a mock ComfyUI server, a copy of the sample workspace whose
// .vscode/settings.json points at it, code-server with the packaged extension and a fresh profile, and headless
// Chromium showing the workbench. `close()` tears everything down and is safe to call after a failed start.
import { chromium, type Browser, type Page } from 'playwright-core';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installExtension, startCodeServer, type CodeServer } from './codeServer';
import { CHROMIUM_PATH, DOCS_IMAGES_DIR, MOCK_SERVER_MODULE, RESULTS_DIR, SAMPLE_WORKSPACE, VSIX_PATH } from './paths';
import { freePort } from './processes';
import { Workbench } from './workbench';

/** The part of test/mock-comfyui/server.ts the scenarios rely on (docs/ARCHITECTURE.md contract). */
export interface MockComfyLike {
  url: string;
  port: number;
  close(): Promise<void>;
}
export type MockOptions = Record<string, unknown> & { port?: number; host?: string };

export async function startMock(options: MockOptions): Promise<MockComfyLike> {
  // Loaded by path so the e2e harness type-checks on its own; tsx resolves the .ts module at run time.
  const mod = (await import(pathToFileURL(MOCK_SERVER_MODULE).href)) as {
    startMockComfy(o: MockOptions): Promise<MockComfyLike>;
  };
  return mod.startMockComfy({ host: '127.0.0.1', ...options });
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface E2EOptions {
  /** Names the logs and screenshots of this environment. */
  name: string;
  /** Options for the mock ComfyUI server; `false` starts none (the settings then point at a closed port). */
  mock?: MockOptions | false;
  /** Extra workspace settings (merged over the generated comfyui.serverUrl). */
  workspaceSettings?: Record<string, unknown>;
  /** Extra files written into the workspace copy before VS Code opens it (path relative to the workspace). */
  extraFiles?: Record<string, string | Buffer>;
  /** Runs on the workspace copy after the files are written and before VS Code opens it (e.g. `git init`). */
  prepareWorkspace?: (workspace: string) => void;
}

export interface E2E {
  page: Page;
  wb: Workbench;
  browser: Browser;
  codeServer: CodeServer;
  workspace: string;
  /** The port the workspace settings point at (the mock's, or a reserved closed one). */
  comfyPort: number;
  comfyUrl: string;
  mock: MockComfyLike | undefined;
  stopMock(): Promise<void>;
  /** (Re)starts the mock on the same port the settings point at. */
  startMock(options?: MockOptions): Promise<MockComfyLike>;
  /** Saves test-results/e2e/<name>.png; `docs` also publishes it to docs/images/ if the scenario passes. */
  screenshot(name: string, opts?: { docs?: boolean }): Promise<string>;
  /** Called by scenario() when a test ends: copies its `docs` screenshots to docs/images/ if it passed. */
  publishDocsImages(passed: boolean): void;
  close(): Promise<void>;
}

export async function launchE2E(opts: E2EOptions): Promise<E2E> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), `comfyui-e2e-${opts.name}-`));
  const cleanups: Array<() => Promise<void> | void> = [
    () => rmSync(scratch, { recursive: true, force: true }),
    // VS Code's own logs (extension host, the extension's "ComfyUI" channel) are kept for post-mortems.
    () => {
      const logs = join(scratch, 'user-data', 'logs');
      const keep = join(RESULTS_DIR, `${opts.name}-vscode-logs`);
      rmSync(keep, { recursive: true, force: true });
      if (existsSync(logs)) cpSync(logs, keep, { recursive: true });
    },
  ];
  const close = async (): Promise<void> => {
    // Reverse order: browser, code-server, mock, files. Each step is independent of the others' failures.
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        /* keep tearing down */
      }
    }
    cleanups.length = 0;
  };
  try {
    installExtension(VSIX_PATH);

    const comfyPort = await freePort();
    const comfyUrl = `http://127.0.0.1:${comfyPort}`;
    let mock: MockComfyLike | undefined;
    const mockOptions = opts.mock === false ? undefined : (opts.mock ?? {});
    if (mockOptions) mock = await startMock({ ...mockOptions, port: comfyPort });
    cleanups.push(async () => {
      await mock?.close();
      mock = undefined;
    });

    const workspace = join(scratch, 'workspace');
    cpSync(SAMPLE_WORKSPACE, workspace, { recursive: true });
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'comfyui.serverUrl': comfyUrl, ...opts.workspaceSettings }, null, 2));
    for (const [rel, content] of Object.entries(opts.extraFiles ?? {})) {
      mkdirSync(dirname(join(workspace, rel)), { recursive: true });
      writeFileSync(join(workspace, rel), content);
    }
    opts.prepareWorkspace?.(workspace);

    const codeServer = await startCodeServer({
      port: await freePort(),
      folder: workspace,
      userDataDir: join(scratch, 'user-data'),
      logFile: join(RESULTS_DIR, `${opts.name}-code-server.log`),
    });
    cleanups.push(() => codeServer.stop());

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const consoleLog: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleLog.push(m.text());
    });
    cleanups.push(() => writeFileSync(join(RESULTS_DIR, `${opts.name}-browser-errors.log`), consoleLog.join('\n')));
    await page.goto(`${codeServer.url}/?folder=${encodeURIComponent(workspace)}`);
    const wb = new Workbench(page);
    await wb.waitReady();

    const pendingDocs: string[] = [];
    const env: E2E = {
      page,
      wb,
      browser,
      codeServer,
      workspace,
      comfyPort,
      comfyUrl,
      get mock() {
        return mock;
      },
      async stopMock() {
        await mock?.close();
        mock = undefined;
      },
      async startMock(o?: MockOptions) {
        await mock?.close();
        mock = await startMock({ ...(mockOptions ?? {}), ...o, port: comfyPort });
        return mock;
      },
      async screenshot(name, so) {
        const file = join(RESULTS_DIR, `${name}.png`);
        await page.screenshot({ path: file });
        if (so?.docs) pendingDocs.push(file);
        return file;
      },
      publishDocsImages(passed) {
        // Only a passing scenario may replace the README's pictures: a failure must not publish a broken state.
        const files = pendingDocs.splice(0);
        if (!passed || process.env.E2E_DOCS_IMAGES === '0') return;
        mkdirSync(DOCS_IMAGES_DIR, { recursive: true });
        for (const f of files) copyFileSync(f, join(DOCS_IMAGES_DIR, basename(f)));
      },
      close,
    };
    return env;
  } catch (err) {
    await close();
    throw err;
  }
}
