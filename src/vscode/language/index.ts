// The language features of workflow files: every diagnostics collection (live validation `comfyui`, unsafe nodes
// `comfyui-safety`, the server's verdicts `comfyui-server`), completion (classes, inputs, values, `embedding:` names),
// hovers (classes, inputs, model metadata), quick fixes and the code lens.
import * as vscode from 'vscode';
import { unsafeNodeList, type UnsafeNodeList } from '../../core/safety/unsafeNodes';
import { SECTION } from '../common/config';
import { formatAge } from '../common/format';
import type { HostServices } from '../host/index';
import { WORKFLOW_SELECTOR } from '../host/index';
import { WorkflowCodeActionProvider } from './codeActions';
import { WorkflowCodeLensProvider } from './codeLens';
import { TRIGGER_CHARACTERS, WorkflowCompletionProvider, warmCompletionsOnChange } from './completion';
import { DiagnosticsController } from './diagnostics';
import { EmbeddingCompletionProvider } from './embeddingCompletion';
import { WorkflowHoverProvider } from './hover';
import { ModelMetadataHoverProvider } from './modelHover';
import { ServerDiagnostics } from './serverDiagnostics';
import { UnsafeNodeDiagnostics } from './unsafeNodeDiagnostics';
import { createValidator, type ProblemEnricher } from './validation';
import type { ValidationWorkerClient } from './worker/workerClient';

export interface LanguageFeatures {
  diagnostics: DiagnosticsController;
  /** The server's verdicts (`comfyui-server`): the run features write them after a rejected queue or a failed run. */
  serverDiagnostics: ServerDiagnostics;
  unsafeDiagnostics: UnsafeNodeDiagnostics;
  /** Curated unsafe node classes plus `comfyui.safety.unsafeNodes` (the queue confirmation asks with the same list). */
  unsafeNodes(): UnsafeNodeList;
  /** Lets a feature rewrite live problems after validation (missing packs and models); one at a time. */
  setProblemEnricher(enricher: ProblemEnricher | undefined): void;
  /** The validation worker's client (the graph panel draws through it); undefined when no worker can start. */
  worker: ValidationWorkerClient | undefined;
}

export function registerLanguageFeatures(context: vscode.ExtensionContext, host: HostServices): LanguageFeatures {
  const { documents, store, connection, log } = host;
  const defs = () => store.current?.defs;
  let enricher: ProblemEnricher | undefined;
  const validator = createValidator({ log, enricher: () => enricher });
  const readme = vscode.Uri.joinPath(context.extensionUri, 'README.md').with({ fragment: 'diagnostic-codes' });
  const diagnostics = new DiagnosticsController({
    documents,
    definitions: () => store.current,
    onDidChangeDefinitions: store.onDidChange,
    validate: validator.validate,
    codeTarget: () => readme,
    debounceMs: () => host.settings().debounceMs,
    enabled: () => host.settings().validationEnabled,
    log,
  });
  let unsafeList = readUnsafeList();
  const unsafeDiagnostics = new UnsafeNodeDiagnostics(documents, () => unsafeList, {
    debounceMs: () => host.settings().debounceMs,
    large: async (text, signal) => {
      const o = await validator.client?.unsafe(text, readUnsafeExtra(), signal);
      return o?.kind === 'done' ? o.problems : undefined;
    },
  });
  const serverDiagnostics = new ServerDiagnostics();

  // Hovers say when they rely on the cache of a server that is not reachable right now.
  const offlineNote = (): string | undefined => {
    const d = store.current;
    if (!d || d.source === 'file' || connection.state === 'connected') return undefined;
    return vscode.l10n.t('Offline: node definitions fetched {0}.', formatAge(d.fetchedAt));
  };
  const client = () => connection.client;
  const codeLens = new WorkflowCodeLensProvider(documents, connection, store, () => host.settings().codeLensEnabled);
  const modelHover = new ModelMetadataHoverProvider(documents, client, connection.onDidChangeServer);
  const embeddings = new EmbeddingCompletionProvider(documents, client, defs, connection.onDidChangeServer);

  context.subscriptions.push(
    validator,
    diagnostics,
    unsafeDiagnostics,
    serverDiagnostics,
    codeLens,
    modelHover,
    embeddings,
    warmCompletionsOnChange(defs, store.onDidChange),
    vscode.languages.registerCompletionItemProvider(WORKFLOW_SELECTOR, new WorkflowCompletionProvider(documents, defs), ...TRIGGER_CHARACTERS),
    vscode.languages.registerCompletionItemProvider(WORKFLOW_SELECTOR, embeddings, ':'),
    vscode.languages.registerHoverProvider(WORKFLOW_SELECTOR, new WorkflowHoverProvider(documents, defs, offlineNote)),
    vscode.languages.registerHoverProvider(WORKFLOW_SELECTOR, modelHover),
    vscode.languages.registerCodeActionsProvider(
      WORKFLOW_SELECTOR,
      new WorkflowCodeActionProvider(documents, defs, (d) => diagnostics.problemOf(d)),
      WorkflowCodeActionProvider.metadata,
    ),
    vscode.languages.registerCodeLensProvider(WORKFLOW_SELECTOR, codeLens),
    host.onDidChangeSettings((e) => {
      if (e.affectsConfiguration(`${SECTION}.workflowFiles`) || e.affectsConfiguration(`${SECTION}.validation`)) diagnostics.revalidateAll();
      if (e.affectsConfiguration(`${SECTION}.safety`)) {
        unsafeList = readUnsafeList();
        unsafeDiagnostics.updateAll();
      }
      codeLens.refresh();
    }),
  );
  return {
    diagnostics,
    serverDiagnostics,
    unsafeDiagnostics,
    unsafeNodes: () => unsafeList,
    setProblemEnricher: (e) => {
      enricher = e;
      diagnostics.revalidateAll();
    },
    worker: validator.client,
  };
}

function readUnsafeList(): UnsafeNodeList {
  return unsafeNodeList(readUnsafeExtra());
}

function readUnsafeExtra(): unknown[] {
  const extra = vscode.workspace.getConfiguration(SECTION).get<unknown>('safety.unsafeNodes');
  return Array.isArray(extra) ? extra : [];
}
