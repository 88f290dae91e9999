// Opening outputs of a run. The preview panel (another feature) registers `comfyui.openOutput` and
// `comfyui.showOutputs`; when it is not there, outputs are fetched through /view from the extension host (webviews
// would get 403 from ComfyUI's origin check) into a temp file and opened in a normal editor tab.
import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FileRef } from '../../core/comfy/types';

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
  return path.join(root, 'comfyui-outputs', safe(promptId), `${sub}${safe(path.basename(file.filename))}`);
}

/** Opens one output: through the preview panel when registered, else via a temp file. */
export async function openOutput(args: OpenOutputArgs, fetcher: FileFetcher | undefined, tempRoot = tmpdir()): Promise<void> {
  if (await commandExists('comfyui.openOutput')) {
    await vscode.commands.executeCommand('comfyui.openOutput', args);
    return;
  }
  if (!fetcher) throw new Error(vscode.l10n.t('No ComfyUI server is configured to fetch {0} from.', args.file.filename));
  const target = tempOutputPath(tempRoot, args.promptId, args.file);
  const { bytes } = await fetcher.view(args.file);
  await fsp.mkdir(path.dirname(target), { recursive: true });
  await fsp.writeFile(target, bytes);
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target));
}

/** "Show outputs" after a run: the preview panel when registered, else the first output via openOutput. */
export async function showOutputs(args: ShowOutputsArgs, fetcher: FileFetcher | undefined, tempRoot = tmpdir()): Promise<void> {
  if (await commandExists('comfyui.showOutputs')) {
    await vscode.commands.executeCommand('comfyui.showOutputs', args);
    return;
  }
  const first = args.outputs[0];
  if (!first) return;
  await openOutput({ promptId: args.promptId, nodeId: first.nodeId, file: { filename: first.filename, subfolder: first.subfolder, type: first.type } }, fetcher, tempRoot);
}
