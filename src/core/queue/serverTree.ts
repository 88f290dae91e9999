// The Queue & History tree when several servers are configured: one node per server at the top, each with that
// server's own Running / Pending / History beneath it. With one section (a single server) it is exactly the plain
// QueueTreeModel, with no extra level. Pure, like treeModel.ts, so the grouped tree is testable in Node.
import type { ItemDescription, QueueTreeModel, ServerQueueRef, TreeNode } from './treeModel';

export interface ServerSection {
  ref: ServerQueueRef;
  /** The active server's section uses the view's own tree; the others have one each (their nodes carry `ref`). */
  tree: QueueTreeModel;
}

export class GroupedQueueTree {
  private sections: ServerSection[] = [];
  /** Server nodes are kept per key so a provider can refresh one server by identity. */
  private readonly serverNodes = new Map<string, TreeNode & { kind: 'server' }>();

  constructor(readonly active: QueueTreeModel) {}

  /** Grouping starts at two servers; one server keeps today's tree (no extra level). */
  get grouped(): boolean {
    return this.sections.length >= 2;
  }

  setSections(sections: readonly ServerSection[]): void {
    this.sections = [...sections];
    const keys = new Set(sections.map((s) => s.ref.key));
    for (const k of this.serverNodes.keys()) if (!keys.has(k)) this.serverNodes.delete(k);
  }

  /** The server node of a section (stable object; its ref is refreshed to the current one). */
  serverNode(ref: ServerQueueRef): TreeNode & { kind: 'server' } {
    let node = this.serverNodes.get(ref.key);
    if (!node) {
      node = { kind: 'server', server: ref };
      this.serverNodes.set(ref.key, node);
    }
    node.server = ref;
    return node;
  }

  private sectionOf(node: TreeNode): ServerSection | undefined {
    if (node.server) return this.sections.find((s) => s.ref.key === node.server!.key);
    return this.sections.find((s) => s.tree === this.active);
  }

  /** The tree a node belongs to: its server's, or the active one for unstamped nodes. */
  treeOf(node: TreeNode): QueueTreeModel {
    if (node.kind === 'server' || !node.server) return this.active;
    return this.sectionOf(node)?.tree ?? this.active;
  }

  roots(): TreeNode[] {
    if (!this.grouped) return this.active.roots();
    return this.sections.map((s) => this.serverNode(s.ref));
  }

  children(node?: TreeNode): TreeNode[] {
    if (!node) return this.roots();
    if (node.kind === 'server') {
      const section = node.server && this.sections.find((s) => s.ref.key === node.server!.key);
      return section ? section.tree.roots() : [];
    }
    return this.treeOf(node).children(node);
  }

  describe(node: TreeNode): ItemDescription {
    const d = this.treeOf(node).describe(node);
    if (!this.grouped || node.kind === 'server') return d;
    // Ids must stay unique across servers (the same prompt id can exist on two of them) and stable across refreshes.
    const key = node.server?.key ?? this.sectionOf(node)?.ref.key ?? 'active';
    return { ...d, id: `${key}|${d.id}` };
  }

  parent(node: TreeNode): TreeNode | undefined {
    const tree = this.treeOf(node);
    switch (node.kind) {
      case 'entry':
        return tree.groups[node.group];
      case 'loadMore':
        return tree.groups.history;
      case 'group':
      case 'offline':
      case 'loading': {
        if (!this.grouped) return undefined;
        const section = this.sectionOf(node);
        return section ? this.serverNode(section.ref) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The section of a server key (for change events). */
  section(key: string): ServerSection | undefined {
    return this.sections.find((s) => s.ref.key === key);
  }
}
