// What the Queue & History tree shows, as plain data: nodes, their children and a description of each item (label,
// icon, context value…). The VS Code provider only maps these to TreeItems, so the tree's content is testable in Node.
import { formatDuration } from '../util/display';
import { attachedWorkflow, durationMs, outputPrefix, type EntryError, type EntryStatus, type OutputFile, type QueueEntry } from './entries';
import type { QueueApi } from './api';
import type { QueueGroup, QueueModel } from './queueModel';
import { shortServerUrl } from '../comfy/url';

/**
 * One server of the grouped (several servers) tree: its identity and what item commands act on. Nodes of a
 * non-active server carry it, so a command on them reaches that server, never the active one.
 */
export interface ServerQueueRef {
  /** The registry's server key (scheme, host, port, path): prefixes item ids so they stay unique across servers. */
  readonly key: string;
  readonly name: string;
  /** Without credentials. */
  readonly displayUrl: string;
  readonly active: boolean;
  readonly model: QueueModel;
  /** Undefined while the server's URL is unusable. */
  readonly api: QueueApi | undefined;
  /** Re-reads the server now (the offline node's retry, after a command changed its queue). */
  reload(): Promise<void>;
}

export type TreeNode = (
  | { kind: 'server' }
  | { kind: 'group'; group: QueueGroup }
  | { kind: 'entry'; group: QueueGroup; entry: QueueEntry }
  | { kind: 'output'; entry: QueueEntry; file: OutputFile; index: number }
  | { kind: 'nodeError'; entry: QueueEntry; error: EntryError; index: number }
  | { kind: 'loadMore' }
  | { kind: 'offline'; reason: string }
  | { kind: 'loading' }
) & {
  /** Set on every node of a non-active server (and on server nodes); absent on the active server's nodes. */
  server?: ServerQueueRef;
};

export interface ItemDescription {
  /** Stable across refreshes (keeps selection and expansion). */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id and optional theme color id. */
  icon?: { id: string; color?: string };
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** Command run on click. */
  command?: { command: string; title: string; args: 'node' };
}

/** Display name of the file a prompt was queued from, when this extension queued it. */
export type SourceLookup = (promptId: string) => string | undefined;

export class QueueTreeModel {
  /** Group nodes are singletons so a provider can refresh one group by identity. */
  readonly groups: Record<QueueGroup, TreeNode & { kind: 'group' }> = {
    running: { kind: 'group', group: 'running' },
    pending: { kind: 'group', group: 'pending' },
    history: { kind: 'group', group: 'history' },
  };
  readonly loadMoreNode: TreeNode = { kind: 'loadMore' };
  private readonly entryNodes = new Map<string, TreeNode & { kind: 'entry' }>();

  /** Live progress text of a run this window follows (current node, steps, elapsed), for the Running group. */
  liveProgress: (promptId: string) => string | undefined = () => undefined;

  constructor(
    readonly model: QueueModel,
    private readonly sourceOf: SourceLookup = () => undefined,
    private readonly now: () => number = Date.now,
    /** The non-active server this tree shows (stamped on each node); undefined for the active server's tree. */
    readonly server?: ServerQueueRef,
  ) {
    if (server) {
      for (const g of Object.values(this.groups)) g.server = server;
      this.loadMoreNode.server = server;
    }
  }

  /** Adds the server stamp (non-active trees only), so commands resolve the node's own server. */
  private stamp<T extends TreeNode>(node: T): T {
    if (this.server) node.server = this.server;
    return node;
  }

  roots(): TreeNode[] {
    if (this.model.offline !== undefined) return [this.stamp({ kind: 'offline', reason: this.model.offline })];
    if (!this.model.loaded) return [this.stamp({ kind: 'loading' })];
    return [this.groups.running, this.groups.pending, this.groups.history];
  }

  /** Reuses node objects per entry so providers can fire change events for exactly the nodes that changed. */
  private entryNode(group: QueueGroup, entry: QueueEntry): TreeNode & { kind: 'entry' } {
    const key = `${group}:${entry.id}`;
    let node = this.entryNodes.get(key);
    if (!node || node.entry !== entry) {
      node = this.stamp({ kind: 'entry', group, entry });
      this.entryNodes.set(key, node);
    }
    return node;
  }

