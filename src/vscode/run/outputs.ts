// Opening outputs of a run. The preview panel (another feature) registers `comfyui.openOutput` and
// `comfyui.showOutputs`; when it is not there, outputs are fetched through /view from the extension host (webviews
// would get 403 from ComfyUI's origin check) into a temp file and opened in a normal editor tab.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { FileRef } from '../../core/comfy/types';
import { mkdirInside, privateTempDir, writeFileNoFollow } from '../../core/util/safeFs';

/** The argument passed to `comfyui.openOutput` (the preview panel's command). */
export interface OpenOutputArgs {
  promptId: string;
  nodeId?: string;
  file: FileRef;
}

/** The argument passed to `comfyui.showOutputs`. */
export interface ShowOutputsArgs {
  promptId: string;
  outputs: (FileRef & { nodeId: string })[];
}

export interface FileFetcher {
  view(file: FileRef, opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<{ bytes: Uint8Array }>;
}

export async function commandExists(id: string): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(id);
}

/** A safe local name: no directories from the server's answer ever reach the file system. */
export function tempOutputPath(root: string, promptId: string, file: FileRef): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^\.+/, '_') || '_';
  const sub = file.subfolder ? `${safe(file.subfolder)}__` : '';
  // path.basename here is a file-system operation, not display: it drops the directories of the server's name.
  return path.join(root, safe(promptId), `${sub}${safe(path.basename(file.filename))}`);
}

/**
 * Writes a fetched output into this process's private temp folder (mkdtemp, 0700) and returns its path. A shared,
 * predictable `/tmp/comfyui-outputs` could be pre-created by another local user with symlinks pointing elsewhere.
 */
export async function writeTempOutput(promptId: string, file: FileRef, bytes: Uint8Array, tempRoot?: string): Promise<string> {
  const root = await privateTempDir('comfyui-outputs', tempRoot);
  const target = tempOutputPath(root, promptId, file);
  await mkdirInside(root, path.dirname(target));
  await writeFileNoFollow(target, bytes);
  return target;
}

/** Opens one output: through the preview panel when registered, else via a temp file. */
export async function openOutput(args: OpenOutputArgs, fetcher: FileFetcher | undefined, tempRoot?: string): Promise<void> {
  if (await commandExists('comfyui.openOutput')) {
    await vscode.commands.executeCommand('comfyui.openOutput', args);
    return;
  }
  if (!fetcher) throw new Error(vscode.l10n.t('No ComfyUI server is configured to fetch {0} from.', args.file.filename));
  const { bytes } = await fetcher.view(args.file);
  const target = await writeTempOutput(args.promptId, args.file, bytes, tempRoot);
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target));
}

/** "Show outputs" after a run: the preview panel when registered, else the first output via openOutput. */
export async function showOutputs(args: ShowOutputsArgs, fetcher: FileFetcher | undefined, tempRoot?: string): Promise<void> {
  if (await commandExists('comfyui.showOutputs')) {
    await vscode.commands.executeCommand('comfyui.showOutputs', args);
    return;
  }
  const first = args.outputs[0];
  if (!first) return;
  await openOutput(
    { promptId: args.promptId, nodeId: first.nodeId, file: { filename: first.filename, subfolder: first.subfolder, type: first.type } },
    fetcher,
    tempRoot,
  );
}
