// Composition root: builds the core objects and hands them to the adapters in src/vscode.
import * as vscode from 'vscode';
import { registerEditor, type EditorServices } from './vscode/editor';
import { registerRunFeatures } from './vscode/run/index';
import { registerServerFeatures } from './vscode/servers/index';
import { registerMediaFeatures } from './vscode/preview/register';
import { registerServerQueues } from './vscode/views/serverQueues';

/**
 * Activation does no network I/O and awaits nothing: the server connection and the node-definitions cache load in
 * the background. The returned services are the extension's API (tests and the e2e harness use them).
 */
export function activate(context: vscode.ExtensionContext): EditorServices {
  const editor = registerEditor(context);
  // Before the run features: credentials must be attached to the connection, and queueing asks its guard.
  const servers = registerServerFeatures({ context, connection: editor.connection, log: editor.log, documents: editor.documents });
  const run = registerRunFeatures({
    connection: editor.connection,
    defs: () => editor.definitions()?.defs,
    log: editor.log,
    memento: context.workspaceState,
    timeoutMs: () => editor.settings().requestTimeoutMs,
    beforeQueue: servers.guard,
  });
  context.subscriptions.push(
    servers,
    run,
    // Several servers: the Queue view groups every server’s queue and history, one node per server.
    registerServerQueues(run, {
      registry: servers.registry,
      connection: editor.connection,
      authFor: (url) => servers.auth.probeAuth(url),
      authChanged: servers.credentials.onDidChange,
      log: editor.log,
    }),
  );
  // Output preview panel, image/mask upload, model metadata hover, embeddings, server info.
  context.subscriptions.push(registerMediaFeatures(context, editor));
  // Other areas register here with the editor's services (connection, definitions, documents, log), e.g.
  // registerRun(context, editor); registerQueueView(context, editor); registerPreview(context, editor);
  return editor;
}

export function deactivate(): void {}
