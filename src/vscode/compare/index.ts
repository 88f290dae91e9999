// Compare in VS Code: Compare Workflow with HEAD (through the built-in git extension), with Saved, with another
// file (also Explorer "Select for Compare"), and with the last run of this file. Each opens the changes view,
// grouped by node, each change revealing itself in the file. Also the workflow formatter (registered only for
// the open workflow documents) and the editor-title action on workflow files git reports as modified.
import * as vscode from 'vscode';
import { getNodeValue, parseTree } from 'jsonc-parser';
import type { ObjectInfo } from '../../core/comfy/types';
import { diffWorkflows, type LocatedChange } from '../../core/diff/diff';
import { formatWorkflowText } from '../../core/diff/format';
import { buildModel, type WorkflowModel } from '../../core/diff/model';
import { uiWorkflowToPrompt } from '../../core/workflow/toPrompt';
import { locatePath } from '../../core/workflow/ui/locate';
import { registerGuardedCommand } from '../common/commands';
import { baseName } from '../common/format';
import type { HostServices } from '../host/index';
import type { RunFeatures } from '../run/index';
import { ChangesTree, REVEAL_COMMAND, type CompareSession } from './changesView';
import { gitApi, isModified, type GitApi } from './gitApi';
import { toRange } from '../common/convert';

export const CHANGES_VIEW = 'comfyui.changes';

export interface CompareFeatures {
  tree: ChangesTree;
  /** Compares `beforeText` with the document at `uri` and shows the result (tests and e2e call it too). */
  compare(beforeText: string, uri: vscode.Uri, against: string): Promise<CompareSession>;
}

/** Parses workflow text the way the editor accepts it (JSON with comments tolerated). */
function parseWorkflow(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    if (!root) throw new Error(vscode.l10n.t('{0} is not valid JSON.', what));
    return getNodeValue(root);
  }
}

