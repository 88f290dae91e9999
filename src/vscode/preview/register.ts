// One entry point for the preview, upload and server-info features, called from the composition root.
import * as vscode from 'vscode';
import type { EditorServices } from '../editor';
import { WORKFLOW_SELECTOR } from '../editor';
import { registerServerInfoFeatures } from '../server/index';
import { registerUploadFeatures } from '../upload/upload';
import { registerPreviewFeatures } from './index';

export function registerMediaFeatures(context: vscode.ExtensionContext, editor: EditorServices): vscode.Disposable {
  const defs = () => editor.definitions()?.defs;
  const preview = registerPreviewFeatures({ connection: editor.connection, extensionUri: context.extensionUri, storageUri: context.globalStorageUri, log: editor.log });
  const disposables: vscode.Disposable[] = [
    preview,
    ...registerUploadFeatures(
      {
        client: () => editor.connection.client,
        documents: editor.documents,
        defs,
        log: editor.log,
        // LoadImage's list of input files changes with every upload.
        refreshDefinitions: () => void editor.store.refresh().catch((error: unknown) => editor.log.debug('Refreshing definitions after an upload failed:', error)),
      },
      WORKFLOW_SELECTOR,
    ),
    ...registerServerInfoFeatures({ connection: editor.connection, documents: editor.documents, defs, log: editor.log }, WORKFLOW_SELECTOR),
  ];
  return { dispose: () => disposables.splice(0).reverse().forEach((d) => d.dispose()) };
}
