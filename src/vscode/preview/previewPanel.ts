// The "ComfyUI Preview" webview panel: one at a time, restored after a reload by a WebviewPanelSerializer. Posts go
// through a ready handshake: until the page's script says `ready`, nothing is posted (a message posted earlier
// would be lost); on `ready` the page gets the current state, which also covers a page that reloaded itself.
import * as vscode from 'vscode';
import { isWebviewToHost, type HostToWebview, type WebviewToHost } from '../../shared/previewProtocol';
import { newNonce, renderPreviewHtml } from './html';
import { previewLabels } from './labels';

export const PREVIEW_VIEW_TYPE = 'comfyui.preview';

export interface PanelHost {
  /** The messages that make up the current page state (sent on every `ready`). */
  initialMessages(): HostToWebview[];
  onMessage(message: WebviewToHost): void;
  onDispose(): void;
}

export class PreviewPanel implements vscode.Disposable {
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    cacheDir: vscode.Uri,
    private readonly host: PanelHost,
  ) {
    const webview = panel.webview;
    const dist = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    // Set on creation and again on revive, so the roots follow this installation's paths.
    webview.options = { enableScripts: true, localResourceRoots: [dist, cacheDir] };
    webview.html = renderPreviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'preview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'preview.css')).toString(),
      nonce: newNonce(),
      lang: vscode.env.language,
      labels: previewLabels(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get isReady(): boolean {
    return this.ready;
  }

  get visible(): boolean {
    return !this.disposed && this.panel.visible;
  }

  /**
   * Posts when the page is ready; before that, drops the message: `ready` brings the whole current state anyway,
   * and a queue of deltas for a page that is not there yet would only grow (thousands of outputs).
   */
  post(message: HostToWebview): void {
    if (this.disposed || !this.ready) return;
    // postMessage rejects only when the panel is gone; that is not an error worth surfacing.
    void Promise.resolve(this.panel.webview.postMessage(message)).then(undefined, () => undefined);
  }

  reveal(): void {
    if (!this.disposed) this.panel.reveal(undefined, true);
  }

  private receive(raw: unknown): void {
    if (!isWebviewToHost(raw)) return;
    if (raw.type === 'ready') {
      this.ready = true;
      for (const m of this.host.initialMessages()) this.post(m);
      return;
    }
    this.host.onMessage(raw);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ready = false;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.host.onDispose();
  }
}