export function registerCompare(context: vscode.ExtensionContext, host: HostServices, run: RunFeatures): CompareFeatures {
  const subs = context.subscriptions;
  const tree = new ChangesTree();
  const view = vscode.window.createTreeView(CHANGES_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  subs.push(tree, view);
  const objectInfo = (): ObjectInfo | undefined => host.definitions()?.objectInfo as ObjectInfo | undefined;

  const model = (json: unknown, info: ObjectInfo | undefined, what: string): WorkflowModel => {
    try {
      return buildModel(json, info);
    } catch (e) {
      throw new Error(vscode.l10n.t('{0} is not a ComfyUI workflow.', what), { cause: e });
    }
  };

  const compare = async (beforeText: string, uri: vscode.Uri, against: string): Promise<CompareSession> => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const info = objectInfo();
    let before = model(parseWorkflow(beforeText, against), info, against);
    let after = model(parseWorkflow(doc.getText(), baseName(uri)), info, baseName(uri));
    if ((before.format === 'ui') !== (after.format === 'ui')) {
      // An API prompt (a run's) against a UI workflow: compare prompts, converting the UI side as the frontend would.
      if (!info)
        throw new Error(vscode.l10n.t('Comparing a UI workflow with an API prompt needs node definitions: connect to a server or set comfyui.objectInfoPath.'));
      const toApi = (m: WorkflowModel, text: string): WorkflowModel =>
        m.format === 'ui' ? buildModel(uiWorkflowToPrompt(text, info, { dynamicPrompts: false }).prompt, info) : m;
      before = toApi(before, beforeText);
      after = toApi(after, doc.getText());
    }
    const result = diffWorkflows(before, after);
    const session: CompareSession = { uri, against, changes: result.located, layoutChanged: result.layoutChanged, after, before };
    tree.show(session);
    view.message =
      result.changes.length === 0
        ? vscode.l10n.t('{0} compared with {1}: no semantic changes ({2} layout-only).', baseName(uri), against, result.layoutChanged)
        : vscode.l10n.t('{0} compared with {1}: {2} change(s), {3} layout-only.', baseName(uri), against, result.changes.length, result.layoutChanged);
    await vscode.commands.executeCommand(`${CHANGES_VIEW}.focus`);
    return session;
  };

  const targetUri = (arg: unknown): vscode.Uri => {
    if (arg instanceof vscode.Uri) return arg;
    const editor = vscode.window.activeTextEditor;
    if (!editor) throw new Error(vscode.l10n.t('Open a workflow file first.'));
    return editor.document.uri;
  };

  let git: GitApi | undefined;
  const requireGit = async (): Promise<GitApi> => {
    git ??= await gitApi();
    if (!git) throw new Error(vscode.l10n.t('The built-in Git extension is not available or disabled.'));
    return git;
  };

  let selected: vscode.Uri | undefined;
  subs.push(
    registerGuardedCommand(
      'comfyui.compareWithHead',
      async (arg?: unknown) => {
        const uri = targetUri(arg);
        const repo = (await requireGit()).getRepository(uri);
        if (!repo) throw new Error(vscode.l10n.t('{0} is not in a git repository.', baseName(uri)));
        let head: string;
        try {
          head = await repo.show('HEAD', uri.fsPath);
        } catch {
          throw new Error(vscode.l10n.t('{0} is not in HEAD yet (a new file?).', baseName(uri)));
        }
        return compare(head, uri, 'HEAD');
      },
      host.log,
    ),
    registerGuardedCommand(
      'comfyui.compareWithSaved',
      async (arg?: unknown) => {
        const uri = targetUri(arg);
        const saved = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        return compare(saved, uri, vscode.l10n.t('the saved file'));
      },
      host.log,
    ),
    registerGuardedCommand(
      'comfyui.compareWith',
      async (arg?: unknown, other?: unknown) => {
        const uri = targetUri(arg);
        let pick = other instanceof vscode.Uri ? other : undefined;
        if (!pick) {
          const chosen = await vscode.window.showOpenDialog({
            canSelectMany: false,
            filters: { JSON: ['json'] },
            title: vscode.l10n.t('Compare {0} with…', baseName(uri)),
          });
          pick = chosen?.[0];
        }
        if (!pick) return undefined;
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(pick));
        return compare(text, uri, baseName(pick));
      },
      host.log,
    ),
    registerGuardedCommand(
      'comfyui.selectForCompare',
      (arg?: unknown) => {
        selected = targetUri(arg);
        host.contextKeys.set('comfyui.compareSelected', true);
      },
      host.log,
    ),
    registerGuardedCommand(
      'comfyui.compareWithSelected',
      async (arg?: unknown) => {
        if (!selected) throw new Error(vscode.l10n.t('Select a workflow for compare first (Explorer: Select Workflow for Compare).'));
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(selected));
        return compare(text, targetUri(arg), baseName(selected));
      },
      host.log,
    ),
    registerGuardedCommand(
      'comfyui.compareWithLastRun',
      async (arg?: unknown) => {
        const uri = targetUri(arg);
        const promptId = run.sources.lastFor(uri.toString());
        if (!promptId) throw new Error(vscode.l10n.t('{0} has not been queued from this window yet.', baseName(uri)));
        const client = host.connection.client;
        if (!client) throw new Error(vscode.l10n.t('No usable ComfyUI server URL is configured (comfyui.serverUrl).'));
        const item = await client.getHistoryItem(promptId);
        if (!item) throw new Error(vscode.l10n.t('The server no longer has the last run of {0} in its history.', baseName(uri)));
        // The workflow the run was queued with, when it carried one (UI files do); else its API prompt.
        const workflow = (item.prompt[3]?.extra_pnginfo as { workflow?: unknown } | undefined)?.workflow;
        const doc = await vscode.workspace.openTextDocument(uri);
        const isUi = Array.isArray((parseWorkflow(doc.getText(), baseName(uri)) as { nodes?: unknown } | null)?.nodes);
        const before = isUi && workflow && typeof workflow === 'object' ? workflow : item.prompt[2];
        return compare(JSON.stringify(before), uri, vscode.l10n.t('the last run'));
      },
      host.log,
    ),
    registerGuardedCommand(REVEAL_COMMAND, (c) => reveal(tree.session?.uri, c as LocatedChange), host.log),
  );

  registerFormatter(subs, host);
  watchGitModified(
    subs,
    host,
    () => git,
    async () => (git ??= await gitApi()),
  );
  return { tree, compare };
}

