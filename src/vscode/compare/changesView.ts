// The changes view: one item per node (id, class, title), its changes underneath; clicking a change reveals it
// in the file. Fed by CompareSession objects (what was compared with what, and the located changes).
import * as vscode from 'vscode';
import type { LocatedChange } from '../../core/diff/diff';
import { escapeTerminal } from '../../core/util/escape';
import type { WorkflowModel } from '../../core/diff/model';
import { changeLabel } from './labels';

export interface CompareSession {
  /** The document the changes are revealed in (the "after" side). */
  uri: vscode.Uri;
  /** What it was compared with, for the view's message ("HEAD", "saved file", a file name, "last run"). */
  against: string;
  changes: LocatedChange[];
  layoutChanged: number;
  after: WorkflowModel;
  before: WorkflowModel;
}

export type ChangesItem = { kind: 'node'; nodeId: string; changes: LocatedChange[] } | { kind: 'change'; change: LocatedChange };

export const REVEAL_COMMAND = 'comfyui.compare.revealChange';

export class ChangesTree implements vscode.TreeDataProvider<ChangesItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ChangesItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  session: CompareSession | undefined;

  show(session: CompareSession): void {
    this.session = session;
    this.changed.fire(undefined);
  }

  getChildren(item?: ChangesItem): ChangesItem[] {
    const s = this.session;
    if (!s) return [];
    if (!item) {
      const groups = new Map<string, LocatedChange[]>();
      for (const c of s.changes) {
        let g = groups.get(c.nodeId);
        if (!g) groups.set(c.nodeId, (g = []));
        g.push(c);
      }
      return [...groups].map(([nodeId, changes]) => ({ kind: 'node', nodeId, changes }));
    }
    return item.kind === 'node' ? item.changes.map((change) => ({ kind: 'change', change })) : [];
  }

  getTreeItem(item: ChangesItem): vscode.TreeItem {
    const s = this.session!;
    if (item.kind === 'node') {
      const node = s.after.nodes.get(item.nodeId) ?? s.before.nodes.get(item.nodeId);
      const def = s.after.definitions.get(item.nodeId) ?? s.before.definitions.get(item.nodeId);
      const name = node
        ? `${node.classType}${node.title && node.title !== node.classType ? ` “${node.title}”` : ''}`
        : def
          ? vscode.l10n.t('subgraph {0}', def.name)
          : '';
      const t = new vscode.TreeItem(`#${escapeTerminal(item.nodeId)} ${escapeTerminal(name)}`, vscode.TreeItemCollapsibleState.Expanded);
      t.description = vscode.l10n.t('{0} change(s)', item.changes.length);
      t.contextValue = 'comfyui.changeNode';
      t.iconPath = new vscode.ThemeIcon(
        item.changes[0]?.kind === 'node_added' ? 'diff-added' : item.changes[0]?.kind === 'node_removed' ? 'diff-removed' : 'diff-modified',
      );
      const first = item.changes[0];
      if (first) t.command = { command: REVEAL_COMMAND, title: vscode.l10n.t('Reveal in File'), arguments: [first] };
      return t;
    }
    const c = item.change;
    const t = new vscode.TreeItem(changeLabel(c), vscode.TreeItemCollapsibleState.None);
    t.tooltip = changeLabel(c);
    t.contextValue = 'comfyui.change';
    t.command = { command: REVEAL_COMMAND, title: vscode.l10n.t('Reveal in File'), arguments: [c] };
    return t;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
