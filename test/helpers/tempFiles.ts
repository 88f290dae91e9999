// A temporary directory for tests that hand files to the CLI; removed when the test file finishes.
import { after } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempFiles {
  dir: string;
  /** Writes `content` (a string as is, anything else as indented JSON) to `dir/name`; returns the path. */
  file(name: string, content: unknown): string;
}

/** Call at the top level of a test file: the cleanup is registered as that file's `after` hook. */
export function tempFiles(prefix: string): TempFiles {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file(name, content) {
      const p = join(dir, name);
      writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return p;
    },
  };
}
