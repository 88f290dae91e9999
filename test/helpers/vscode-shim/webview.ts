// Fake webview panels for Node-level tests of webview hosts: the HTML set, the messages posted to the page, and a
// `receive` helper that plays the page's side (e.g. the `ready` handshake).
import { EventEmitter, Uri } from './base';

export interface ShimWebviewPanel {
  viewType: string;
  title: string;
  options: unknown;
  visible: boolean;
  active: boolean;
  disposed: boolean;
  /** Everything the host posted, in order. */
  posted: unknown[];
  webview: {
    html: string;
    options: unknown;
    cspSource: string;
    asWebviewUri(uri: Uri): Uri;
    postMessage(message: unknown): Promise<boolean>;
    onDidReceiveMessage: EventEmitter<unknown>['event'];
  };
  /** Test helper: a message from the page to the host. */
  receive(message: unknown): void;
  reveal(column?: unknown, preserveFocus?: boolean): void;
  onDidDispose: EventEmitter<void>['event'];
  onDidChangeViewState: EventEmitter<unknown>['event'];
  dispose(): void;
}

export const WEBVIEW_CSP_SOURCE = 'https://*.vscode-cdn.net';

export function createShimWebviewPanel(viewType: string, title: string, options: unknown): ShimWebviewPanel {
  const fromPage = new EventEmitter<unknown>();
  const disposed = new EventEmitter<void>();
  const viewState = new EventEmitter<unknown>();
  const panel: ShimWebviewPanel = {
    viewType,
    title,
    options,
    visible: true,
    active: true,
    disposed: false,
    posted: [],
    webview: {
      html: '',
      options,
      cspSource: WEBVIEW_CSP_SOURCE,
      asWebviewUri: (uri: Uri) => Uri.from({ scheme: 'https', authority: 'file+.vscode-resource.vscode-cdn.net', path: uri.path }),
      postMessage: (message: unknown) => {
        if (panel.disposed) return Promise.resolve(false);
        // Structured clone, like the real channel: the page never shares objects with the host.
        panel.posted.push(structuredClone(message));
        return Promise.resolve(true);
      },
      onDidReceiveMessage: fromPage.event,
    },
    receive: (message: unknown) => fromPage.fire(message),
    reveal: () => {
      panel.visible = true;
    },
    onDidDispose: disposed.event,
    onDidChangeViewState: viewState.event,
    dispose: () => {
      if (panel.disposed) return;
      panel.disposed = true;
      panel.visible = false;
      disposed.fire();
      fromPage.dispose();
      disposed.dispose();
      viewState.dispose();
    },
  };
  return panel;
}
