// Composition root: every feature's register call, one line each, in dependency order. Activation does no network
// I/O and awaits nothing: the server connection and the node-definitions cache load in the background.
import type * as vscode from 'vscode';
import type { EditorServices } from './vscode/api';
import { registerHost } from './vscode/host/index';
import { registerLanguageFeatures } from './vscode/language/index';
import { registerServerRegistry } from './vscode/serverRegistry/index';
import { registerRun } from './vscode/run/index';
import { registerQueueView } from './vscode/queueView/index';
import { registerPreview } from './vscode/preview/index';
import { registerUpload } from './vscode/upload/index';
import { registerServerInfo } from './vscode/serverInfo/index';
import { registerCompare } from './vscode/compare/index';
import { registerMissingNodes } from './vscode/missingNodes/index';
import { registerGraphView } from './vscode/graphView/index';

export function activate(context: vscode.ExtensionContext): EditorServices {
  const host = registerHost(context);
  const language = registerLanguageFeatures(context, host);
  const servers = registerServerRegistry(context, host); // before run: credentials attach to the connection first
  const run = registerRun(context, host, language);
  const compare = registerCompare(context, host, run);
  registerQueueView(context, host, run, servers);
  const preview = registerPreview(context, host);
  registerUpload(context, host);
  registerServerInfo(context, host);
  registerMissingNodes(context, host, language);
  registerGraphView(context, { host, language, run, preview });
  return { ...host, diagnostics: language.diagnostics, compare };
}

export function deactivate(): void {}
