// Missing nodes and models: live problems name the pack a missing node type comes from and the folder/URL of a
// missing model (from the workflow, `comfyui.nodeMap`, ComfyUI-Manager on the server, the Comfy Registry); code
// actions open the page or copy the install command; ComfyUI: Show Missing Nodes and Models lists them;
// ComfyUI: Install Missing Node Packs… installs through ComfyUI-Manager (and downloads models through the server's
// assets API where it has one). Also offered when the server rejects a queued prompt with missing_node_type.
import * as vscode from 'vscode';
import { registerGuardedCommand } from '../common/commands';
import type { HostServices } from '../host/index';
import { WORKFLOW_SELECTOR } from '../host/index';
import type { LanguageFeatures } from '../language/index';
import { SERVER_DIAGNOSTIC_SOURCE } from '../language/serverDiagnostics';
import type { PackCandidate } from '../../core/packs/types';
import type { ModelJson } from '../../core/packs/enrich';
import { copyCommand, installCommand, openPage, pageUrl, type ActionTarget } from './actions';
import { installMissing } from './install';
import { missingItems, type MissingItem } from './items';
import { showMissingList } from './list';
import { PackService } from './packService';
import { isMissingClassProblem } from '../../core/workflow/validate';
import { baseName } from '../common/format';

export interface MissingNodesFeature {
  packs: PackService;
  /** The missing node types and models of an open workflow (for tests). */
  itemsOf(doc: vscode.TextDocument): MissingItem[];
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

export function registerMissingNodes(context: vscode.ExtensionContext, host: HostServices, language: LanguageFeatures): MissingNodesFeature {
  const packs = new PackService(host);
  context.subscriptions.push(packs);
  language.setProblemEnricher(packs.enrich);
  context.subscriptions.push(
    packs.onDidChange(() => language.diagnostics.revalidateAll()),
    { dispose: () => language.setProblemEnricher(undefined) },
  );

  const itemsOf = (doc: vscode.TextDocument): MissingItem[] => {
    const wf = host.documents.workflow(doc);
    if (!wf) return [];
    return missingItems(wf.parsed, language.diagnostics.collection.get(doc.uri) ?? [], (d) => language.diagnostics.problemOf(d), packs);
  };
  const activeWorkflow = (uri?: unknown): vscode.TextDocument | undefined => {
    if (uri instanceof vscode.Uri) return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const doc = vscode.window.activeTextEditor?.document;
    return doc && host.documents.get(doc).isWorkflow ? doc : undefined;
  };
  const reveal = async (doc: vscode.TextDocument, item: MissingItem): Promise<void> => {
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(item.diagnostic.range.start, item.diagnostic.range.end);
    editor.revealRange(item.diagnostic.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  };

  const showList = async (uri?: unknown): Promise<void> => {
    const doc = activeWorkflow(uri);
    if (!doc) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a ComfyUI workflow to see what it is missing.'));
      return;
    }
    if (host.connection.state === 'connected')
      await Promise.all([packs.manager ? undefined : packs.loadManager(), packs.assets ? undefined : packs.loadAssets()]);
    await language.diagnostics.validateNow(doc);
    const items = itemsOf(doc);
    if (items.length === 0) {
      void vscode.window.showInformationMessage(
        host.definitions()
          ? vscode.l10n.t('{0} has no missing node types or models on {1}.', baseName(doc.uri), host.connection.displayUrl)
          : vscode.l10n.t('No node definitions are loaded yet, so missing node types cannot be told apart.'),
      );
      return;
    }
    await showMissingList(
      baseName(doc.uri),
      items,
      { manager: packs.manager !== undefined, assets: packs.assets?.available === true },
      {
        install: () => installMissing(host, packs, items),
        reveal: (item) => reveal(doc, item),
      },
    );
  };

  context.subscriptions.push(
    registerGuardedCommand('comfyui.showMissingNodes', showList, host.log),
    registerGuardedCommand(
      'comfyui.installMissingNodePacks',
      async (uri?: unknown) => {
        const doc = activeWorkflow(uri);
        if (!doc) return void vscode.window.showInformationMessage(vscode.l10n.t('Open a ComfyUI workflow to see what it is missing.'));
        await language.diagnostics.validateNow(doc);
        await installMissing(host, packs, itemsOf(doc));
      },
      host.log,
    ),
    registerGuardedCommand('comfyui.openPackPage', (target?: unknown) => (isTarget(target) ? openPage(target) : undefined), host.log),
    registerGuardedCommand('comfyui.copyInstallCommand', (target?: unknown) => (isTarget(target) ? copyCommand(target) : undefined), host.log),
    vscode.languages.registerCodeActionsProvider(WORKFLOW_SELECTOR, new MissingCodeActions(language, packs, host), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
  );

  // The queue flow: a rejection naming a missing node type offers the list (once per document version).
  const offered = new Set<string>();
  context.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics((e) => {
      for (const uri of e.uris) {
        // 0.33 names the error missing_node_type; 0.3.64 said invalid_prompt "Cannot execute because node X does not exist."
        const missing = vscode.languages
          .getDiagnostics(uri)
          .filter(
            (d) =>
              d.source === SERVER_DIAGNOSTIC_SOURCE &&
              (codeOf(d) === 'missing_node_type' || (codeOf(d) === 'invalid_prompt' && / does not exist\b/.test(d.message))),
          );
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (missing.length === 0 || !doc) continue;
        const key = `${uri.toString()}@${doc.version}`;
        if (offered.has(key)) continue;
        offered.add(key);
        const show = vscode.l10n.t('Show Missing Nodes and Models');
        void vscode.window
          .showWarningMessage(vscode.l10n.t('{0} lacks node types that {1} uses.', host.connection.displayUrl, baseName(doc.uri)), show)
          .then((b) => (b === show ? vscode.commands.executeCommand('comfyui.showMissingNodes', uri) : undefined));
      }
    }),
  );
  return { packs, itemsOf };
}

function isTarget(v: unknown): v is ActionTarget {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    (typeof o.pack === 'object' && o.pack !== null && typeof (o.pack as PackCandidate).title === 'string') ||
    (typeof o.model === 'object' && o.model !== null && typeof (o.model as ModelJson).name === 'string')
  );
}

