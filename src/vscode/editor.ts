// Wires the editor side of the extension: settings, log, server connection, node definitions, workflow detection,
// diagnostics, completion, hover, quick fixes, code lens, status bar, context keys and commands. Called once from
// src/extension.ts; returns the services other areas (run, queue view, preview) build on.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { createLog, urlSecrets, type ExtensionLog } from './log';
import { onDidChangeSettings, readSettings, type Settings } from './config';
import { ServerConnection } from './connection';
import { NodeDefsStore, type Definitions, type DefsFetcher } from './nodeDefsStore';
import { WorkflowDocuments } from './workflowDocuments';
import { DiagnosticsController } from './language/diagnostics';
import { createValidator } from './language/validation';
import { TRIGGER_CHARACTERS, WorkflowCompletionProvider } from './language/completion';
import { WorkflowCodeLensProvider } from './language/codeLens';
import { WorkflowHoverProvider } from './language/hover';
import { WorkflowCodeActionProvider } from './language/codeActions';
import { ServerStatusBar } from './statusBar';
import { ContextKeys } from './contextKeys';
import { formatAge } from './format';
import { refreshDefinitions, registerEditorCommands, type CommandDeps } from './commands';
import { NoDefinitionsNotice } from './noDefinitionsNotice';

export interface EditorServices {
  log: ExtensionLog;
  connection: ServerConnection;
  store: NodeDefsStore;
  documents: WorkflowDocuments;
  diagnostics: DiagnosticsController;
  contextKeys: ContextKeys;
  /** Current settings (re-read on every change). */
  settings(): Settings;
  /** Current node definitions (prepared + raw), undefined when none are known. */
  definitions(): Definitions | undefined;
  /** Resolves once the first load of cached/dump definitions finished (tests, measurements). */
  ready: Promise<void>;
  /** Milliseconds spent in registerEditor (activation cost). */
  activationMs: number;
}

/** Workflow files stay `json`; these selectors reach them in any scheme (file, untitled, remote). */
export const WORKFLOW_SELECTOR: vscode.DocumentSelector = [{ language: 'json' }, { language: 'jsonc' }];

