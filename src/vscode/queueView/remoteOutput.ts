// Opening an output file of a non-active server (grouped Queue view). The preview panel and openOutput's fallback
// fetch through the active server; this fetches from the item's own server into the same temp layout.
import * as vscode from 'vscode';
import { writeTempOutput, type FileFetcher } from '../run/outputs';

export async function openOutputFrom(
  fetcher: Partial<FileFetcher>,
  args: { promptId: string; file: { filename: string; subfolder: string; type: string } },
  tempRoot?: string,
): Promise<void> {
  if (typeof fetcher.view !== 'function') throw new Error(vscode.l10n.t('This server cannot serve output files.'));
  const { bytes } = await fetcher.view(args.file);
  const target = await writeTempOutput(args.promptId, args.file, bytes, tempRoot);
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target));
}
