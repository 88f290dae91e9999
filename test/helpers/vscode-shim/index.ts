// A minimal fake of the `vscode` module, so adapters under src/vscode can be tested at Node level (no Electron).
// Load it with `import '<path>/test/helpers/vscode-shim/register'` as the FIRST import of a test file: after that,
// `import * as vscode from 'vscode'` in product code resolves here. Tests drive and inspect it through `shim`
// (./control.ts). Semantics follow VS Code where the product depends on them (events fire synchronously,
// diagnostics are per Uri, configuration falls back to the defaults declared in package.json).
import { readFileSync, existsSync, promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import { CancellationTokenSource, Disposable, EventEmitter, Uri, type CancellationToken } from './base';
import { ShimTextDocument, type ContentChange } from './document';
import { createShimWebviewPanel, type ShimWebviewPanel } from './webview';
import type { Diagnostic } from './types';
import {
  CodeActionKind,
  CodeActionTriggerKind,
  CompletionTriggerKind,
  ConfigurationTarget,
  LogLevel,
  Position,
  Range,
  Selection,
  StatusBarAlignment,
} from './types';

export * from './types';
export { CancellationTokenSource, Disposable, EventEmitter, Uri } from './base';

export const REPO_ROOT = nodePath.resolve(__dirname, '..', '..', '..');

// ---------------------------------------------------------------------------------------------------------------
// State (reset by shim.reset())

type Provider = { selector: unknown; provider: any; extra: unknown[] };

export interface RecordedMessage {
  level: 'info' | 'warning' | 'error';
  message: string;
  items: string[];
  modal: boolean;
  /** The options' `detail` (a modal's second paragraph), when given. */
  detail?: string;
}

export interface ShimStatusBarItem {
  id: string;
  alignment: StatusBarAlignment;
  priority?: number;
  text: string;
  tooltip?: unknown;
  command?: unknown;
  name?: string;
  color?: unknown;
  backgroundColor?: unknown;
  accessibilityInformation?: unknown;
  visible: boolean;
  disposed: boolean;
  show(): void;
  hide(): void;
  dispose(): void;
}

export interface LogLine {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'append';
  text: string;
}

export interface ShimOutputChannel {
  name: string;
  lines: LogLine[];
  [k: string]: unknown;
}

export const state = {
  documents: [] as ShimTextDocument[],
  diagnostics: new Map<string, DiagnosticCollectionImpl>(),
  providers: { completion: [] as Provider[], hover: [] as Provider[], codeAction: [] as Provider[], codeLens: [] as Provider[], other: [] as Provider[] },
  commands: new Map<string, (...args: any[]) => unknown>(),
  executed: [] as { command: string; args: unknown[] }[],
  context: new Map<string, unknown>(),
  userConfig: new Map<string, unknown>(),
  workspaceConfig: new Map<string, unknown>(),
  messages: [] as RecordedMessage[],
  /** Answers a notification: return the label of the item to "click", or undefined to dismiss. */
  respond: (_m: RecordedMessage): string | undefined => undefined,
  quickPick: (_items: any[], _options?: unknown): any => undefined,
  inputBox: (_options?: unknown): string | undefined => undefined,
  openDialog: (_options?: unknown): Uri[] | undefined => undefined,
  saveDialog: (_options?: unknown): Uri | undefined => undefined,
  webviewPanels: [] as ShimWebviewPanel[],
  statusBarItems: [] as ShimStatusBarItem[],
  outputChannels: [] as ShimOutputChannel[],
  progress: [] as { options: unknown; reports: unknown[]; source: CancellationTokenSource; done: boolean }[],
  language: 'en',
  l10nBundle: undefined as Record<string, string> | undefined,
  activeEditor: undefined as TextEditorImpl | undefined,
  openedExternal: [] as string[],
  clipboard: '',
  isTrusted: true,
  workspaceFolders: undefined as { uri: Uri; name: string; index: number }[] | undefined,
  untitledCounter: 0,
  events: makeEvents(),
};

function makeEvents() {
  return {
    openDoc: new EventEmitter<ShimTextDocument>(),
    closeDoc: new EventEmitter<ShimTextDocument>(),
    changeDoc: new EventEmitter<{ document: ShimTextDocument; contentChanges: ContentChange[]; reason: undefined }>(),
    saveDoc: new EventEmitter<ShimTextDocument>(),
    config: new EventEmitter<{ affectsConfiguration(section: string, scope?: unknown): boolean }>(),
    activeEditor: new EventEmitter<TextEditorImpl | undefined>(),
    visibleEditors: new EventEmitter<TextEditorImpl[]>(),
    editorSelection: new EventEmitter<{ textEditor: TextEditorImpl; selections: Selection[] }>(),
    diagnostics: new EventEmitter<{ uris: Uri[] }>(),
    trust: new EventEmitter<void>(),
    folders: new EventEmitter<unknown>(),
  };
}

export function resetState(): void {
  for (const e of Object.values(state.events)) e.dispose();
  state.events = makeEvents();
  state.documents = [];
  state.diagnostics = new Map();
  state.providers = { completion: [], hover: [], codeAction: [], codeLens: [], other: [] };
  state.commands = new Map();
  state.executed = [];
  state.context = new Map();
  state.userConfig = new Map();
  state.workspaceConfig = new Map();
  state.messages = [];
  state.respond = () => undefined;
  state.quickPick = () => undefined;
  state.inputBox = () => undefined;
  state.openDialog = () => undefined;
  state.saveDialog = () => undefined;
  state.webviewPanels = [];
  state.statusBarItems = [];
  state.outputChannels = [];
  state.progress = [];
  state.language = 'en';
  state.l10nBundle = undefined;
  state.activeEditor = undefined;
  state.openedExternal = [];
  state.clipboard = '';
  state.isTrusted = true;
  state.workspaceFolders = undefined;
  state.untitledCounter = 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Configuration: user/workspace values over the defaults declared in package.json.

let manifestDefaults: Map<string, unknown> | undefined;
function defaults(): Map<string, unknown> {
  if (manifestDefaults) return manifestDefaults;
  manifestDefaults = new Map();
  const pkg = JSON.parse(readFileSync(nodePath.join(REPO_ROOT, 'package.json'), 'utf8'));
  const conf = pkg.contributes?.configuration;
  for (const section of Array.isArray(conf) ? conf : conf ? [conf] : []) {
    for (const [key, spec] of Object.entries<any>(section.properties ?? {})) {
      if ('default' in spec) manifestDefaults.set(key, spec.default);
    }
  }
  return manifestDefaults;
}

function configValue(key: string): unknown {
  if (state.workspaceConfig.has(key)) return state.workspaceConfig.get(key);
  if (state.userConfig.has(key)) return state.userConfig.get(key);
  return defaults().get(key);
}

export function fireConfigChange(keys: string[]): void {
  state.events.config.fire({
    affectsConfiguration: (section: string) => keys.some((k) => k === section || k.startsWith(`${section}.`) || section.startsWith(`${k}.`)),
  });
}

function getConfiguration(section?: string, _scope?: unknown) {
  const full = (key: string): string => (section ? `${section}.${key}` : key);
  return {
    get<T>(key: string, defaultValue?: T): T | undefined {
      const v = configValue(full(key));
      if (v !== undefined) return v as T;
      // VS Code also answers a whole sub-object ("comfyui.validation") from its dotted keys.
      const prefix = `${full(key)}.`;
      const keys = new Set([...defaults().keys(), ...state.userConfig.keys(), ...state.workspaceConfig.keys()]);
      const nested: Record<string, unknown> = {};
      let found = false;
      for (const k of keys) {
        if (k.startsWith(prefix)) {
          nested[k.slice(prefix.length)] = configValue(k);
          found = true;
        }
      }
      return found ? (nested as T) : defaultValue;
    },
    has(key: string): boolean {
      return configValue(full(key)) !== undefined;
    },
    inspect(key: string) {
      const k = full(key);
      return { key: k, defaultValue: defaults().get(k), globalValue: state.userConfig.get(k), workspaceValue: state.workspaceConfig.get(k) };
    },
    update(key: string, value: unknown, target?: ConfigurationTarget | boolean): Promise<void> {
      const k = full(key);
      const store = target === ConfigurationTarget.Global || target === true ? state.userConfig : state.workspaceConfig;
      if (value === undefined) store.delete(k);
      else store.set(k, value);
      fireConfigChange([k]);
      return Promise.resolve();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Documents and editors

class TextEditorImpl {
  private current: Selection[];
  visibleRanges: Range[];
  viewColumn = 1;
  constructor(readonly document: ShimTextDocument) {
    this.current = [new Selection(new Position(0, 0), new Position(0, 0))];
    this.visibleRanges = [new Range(0, 0, document.lineCount, 0)];
  }
  /** Setting the selection fires window.onDidChangeTextEditorSelection, as a user's or an API's move does. */
  get selection(): Selection {
    return this.current[0]!;
  }
  set selection(s: Selection) {
    this.selections = [s];
  }
  get selections(): Selection[] {
    return this.current;
  }
  set selections(list: Selection[]) {
    this.current = list;
    state.events.editorSelection.fire({ textEditor: this, selections: list });
  }
  edit(cb: (b: { replace(r: Range, t: string): void; insert(p: Position, t: string): void; delete(r: Range): void }) => void): Promise<boolean> {
    const edits: { range: Range; newText: string }[] = [];
    cb({
      replace: (range, newText) => edits.push({ range, newText }),
      insert: (p, newText) => edits.push({ range: new Range(p, p), newText }),
      delete: (range) => edits.push({ range, newText: '' }),
    });
    changeDocument(this.document, edits);
    return Promise.resolve(true);
  }
  revealRange(): void {}
  setDecorations(): void {}
}

export function addDocument(doc: ShimTextDocument): ShimTextDocument {
  state.documents.push(doc);
  state.events.openDoc.fire(doc);
  return doc;
}

export function changeDocument(doc: ShimTextDocument, edits: { range: Range; newText: string }[]): void {
  const contentChanges = doc.applyEdits(edits);
  state.events.changeDoc.fire({ document: doc, contentChanges, reason: undefined });
}

export function closeDocument(doc: ShimTextDocument): void {
  state.documents = state.documents.filter((d) => d !== doc);
  doc.isClosed = true;
  if (state.activeEditor?.document === doc) {
    state.activeEditor = undefined;
    state.events.activeEditor.fire(undefined);
  }
  state.events.closeDoc.fire(doc);
}

function findDocument(uri: { toString(): string }): ShimTextDocument | undefined {
  return state.documents.find((d) => d.uri.toString() === uri.toString());
}

// ---------------------------------------------------------------------------------------------------------------
// Diagnostics

class DiagnosticCollectionImpl {
  private readonly entries = new Map<string, { uri: Uri; diagnostics: readonly Diagnostic[] }>();
  disposed = false;
  constructor(readonly name: string) {}
  set(uriOrEntries: Uri | [Uri, readonly Diagnostic[] | undefined][], diagnostics?: readonly Diagnostic[]): void {
    if (Array.isArray(uriOrEntries)) {
      for (const [u, d] of uriOrEntries) this.set(u, d ?? []);
      return;
    }
    if (!diagnostics || diagnostics.length === 0) this.entries.delete(uriOrEntries.toString());
    else this.entries.set(uriOrEntries.toString(), { uri: uriOrEntries, diagnostics: [...diagnostics] });
    state.events.diagnostics.fire({ uris: [uriOrEntries] });
  }
  get(uri: Uri): readonly Diagnostic[] {
    return this.entries.get(uri.toString())?.diagnostics ?? [];
  }
  has(uri: Uri): boolean {
    return this.entries.has(uri.toString());
  }
  delete(uri: Uri): void {
    if (this.entries.delete(uri.toString())) state.events.diagnostics.fire({ uris: [uri] });
  }
  clear(): void {
    const uris = [...this.entries.values()].map((e) => e.uri);
    this.entries.clear();
    if (uris.length) state.events.diagnostics.fire({ uris });
  }
  forEach(cb: (uri: Uri, diagnostics: readonly Diagnostic[], collection: this) => void): void {
    for (const e of this.entries.values()) cb(e.uri, e.diagnostics, this);
  }
  *[Symbol.iterator](): IterableIterator<[Uri, readonly Diagnostic[]]> {
    for (const e of this.entries.values()) yield [e.uri, e.diagnostics];
  }
  dispose(): void {
    this.clear();
    this.disposed = true;
    state.diagnostics.delete(this.name);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Selector matching (language, scheme, pattern)

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',') re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function matchSelector(selector: any, doc: ShimTextDocument): number {
  if (Array.isArray(selector)) return Math.max(0, ...selector.map((s) => matchSelector(s, doc)));
  if (typeof selector === 'string') return selector === '*' ? 5 : selector === doc.languageId ? 10 : 0;
  let score = 0;
  if (selector.language) {
    if (selector.language !== '*' && selector.language !== doc.languageId) return 0;
    score = selector.language === '*' ? 5 : 10;
  }
  if (selector.scheme) {
    if (selector.scheme !== '*' && selector.scheme !== doc.uri.scheme) return 0;
    score = Math.max(score, selector.scheme === '*' ? 5 : 10);
  }
  if (selector.pattern) {
    const p = selector.pattern;
    const pattern = typeof p === 'string' ? p : `${p.base}/${p.pattern}`;
    if (!globToRegExp(pattern).test(doc.uri.path) && !globToRegExp(pattern).test(doc.uri.fsPath)) return 0;
    score = Math.max(score, 10);
  }
  return score;
}

function providersFor(list: Provider[], doc: ShimTextDocument): Provider[] {
  return list.filter((p) => matchSelector(p.selector, doc) > 0);
}

function register(list: Provider[], selector: unknown, provider: unknown, extra: unknown[]): Disposable {
  const entry = { selector, provider, extra };
  list.push(entry);
  return new Disposable(() => {
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Namespaces

export const languages = {
  createDiagnosticCollection(name = `collection${state.diagnostics.size}`) {
    const c = new DiagnosticCollectionImpl(name);
    state.diagnostics.set(name, c);
    return c;
  },
  get onDidChangeDiagnostics() {
    return state.events.diagnostics.event;
  },
  getDiagnostics(uri?: Uri): any {
    if (uri) return [...state.diagnostics.values()].flatMap((c) => [...c.get(uri)]);
    const all = new Map<string, [Uri, Diagnostic[]]>();
    for (const c of state.diagnostics.values()) {
      c.forEach((u, d) => {
        const e = all.get(u.toString()) ?? [u, []];
        e[1].push(...d);
        all.set(u.toString(), e);
      });
    }
    return [...all.values()];
  },
  registerCompletionItemProvider(selector: unknown, provider: unknown, ...triggerCharacters: string[]) {
    return register(state.providers.completion, selector, provider, triggerCharacters);
  },
  registerHoverProvider(selector: unknown, provider: unknown) {
    return register(state.providers.hover, selector, provider, []);
  },
  registerCodeActionsProvider(selector: unknown, provider: unknown, metadata?: unknown) {
    return register(state.providers.codeAction, selector, provider, [metadata]);
  },
  registerCodeLensProvider(selector: unknown, provider: unknown) {
    return register(state.providers.codeLens, selector, provider, []);
  },
  registerDocumentLinkProvider(selector: unknown, provider: unknown) {
    return register(state.providers.other, selector, provider, ['link']);
  },
  registerDefinitionProvider(selector: unknown, provider: unknown) {
    return register(state.providers.other, selector, provider, ['definition']);
  },
  registerDocumentSymbolProvider(selector: unknown, provider: unknown) {
    return register(state.providers.other, selector, provider, ['symbol']);
  },
  registerDocumentFormattingEditProvider(selector: unknown, provider: unknown) {
    return register(state.providers.other, selector, provider, ['formatting']);
  },
  match(selector: unknown, document: ShimTextDocument): number {
    return matchSelector(selector, document);
  },
  setTextDocumentLanguage(document: ShimTextDocument, languageId: string): Promise<ShimTextDocument> {
    closeDocument(document);
    document.languageId = languageId;
    document.isClosed = false;
    return Promise.resolve(addDocument(document));
  },
  getLanguages(): Promise<string[]> {
    return Promise.resolve(['json', 'jsonc', 'plaintext']);
  },
};

export class FileSystemError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
  static FileNotFound(uri?: unknown): FileSystemError {
    return new FileSystemError(`File not found: ${String(uri)}`, 'FileNotFound');
  }
  static FileExists(uri?: unknown): FileSystemError {
    return new FileSystemError(`File exists: ${String(uri)}`, 'FileExists');
  }
}

async function wrapFs<T>(uri: Uri, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw FileSystemError.FileNotFound(uri);
    throw error;
  }
}

export enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
  SymbolicLink = 64,
}

export const workspace = {
  get textDocuments(): ShimTextDocument[] {
    return [...state.documents];
  },
  get workspaceFolders() {
    return state.workspaceFolders;
  },
  get isTrusted(): boolean {
    return state.isTrusted;
  },
  get onDidGrantWorkspaceTrust() {
    return state.events.trust.event;
  },
  get onDidOpenTextDocument() {
    return state.events.openDoc.event;
  },
  get onDidCloseTextDocument() {
    return state.events.closeDoc.event;
  },
  get onDidChangeTextDocument() {
    return state.events.changeDoc.event;
  },
  get onDidSaveTextDocument() {
    return state.events.saveDoc.event;
  },
  get onDidChangeConfiguration() {
    return state.events.config.event;
  },
  get onDidChangeWorkspaceFolders() {
    return state.events.folders.event;
  },
  getConfiguration,
  getWorkspaceFolder(uri: Uri) {
    return state.workspaceFolders?.find((f) => uri.path.startsWith(`${f.uri.path}/`));
  },
  asRelativePath(pathOrUri: string | Uri): string {
    const p = typeof pathOrUri === 'string' ? pathOrUri : pathOrUri.path;
    const folder = state.workspaceFolders?.find((f) => p.startsWith(`${f.uri.path}/`));
    return folder ? p.slice(folder.uri.path.length + 1) : p;
  },
  async openTextDocument(arg?: Uri | string | { content?: string; language?: string }): Promise<ShimTextDocument> {
    if (arg === undefined || (typeof arg === 'object' && !(arg instanceof Uri))) {
      const opts = (arg ?? {}) as { content?: string; language?: string };
      const uri = Uri.from({ scheme: 'untitled', path: `Untitled-${++state.untitledCounter}` });
      return addDocument(new ShimTextDocument(uri, opts.language ?? 'plaintext', opts.content ?? ''));
    }
    const uri = typeof arg === 'string' ? Uri.file(arg) : arg;
    const existing = findDocument(uri);
    if (existing) return existing;
    // Virtual documents come from the content provider registered for their scheme.
    const content = state.providers.other.find((p) => p.extra[0] === 'content' && (p.selector as { scheme?: string }).scheme === uri.scheme);
    if (content && uri.scheme !== 'file') {
      const text = (await content.provider.provideTextDocumentContent(uri, new CancellationTokenSource().token)) ?? '';
      return addDocument(new ShimTextDocument(uri, 'plaintext', text));
    }
    const text = await wrapFs(uri, () => fsp.readFile(uri.fsPath, 'utf8'));
    const lang = /\.jsonc?$/i.test(uri.path) ? 'json' : 'plaintext';
    return addDocument(new ShimTextDocument(uri, lang, text));
  },
  applyEdit(edit: { entries(): [{ toString(): string }, { range: Range; newText: string }[]][] }): Promise<boolean> {
    for (const [uri, edits] of edit.entries()) {
      const doc = findDocument(uri);
      if (!doc) return Promise.resolve(false);
      changeDocument(doc, edits);
    }
    return Promise.resolve(true);
  },
  registerTextDocumentContentProvider(scheme: string, provider: unknown) {
    return register(state.providers.other, { scheme }, provider, ['content']);
  },
  createFileSystemWatcher() {
    const e = new EventEmitter<Uri>();
    return { onDidCreate: e.event, onDidChange: e.event, onDidDelete: e.event, dispose: () => e.dispose() };
  },
  fs: {
    readFile: (uri: Uri) => wrapFs(uri, async () => new Uint8Array(await fsp.readFile(uri.fsPath))),
    writeFile: (uri: Uri, content: Uint8Array) =>
      wrapFs(uri, async () => {
        await fsp.mkdir(nodePath.dirname(uri.fsPath), { recursive: true });
        await fsp.writeFile(uri.fsPath, content);
      }),
    stat: (uri: Uri) =>
      wrapFs(uri, async () => {
        const s = await fsp.stat(uri.fsPath);
        return { type: s.isDirectory() ? FileType.Directory : FileType.File, size: s.size, mtime: s.mtimeMs, ctime: s.ctimeMs };
      }),
    createDirectory: (uri: Uri) => wrapFs(uri, async () => void (await fsp.mkdir(uri.fsPath, { recursive: true }))),
    delete: (uri: Uri, options?: { recursive?: boolean }) => wrapFs(uri, () => fsp.rm(uri.fsPath, { recursive: !!options?.recursive })),
    rename: (from: Uri, to: Uri) => wrapFs(from, () => fsp.rename(from.fsPath, to.fsPath)),
    readDirectory: (uri: Uri) =>
      wrapFs(uri, async () =>
        (await fsp.readdir(uri.fsPath, { withFileTypes: true })).map(
          (d) => [d.name, d.isDirectory() ? FileType.Directory : FileType.File] as [string, FileType],
        ),
      ),
  },
};

function record(level: RecordedMessage['level'], message: string, rest: unknown[]): Promise<unknown> {
  let modal = false;
  let detail: string | undefined;
  if (rest.length && rest[0] && typeof rest[0] === 'object' && !('title' in (rest[0] as object))) {
    modal = !!(rest[0] as { modal?: boolean }).modal;
    detail = (rest[0] as { detail?: unknown }).detail as string | undefined;
    rest = rest.slice(1);
  }
  const items = rest as (string | { title: string })[];
  const m: RecordedMessage = {
    level,
    message,
    items: items.map((i) => (typeof i === 'string' ? i : i.title)),
    modal,
    ...(typeof detail === 'string' ? { detail } : {}),
  };
  state.messages.push(m);
  const answer = state.respond(m);
  return Promise.resolve(items.find((i) => (typeof i === 'string' ? i : i.title) === answer));
}

function makeOutputChannel(name: string, options?: { log?: boolean } | string): ShimOutputChannel {
  const lines: LogLine[] = [];
  const levelEvents = new EventEmitter<LogLevel>();
  const log =
    (level: LogLine['level']) =>
    (msg: unknown, ...args: unknown[]) =>
      lines.push({
        level,
        text: [msg, ...args].map((a) => (a instanceof Error ? (a.stack ?? a.message) : typeof a === 'string' ? a : JSON.stringify(a))).join(' '),
      });
  const channel: ShimOutputChannel = {
    name,
    lines,
    isLog: typeof options === 'object' && !!options.log,
    logLevel: LogLevel.Info,
    onDidChangeLogLevel: levelEvents.event,
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    append: (t: string) => lines.push({ level: 'append', text: t }),
    appendLine: (t: string) => lines.push({ level: 'append', text: t }),
    replace: (t: string) => lines.splice(0, lines.length, { level: 'append', text: t }),
    clear: () => lines.splice(0, lines.length),
    show: () => {},
    hide: () => {},
    dispose: () => {},
  };
  state.outputChannels.push(channel);
  return channel;
}

export const window = {
  get activeTextEditor() {
    return state.activeEditor;
  },
  get visibleTextEditors() {
    return state.activeEditor ? [state.activeEditor] : [];
  },
  get onDidChangeActiveTextEditor() {
    return state.events.activeEditor.event;
  },
  get onDidChangeVisibleTextEditors() {
    return state.events.visibleEditors.event;
  },
  get onDidChangeTextEditorSelection() {
    return state.events.editorSelection.event;
  },
  async showTextDocument(docOrUri: ShimTextDocument | Uri): Promise<TextEditorImpl> {
    const doc = docOrUri instanceof ShimTextDocument ? docOrUri : await workspace.openTextDocument(docOrUri);
    state.activeEditor = new TextEditorImpl(doc);
    state.events.activeEditor.fire(state.activeEditor);
    state.events.visibleEditors.fire([state.activeEditor]);
    return state.activeEditor;
  },
  showInformationMessage: (message: string, ...rest: unknown[]) => record('info', message, rest),
  showWarningMessage: (message: string, ...rest: unknown[]) => record('warning', message, rest),
  showErrorMessage: (message: string, ...rest: unknown[]) => record('error', message, rest),
  showQuickPick: (items: unknown, options?: unknown) => Promise.resolve(items).then((i) => state.quickPick(i as any[], options)),
  showInputBox: (options?: unknown) => Promise.resolve(state.inputBox(options)),
  /** A quick pick answered like showQuickPick: `state.quickPick(items, {title, placeholder})` picks the accepted item. */
  createQuickPick() {
    const accept = new EventEmitter<void>();
    const hide = new EventEmitter<void>();
    const button = new EventEmitter<{ item: unknown; button: unknown }>();
    const qp = {
      items: [] as unknown[],
      selectedItems: [] as unknown[],
      title: undefined as string | undefined,
      placeholder: undefined as string | undefined,
      matchOnDescription: false,
      matchOnDetail: false,
      onDidAccept: accept.event,
      onDidHide: hide.event,
      onDidTriggerItemButton: button.event,
      show() {
        void Promise.resolve(state.quickPick(qp.items as any[], { title: qp.title, placeHolder: qp.placeholder, quickPick: qp })).then((chosen) => {
          if (chosen === undefined) return qp.hide();
          qp.selectedItems = [chosen];
          accept.fire();
        });
      },
      hide() {
        hide.fire();
      },
      /** Tests: press an item's button. */
      triggerButton(item: unknown, b: unknown) {
        button.fire({ item, button: b });
      },
      dispose() {},
    };
    return qp;
  },
  showOpenDialog: (options?: unknown) => Promise.resolve(state.openDialog(options)),
  createOutputChannel: makeOutputChannel,
  createStatusBarItem(idOrAlignment?: string | StatusBarAlignment, alignmentOrPriority?: StatusBarAlignment | number, priority?: number): ShimStatusBarItem {
    const hasId = typeof idOrAlignment === 'string';
    const item: ShimStatusBarItem = {
      id: hasId ? idOrAlignment : `item${state.statusBarItems.length}`,
      alignment: (hasId ? alignmentOrPriority : idOrAlignment) ?? StatusBarAlignment.Left,
      priority: hasId ? priority : (alignmentOrPriority as number | undefined),
      text: '',
      visible: false,
      disposed: false,
      show() {
        item.visible = true;
      },
      hide() {
        item.visible = false;
      },
      dispose() {
        item.visible = false;
        item.disposed = true;
      },
    };
    state.statusBarItems.push(item);
    return item;
  },
  async withProgress<R>(options: unknown, task: (progress: { report(v: unknown): void }, token: CancellationToken) => Thenable<R>): Promise<R> {
    const entry = { options, reports: [] as unknown[], source: new CancellationTokenSource(), done: false };
    state.progress.push(entry);
    try {
      return await task({ report: (v) => entry.reports.push(v) }, entry.source.token);
    } finally {
      entry.done = true;
    }
  },
  setStatusBarMessage(text: string) {
    state.messages.push({ level: 'info', message: text, items: [], modal: false });
    return new Disposable(() => {});
  },
  createTreeView(id: string, options: { treeDataProvider: unknown }) {
    const visibility = new EventEmitter<{ visible: boolean }>();
    const selection = new EventEmitter<unknown>();
    const view = {
      id,
      treeDataProvider: options.treeDataProvider,
      visible: true,
      selection: [] as unknown[],
      message: undefined as string | undefined,
      title: undefined as string | undefined,
      description: undefined as string | undefined,
      badge: undefined as unknown,
      onDidChangeVisibility: visibility.event,
      onDidChangeSelection: selection.event,
      onDidExpandElement: new EventEmitter<unknown>().event,
      onDidCollapseElement: new EventEmitter<unknown>().event,
      reveal: () => Promise.resolve(),
      /** Test helper: flips visibility and fires the event. */
      setVisible(v: boolean) {
        view.visible = v;
        visibility.fire({ visible: v });
      },
      dispose: () => {
        visibility.dispose();
        selection.dispose();
      },
    };
    register(state.providers.other, { view: id }, view, ['treeView']);
    return view;
  },
  registerTreeDataProvider(id: string, provider: unknown) {
    return register(state.providers.other, { view: id }, provider, ['treeData']);
  },
  showSaveDialog: (options?: unknown) => Promise.resolve(state.saveDialog(options)),
  createWebviewPanel(viewType: string, title: string, _showOptions: unknown, options?: unknown): ShimWebviewPanel {
    const panel = createShimWebviewPanel(viewType, title, options);
    state.webviewPanels.push(panel);
    return panel;
  },
  registerWebviewPanelSerializer(viewType: string, serializer: unknown) {
    return register(state.providers.other, { viewType }, serializer, ['webviewSerializer']);
  },
  registerUriHandler(handler: unknown) {
    return register(state.providers.other, {}, handler, ['uriHandler']);
  },
  createTextEditorDecorationType() {
    return { key: 'decoration', dispose: () => {} };
  },
};

export const commands = {
  registerCommand(id: string, handler: (...args: any[]) => unknown, thisArg?: unknown): Disposable {
    if (state.commands.has(id)) throw new Error(`command '${id}' already exists`);
    state.commands.set(id, thisArg ? handler.bind(thisArg) : handler);
    return new Disposable(() => state.commands.delete(id));
  },
  registerTextEditorCommand(id: string, handler: (...args: any[]) => unknown): Disposable {
    return commands.registerCommand(id, (...args) => state.activeEditor && handler(state.activeEditor, undefined, ...args));
  },
  async executeCommand<T = unknown>(id: string, ...args: unknown[]): Promise<T> {
    state.executed.push({ command: id, args });
    if (id === 'setContext') {
      state.context.set(args[0] as string, args[1]);
      return undefined as T;
    }
    const handler = state.commands.get(id);
    if (handler) return (await handler(...args)) as T;
    const builtin = builtinCommands[id];
    if (builtin) return (await builtin(...args)) as T;
    return undefined as T;
  },
  getCommands(): Promise<string[]> {
    return Promise.resolve([...state.commands.keys()]);
  },
};

// The editor's "execute provider" commands, which tests use like the real integration tests do.
const builtinCommands: Record<string, (...args: any[]) => unknown> = {
  // Like VS Code, resolves the first `itemResolveCount` items of each provider that can resolve.
  async 'vscode.executeCompletionItemProvider'(uri: Uri, position: Position, trigger?: string, itemResolveCount = 0) {
    const doc = findDocument(uri);
    if (!doc) return { items: [], isIncomplete: false };
    const items: unknown[] = [];
    let isIncomplete = false;
    for (const p of providersFor(state.providers.completion, doc)) {
      const r = await p.provider.provideCompletionItems(doc, position, new CancellationTokenSource().token, {
        triggerKind: trigger ? CompletionTriggerKind.TriggerCharacter : CompletionTriggerKind.Invoke,
        triggerCharacter: trigger,
      });
      if (!r) continue;
      const list: any[] = Array.isArray(r) ? r : r.items;
      if (!Array.isArray(r)) isIncomplete ||= !!r.isIncomplete;
      for (let i = 0; i < list.length; i++) {
        const resolved =
          i < itemResolveCount && p.provider.resolveCompletionItem
            ? await p.provider.resolveCompletionItem(list[i], new CancellationTokenSource().token)
            : undefined;
        items.push(resolved ?? list[i]);
      }
    }
    return { items, isIncomplete };
  },
  async 'vscode.executeHoverProvider'(uri: Uri, position: Position) {
    const doc = findDocument(uri);
    if (!doc) return [];
    const out: unknown[] = [];
    for (const p of providersFor(state.providers.hover, doc)) {
      const h = await p.provider.provideHover(doc, position, new CancellationTokenSource().token);
      if (h) out.push(h);
    }
    return out;
  },
  async 'vscode.executeCodeActionProvider'(uri: Uri, range: Range, kind?: string) {
    const doc = findDocument(uri);
    if (!doc) return [];
    const diagnostics = languages.getDiagnostics(uri).filter((d: Diagnostic) => d.range.intersection(range) !== undefined);
    const only = kind ? new CodeActionKind(kind) : undefined;
    const out: unknown[] = [];
    for (const p of providersFor(state.providers.codeAction, doc)) {
      const r = await p.provider.provideCodeActions(
        doc,
        range,
        { diagnostics, only, triggerKind: CodeActionTriggerKind.Invoke },
        new CancellationTokenSource().token,
      );
      if (r) out.push(...r);
    }
    return out;
  },
  async 'vscode.executeCodeLensProvider'(uri: Uri) {
    const doc = findDocument(uri);
    if (!doc) return [];
    const out: any[] = [];
    for (const p of providersFor(state.providers.codeLens, doc)) {
      const lenses = (await p.provider.provideCodeLenses(doc, new CancellationTokenSource().token)) ?? [];
      for (const l of lenses) out.push(l.command || !p.provider.resolveCodeLens ? l : await p.provider.resolveCodeLens(l, new CancellationTokenSource().token));
    }
    return out;
  },
  'vscode.open'(uri: Uri) {
    state.openedExternal.push(uri.toString());
  },
};

export const env = {
  get language(): string {
    return state.language;
  },
  appName: 'Visual Studio Code (shim)',
  appRoot: REPO_ROOT,
  uriScheme: 'vscode',
  machineId: 'shim-machine',
  sessionId: 'shim-session',
  remoteName: undefined,
  uiKind: 1,
  logLevel: LogLevel.Info,
  clipboard: {
    readText: () => Promise.resolve(state.clipboard),
    writeText: (t: string) => {
      state.clipboard = t;
      return Promise.resolve();
    },
  },
  openExternal(uri: Uri): Promise<boolean> {
    state.openedExternal.push(uri.toString());
    return Promise.resolve(true);
  },
  asExternalUri: (uri: Uri) => Promise.resolve(uri),
};

function format(message: string, args: unknown[]): string {
  const named = args.length === 1 && args[0] && typeof args[0] === 'object' ? (args[0] as Record<string, unknown>) : undefined;
  return message.replace(/\{([^{}]+)\}/g, (m, key: string) => {
    const v = named ? named[key] : args[Number(key)];
    return v === undefined ? m : String(v);
  });
}

export function loadL10nBundle(language: string): Record<string, string> | undefined {
  if (language === 'en') return undefined;
  const file = nodePath.join(REPO_ROOT, 'l10n', `bundle.l10n.${language}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

export const l10n = {
  t(messageOrOptions: string | { message: string; args?: unknown[] | Record<string, unknown>; comment?: string | string[] }, ...args: unknown[]): string {
    const message = typeof messageOrOptions === 'string' ? messageOrOptions : messageOrOptions.message;
    const a = typeof messageOrOptions === 'string' ? args : Array.isArray(messageOrOptions.args) ? messageOrOptions.args : [messageOrOptions.args ?? {}];
    const bundle = state.l10nBundle;
    const key = typeof messageOrOptions === 'object' && messageOrOptions.comment ? `${message}/${[messageOrOptions.comment].flat().join('')}` : message;
    const translated = bundle?.[key] ?? bundle?.[message];
    return format(translated ?? message, a);
  },
  get bundle() {
    return state.l10nBundle;
  },
  uri: undefined,
};

export const extensions = {
  getExtension: (_id: string) => undefined,
  all: [] as unknown[],
  onDidChange: new EventEmitter<void>().event,
};

export const UIKind = { Desktop: 1, Web: 2 };

// Type names tests use through `vscode.X` (the shim's classes stand in for the API's interfaces).
export type TextDocument = ShimTextDocument;
export type TextEditor = TextEditorImpl;
export type { CancellationToken } from './base';
