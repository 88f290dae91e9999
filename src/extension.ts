// Composition root: builds the core objects and hands them to the adapters in src/vscode.
import * as vscode from 'vscode';
import { registerEditor, type EditorServices } from './vscode/editor';
import { registerRunFeatures } from './vscode/run/index';

/**
 * Activation does no network I/O and awaits nothing: the server connection and the node-definitions cache load in
 * the background. The returned services are the extension's API (tests and the e2e harness use them).
 */
export function activate(context: vscode.ExtensionContext): EditorServices {
  const editor = registerEditor(context);
  context.subscriptions.push(
    registerRunFeatures({
      connection: editor.connection,
      defs: () => editor.definitions()?.defs,
      log: editor.log,
      memento: context.workspaceState,
      timeoutMs: () => editor.settings().requestTimeoutMs,
    }),
  );
  // Other areas register here with the editor's services (connection, definitions, documents, log), e.g.
  // registerRun(context, editor); registerQueueView(context, editor); registerPreview(context, editor);
  return editor;
}

export function deactivate(): void {}
