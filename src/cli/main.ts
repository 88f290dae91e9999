// The `comfyui-workflow` command line: dispatches to a subcommand.
// To add a subcommand, add one entry to COMMANDS (its module parses its own argv with ./options).
import { escapeTerminal, truncateText } from '../core/util/escape';
import { EXIT_OK, EXIT_USAGE, UsageError } from './options';
import { runValidate, VALIDATE_USAGE } from './validate';
import { CONVERT_USAGE, runConvert } from './convert';
import { DIFF_USAGE, runDiff } from './diff';
import { runTextconv, TEXTCONV_USAGE } from './textconv';
import { FORMAT_USAGE, runFormat } from './format';
import { MERGE_DRIVER_USAGE, runMergeDriver } from './mergeDriver';
import { REQUIREMENTS_USAGE, runRequirements } from './requirements';
import { RENDER_USAGE, runRender } from './render';

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  validate: { summary: 'check workflows against a server’s node definitions', usage: VALIDATE_USAGE, run: (argv) => runValidate(argv) },
  convert: { summary: 'turn a UI workflow into the API prompt the frontend would queue', usage: CONVERT_USAGE, run: (argv) => runConvert(argv) },
  diff: { summary: 'list the semantic changes between two workflows (layout only counted)', usage: DIFF_USAGE, run: (argv) => runDiff(argv) },
  textconv: { summary: 'print a workflow as git diff should show it (set as diff.comfyui.textconv)', usage: TEXTCONV_USAGE, run: (argv) => runTextconv(argv) },
  format: { summary: 'rewrite workflow files in a canonical, diff-friendly layout', usage: FORMAT_USAGE, run: (argv) => runFormat(argv) },
  'merge-driver': { summary: 'merge workflows node by node (set as merge.comfyui.driver)', usage: MERGE_DRIVER_USAGE, run: (argv) => runMergeDriver(argv) },
  requirements: {
    summary: 'list the node packs and models workflows need (text, JSON or comfy commands)',
    usage: REQUIREMENTS_USAGE,
    run: (argv) => runRequirements(argv),
  },
  render: { summary: 'draw a workflow as an SVG image (for READMEs, docs and reviews)', usage: RENDER_USAGE, run: (argv) => runRender(argv) },
};

function mainUsage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(13)} ${c.summary}`);
  return `Usage: comfyui-workflow <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "comfyui-workflow <command> --help" for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(`${mainUsage()}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${escapeTerminal(truncateText(name))}"; the commands are: ${Object.keys(COMMANDS).join(', ')}.\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${escapeTerminal(truncateText(e.message, 2000))}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`comfyui-workflow ${name} failed unexpectedly: ${escapeTerminal(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`);
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
