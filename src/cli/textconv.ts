// `comfyui-workflow textconv FILE`: the readable rendering git shows instead of the JSON
// (.gitattributes `*.json diff=comfyui`, `git config diff.comfyui.textconv "comfyui-workflow textconv"`).
// A file that is not a workflow is printed unchanged, so the textconv can be set on every *.json.
import { renderTextconv } from '../core/diff/render';
import { buildModel } from '../core/diff/model';
import { OBJECT_INFO_HELP, optionalDefinitions, readText } from './gitTools';
import { EXIT_OK, parseCommand, UsageError } from './options';
import { defaultIo, type Io } from './validate';

export const TEXTCONV_USAGE = `Usage: comfyui-workflow textconv [--object-info <file|http-url>] <workflow.json>

Prints a workflow as git should diff it: one block per node in id order, inputs by name, links as "← 4.MODEL",
layout left out. Files that are not workflows are printed as they are.
${OBJECT_INFO_HELP}
Set-up:  .gitattributes  *.json diff=comfyui
         git config diff.comfyui.textconv "comfyui-workflow textconv"
Exit code: 0 printed, 2 usage error or unreadable file.`;

export async function runTextconv(argv: string[], io: Io = defaultIo): Promise<number> {
  const { common, positionals } = parseCommand(argv);
  if (common.help) {
    io.stdout(`${TEXTCONV_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(`Pass exactly one file (got ${positionals.length}).`);
  const text = await readText(positionals[0]!);
  io.stdout(await textconv(text, () => optionalDefinitions(common.objectInfo, common.timeoutMs)));
  return EXIT_OK;
}

/** The rendering, or the text unchanged when it is not a workflow (definitions are only loaded for workflows). */
export async function textconv(text: string, definitions: () => Promise<Awaited<ReturnType<typeof optionalDefinitions>>>): Promise<string> {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return text;
  }
  try {
    return renderTextconv(buildModel(json, await definitions(), { layout: false, paths: false }));
  } catch (e) {
    if ((e as Error).name === 'ModelError') return text;
    throw e;
  }
}
