// Wires the server registry: the configured servers, credentials in SecretStorage and their use by the connection,
// the active-server picker and dispatch to a chosen / least busy server.
import type * as vscode from 'vscode';
import type { ServerConnection } from '../host/connection';
import type { ExtensionLog } from '../common/log';
import { registerGuardedCommand } from '../common/commands';
import type { HostServices } from '../host/index';
import { ServerAuthController } from './auth';
import { CredentialStore } from './credentials';
import { SET_CREDENTIALS_COMMAND, setServerCredentials } from './credentialCommands';
import { QUEUE_ON_SERVER_COMMAND, WorkflowDispatcher } from './dispatch';
import { ServerPickerStatusBar, SWITCH_SERVER_COMMAND, switchServer } from './picker';
import { ServerRegistry } from './registry';

export interface ServerFeatureDeps {
  context: Pick<vscode.ExtensionContext, 'secrets' | 'globalState'>;
  connection: ServerConnection;
  log: ExtensionLog;
}

export interface ServerFeatures extends vscode.Disposable {
  registry: ServerRegistry;
  credentials: CredentialStore;
  auth: ServerAuthController;
  dispatcher: WorkflowDispatcher;
}

export function registerServerRegistry(context: vscode.ExtensionContext, host: HostServices): ServerFeatures {
  const features = registerServerFeatures({ context, connection: host.connection, log: host.log });
  context.subscriptions.push(features);
  return features;
}

export function registerServerFeatures(deps: ServerFeatureDeps): ServerFeatures {
  const { connection, log } = deps;
  const registry = new ServerRegistry();
  const credentials = new CredentialStore({ secrets: deps.context.secrets, globalState: deps.context.globalState });
  const auth = new ServerAuthController(registry, credentials, connection, log);
  const dispatcher = new WorkflowDispatcher({ registry, authFor: (url) => auth.probeAuth(url), connection, log });
  const disposables: vscode.Disposable[] = [
    registry,
    credentials,
    auth,
    new ServerPickerStatusBar(registry),
    registerGuardedCommand(SET_CREDENTIALS_COMMAND, () => setServerCredentials(registry, credentials), log),
    registerGuardedCommand(SWITCH_SERVER_COMMAND, () => switchServer(registry), log),
    registerGuardedCommand(QUEUE_ON_SERVER_COMMAND, (uri?: unknown) => dispatcher.command(uri), log),
  ];
  return {
    registry,
    credentials,
    auth,
    dispatcher,
    dispose: () => {
      for (const d of disposables.splice(0).reverse()) d.dispose();
    },
  };
}