/** Quick fixes on a missing node type or model: open its page, copy its install command, show the list. */
class MissingCodeActions implements vscode.CodeActionProvider {
  constructor(
    private readonly language: LanguageFeatures,
    private readonly packs: PackService,
    private readonly host: HostServices,
  ) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const wf = this.host.documents.workflow(doc);
    if (!wf) return [];
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const p = this.language.diagnostics.problemOf(d);
      if (!p) continue;
      const targets: { target: ActionTarget; name: string }[] = [];
      if (isMissingClassProblem(p) && typeof p.data?.classType === 'string') {
        for (const pack of this.packs.candidates(wf.parsed, p.data.classType).slice(0, 3)) targets.push({ target: { pack }, name: pack.title });
      } else if (p.data?.model) targets.push({ target: { model: p.data.model as ModelJson }, name: (p.data.model as ModelJson).name });
      if (targets.length === 0) continue;
      for (const { target, name } of targets) {
        if (pageUrl(target)) out.push(action(vscode.l10n.t('Open page of {0}', name), 'comfyui.openPackPage', target, d));
        if (installCommand(target)) out.push(action(vscode.l10n.t('Copy install command for {0}', name), 'comfyui.copyInstallCommand', target, d));
      }
      out.push(action(vscode.l10n.t('Show Missing Nodes and Models'), 'comfyui.showMissingNodes', doc.uri, d));
    }
    return out;
  }
}

function action(title: string, command: string, arg: unknown, d: vscode.Diagnostic): vscode.CodeAction {
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  a.command = { title, command, arguments: [arg] };
  a.diagnostics = [d];
  return a;
}
