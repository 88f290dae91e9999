// A code lens above each workflow: which server it is checked against and how old the node definitions are
// (saying so when working offline from the cache or from a dump file), plus a "Queue" action
// (command `comfyui.queueWorkflow`, implemented in src/vscode/run/).
import * as vscode from 'vscode';
import type { WorkflowDocuments } from '../host/workflowDocuments';
import type { DefinitionsSource, StatusSource } from '../host/statusBar';
import { baseName } from '../../core/util/display';
import { formatAge } from '../common/format';
import { shortServerUrl } from '../../core/comfy/url';

export const QUEUE_COMMAND = 'comfyui.queueWorkflow';

export class WorkflowCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly _onDidChangeCodeLenses = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this._onDidChangeCodeLenses.event;
  private readonly disposables: vscode.Disposable[] = [this._onDidChangeCodeLenses];

  constructor(
    private readonly documents: WorkflowDocuments,
    private readonly connection: StatusSource,
    private readonly definitions: DefinitionsSource,
    private readonly enabled: () => boolean,
    private readonly now: () => number = Date.now,
  ) {
    const refresh = (): void => this._onDidChangeCodeLenses.fire();
    this.disposables.push(connection.onDidChangeState(refresh), definitions.onDidChangeStatus(refresh), documents.onDidChangeMembership(refresh));
  }

  /** Tell the editor to ask again (settings changed). */
  refresh(): void {
    this._onDidChangeCodeLenses.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.enabled()) return [];
    const entry = this.documents.get(doc);
    if (!entry.isWorkflow) return [];
    const range = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(range, {
        title: this.serverTitle(),
        tooltip: vscode.l10n.t('Server and node definitions: click for options'),
        command: 'comfyui.showServerMenu',
      }),
    ];
    if (entry.format !== 'none') {
      lenses.push(
        new vscode.CodeLens(range, {
          title: `$(play) ${vscode.l10n.t('Queue')}`,
          tooltip: vscode.l10n.t('Queue this workflow on the ComfyUI server'),
          command: QUEUE_COMMAND,
          arguments: [doc.uri],
        }),
      );
    }
    return lenses;
  }

  serverTitle(): string {
    const d = this.definitions.current;
    const server = shortServerUrl(this.connection.displayUrl);
    if (d?.source === 'file') return `$(file-code) ${vscode.l10n.t('Node definitions from {0} ({1} classes)', baseName(d.origin), d.classCount)}`;
    const age = d ? formatAge(d.fetchedAt, this.now()) : undefined;
    switch (this.connection.state) {
      case 'connected':
        return age
          ? `$(pass-filled) ${server} · ${vscode.l10n.t('{0} classes, fetched {1}', d!.classCount, age)}`
          : `$(sync~spin) ${server} · ${vscode.l10n.t('loading node definitions…')}`;
      case 'connecting':
        return `$(sync~spin) ${server}${age ? ` · ${vscode.l10n.t('{0} classes, fetched {1}', d!.classCount, age)}` : ''}`;
      case 'offline':
        return age
          ? `$(debug-disconnect) ${vscode.l10n.t('{0} offline · checking with definitions fetched {1}', server, age)}`
          : `$(debug-disconnect) ${vscode.l10n.t('{0} offline · no node definitions, not checked', server)}`;
      case 'invalid':
        return `$(error) ${vscode.l10n.t('Invalid server URL')}${age ? ` · ${vscode.l10n.t('checking with definitions fetched {0}', age)}` : ''}`;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
