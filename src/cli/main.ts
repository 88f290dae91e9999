// The `comfyui-workflow` command line: dispatches to a subcommand.
// To add a subcommand, add one entry to COMMANDS (its module parses its own argv with ./options).
import { escapeTerminal, truncateText } from '../core/util/escape';
import { EXIT_OK, EXIT_USAGE, UsageError } from './options';
import { runValidate, VALIDATE_USAGE } from './validate';
import { CONVERT_USAGE, runConvert } from './convert';

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  validate: { summary: 'check workflows against a server’s node definitions', usage: VALIDATE_USAGE, run: (argv) => runValidate(argv) },
  convert: { summary: 'turn a UI workflow into the API prompt the frontend would queue', usage: CONVERT_USAGE, run: (argv) => runConvert(argv) },
};

function mainUsage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
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
