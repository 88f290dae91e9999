// The "Queue & History" tree: a thin TreeDataProvider over the pure QueueTreeModel. Changes are fired per group so a
// new run re-renders one group, not the whole 10,000-entry history.
import * as vscode from 'vscode';
import type { ModelChange } from '../../core/queue/queueModel';
import type { QueueTreeModel, TreeNode } from '../../core/queue/treeModel';

export class QueueTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly sub: { dispose(): void };

  /**
   * @param showWelcome when true the view is left empty so the manifest's `viewsWelcome` content for the connection
   * state (offline: Retry / Configure Server; connecting) shows instead of stale or placeholder items.
   */
  constructor(
    readonly tree: QueueTreeModel,
    private readonly showWelcome: () => boolean = () => false,
  ) {
    this.sub = tree.model.onDidChange((c) => this.onModelChange(c));
  }

  private onModelChange(change: ModelChange): void {
    this.tree.prune();
    if (change.groups.has('root')) {
      this._onDidChangeTreeData.fire(undefined);
      return;
    }
    for (const g of change.groups) if (g !== 'root') this._onDidChangeTreeData.fire(this.tree.groups[g]);
  }

  /** Re-renders one group's items (live progress of the running entry). */
  refreshGroup(group: 'running' | 'pending' | 'history'): void {
    this._onDidChangeTreeData.fire(this.tree.groups[group]);
  }

  /** Re-renders everything (e.g. labels from the source registry changed). */
  refreshAll(): void {
    this._onDidChangeTreeData.fire(undefined);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node && this.showWelcome()) return [];
    return this.tree.children(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'entry':
        return this.tree.groups[node.group];
      case 'loadMore':
        return this.tree.groups.history;
      default:
        return undefined;
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const d = this.tree.describe(node);
    const state =
      d.collapsible === 'none' ? vscode.TreeItemCollapsibleState.None : d.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(d.label, state);
    item.id = d.id;
    if (d.description !== undefined) item.description = d.description;
    if (d.tooltip !== undefined) item.tooltip = d.tooltip;
    if (d.icon) item.iconPath = d.icon.color ? new vscode.ThemeIcon(d.icon.id, new vscode.ThemeColor(d.icon.color)) : new vscode.ThemeIcon(d.icon.id);
    item.contextValue = d.contextValue;
    if (d.command) item.command = { command: d.command.command, title: d.command.title, arguments: [node] };
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this._onDidChangeTreeData.dispose();
  }
}
