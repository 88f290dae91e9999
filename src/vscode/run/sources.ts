// Which file each prompt was queued from, so the tree can label runs with the file name and a runtime error can be
// placed in the file it came from. Kept in workspace state (bounded) so labels survive a window reload; the path
// resolvers (UI source maps) only live in memory, and after a reload errors fall back to the node-level resolver.
import * as vscode from 'vscode';
import type { PathResolver } from '../../core/queue/serverErrors';
import type { SourceFormat } from '../../core/queue/promptSource';

export interface PromptSource {
  uri: string;
  name: string;
  format: SourceFormat;
  queuedAt: number;
}

const KEY = 'comfyui.queue.sources';
const MAX = 500;

export class SourceRegistry {
  private readonly entries: Map<string, PromptSource>;
  private readonly resolvers = new Map<string, PathResolver>();

  constructor(private readonly memento: vscode.Memento | undefined) {
    const saved = memento?.get<[string, PromptSource][]>(KEY) ?? [];
    this.entries = new Map(Array.isArray(saved) ? saved.filter((e) => Array.isArray(e) && typeof e[0] === 'string') : []);
  }

  private readonly recorded = new vscode.EventEmitter<string>();
  /** A prompt id was recorded (its socket messages may have arrived before: a fast or fully cached run). */
  readonly onDidRecord = this.recorded.event;

  record(promptId: string, source: PromptSource, resolver?: PathResolver): void {
    this.entries.set(promptId, source);
    if (resolver) this.resolvers.set(promptId, resolver);
    while (this.entries.size > MAX) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.resolvers.delete(oldest);
    }
    void this.memento?.update(KEY, [...this.entries]);
    this.recorded.fire(promptId);
  }

  dispose(): void {
    this.recorded.dispose();
  }

  get(promptId: string): PromptSource | undefined {
    return this.entries.get(promptId);
  }

  resolver(promptId: string): PathResolver | undefined {
    return this.resolvers.get(promptId);
  }

  /** The prompt most recently queued from `uri` (for "changes since the last run"). */
  lastFor(uri: string): string | undefined {
    let last: string | undefined;
    for (const [id, s] of this.entries) if (s.uri === uri) last = id;
    return last;
  }

  name(promptId: string): string | undefined {
    return this.entries.get(promptId)?.name;
  }
}
