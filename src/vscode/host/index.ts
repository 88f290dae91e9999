// The shared host services every feature builds on: settings, log, server connection, node definitions, workflow
// documents, status bar, context keys and the server/definitions commands. Called first from src/extension.ts.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { createLog, type ExtensionLog } from '../common/log';
import { urlSecrets } from '../../core/comfy/url';
import { onDidChangeSettings, readSettings, type Settings } from '../common/config';
import { ServerConnection } from './connection';
import { NodeDefsStore, type Definitions, type DefsFetcher } from './nodeDefsStore';
import { WorkflowDocuments } from './workflowDocuments';
import { ServerStatusBar } from './statusBar';
import { ContextKeys } from './contextKeys';
import { refreshDefinitions, registerEditorCommands, type CommandDeps } from './hostCommands';
import { NoDefinitionsNotice } from './noDefinitionsNotice';

export interface HostServices {
  log: ExtensionLog;
  connection: ServerConnection;
  store: NodeDefsStore;
  documents: WorkflowDocuments;
  contextKeys: ContextKeys;
  /** Current settings (re-read on every change). */
  settings(): Settings;
  /** Current node definitions (prepared + raw), undefined when none are known. */
  definitions(): Definitions | undefined;
  /** Resolves once the first load of cached/dump definitions finished (tests, measurements). */
  ready: Promise<void>;
  /** Fires after the settings were re-read (features react to their own sections). */
  onDidChangeSettings: vscode.Event<vscode.ConfigurationChangeEvent>;
}

/** Workflow files stay `json`; these selectors reach them in any scheme (file, untitled, remote). */
export const WORKFLOW_SELECTOR: vscode.DocumentSelector = [{ language: 'json' }, { language: 'jsonc' }];

export function registerHost(context: vscode.ExtensionContext): HostServices {
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
  const settingsChanged = new vscode.EventEmitter<vscode.ConfigurationChangeEvent>();
  subs.push(settingsChanged);

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
      if (
        e.affectsConfiguration('comfyui.serverUrl') ||
        e.affectsConfiguration('comfyui.objectInfoPath') ||
        e.affectsConfiguration('comfyui.requestTimeoutSeconds')
      )
        applyServer();
      if (e.affectsConfiguration('comfyui.workflowFiles')) documents.setWorkflowFiles(settings.workflowFiles);
      updateWorkflowKey();
      settingsChanged.fire(e);
    }),
  );

  applyServer();
  updateConnectionKeys();
  updateWorkflowKey();
  keys.set('comfyui.hasNodeDefinitions', store.current !== undefined);

  return {
    log,
    connection,
    store,
    documents,
    contextKeys: keys,
    settings: () => settings,
    definitions: () => store.current,
    get ready() {
      return ready;
    },
    onDidChangeSettings: settingsChanged.event,
  };
}

/**
 * A fetcher that always uses the connection's current client: stored credentials rebuild the client without a URL
 * change (src/vscode/serverRegistry), and the definitions must be fetched with them.
 */
function currentClient(connection: ServerConnection): DefsFetcher {
  const client = () => connection.client ?? Promise.reject(new Error(connection.lastError ?? 'No usable ComfyUI server URL is configured.'));
  return {
    getObjectInfo: async (opts) => (await client()).getObjectInfo(opts),
    getObjectInfoChunked: async (opts) => (await client()).getObjectInfoChunked(opts),
    getSystemStats: async (opts) => (await client()).getSystemStats(opts),
    // Deprecation hints, replacement quick fixes and the 500 explanation need the server's table (0.33+).
    getNodeReplacements: async (opts) => (await client()).getNodeReplacements(opts),
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
