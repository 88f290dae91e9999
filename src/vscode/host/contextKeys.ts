// Context keys for `when` clauses: `comfyui.isWorkflow` (active editor), `comfyui.connected`,
// `comfyui.serverState` (connecting|connected|offline|invalid), `comfyui.usingDumpFile`,
// `comfyui.hasNodeDefinitions`. setContext is only called when a value actually changes.
import * as vscode from 'vscode';

export class ContextKeys {
  private readonly values = new Map<string, unknown>();

  set(key: string, value: unknown): void {
    if (this.values.has(key) && this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  get(key: string): unknown {
    return this.values.get(key);
  }
}
