// With no server and no cached definitions, every workflow would be unverifiable. Instead of a wall of false
// errors (each diagnostic says "not checked" once per file), this shows ONE notification per session, with the two
// ways out: configure a server, or use a dump file.
import * as vscode from 'vscode';
import type { ConnectionState } from './connection';
import { COMMANDS } from './hostCommands';

export interface NoticeDeps {
  hasDefinitions: () => boolean;
  /** True once the cache (or dump file) was read: before that, "no definitions" is not yet known. */
  initialLoadDone: () => boolean;
  connectionState: () => ConnectionState;
  usingFile: () => boolean;
  /** True when some open document is a workflow. */
  workflowOpen: () => boolean;
}

export class NoDefinitionsNotice {
  private shown = false;

  constructor(private readonly deps: NoticeDeps) {}

  /** Re-evaluates the condition (call on state, definitions and document changes). */
  check(): void {
    if (this.shown) return;
    const d = this.deps;
    if (d.hasDefinitions() || !d.initialLoadDone() || !d.workflowOpen()) return;
    const state = d.connectionState();
    if (!d.usingFile() && state !== 'offline' && state !== 'invalid') return;
    this.shown = true;
    const configure = vscode.l10n.t('Configure Server');
    const dump = vscode.l10n.t('Use a Dump File');
    const message = d.usingFile()
      ? vscode.l10n.t('ComfyUI workflows are not checked: the node-definitions dump file (comfyui.objectInfoPath) could not be read.')
      : vscode.l10n.t('ComfyUI workflows are not checked: the server is not reachable and no node definitions are cached yet.');
    void vscode.window.showWarningMessage(message, configure, dump).then((pick) => {
      if (pick === configure) return vscode.commands.executeCommand(COMMANDS.selectServer);
      if (pick === dump) return vscode.commands.executeCommand(COMMANDS.useFile);
      return undefined;
    });
  }
}
