// `ComfyUI: Upload Image` / `Upload Mask` and the "Upload and use" quick fix. The bytes go to POST /upload/image
// (type input) or /upload/mask (with original_ref); the name the server answers (it may rename on a clash) can be
// written into the LoadImage input under the cursor.
import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ComfyClient } from '../../core/comfy/client';
import { isHttpError } from '../../core/comfy/errors';
import type { UploadResult } from '../../core/comfy/types';
import type { NodeDefs } from '../../core/workflow/nodeDefs';
import type { Logger } from '../../core/util/logger';
import type { WorkflowDocuments } from '../host/workflowDocuments';
import { WORKFLOW_SELECTOR, type HostServices } from '../host/index';
import { toRange } from '../common/convert';
import { registerGuardedCommand, requireClient } from '../common/commands';
import { baseName } from '../common/format';
import { findImageInputAt, loadImageValue } from './imageInput';
import { formatBytes } from '../../core/util/display';

export interface UploadDeps {
  client: () => ComfyClient | undefined;
  documents: WorkflowDocuments;
  defs: () => NodeDefs | undefined;
  log: Logger;
  /** Re-reads /object_info after an upload, so LoadImage's list knows the new file. */
  refreshDefinitions?: () => void;
}

/** Where to write the uploaded name (the quick fix passes it; the command finds it at the cursor). */
export interface UploadTarget {
  document: string;
  offset: number;
  length: number;
}

export interface UploadImageOptions {
  subfolder?: string;
  overwrite?: boolean;
  target?: UploadTarget;
}

const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'tif', 'tiff'];
/** ComfyUI's default --max-upload-size is 100 MB. */
const DEFAULT_MAX_UPLOAD = 100 * 1024 * 1024;

export function registerUpload(context: vscode.ExtensionContext, host: HostServices): void {
  const deps: UploadDeps = {
    client: () => host.connection.client,
    documents: host.documents,
    defs: () => host.definitions()?.defs,
    log: host.log,
    // LoadImage's list of input files changes with every upload.
    refreshDefinitions: () => void host.store.refresh().catch((error: unknown) => host.log.debug('Refreshing definitions after an upload failed:', error)),
  };
  context.subscriptions.push(...registerUploadFeatures(deps, WORKFLOW_SELECTOR));
}

export function registerUploadFeatures(deps: UploadDeps, selector: vscode.DocumentSelector): vscode.Disposable[] {
  const cmd = (id: string, fn: (...args: unknown[]) => Promise<unknown>) => registerGuardedCommand(id, fn, deps.log);
  return [
    cmd('comfyui.uploadImage', (uri, options) => uploadImageCommand(deps, uri instanceof vscode.Uri ? uri : undefined, (options ?? {}) as UploadImageOptions)),
    cmd('comfyui.uploadMask', (uri, ref) => uploadMaskCommand(deps, uri instanceof vscode.Uri ? uri : undefined, ref as MaskRef | undefined)),
    vscode.languages.registerCodeActionsProvider(selector, new UploadQuickFixProvider(deps), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  ];
}

async function pickFile(title: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, title, filters: { [vscode.l10n.t('Images')]: IMAGE_EXTENSIONS } });
  return picked?.[0];
}

async function readUpload(client: ComfyClient, uri: vscode.Uri): Promise<Uint8Array> {
  const stat = await vscode.workspace.fs.stat(uri);
  let max = DEFAULT_MAX_UPLOAD;
  try {
    const f = await client.getFeatures({ timeoutMs: 5000 });
    if (typeof f.max_upload_size === 'number' && f.max_upload_size > 0) max = f.max_upload_size;
  } catch {
    // Servers before mid-2025 have no /features: keep the default limit.
  }
  if (stat.size > max) throw new Error(vscode.l10n.t('{0} is {1}; the server accepts at most {2}.', baseName(uri), formatBytes(stat.size), formatBytes(max)));
  return vscode.workspace.fs.readFile(uri);
}