  children(node?: TreeNode): TreeNode[] {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'group': {
        const list = this.model[node.group];
        const out: TreeNode[] = list.map((e) => this.entryNode(node.group, e));
        if (node.group === 'history' && this.model.hasMoreHistory) out.push(this.loadMoreNode);
        return out;
      }
      case 'entry':
        return [
          ...node.entry.outputs.map((file, index): TreeNode => this.stamp({ kind: 'output', entry: node.entry, file, index })),
          ...node.entry.errors.map((error, index): TreeNode => this.stamp({ kind: 'nodeError', entry: node.entry, error, index })),
        ];
      default:
        return [];
    }
  }

  /** Drops cached entry nodes that left the model (called after each change so the cache stays bounded). */
  prune(): void {
    const live = new Set<string>();
    for (const g of ['running', 'pending', 'history'] as const) for (const e of this.model[g]) live.add(`${g}:${e.id}`);
    for (const k of this.entryNodes.keys()) if (!live.has(k)) this.entryNodes.delete(k);
  }

  describe(node: TreeNode): ItemDescription {
    switch (node.kind) {
      case 'server':
        return describeServer(node.server);
      case 'group':
        return this.describeGroup(node.group);
      case 'entry':
        return this.describeEntry(node.group, node.entry);
      case 'output': {
        const folder = node.file.subfolder ? `${node.file.subfolder}/` : '';
        return {
          id: `output:${node.entry.id}:${node.index}`,
          label: node.file.filename,
          description: [node.file.subfolder, node.file.type !== 'output' ? node.file.type : ''].filter(Boolean).join(' · ') || undefined,
          tooltip: `${node.file.type}/${folder}${node.file.filename}\nfrom node #${node.file.nodeId} (${node.file.kind})`,
          icon: { id: iconForFile(node.file) },
          contextValue: 'comfyui.output',
          collapsible: 'none',
          // Delegates to the preview panel's comfyui.openOutput when it is installed, else opens a temp copy.
          command: { command: 'comfyui.queue.openOutput', title: 'Open Output', args: 'node' },
        } satisfies ItemDescription;
      }
      case 'nodeError': {
        const title = node.entry.prompt[node.error.nodeId]?._meta?.title ?? node.error.nodeType;
        return {
          id: `error:${node.entry.id}:${node.index}`,
          label: `#${node.error.nodeId} ${title}`,
          description: node.error.message,
          tooltip: [node.error.exceptionType, node.error.message].filter(Boolean).join(': '),
          icon: { id: 'error', color: 'errorForeground' },
          contextValue: 'comfyui.nodeError',
          collapsible: 'none',
          command: { command: 'comfyui.queue.showError', title: 'Show Error', args: 'node' },
        };
      }
      case 'loadMore':
        return {
          id: 'history:loadMore',
          label: 'Load more…',
          icon: { id: 'more' },
          contextValue: 'comfyui.loadMore',
          collapsible: 'none',
          command: { command: 'comfyui.queue.loadMore', title: 'Load More', args: 'node' },
        };
      case 'offline':
        return {
          id: 'offline',
          label: 'Server offline',
          description: 'click to retry',
          tooltip: node.reason,
          icon: { id: 'debug-disconnect', color: 'errorForeground' },
          contextValue: 'comfyui.offline',
          collapsible: 'none',
          command: { command: 'comfyui.queue.refresh', title: 'Retry', args: 'node' },
        };
      case 'loading':
        return { id: 'loading', label: 'Loading…', icon: { id: 'loading~spin' }, contextValue: 'comfyui.loading', collapsible: 'none' };
    }
  }

  private describeGroup(group: QueueGroup): ItemDescription {
    const n = this.model[group].length;
    const label = group === 'running' ? 'Running' : group === 'pending' ? 'Pending' : 'History';
    const more = group === 'history' && this.model.hasMoreHistory ? '+' : '';
    return {
      id: `group:${group}`,
      label,
      description: `${n}${more}`,
      icon: { id: group === 'running' ? 'play-circle' : group === 'pending' ? 'clock' : 'history' },
      contextValue: `comfyui.group.${group}${n > 0 ? '.nonEmpty' : ''}`,
      collapsible: n > 0 || group === 'history' ? 'expanded' : 'collapsed',
    };
  }

  labelOf(entry: QueueEntry): string {
    return this.sourceOf(entry.id) ?? outputPrefix(entry) ?? Object.values(entry.prompt).find((n) => n?.class_type)?.class_type ?? entry.id.slice(0, 8);
  }

  private describeEntry(group: QueueGroup, entry: QueueEntry): ItemDescription {
    const live = group === 'running' ? this.liveProgress(entry.id) : undefined;
    const parts: string[] = [live ?? statusText(entry.status)];
    const d = durationMs(entry);
    if (d !== undefined) parts.push(formatDuration(d));
    else if (!live && entry.status === 'running' && entry.startedAt !== undefined) parts.push(formatDuration(this.now() - entry.startedAt));
    parts.push(`${entry.nodeCount} node${entry.nodeCount === 1 ? '' : 's'}`);
    const tooltip = [
      `Prompt ${entry.id}`,
      `Status: ${statusText(entry.status)}`,
      `Queue number: ${entry.number}`,
      entry.createdAt !== undefined ? `Queued: ${new Date(entry.createdAt).toISOString()}` : '',
      entry.startedAt !== undefined ? `Started: ${new Date(entry.startedAt).toISOString()}` : '',
      entry.endedAt !== undefined ? `Ended: ${new Date(entry.endedAt).toISOString()}` : '',
      entry.cachedCount ? `Cached nodes: ${entry.cachedCount}` : '',
      entry.outputs.length ? `Outputs: ${entry.outputs.length}` : '',
    ].filter(Boolean);
    const hasChildren = entry.outputs.length + entry.errors.length > 0;
    const flags = [attachedWorkflow(entry) !== undefined ? '.workflow' : ''].join('');
    return {
      id: `${group}:${entry.id}`,
      label: this.labelOf(entry),
      description: parts.join(' · '),
      tooltip: tooltip.join('\n'),
      icon: iconForStatus(entry.status),
      // e.g. comfyui.entry.history.error.workflow — menus match on prefixes with regular expressions.
      contextValue: `comfyui.entry.${group}.${entry.status}${flags}`,
      collapsible: hasChildren ? 'collapsed' : 'none',
    };
  }
}