async function reveal(uri: vscode.Uri | undefined, c: LocatedChange): Promise<void> {
  if (!uri) return;
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  if (c.side === 'before' || !c.path) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Node {0} is not in this version of the file.', c.nodeId));
    return;
  }
  const range = locatePath(parseTree(doc.getText(), [], { allowTrailingComma: true }), c.path);
  const r = toRange(doc, range);
  editor.selection = new vscode.Selection(r.start, r.end);
  editor.revealRange(r, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** A glob that matches exactly this path (glob characters escaped). */
function exactGlob(path: string): string {
  return path.replace(/[*?[\]{}]/g, (c) => `[${c}]`);
}

/**
 * The formatter, registered for the open workflow documents only (by exact path), so plain JSON files keep their
 * own formatter. Re-registered when a document opens, closes or becomes / stops being a workflow.
 */
function registerFormatter(subs: vscode.Disposable[], host: HostServices): void {
  const provider: vscode.DocumentFormattingEditProvider = {
    provideDocumentFormattingEdits(doc) {
      if (!host.documents.get(doc).isWorkflow) return [];
      const text = doc.getText();
      let formatted: string;
      try {
        formatted = formatWorkflowText(text, { ...(host.definitions() ? { objectInfo: host.definitions()!.objectInfo as ObjectInfo } : {}) });
      } catch (e) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Cannot format this workflow: {0}', (e as Error).message));
        return [];
      }
      if (formatted === text) return [];
      return [vscode.TextEdit.replace(toRange(doc, { offset: 0, length: text.length }), formatted)];
    },
  };
  let registration: vscode.Disposable | undefined;
  let key = '';
  const update = (): void => {
    const selector: vscode.DocumentFilter[] = vscode.workspace.textDocuments
      .filter((d) => host.documents.get(d).isWorkflow)
      .map((d) => ({ scheme: d.uri.scheme, pattern: exactGlob(d.uri.fsPath) }));
    const next = JSON.stringify(selector);
    if (next === key) return;
    key = next;
    registration?.dispose();
    registration = selector.length > 0 ? vscode.languages.registerDocumentFormattingEditProvider(selector, provider) : undefined;
  };
  subs.push(vscode.workspace.onDidOpenTextDocument(update), vscode.workspace.onDidCloseTextDocument(update), host.documents.onDidChangeMembership(update), {
    dispose: () => registration?.dispose(),
  });
  update();
}

/** `comfyui.gitModified`: the active editor's file is a workflow git reports as modified (for the title action). */
function watchGitModified(subs: vscode.Disposable[], host: HostServices, current: () => GitApi | undefined, load: () => Promise<GitApi | undefined>): void {
  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    const git = current();
    const repo = editor && git ? git.getRepository(editor.document.uri) : null;
    host.contextKeys.set('comfyui.gitModified', !!(editor && repo && host.documents.get(editor.document).isWorkflow && isModified(repo, editor.document.uri)));
  };
  subs.push(vscode.window.onDidChangeActiveTextEditor(update));
  // The git extension loads lazily and may find repositories later: follow each one's state.
  void load().then((git) => {
    if (!git) return;
    const follow = (repo: { state: { onDidChange: vscode.Event<void> } }): void => void subs.push(repo.state.onDidChange(update));
    git.repositories.forEach(follow);
    subs.push(git.onDidOpenRepository((r) => (follow(r), update())));
    update();
  });
}
