import '../helpers/vscode-shim/register';
import { test } from 'node:test';
import * as path from 'node:path';
import { shim } from '../helpers/vscode-shim/control';
import { waitFor } from '../helpers/vscode-shim/wait';
import { startMockComfy } from '../mock-comfyui/server';
import { activate } from '../../src/extension';

test('debug offline', async () => {
  const m = await startMockComfy({ host: '127.0.0.1', port: 0, objectInfo: path.join(__dirname, '../fixtures/editor/object_info.json') });
  shim.reset();
  shim.setConfig('comfyui.serverUrl', m.url);
  const ctx = shim.createExtensionContext();
  const s = activate(ctx as never);
  const t0 = Date.now();
  s.connection.onDidChangeState((st) => console.log(Date.now() - t0, 'conn', st));
  s.connection.socket!.on('state', (e) => console.log(Date.now() - t0, 'sock', e.state, e.attempt, e.delayMs));
  s.connection.socket!.on('close', (e) => console.log(Date.now() - t0, 'close', JSON.stringify(e)));
  await waitFor(() => s.store.current?.source === 'server');
  console.log(Date.now() - t0, 'defs; sockets at mock', m.socketCount());
  await m.close();
  console.log(Date.now() - t0, 'closed mock');
  await new Promise((r) => setTimeout(r, 3000));
  console.log(Date.now() - t0, 'state', s.connection.state);
  ctx.dispose();
});
