// The last check before a workflow is sent: nothing is queued without an explicit user action (only the queue
// commands call this; opening, saving and previewing never queue), and two situations need a second "yes":
// an untrusted workspace (the file may come from anyone: the question names the server it would run on), and
// nodes that execute arbitrary code. Both are asked in ONE modal question, once per queue command.
import * as vscode from 'vscode';
import { unsafeClassesIn } from '../../core/safety/detect';
import type { UnsafeNodeList } from '../../core/safety/unsafeNodes';

export interface QueueGuardRequest {
  /** The file's name for the question. */
  fileName: string;
  /** The parsed file (API prompt, /prompt body or UI workflow). */
  root: unknown;
  /** The server it would run on, when not the active one (Queue Again on another server's history). */
  server?: string;
}

export interface QueueGuardDeps {
  unsafeNodes: () => UnsafeNodeList;
  /** The server it would run on, for display (no secrets). */
  server: () => string;
  trusted?: () => boolean;
}

export type QueueGuard = (request: QueueGuardRequest) => Promise<boolean>;

export function createQueueGuard(deps: QueueGuardDeps): QueueGuard {
  return async ({ fileName, root, server: target }) => {
    const server = target ?? deps.server();
    const trusted = deps.trusted ? deps.trusted() : vscode.workspace.isTrusted;
    const unsafe = unsafeClassesIn(root, deps.unsafeNodes());
    if (trusted && unsafe.length === 0) return true;
    const parts: string[] = [];
    if (!trusted) parts.push(vscode.l10n.t('This workspace is not trusted. Queue {0} on {1}?', fileName, server));
    if (unsafe.length > 0) {
      const names = unsafe.map((e) => `“${e.classType}”`).join(', ');
      parts.push(
        vscode.l10n.t('{0} uses nodes that can run arbitrary code on {1}: {2}. Queue it only if you trust where it came from.', fileName, server, names),
      );
    }
    const detail = unsafe.map((e) => `${e.classType}: ${e.reason} (${e.source})`).join('\n');
    const queue = vscode.l10n.t('Queue Anyway');
    const pick = await vscode.window.showWarningMessage(parts.join(' '), { modal: true, ...(detail ? { detail } : {}) }, queue);
    return pick === queue;
  };
}
