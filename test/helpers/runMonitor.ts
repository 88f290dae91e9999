// A RunMonitor on a scripted connection (a FakeQueueApi, socket messages fired by hand): the run-monitor tests and
// the injected-clock test build it the same way.
import { vscode } from './vscode-shim/control';
import type { Clock } from '../../src/core/util/clock';
import { nullLogger } from '../../src/core/util/logger';
import type { SocketMessage, RunState } from '../../src/core/queue/runTracker';
import { RunMonitor, type RunConnection } from '../../src/vscode/run/runMonitor';
import { ServerDiagnostics } from '../../src/vscode/language/serverDiagnostics';
import { SourceRegistry } from '../../src/vscode/run/sources';
import { FakeQueueApi } from '../unit/queue/fakeApi';

export function runMonitorFixture(options: { state?: string; clock?: Clock } = {}) {
  const messages = new vscode.EventEmitter<SocketMessage>();
  const api = Object.assign(new FakeQueueApi(), { view: async () => ({ bytes: new Uint8Array() }) });
  const connection: RunConnection = {
    client: api,
    clientId: 'c1',
    state: options.state ?? 'connected',
    onMessage: messages.event,
    onResync: new vscode.EventEmitter<unknown>().event,
    onDidChangeState: new vscode.EventEmitter<unknown>().event,
    onDidChangeServer: new vscode.EventEmitter<unknown>().event,
  };
  const monitor = new RunMonitor(connection, {
    sources: new SourceRegistry(undefined),
    diagnostics: new ServerDiagnostics(),
    log: { ...nullLogger, show() {} },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const ended: RunState[] = [];
  monitor.onDidFinish((f) => ended.push(f.state));
  const send = (type: string, data: Record<string, unknown>) => messages.fire({ type, data });
  return { monitor, api, send, ended };
}