export async function uploadImageCommand(deps: UploadDeps, uri: vscode.Uri | undefined, options: UploadImageOptions): Promise<UploadResult | undefined> {
  const client = requireClient(deps.client());
  const file = uri ?? (await pickFile(vscode.l10n.t('Upload Image to ComfyUI')));
  if (!file) return undefined;
  let subfolder = options.subfolder;
  let overwrite = options.overwrite;
  if (!options.target) {
    if (subfolder === undefined) {
      subfolder = await vscode.window.showInputBox({
        title: vscode.l10n.t('Upload {0}', baseName(file)),
        prompt: vscode.l10n.t('Subfolder of the server’s input folder (empty for none).'),
        value: '',
        validateInput: (v) => (/(^|[\\/])\.\.([\\/]|$)/.test(v) || /^[\\/]/.test(v) ? vscode.l10n.t('Use a relative folder without "..".') : undefined),
      });
      if (subfolder === undefined) return undefined;
    }
    if (overwrite === undefined) {
      const keep = vscode.l10n.t('Keep both (the server renames on a name clash)');
      const replace = vscode.l10n.t('Overwrite a file with the same name');
      const pick = await vscode.window.showQuickPick([keep, replace], { title: vscode.l10n.t('If {0} already exists on the server', baseName(file)) });
      if (!pick) return undefined;
      overwrite = pick === replace;
    }
  }
  const data = await readUpload(client, file);
  const result = await client.uploadImage({
    data,
    filename: baseName(file),
    type: 'input',
    subfolder: (subfolder ?? '').trim(),
    overwrite: overwrite ?? false,
  });
  deps.refreshDefinitions?.();
  await offerToUse(deps, result, options.target, vscode.l10n.t('Uploaded {0} as {1}.', baseName(file), loadImageValue(result)));
  return result;
}

export interface MaskRef {
  filename: string;
  subfolder?: string;
  type?: string;
}

/** Splits a LoadImage value (`sub/name.png`, optionally ` [input]`) into an /upload/mask original_ref. */
export function refFromValue(value: string): MaskRef {
  const m = /^(.*?)(?: \[(input|output|temp)\])?$/.exec(value.trim())!;
  const full = m[1]!.replace(/\\/g, '/');
  const slash = full.lastIndexOf('/');
  return { filename: slash >= 0 ? full.slice(slash + 1) : full, subfolder: slash >= 0 ? full.slice(0, slash) : '', type: m[2] ?? 'input' };
}

export async function uploadMaskCommand(deps: UploadDeps, uri: vscode.Uri | undefined, ref: MaskRef | undefined): Promise<UploadResult | undefined> {
  const client = requireClient(deps.client());
  const at = currentImageInput(deps);
  let original = ref;
  if (!original) {
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Upload Mask'),
      prompt: vscode.l10n.t('The image the mask applies to, as LoadImage names it (e.g. photo.png or sub/photo.png).'),
      value: at?.found.value ?? '',
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the name of an image on the server.')),
    });
    if (value === undefined) return undefined;
    original = refFromValue(value);
  }
  const file = uri ?? (await pickFile(vscode.l10n.t('Mask image (its alpha channel is the mask)')));
  if (!file) return undefined;
  const data = await readUpload(client, file);
  let result: UploadResult;
  try {
    // Like the web UI's mask editor: the masked copy goes to input/clipspace.
    result = await client.uploadMask({
      data,
      filename: baseName(file),
      type: 'input',
      subfolder: 'clipspace',
      originalRef: { filename: original.filename, subfolder: original.subfolder ?? '', type: original.type ?? 'input' },
    });
  } catch (error) {
    if (isHttpError(error, 400) || isHttpError(error, 403) || isHttpError(error, 404)) {
      throw new Error(vscode.l10n.t('The server could not apply the mask to {0} ({1}).', original.filename, error.status), { cause: error });
    }
    throw error;
  }
  deps.refreshDefinitions?.();
  await offerToUse(deps, result, at?.target, vscode.l10n.t('Uploaded the mask of {0} as {1}.', original.filename, loadImageValue(result)));
  return result;
}

