// For test files whose tests each run the whole extension against a mock server of their own: `start` starts the
// mock, activates the extension on it (validation without debounce) and waits for the server's definitions; the
// extension and the mock are torn down after each test. Call at the top level of the test file.
import { afterEach } from 'node:test';
import { waitFor } from './wait';
import { activateExtension, type ActivatedExtension } from './activation';
import { startMockComfy } from '../mock-comfyui/server';
import type { MockComfyOptions } from '../mock-comfyui/context';

export function activationAgainstMock(): (mockOptions?: MockComfyOptions) => Promise<ActivatedExtension> {
  let extension: ActivatedExtension | undefined;
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    extension?.deactivate();
    extension = undefined;
    for (const s of servers.splice(0)) await s.close();
  });
  return async (mockOptions = {}) => {
    const server = await startMockComfy({ host: '127.0.0.1', port: 0, ...mockOptions });
    servers.push(server);
    extension = activateExtension({ settings: { 'comfyui.serverUrl': server.url, 'comfyui.validation.debounceMs': 0 } });
    const { services } = extension;
    await waitFor(() => services.store.current?.source === 'server', { message: 'definitions from the server' });
    return extension;
  };
}
