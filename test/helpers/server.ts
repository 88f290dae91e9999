// The ComfyUI server integration tests talk to: a real one when COMFYUI_TEST_URL is set, else a fresh mock
// (test/mock-comfyui/server.ts) on a free loopback port. Tests that need the mock's fault switches or a server
// they may break skip with mockOnly('what they need') when a real server is used.

import type { MockComfy, MockComfyOptions } from '../mock-comfyui/server';

export type { MockComfy, MockComfyOptions } from '../mock-comfyui/server';

export interface TestServer {
  url: string;
  isMock: boolean;
  mock?: MockComfy;
  close(): Promise<void>;
}

export const TEST_SERVER_URL: string | undefined = process.env.COMFYUI_TEST_URL?.trim() || undefined;

/**
 * Value for node:test's `skip` option on a test that needs something only the mock offers; `need` says what (a fault
 * switch, its fixture definitions, a server it may stop…), so a run against a real server explains every skip.
 */
export function mockOnly(need: string): false | string {
  return TEST_SERVER_URL ? `skipped on a real server (COMFYUI_TEST_URL): needs the mock's ${need}` : false;
}

/** Input subfolder of every file a test uploads, so a real server's input list stays clean (delete it after a run). */
export const TEST_INPUT_SUBFOLDER = 'comfyui-workflows-test';

/** Value for `skip` on tests that change server-wide state (clearing queue or history) of a possibly shared server. */
export const DESTRUCTIVE: false | string =
  TEST_SERVER_URL && process.env.COMFYUI_TEST_DESTRUCTIVE !== '1'
    ? 'skipped: clears server-wide state; set COMFYUI_TEST_DESTRUCTIVE=1 to run it against the real server'
    : false;

type StartMock = (options?: MockComfyOptions) => Promise<MockComfy>;

/**
 * Starts a mock (or returns the real server). `mockOptions` go to startMockComfy (e.g. `{ port, latencyMs }`) and
 * are ignored for a real server.
 */
export async function getTestServer(mockOptions: MockComfyOptions = {}): Promise<TestServer> {
  if (TEST_SERVER_URL) {
    return { url: TEST_SERVER_URL.replace(/\/+$/, ''), isMock: false, close: async () => {} };
  }
  const startMockComfy = await loadMock();
  const mock = await startMockComfy({ host: '127.0.0.1', port: 0, ...mockOptions });
  return { url: mock.url.replace(/\/+$/, ''), isMock: true, mock, close: () => mock.close() };
}

async function loadMock(): Promise<StartMock> {
  // Loaded lazily so a run against a real server does not even need the mock to compile.
  const mod = (await import('../mock-comfyui/server')) as unknown as { startMockComfy?: StartMock };
  if (typeof mod.startMockComfy !== 'function') throw new Error('test/mock-comfyui/server.ts does not export startMockComfy');
  return mod.startMockComfy;
}
