// Per-output actions of the preview: save to the workspace, copy the local path, open in an editor tab, show the
// generation metadata, open the embedded workflow. Each one works on the full-size file the host fetched.
import * as vscode from 'vscode';
import { constants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { hasWorkflow, readEmbeddedMetadata, type EmbeddedMetadata } from '../../core/media/embedded';
import { safeBaseName, safeSubfolder } from '../../core/media/fileNames';
import type { Logger } from '../../core/util/logger';
import { isInside, isInsideReal } from '../../core/util/safeFs';
import type { GalleryItem, ItemAction } from '../../shared/previewProtocol';
import type { CachedFile } from './outputCache';

export interface ItemActionDeps {
  fetchFull(item: GalleryItem): Promise<CachedFile>;
  settings(): { saveFolder: string };
  log: Logger;
}

export class ItemActions {
  constructor(private readonly deps: ItemActionDeps) {}

  async run(action: Exclude<ItemAction, 'retry'>, item: GalleryItem): Promise<void> {
    switch (action) {
      case 'save':
        await this.save(item);
        return;
      case 'copyPath': {
        const f = await this.deps.fetchFull(item);
        await vscode.env.clipboard.writeText(f.path);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the path of {0}.', item.filename), 3000);
        return;
      }
      case 'openInEditor': {
        const f = await this.deps.fetchFull(item);
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(f.path), { preview: true, viewColumn: vscode.ViewColumn.Active });
        return;
      }
      case 'showMetadata':
        await this.showMetadata(item);
        return;
      case 'openWorkflow':
        await this.openWorkflow(item);
        return;
    }
  }

  /**
   * Copies the file into `<workspace>/<saveFolder>/<subfolder>/`; never overwrites (adds " (n)"). The folder must
   * stay inside the workspace folder after symlinks are resolved (a repository could ship `outputs -> /home/...`),
   * and `comfyui.preview.saveFolder` is a restricted setting (not read from an untrusted workspace's settings).
   */
  async save(item: GalleryItem): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const f = await this.deps.fetchFull(item);
    let targetDir: string;
    if (folder && folder.uri.scheme === 'file') {
      const root = folder.uri.fsPath;
      const setting = this.deps.settings().saveFolder;
      const base = path.isAbsolute(setting) ? path.normalize(setting) : path.join(root, ...setting.split(/[\\/]/).filter((s) => s && s !== '..'));
      targetDir = path.join(base, ...safeSubfolder(item.subfolder));
      if (!isInside(root, targetDir)) throw new Error(outsideMessage(setting));
      await fsp.mkdir(targetDir, { recursive: true });
      if (!(await isInsideReal(root, targetDir))) throw new Error(outsideMessage(setting));
    } else {
      const picked = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(safeBaseName(item.filename)),
        title: vscode.l10n.t('Save ComfyUI Output'),
      });
      if (!picked) return undefined;
      await fsp.copyFile(f.path, picked.fsPath);
      return picked;
    }
    const name = safeBaseName(item.filename);
    const ext = path.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    let target = path.join(targetDir, name);
    for (let i = 1; await exists(target); i++) target = path.join(targetDir, `${stem} (${i})${ext}`);
    // COPYFILE_EXCL: a (dangling) symlink planted at the target name fails instead of being written through.
    await fsp.copyFile(f.path, target, constants.COPYFILE_EXCL);
    const uri = vscode.Uri.file(target);
    const reveal = vscode.l10n.t('Reveal');
    void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}.', vscode.workspace.asRelativePath(uri)), reveal).then((pick) => {
      if (pick === reveal) void vscode.commands.executeCommand('revealInExplorer', uri);
    });
    return uri;
  }

  async metadataOf(item: GalleryItem): Promise<EmbeddedMetadata> {
    const f = await this.deps.fetchFull(item);
    return readEmbeddedMetadata(new Uint8Array(await fsp.readFile(f.path)));
  }

  async showMetadata(item: GalleryItem): Promise<void> {
    const meta = await this.metadataOf(item);
    await openJson(metadataDocument(item.filename, meta));
  }

  async openWorkflow(item: GalleryItem): Promise<void> {
    const meta = await this.metadataOf(item);
    await openEmbeddedWorkflow(meta, item.filename);
  }
}

/** The "generation metadata" document: every embedded text, parsed where it is JSON, and what went wrong. */
export function metadataDocument(filename: string, meta: EmbeddedMetadata): Record<string, unknown> {
  const other = Object.fromEntries(Object.entries(meta.texts).filter(([k]) => k !== 'prompt' && k !== 'workflow'));
  return {
    file: filename,
    format: meta.format,
    ...(meta.prompt !== undefined ? { prompt: meta.prompt } : {}),
    ...(meta.workflow !== undefined ? { workflow: meta.workflow } : {}),
    ...(Object.keys(other).length ? { otherText: other } : {}),
    ...(meta.problems.length ? { problems: meta.problems } : {}),
  };
}

/**
 * Opens the embedded UI workflow or API prompt as a new JSON document. With both present the user picks; with
 * neither, a message says why (no metadata, WebP without EXIF …).
 */
export async function openEmbeddedWorkflow(meta: EmbeddedMetadata, filename: string, choose?: 'workflow' | 'prompt'): Promise<vscode.TextDocument | undefined> {
  if (!hasWorkflow(meta)) {
    const why = meta.problems[0] ?? vscode.l10n.t('It has no embedded prompt or workflow.');
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} carries no ComfyUI workflow. {1}', filename, why));
    return undefined;
  }
  let pick = choose;
  if (!pick) {
    if (meta.workflow !== undefined && meta.prompt !== undefined) {
      const ui = vscode.l10n.t('UI workflow (for the ComfyUI canvas)');
      const api = vscode.l10n.t('API prompt (what was queued)');
      const answer = await vscode.window.showQuickPick([ui, api], { title: vscode.l10n.t('Open from {0}', filename) });
      if (!answer) return undefined;
      pick = answer === ui ? 'workflow' : 'prompt';
    } else pick = meta.workflow !== undefined ? 'workflow' : 'prompt';
  }
  const value = pick === 'workflow' ? meta.workflow : meta.prompt;
  if (value === undefined) return undefined;
  return openJson(value);
}

async function openJson(value: unknown): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ content: `${JSON.stringify(value, null, 2)}\n`, language: 'json' });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch {
    return false;
  }
}

function outsideMessage(setting: string): string {
  return vscode.l10n.t('Not saved: the folder "{0}" (comfyui.preview.saveFolder) is outside the workspace folder.', setting);
}
