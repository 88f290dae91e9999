// The "Queue & History" tree: a thin TreeDataProvider over the pure QueueTreeModel. Changes are fired per group so a
// new run re-renders one group, not the whole 10,000-entry history.
import * as vscode from 'vscode';
import type { ModelChange } from '../../core/queue/queueModel';
import { GroupedQueueTree } from '../../core/queue/serverTree';
import type { QueueTreeModel, TreeNode } from '../../core/queue/treeModel';

export class QueueTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly sub: { dispose(): void };
  /** Several servers: one node per server on top (see serverQueues.ts); a single server: exactly `tree`. */
  readonly grouping: GroupedQueueTree;

  /**
   * @param showWelcome when true the view is left empty so the manifest's `viewsWelcome` content for the connection
   * state (offline: Retry / Configure Server; connecting) shows instead of stale or placeholder items.
   */
  constructor(
    readonly tree: QueueTreeModel,
    private readonly showWelcome: () => boolean = () => false,
  ) {
    this.grouping = new GroupedQueueTree(tree);
    this.sub = tree.model.onDidChange((c) => this.onModelChange(c));
  }

  /** Change events of another server's tree (grouped mode): its server node re-renders (counts, offline). */
  watch(tree: QueueTreeModel): { dispose(): void } {
    return tree.model.onDidChange(() => {
      tree.prune();
      const section = tree.server && this.grouping.section(tree.server.key);
      this._onDidChangeTreeData.fire(section ? this.grouping.serverNode(section.ref) : undefined);
    });
  }

  private onModelChange(change: ModelChange): void {
    this.tree.prune();
    if (this.grouping.grouped) {
      // The active server's node shows its counts: re-render it (and its groups) as one.
      const section = this.grouping.roots().find((n) => n.server?.active);
      this._onDidChangeTreeData.fire(section);
      return;
    }
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
    // Grouped, the other servers must stay visible while the active one is offline: its node says so instead.
    if (!node && !this.grouping.grouped && this.showWelcome()) return [];
    return this.grouping.children(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.grouping.parent(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const d = this.grouping.describe(node);
    const state =
      d.collapsible === 'none'
        ? vscode.TreeItemCollapsibleState.None
        : d.collapsible === 'expanded'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
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
