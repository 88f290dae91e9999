// Running the CLI's entry point in tests: the exit code it maps usage errors to, with its stderr sentence swallowed.
import { main } from '../../src/cli/main';

export async function quietMain(argv: string[]): Promise<number> {
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await main(argv);
  } finally {
    process.stderr.write = write;
  }
}
