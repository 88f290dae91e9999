// `comfyui-workflow merge-driver BASE OURS THEIRS`: a git merge driver (.gitattributes `*.json merge=comfyui`,
// `git config merge.comfyui.driver "comfyui-workflow merge-driver %O %A %B"`). Merges at the node / input level
// and writes the result into OURS, as git expects. Exit 0 merged cleanly, 1 conflicts (OURS holds the merge with
// "ours" in place of each conflict; each is printed), 2 usage or I/O error (OURS untouched).
import { writeFile } from 'node:fs/promises';
import { escapeTerminal } from '../core/util/escape';
import { mergeWorkflowTexts, MergeError } from '../core/diff/merge';
import { showValue } from '../core/diff/render';
import { OBJECT_INFO_HELP, optionalDefinitions, readText } from './gitTools';
import { describeFsError, EXIT_OK, EXIT_PROBLEMS, parseCommand, UsageError } from './options';
import { defaultIo, type Io } from './validate';

export const MERGE_DRIVER_USAGE = `Usage: comfyui-workflow merge-driver [--object-info <file|http-url>] <base> <ours> <theirs>

A git merge driver for workflow files: merges node by node and input by input, layout from "ours", and writes
the result into <ours>. The same input changed differently on both sides is a conflict: "ours" is kept, and
each conflict is printed (node, input, base/ours/theirs).
${OBJECT_INFO_HELP.replace('to name widget values', 'to order API inputs')}
Set-up:  .gitattributes  *.json merge=comfyui
         git config merge.comfyui.driver "comfyui-workflow merge-driver %O %A %B"
Exit code: 0 merged, 1 conflicts, 2 usage error or unreadable input.`;

export async function runMergeDriver(argv: string[], io: Io = defaultIo): Promise<number> {
  const { common, positionals } = parseCommand(argv);
  if (common.help) {
    io.stdout(`${MERGE_DRIVER_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 3) throw new UsageError(`Pass the base, ours and theirs files (got ${positionals.length}).`);
  const [base, ours, theirs] = positionals as [string, string, string];
  const texts = [await readText(base), await readText(ours), await readText(theirs)] as const;
  const objectInfo = await optionalDefinitions(common.objectInfo, common.timeoutMs);
  let result;
  try {
    result = mergeWorkflowTexts(texts[0], texts[1], texts[2], objectInfo ? { objectInfo } : {});
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(`Cannot merge ${ours}: ${e.message}`);
    throw e;
  }
  try {
    await writeFile(ours, result.text, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot write ${ours}: ${describeFsError(e)}.`);
  }
  for (const r of result.renumbered) io.stderr(`Both sides added node ${escapeTerminal(r.from)}: theirs is now node ${escapeTerminal(r.to)}.\n`);
  for (const c of result.conflicts) {
    const where = c.input !== null ? `node ${escapeTerminal(c.nodeId)} input ${escapeTerminal(c.input)}` : `node ${escapeTerminal(c.nodeId)}`;
    io.stderr(`CONFLICT ${where}: base ${showValue(c.base)}, ours ${showValue(c.ours)}, theirs ${showValue(c.theirs)} (ours kept)\n`);
  }
  return result.conflicts.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}
