// Wires the servers area: the registry of configured servers, credentials in SecretStorage and their use by the
// connection, the active-server picker, dispatch to a chosen / least busy server, the queue confirmation and the
// unsafe-node warnings. Called once from src/extension.ts with the editor's services.
import * as vscode from 'vscode';
import { unsafeNodeList, type UnsafeNodeList } from '../../core/safety/unsafeNodes';
import type { ServerConnection } from '../connection';
import type { ExtensionLog } from '../log';
import type { WorkflowDocuments } from '../workflowDocuments';
import { SECTION } from '../config';
import { ServerAuthController } from './auth';
import { CredentialStore } from './credentials';
import { SET_CREDENTIALS_COMMAND, setServerCredentials } from './credentialCommands';
import { QUEUE_ON_SERVER_COMMAND, WorkflowDispatcher } from './dispatch';
import { ServerPickerStatusBar, SWITCH_SERVER_COMMAND, switchServer } from './picker';
import { createQueueGuard, type QueueGuard } from './queueGuard';
import { ServerRegistry } from './registry';
import { UnsafeNodeDiagnostics } from './unsafeNodeDiagnostics';

export interface ServerFeatureDeps {
  context: Pick<vscode.ExtensionContext, 'secrets' | 'globalState'>;
  connection: ServerConnection;
  log: ExtensionLog;
  documents: WorkflowDocuments;
}

export interface ServerFeatures extends vscode.Disposable {
  registry: ServerRegistry;
  credentials: CredentialStore;
  auth: ServerAuthController;
  dispatcher: WorkflowDispatcher;
  unsafeDiagnostics: UnsafeNodeDiagnostics;
  /** Pass to registerRunFeatures as `beforeQueue`. */
  guard: QueueGuard;
}

export function registerServerFeatures(deps: ServerFeatureDeps): ServerFeatures {
  const { connection, log } = deps;
  const registry = new ServerRegistry();
  const credentials = new CredentialStore({ secrets: deps.context.secrets, globalState: deps.context.globalState });
  const auth = new ServerAuthController(registry, credentials, connection, log);
  let list: UnsafeNodeList = readUnsafeList();
  const unsafeDiagnostics = new UnsafeNodeDiagnostics(deps.documents, () => list);
  const dispatcher = new WorkflowDispatcher({ registry, authFor: (url) => auth.probeAuth(url), connection, log });
  const guard = createQueueGuard({ unsafeNodes: () => list, server: () => connection.displayUrl });
  const disposables: vscode.Disposable[] = [
    registry,
    credentials,
    auth,
    unsafeDiagnostics,
    new ServerPickerStatusBar(registry),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${SECTION}.safety`)) return;
      list = readUnsafeList();
      unsafeDiagnostics.updateAll();
    }),
    vscode.commands.registerCommand(SET_CREDENTIALS_COMMAND, () => setServerCredentials(registry, credentials)),
    vscode.commands.registerCommand(SWITCH_SERVER_COMMAND, () => switchServer(registry)),
    vscode.commands.registerCommand(QUEUE_ON_SERVER_COMMAND, (uri?: unknown) => dispatcher.command(uri)),
  ];
  return {
    registry,
    credentials,
    auth,
    dispatcher,
    unsafeDiagnostics,
    guard,
    dispose: () => {
      for (const d of disposables.splice(0).reverse()) d.dispose();
    },
  };
}

function readUnsafeList(): UnsafeNodeList {
  const extra = vscode.workspace.getConfiguration(SECTION).get<unknown>('safety.unsafeNodes');
  return unsafeNodeList(Array.isArray(extra) ? extra : []);
}
