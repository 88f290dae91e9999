// Composition root: builds the core objects and hands them to the adapters in src/vscode.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('ComfyUI', { log: true });
  context.subscriptions.push(log);
  log.info('ComfyUI Workflows activated');
}

export function deactivate(): void {}
