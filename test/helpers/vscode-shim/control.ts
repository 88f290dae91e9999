// Test-side controls of the vscode shim: open/edit/close documents, answer notifications, set configuration and
// language, build an ExtensionContext, and run the editor's "execute provider" commands.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Uri } from './base';
import { ShimTextDocument } from './document';
import * as vscode from './index';
import type { Position, Range } from './types';
import type { ExtensionContext as RealExtensionContext, TextDocument as RealTextDocument } from 'vscode';

export type { ShimTextDocument } from './document';

let counter = 0;

export const shim = {
  state: vscode.state,

  /** Forgets every document, provider, command, diagnostic, message and setting. Call in beforeEach/afterEach. */
  reset(): void {
    vscode.resetState();
  },

  /** Opens a document (fires onDidOpenTextDocument). The default Uri is a fake file path under /workspace. */
  openDocument(text: string, options: { uri?: Uri; path?: string; languageId?: string } = {}): ShimTextDocument {
    const uri = options.uri ?? Uri.file(options.path ?? `/workspace/doc${++counter}.json`);
    return vscode.addDocument(new ShimTextDocument(uri, options.languageId ?? 'json', text));
  },

  /** Opens a document and makes it the active editor. */
  async showDocument(text: string, options: { uri?: Uri; path?: string; languageId?: string } = {}): Promise<ShimTextDocument> {
    const doc = shim.openDocument(text, options);
    await vscode.window.showTextDocument(doc);
    return doc;
  },

  /** Replaces `[offset, offset+length)` with `text` (fires onDidChangeTextDocument). */
  edit(doc: ShimTextDocument, offset: number, length: number, text: string): void {
    vscode.changeDocument(doc, [{ range: new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + length)), newText: text }]);
  },

  /** Replaces the whole text. */
  setText(doc: ShimTextDocument, text: string): void {
    vscode.changeDocument(doc, [{ range: new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), newText: text }]);
  },

  close(doc: ShimTextDocument): void {
    vscode.closeDocument(doc);
  },

  /** Sets a setting (workspace level by default) and fires onDidChangeConfiguration. */
  setConfig(key: string, value: unknown, level: 'user' | 'workspace' = 'workspace'): void {
    const store = level === 'user' ? vscode.state.userConfig : vscode.state.workspaceConfig;
    if (value === undefined) store.delete(key);
    else store.set(key, value);
    vscode.fireConfigChange([key]);
  },

  /** Switches vscode.env.language and loads l10n/bundle.l10n.<language>.json like VS Code does at start-up. */
  setLanguage(language: string): void {
    vscode.state.language = language;
    vscode.state.l10nBundle = vscode.loadL10nBundle(language);
  },

  setTrusted(trusted: boolean): void {
    const grant = !vscode.state.isTrusted && trusted;
    vscode.state.isTrusted = trusted;
    if (grant) vscode.state.events.trust.fire();
  },

  diagnostics(doc: { uri: Uri }): vscode.Diagnostic[] {
    return vscode.languages.getDiagnostics(doc.uri);
  },

  /** The last recorded notification, or undefined. */
  lastMessage(): vscode.RecordedMessage | undefined {
    return vscode.state.messages.at(-1);
  },

  outputChannel(name: string): vscode.ShimOutputChannel | undefined {
    return vscode.state.outputChannels.find((c) => c.name === name);
  },

  statusBarItem(id?: string): vscode.ShimStatusBarItem | undefined {
    return id ? vscode.state.statusBarItems.find((i) => i.id === id && !i.disposed) : vscode.state.statusBarItems.find((i) => !i.disposed);
  },

  completion(
    doc: ShimTextDocument,
    position: Position,
    trigger?: string,
    itemResolveCount?: number,
  ): Promise<{ items: vscode.CompletionItem[]; isIncomplete: boolean }> {
    return vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, position, trigger, itemResolveCount);
  },
  hover(doc: ShimTextDocument, position: Position): Promise<vscode.Hover[]> {
    return vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, position);
  },
  codeActions(doc: ShimTextDocument, range: Range, kind?: string): Promise<vscode.CodeAction[]> {
    return vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, range, kind);
  },
  codeLenses(doc: ShimTextDocument): Promise<vscode.CodeLens[]> {
    return vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
  },

  /**
   * A fresh ExtensionContext with real temp directories for globalStorageUri/storageUri/logUri.
   * `dispose()` disposes its subscriptions (like deactivation) and deletes the directories.
   */
  /** A shim document where product code expects vscode.TextDocument (the shim implements what the product reads). */
  asTextDocument(doc: ShimTextDocument): RealTextDocument {
    return doc as unknown as RealTextDocument;
  },

  createExtensionContext(options: { globalStorageDir?: string } = {}): ShimExtensionContext {
    const root = mkdtempSync(path.join(tmpdir(), 'comfyui-shim-'));
    const globalDir = options.globalStorageDir ?? path.join(root, 'global');
    const memento = () => {
      const m = new Map<string, unknown>();
      return {
        keys: () => [...m.keys()],
        get: <T>(key: string, defaultValue?: T): T | undefined => (m.has(key) ? (m.get(key) as T) : defaultValue),
        update: (key: string, value: unknown) => {
          if (value === undefined) m.delete(key);
          else m.set(key, value);
          return Promise.resolve();
        },
        setKeysForSync: () => {},
      };
    };
    const secrets = new Map<string, string>();
    const subscriptions: { dispose(): unknown }[] = [];
    const context = {
      subscriptions,
      extensionUri: Uri.file(vscode.REPO_ROOT),
      extensionPath: vscode.REPO_ROOT,
      globalStorageUri: Uri.file(globalDir),
      storageUri: Uri.file(path.join(root, 'workspace')),
      logUri: Uri.file(path.join(root, 'logs')),
      globalStoragePath: globalDir,
      extensionMode: vscode.ExtensionMode.Test,
      globalState: memento(),
      workspaceState: memento(),
      secrets: {
        get: (k: string) => Promise.resolve(secrets.get(k)),
        store: (k: string, v: string) => Promise.resolve(void secrets.set(k, v)),
        delete: (k: string) => Promise.resolve(void secrets.delete(k)),
        onDidChange: new vscode.EventEmitter<unknown>().event,
      },
      asAbsolutePath: (rel: string) => path.join(vscode.REPO_ROOT, rel),
      extension: { id: 'comfyui-workflows.comfyui-workflows', packageJSON: {} },
      /** Test helper: disposes subscriptions in reverse order, then removes the temp directories. */
      dispose(): void {
        const pending: Promise<unknown>[] = [];
        for (const d of subscriptions.splice(0).reverse()) {
          try {
            const r = d.dispose();
            if (r instanceof Promise) pending.push(r);
          } catch (error) {
            console.error('[vscode-shim] dispose failed:', error);
          }
        }
        const remove = () => rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
        // A disposable whose dispose() returns a promise (the node-definitions store's cache writes) may still be
        // writing into its folder: removing it now races that write (ENOTEMPTY on a loaded machine, finding 21),
        // so the folder goes once they settled. Without such writes it goes now; a failure then is retried later
        // instead of failing the test that merely ended.
        let removed = false;
        if (pending.length === 0) {
          try {
            remove();
            removed = true;
          } catch {
            // retried below
          }
        }
        if (!removed)
          void Promise.allSettled(pending)
            .then(() => new Promise((resolve) => setTimeout(resolve, 50)))
            .then(remove)
            .catch((e: unknown) => console.error('[vscode-shim] cleanup failed:', e));
      },
      /** Test helper: disposes the subscriptions but keeps the storage folders (a later "session" reuses them). */
      disposeKeepingStorage(): void {
        for (const d of subscriptions.splice(0).reverse()) d.dispose();
      },
    };
    // The shim implements the members the extension reads; the rest of vscode.ExtensionContext (environment variable
    // collections, language model access…) is never touched, so this one conversion stands for all tests.
    return context as unknown as ShimExtensionContext;
  },
};

/** What the shim's ExtensionContext offers: the real type, plus clean-up helpers for tests. */
export type ShimExtensionContext = RealExtensionContext & { dispose(): void; disposeKeepingStorage(): void };

export { vscode };