export function registerEditor(context: vscode.ExtensionContext): EditorServices {
  const started = performance.now();
  const subs = context.subscriptions;
  const channel = vscode.window.createOutputChannel('ComfyUI', { log: true });
  const log = createLog(channel);
  let settings = readSettings();
  const keys = new ContextKeys();

  const connection = new ServerConnection({ logger: log, timeoutMs: () => settings.requestTimeoutMs });
  const store = new NodeDefsStore(context.globalStorageUri.fsPath, log);
  const documents = new WorkflowDocuments(settings.workflowFiles);
  subs.push(log, connection, store, documents);

  const dumpFile = (): string | undefined => resolveDumpPath(settings.objectInfoPath);
  const readme = vscode.Uri.joinPath(context.extensionUri, 'README.md').with({ fragment: 'diagnostic-codes' });
  const diagnostics = new DiagnosticsController({
    documents,
    definitions: () => store.current,
    onDidChangeDefinitions: store.onDidChange,
    validate: createValidator(),
    codeTarget: () => readme,
    debounceMs: () => settings.debounceMs,
    enabled: () => settings.validationEnabled,
    log,
  });
  subs.push(diagnostics);

  subs.push(vscode.languages.registerCompletionItemProvider(WORKFLOW_SELECTOR, new WorkflowCompletionProvider(documents, () => store.current?.defs), ...TRIGGER_CHARACTERS));

  // Hovers say when they rely on the cache of a server that is not reachable right now.
  const offlineNote = (): string | undefined => {
    const d = store.current;
    if (!d || d.source === 'file' || connection.state === 'connected') return undefined;
    return vscode.l10n.t('Offline: node definitions fetched {0}.', formatAge(d.fetchedAt));
  };
  subs.push(
    vscode.languages.registerHoverProvider(WORKFLOW_SELECTOR, new WorkflowHoverProvider(documents, () => store.current?.defs, offlineNote)),
    vscode.languages.registerCodeActionsProvider(
      WORKFLOW_SELECTOR,
      new WorkflowCodeActionProvider(documents, () => store.current?.defs, (d) => diagnostics.problemOf(d)),
      WorkflowCodeActionProvider.metadata,
    ),
  );

  const codeLens = new WorkflowCodeLensProvider(documents, connection, store, () => settings.codeLensEnabled);
  subs.push(codeLens, vscode.languages.registerCodeLensProvider(WORKFLOW_SELECTOR, codeLens));

  subs.push(new ServerStatusBar(connection, store, () => dumpFile() !== undefined));

  const deps: CommandDeps = { connection, store, log, dumpFile };
  subs.push(...registerEditorCommands(deps));

  // ---- state that follows the server and the definitions ------------------------------------------------------
  let initialLoadDone = false;
  const notice = new NoDefinitionsNotice({
    hasDefinitions: () => store.current !== undefined,
    initialLoadDone: () => initialLoadDone,
    connectionState: () => connection.state,
    usingFile: () => dumpFile() !== undefined,
    workflowOpen: () => vscode.workspace.textDocuments.some((d) => documents.get(d).isWorkflow),
  });

  let ready: Promise<void> = Promise.resolve();
  const applyServer = (): void => {
    log.setSecrets(urlSecrets(settings.serverUrl));
    // Non-blocking: builds the client and socket and starts connecting in the background.
    connection.setServer(settings.serverUrl);
    const file = dumpFile();
    keys.set('comfyui.usingDumpFile', file !== undefined);
    initialLoadDone = false;
    let load: Promise<unknown>;
    if (file) load = store.useFile(file);
    else if (connection.client) load = store.useServer(connection.displayUrl, currentClient(connection));
    else {
      store.useNothing();
      load = Promise.resolve();
    }
    ready = load.then(
      () => {
        initialLoadDone = true;
        // Already connected (the cache was slow to read): fetch now rather than wait for the next reconnect.
        if (!file && connection.state === 'connected' && store.current?.source !== 'server') void refreshDefinitions(deps, { interactive: false });
        notice.check();
      },
      (error: unknown) => log.error('Loading node definitions failed:', error),
    );
  };

  const updateConnectionKeys = (): void => {
    keys.set('comfyui.serverState', connection.state);
    keys.set('comfyui.connected', connection.state === 'connected');
  };
  const updateWorkflowKey = (): void => {
    const editor = vscode.window.activeTextEditor;
    keys.set('comfyui.isWorkflow', editor ? documents.get(editor.document).isWorkflow : false);
  };

  subs.push(
    connection.onDidChangeState((state) => {
      updateConnectionKeys();
      // Refresh on every (re)connect: the server may have gained or lost custom nodes while we were away.
      if (state === 'connected' && !dumpFile() && initialLoadDone) void refreshDefinitions(deps, { interactive: false, restart: true });
      notice.check();
    }),
    store.onDidChange(() => {
      keys.set('comfyui.hasNodeDefinitions', store.current !== undefined);
      notice.check();
    }),
    documents.onDidChangeMembership(() => {
      updateWorkflowKey();
      notice.check();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => {
      updateWorkflowKey();
      notice.check();
    }),
    vscode.workspace.onDidOpenTextDocument(() => notice.check()),
    onDidChangeSettings((e) => {
      const before = settings;
      settings = readSettings();
      if (e.affectsConfiguration('comfyui.requestTimeoutSeconds') && before.requestTimeoutMs !== settings.requestTimeoutMs) {
        connection.setServer(settings.serverUrl, true);
      }
      if (e.affectsConfiguration('comfyui.serverUrl') || e.affectsConfiguration('comfyui.objectInfoPath') || e.affectsConfiguration('comfyui.requestTimeoutSeconds')) applyServer();
      if (e.affectsConfiguration('comfyui.workflowFiles')) documents.setWorkflowFiles(settings.workflowFiles);
      if (e.affectsConfiguration('comfyui.workflowFiles') || e.affectsConfiguration('comfyui.validation')) diagnostics.revalidateAll();
      updateWorkflowKey();
      codeLens.refresh();
    }),
  );

  applyServer();
  updateConnectionKeys();
  updateWorkflowKey();
  keys.set('comfyui.hasNodeDefinitions', store.current !== undefined);

  const activationMs = performance.now() - started;
  log.info(`ComfyUI Workflows activated in ${activationMs.toFixed(1)} ms (client id ${connection.clientId})`);
  return {
    log,
    connection,
    store,
    documents,
    diagnostics,
    contextKeys: keys,
    settings: () => settings,
    definitions: () => store.current,
    get ready() {
      return ready;
    },
    activationMs,
  };
}

/**
 * A fetcher that always uses the connection's current client: stored credentials rebuild the client without a URL
 * change (src/vscode/servers), and the definitions must be fetched with them.
 */
function currentClient(connection: ServerConnection): DefsFetcher {
  const client = () => connection.client ?? Promise.reject(new Error(connection.lastError ?? 'No usable ComfyUI server URL is configured.'));
  return {
    getObjectInfo: async (opts) => (await client()).getObjectInfo(opts),
    getSystemStats: async (opts) => (await client()).getSystemStats(opts),
  };
}

/** `comfyui.objectInfoPath` as an absolute path (relative ones are resolved against the first workspace folder). */
export function resolveDumpPath(setting: string): string | undefined {
  if (!setting) return undefined;
  const expanded = setting.startsWith('~/') ? path.join(process.env.HOME ?? '', setting.slice(2)) : setting;
  if (path.isAbsolute(expanded)) return expanded;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? path.join(folder.uri.fsPath, expanded) : path.resolve(expanded);
}
