// ComfyUI: Show Missing Nodes and Models — a quick pick of the open workflow's missing node types (pack, where the
// answer came from, version) and missing models (folder, URL), each with buttons to open its page and copy its
// install command; choosing an entry offers the same actions and "go to the node". With ComfyUI-Manager on the
// server, or a server that downloads models through its assets API, the list starts with "Install Missing Node Packs…".
import * as vscode from 'vscode';
import { planInstalls } from '../../core/packs/manager';
import { githubSlug, type PackCandidate, type PackSource } from '../../core/packs/types';
import { copyCommand, installCommand, openPage, pageUrl, type ActionTarget } from './actions';
import type { MissingItem } from './items';

export function sourceLabel(source: PackSource, origin?: string): string {
  switch (source) {
    case 'workflow':
      return vscode.l10n.t('from the workflow');
    case 'nodeMap':
      return vscode.l10n.t('from the node map');
    case 'manager':
      return vscode.l10n.t('from ComfyUI-Manager on {0}', origin ?? '');
    case 'registry':
      return vscode.l10n.t('from the Comfy Registry');
  }
}

/** Quick pick text is plain text, but keep it on one line and bounded. */
function plain(s: string, max = 160): string {
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function versionText(p: PackCandidate): string {
  if (!p.version) return '';
  return p.savedVersion ? vscode.l10n.t('saved with {0}', p.version) : vscode.l10n.t('latest {0}', p.version);
}

interface Entry extends vscode.QuickPickItem {
  item?: MissingItem;
  target?: ActionTarget;
  install?: true;
}

const OPEN: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('link-external'), tooltip: vscode.l10n.t('Open Page') };
const COPY: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('copy'), tooltip: vscode.l10n.t('Copy Install Command') };

/** What the server can install: packs and listed models through ComfyUI-Manager, models with a URL through its assets API. */
export interface InstallRoutes {
  manager: boolean;
  assets: boolean;
}

export function listEntries(items: readonly MissingItem[], routes: InstallRoutes): Entry[] {
  const entries: Entry[] = [];
  const managerRuns = routes.manager;
  const viaManager = managerRuns && items.some((i) => (i.kind === 'class' && i.candidates.length > 0) || i.kind === 'model');
  const viaAssets = routes.assets && items.some((i) => i.kind === 'model' && i.lookalikes.length === 0 && i.model.url && i.model.directory);
  if (viaManager || viaAssets) {
    entries.push({
      label: `$(cloud-download) ${vscode.l10n.t('Install Missing Node Packs…')}`,
      description: viaManager ? vscode.l10n.t('through ComfyUI-Manager on the server') : vscode.l10n.t('models through the server’s assets API'),
      install: true,
      alwaysShow: true,
    });
  }
  const classes = items.filter((i) => i.kind === 'class');
  if (classes.length) entries.push({ label: vscode.l10n.t('Node types'), kind: vscode.QuickPickItemKind.Separator });
  for (const item of classes) {
    if (item.candidates.length === 0) {
      entries.push({
        label: `$(question) ${plain(item.classType)}`,
        description: vscode.l10n.t('no pack known'),
        detail: vscode.l10n.t('Not in the workflow’s records, a node map, ComfyUI-Manager’s map or the registry.'),
        item,
      });
      continue;
    }
    item.candidates.forEach((pack, i) => {
      const where = githubSlug(pack.repository) ?? pack.auxId ?? pack.registryId ?? '';
      const target = { pack };
      entries.push({
        label: i === 0 ? `$(extensions) ${plain(item.classType)}` : `$(blank) ${vscode.l10n.t('or')}`,
        description: plain([pack.title, versionText(pack)].filter(Boolean).join(' · ')),
        // With Manager on the server, its view of the risk (registry release, nightly, Git only) comes first.
        detail: plain(
          [sourceLabel(pack.source, pack.origin), where, ...(managerRuns ? planInstalls([pack])[0]!.flags : (pack.flags ?? []))].filter(Boolean).join(' · '),
          300,
        ),
        item,
        target,
        buttons: [...(pageUrl(target) ? [OPEN] : []), ...(installCommand(target) ? [COPY] : [])],
      });
    });
  }
  const models = items.filter((i) => i.kind === 'model');
  if (models.length) entries.push({ label: vscode.l10n.t('Models'), kind: vscode.QuickPickItemKind.Separator });
  for (const item of models) {
    const target = { model: item.model };
    entries.push({
      label: `$(file-binary) ${plain(item.model.name)}`,
      description: `models/${item.model.directory ?? '?'}`,
      detail: plain(
        item.lookalikes.length ? vscode.l10n.t('Did you mean {0}?', item.lookalikes.join(', ')) : (item.model.url ?? vscode.l10n.t('no download URL known')),
        300,
      ),
      item,
      target,
      buttons: [...(pageUrl(target) ? [OPEN] : []), ...(installCommand(target) ? [COPY] : [])],
    });
  }
  return entries;
}

/** Shows the list; resolves when it is closed. `install` runs the install command, `reveal` jumps to the node. */
export function showMissingList(
  fileName: string,
  items: readonly MissingItem[],
  routes: InstallRoutes,
  run: { install(): Promise<void>; reveal(item: MissingItem): Promise<void> },
): Promise<void> {
  const qp = vscode.window.createQuickPick<Entry>();
  qp.title = vscode.l10n.t(
    'Missing in {0}: {1} node type(s), {2} model(s)',
    fileName,
    items.filter((i) => i.kind === 'class').length,
    items.filter((i) => i.kind === 'model').length,
  );
  qp.placeholder = vscode.l10n.t('Choose an entry for its actions; the buttons open its page or copy its install command');
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.items = listEntries(items, routes);
  return new Promise<void>((resolve) => {
    qp.onDidTriggerItemButton(async (e) => {
      if (!e.item.target) return;
      if (e.button === OPEN) await openPage(e.item.target);
      else await copyCommand(e.item.target);
    });
    qp.onDidAccept(async () => {
      const chosen = qp.selectedItems[0];
      qp.hide();
      if (!chosen) return;
      if (chosen.install) return void (await run.install());
      if (!chosen.item) return;
      const open = vscode.l10n.t('Open Page');
      const copy = vscode.l10n.t('Copy Install Command');
      const go = vscode.l10n.t('Go to Node');
      const actions = [...(chosen.target && pageUrl(chosen.target) ? [open] : []), ...(chosen.target && installCommand(chosen.target) ? [copy] : []), go];
      const action = await vscode.window.showQuickPick(actions, { title: plain(chosen.label.replace(/^\$\([^)]*\)\s*/, '')) });
      if (action === open && chosen.target) await openPage(chosen.target);
      else if (action === copy && chosen.target) await copyCommand(chosen.target);
      else if (action === go) await run.reveal(chosen.item);
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve();
    });
    qp.show();
  });
}
