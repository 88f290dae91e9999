// `comfyui-workflow format [--check] [--stdout] [--strip-volatile] [--object-info F|URL] FILES`
// Rewrites workflow files in the canonical layout (src/core/diff/format.ts). --check changes nothing, lists the
// files that are not formatted and exits 1 if any. Exit 2 on usage errors and unreadable or invalid files.
import { writeFile } from 'node:fs/promises';
import { formatWorkflowText, FormatError } from '../core/diff/format';
import { escapeTerminal } from '../core/util/escape';
import { OBJECT_INFO_HELP, optionalDefinitions, readText } from './gitTools';
import { describeFsError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, parseCommand, UsageError } from './options';
import { defaultIo, type Io } from './validate';

export const FORMAT_USAGE = `Usage: comfyui-workflow format [--check] [--stdout] [--strip-volatile] [--object-info <file|http-url>] <workflow.json>...

Rewrites workflow files in a canonical layout: stable key order (API node ids in numeric order; class_type,
inputs, _meta), links and short arrays on one line. Never changes what the workflow means.
--check              change nothing; list the files that are not formatted (exit 1 if any)
--stdout             print the formatted file (one file only) instead of rewriting it
--strip-volatile     drop extra.ds (the saved view) and the frontend version stamp from UI workflows
${OBJECT_INFO_HELP.replace('to name widget values', 'to order API inputs as the class declares them')}
Exit code: 0 done (or all formatted), 1 --check found unformatted files, 2 usage error or unreadable/invalid file.`;

export async function runFormat(argv: string[], io: Io = defaultIo): Promise<number> {
  const { common, values, positionals } = parseCommand(argv, {
    check: { type: 'boolean', default: false },
    stdout: { type: 'boolean', default: false },
    'strip-volatile': { type: 'boolean', default: false },
  });
  if (common.help) {
    io.stdout(`${FORMAT_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('No workflow file given: pass one or more workflow JSON files.');
  if (values.stdout === true && positionals.length !== 1) throw new UsageError('--stdout prints one file: pass exactly one.');
  const objectInfo = await optionalDefinitions(common.objectInfo, common.timeoutMs);
  const options = { ...(objectInfo ? { objectInfo } : {}), stripVolatile: values['strip-volatile'] === true };
  let failed = false;
  let unformatted = 0;
  for (const file of positionals) {
    let text: string;
    let formatted: string;
    try {
      text = await readText(file);
      formatted = formatWorkflowText(text, options);
    } catch (e) {
      if (!(e instanceof UsageError || e instanceof FormatError)) throw e;
      io.stderr(`${escapeTerminal(file)}: ${e.message}\n`);
      failed = true;
      continue;
    }
    if (values.stdout === true) io.stdout(formatted);
    else if (formatted !== text) {
      if (values.check === true) {
        io.stdout(`${escapeTerminal(file)}\n`);
        unformatted++;
      } else {
        try {
          await writeFile(file, formatted, 'utf8');
        } catch (e) {
          io.stderr(`Cannot write ${escapeTerminal(file)}: ${describeFsError(e)}.\n`);
          failed = true;
        }
      }
    }
  }
  if (failed) return EXIT_USAGE;
  return unformatted > 0 ? EXIT_PROBLEMS : EXIT_OK;
}