function currentImageInput(deps: UploadDeps): { target: UploadTarget; found: { value: string | undefined } } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const entry = deps.documents.workflow(editor.document);
  if (!entry || entry.format === 'ui') return undefined;
  const found = findImageInputAt(entry.parsed, deps.defs(), editor.document.offsetAt(editor.selection.active));
  if (!found) return undefined;
  return { target: { document: editor.document.uri.toString(), offset: found.input.valueRange.offset, length: found.input.valueRange.length }, found };
}

/** Writes the name into the target, or (from the palette) offers to put it into the image input at the cursor. */
async function offerToUse(deps: UploadDeps, result: UploadResult, target: UploadTarget | undefined, message: string): Promise<void> {
  const value = loadImageValue(result);
  if (target) {
    await writeValue(target, value);
    void vscode.window.setStatusBarMessage(message, 5000);
    return;
  }
  const at = currentImageInput(deps);
  const use = at ? vscode.l10n.t('Use in #{0}', nodeLabel(deps, at.target)) : undefined;
  const copy = vscode.l10n.t('Copy Name');
  const pick = await vscode.window.showInformationMessage(message, ...(use ? [use] : []), copy);
  if (pick === copy) await vscode.env.clipboard.writeText(value);
  else if (pick && at) await writeValue(at.target, value);
}

function nodeLabel(deps: UploadDeps, target: UploadTarget): string {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.document);
  const entry = doc && deps.documents.workflow(doc);
  const node = entry && findImageInputAt(entry.parsed, deps.defs(), target.offset)?.node;
  return node ? `${node.id} ${node.title ?? node.classType ?? ''}`.trim() : '';
}

async function writeValue(target: UploadTarget, value: string): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.document);
  if (!doc) return;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, toRange(doc, target), JSON.stringify(value));
  await vscode.workspace.applyEdit(edit);
}

/** "Upload and use": on a LoadImage-style value that names an image file of the workspace. */
export class UploadQuickFixProvider implements vscode.CodeActionProvider {
  constructor(private readonly deps: UploadDeps) {}

  async provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[] | undefined> {
    if (context.only && !context.only.intersects(vscode.CodeActionKind.QuickFix)) return undefined;
    const entry = this.deps.documents.workflow(doc);
    if (!entry || entry.format === 'ui') return undefined;
    const found = findImageInputAt(entry.parsed, this.deps.defs(), doc.offsetAt(range.start));
    if (!found?.value || !IMAGE_EXTENSIONS.includes(path.extname(found.value).slice(1).toLowerCase())) return undefined;
    const file = await localFile(doc, found.value);
    if (!file || token.isCancellationRequested) return undefined;
    const action = new vscode.CodeAction(vscode.l10n.t('Upload {0} and use it', baseName(file)), vscode.CodeActionKind.QuickFix);
    const valueRange = toRange(doc, found.input.valueRange);
    action.diagnostics = context.diagnostics.filter((d) => d.range.intersection(valueRange) !== undefined);
    action.isPreferred = true;
    const target: UploadTarget = { document: doc.uri.toString(), offset: found.input.valueRange.offset, length: found.input.valueRange.length };
    action.command = {
      command: 'comfyui.uploadImage',
      title: action.title,
      arguments: [file, { subfolder: '', overwrite: false, target } satisfies UploadImageOptions],
    };
    return [action];
  }
}

/** The value as a file: absolute, or relative to the document's folder or a workspace folder. */
async function localFile(doc: vscode.TextDocument, value: string): Promise<vscode.Uri | undefined> {
  const candidates: string[] = [];
  if (path.isAbsolute(value)) candidates.push(value);
  else {
    if (doc.uri.scheme === 'file') candidates.push(path.join(path.dirname(doc.uri.fsPath), value));
    for (const f of vscode.workspace.workspaceFolders ?? []) if (f.uri.scheme === 'file') candidates.push(path.join(f.uri.fsPath, value));
  }
  for (const c of candidates) {
    const st = await fsp.stat(c).catch(() => undefined);
    if (st?.isFile()) return vscode.Uri.file(c);
  }
  return undefined;
}
