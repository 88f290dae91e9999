// The ComfyUI status bar item: server state (connected / connecting / offline / invalid URL), the queue count
// from WebSocket `status` messages, and the node definitions' source and age in the tooltip. Clicking it opens the
// server menu (queue view, refresh, reconnect, server picker, dump file, log).
import { every, systemClock, type Clock, type Repeating } from '../../core/util/clock';
import { escapeMarkdown } from '../../core/util/escape';
import * as vscode from 'vscode';
import type { ConnectionState } from './connection';
import type { NodeDefsSnapshot } from './nodeDefsStore';
import { formatAge } from '../common/format';
import { shortServerUrl } from '../../core/comfy/url';

export interface StatusSource {
  readonly state: ConnectionState;
  readonly displayUrl: string;
  readonly queueRemaining: number | undefined;
  readonly lastError: string | undefined;
  readonly onDidChangeState: vscode.Event<ConnectionState>;
  readonly onDidChangeQueueRemaining: vscode.Event<number>;
}

export interface DefinitionsSource {
  readonly current: NodeDefsSnapshot | undefined;
  readonly lastError: string | undefined;
  /** Fires when the definitions or their last error change. */
  readonly onDidChangeStatus: vscode.Event<unknown>;
}

export const STATUS_ITEM_ID = 'comfyui.status';
export const SERVER_MENU_COMMAND = 'comfyui.showServerMenu';

export class ServerStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly ageTimer: Repeating;

  constructor(
    private readonly connection: StatusSource,
    private readonly definitions: DefinitionsSource,
    private readonly usingFile: () => boolean,
    private readonly clock: Clock = systemClock,
  ) {
    this.item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('ComfyUI Server');
    this.item.command = SERVER_MENU_COMMAND;
    this.disposables.push(
      this.item,
      connection.onDidChangeState(() => this.update()),
      connection.onDidChangeQueueRemaining(() => this.update()),
      definitions.onDidChangeStatus(() => this.update()),
    );
    // The tooltip shows the definitions' age; refresh it now and then (cheap: no I/O).
    this.ageTimer = every(clock, 60_000, () => this.update());
    this.update();
    this.item.show();
  }

  update(): void {
    const c = this.connection;
    const server = shortServerUrl(c.displayUrl);
    const queue = c.state === 'connected' && c.queueRemaining ? ` $(list-ordered) ${c.queueRemaining}` : '';
    switch (c.state) {
      case 'connected':
        this.item.text = `$(pass-filled) ComfyUI${queue}`;
        this.item.backgroundColor = undefined;
        break;
      case 'connecting':
        this.item.text = '$(sync~spin) ComfyUI';
        this.item.backgroundColor = undefined;
        break;
      case 'offline':
        this.item.text = `$(debug-disconnect) ${vscode.l10n.t('ComfyUI offline')}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      case 'invalid':
        this.item.text = `$(error) ${vscode.l10n.t('ComfyUI: invalid server URL')}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
    }
    const lines: string[] = [];
    const stateText: Record<ConnectionState, string> = {
      connected: vscode.l10n.t('Connected to {0}', server),
      connecting: vscode.l10n.t('Connecting to {0}…', server),
      offline: vscode.l10n.t('{0} is not reachable; retrying in the background.', server),
      invalid: vscode.l10n.t('The server URL is not usable.'),
    };
    lines.push(`**ComfyUI** — ${escapeMarkdown(stateText[c.state])}`);
    if (c.state === 'connected' && c.queueRemaining !== undefined) lines.push(escapeMarkdown(vscode.l10n.t('Queue: {0}', c.queueRemaining)));
    if (c.lastError && c.state !== 'connected') lines.push(`_${escapeMarkdown(c.lastError)}_`);
    lines.push(escapeMarkdown(this.definitionsLine()));
    if (this.definitions.lastError) lines.push(`_${escapeMarkdown(this.definitions.lastError)}_`);
    const tooltip = new vscode.MarkdownString(lines.join('\n\n'), true);
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `${this.item.text.replace(/\$\([^)]*\)\s*/g, '')}. ${stateText[c.state]}` };
  }

  /** "Node definitions: 383 classes, fetched 5 min ago (offline, from cache)" and its variants. */
  definitionsLine(): string {
    const d = this.definitions.current;
    if (!d) return this.usingFile() ? vscode.l10n.t('Node definitions: the dump file could not be read.') : vscode.l10n.t('Node definitions: none yet.');
    const age = formatAge(d.fetchedAt, this.clock.now());
    switch (d.source) {
      case 'file':
        return vscode.l10n.t('Node definitions: {0} classes from {1} (modified {2}).', d.classCount, d.origin, age);
      case 'cache':
        return vscode.l10n.t('Node definitions: {0} classes, last fetched {1} (from the cache).', d.classCount, age);
      case 'server':
        return d.serverVersion
          ? vscode.l10n.t('Node definitions: {0} classes from ComfyUI {1}, fetched {2}.', d.classCount, d.serverVersion, age)
          : vscode.l10n.t('Node definitions: {0} classes, fetched {1}.', d.classCount, age);
    }
  }

  dispose(): void {
    this.ageTimer.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