/** A server's node in the grouped tree: name, host plus state or queue count, the active one marked. */
export function describeServer(ref: ServerQueueRef | undefined): ItemDescription {
  if (!ref) return { id: 'server:?', label: 'Server', contextValue: 'comfyui.server', collapsible: 'expanded' };
  const m = ref.model;
  const queued = m.running.length + m.pending.length;
  const state = m.offline !== undefined ? 'offline' : !m.loaded ? 'loading…' : queued === 0 ? 'idle' : `${queued} queued`;
  const parts = [shortServerUrl(ref.displayUrl), ref.active ? 'active' : '', state].filter(Boolean);
  return {
    id: `server:${ref.key}`,
    label: ref.name,
    description: parts.join(' · '),
    tooltip: [
      `${ref.name}: ${ref.displayUrl}`,
      ref.active ? 'Active server (live progress over its WebSocket)' : 'Refreshed every few seconds while this view is visible',
      m.offline ?? '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon: ref.active
      ? { id: 'server-environment', color: 'charts.green' }
      : m.offline !== undefined
        ? { id: 'server', color: 'errorForeground' }
        : { id: 'server' },
    contextValue: `comfyui.server${ref.active ? '.active' : ''}${m.offline !== undefined ? '.offline' : ''}`,
    collapsible: 'expanded',
  };
}

export function statusText(s: EntryStatus): string {
  switch (s) {
    case 'running':
      return 'running';
    case 'pending':
      return 'pending';
    case 'success':
      return 'done';
    case 'error':
      return 'failed';
    case 'interrupted':
      return 'interrupted';
    case 'unknown':
      return 'unknown';
  }
}

export function iconForStatus(s: EntryStatus): { id: string; color?: string } {
  switch (s) {
    case 'running':
      return { id: 'sync~spin', color: 'charts.blue' };
    case 'pending':
      return { id: 'clock' };
    case 'success':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'error':
      return { id: 'error', color: 'testing.iconFailed' };
    case 'interrupted':
      return { id: 'debug-stop', color: 'charts.yellow' };
    case 'unknown':
      return { id: 'question' };
  }
}

function iconForFile(f: OutputFile): string {
  const ext = f.filename.slice(f.filename.lastIndexOf('.') + 1).toLowerCase();
  if (['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'avif'].includes(ext)) return 'file-media';
  if (['mp4', 'webm', 'mov', 'mkv'].includes(ext)) return 'device-camera-video';
  if (['wav', 'mp3', 'flac', 'ogg', 'opus'].includes(ext)) return 'unmute';
  return 'file';
}
