// "One way" rules of the editor adapters, checked on the source: every command goes through
// registerGuardedCommand (src/vscode/common/commands.ts: errors become one notification, never an unhandled
// rejection), every offset → Range and core problem → Diagnostic through src/vscode/common/convert.ts, and every
// timer that coalesces events through core/util/debounce (with an injectable clock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../helpers/shared';

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...tsFiles(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** `file:line` of every line under src/vscode (except `allowedIn`) that matches `pattern`. */
function offenders(pattern: RegExp, allowedIn: string): string[] {
  const out: string[] = [];
  for (const file of tsFiles(join(REPO_ROOT, 'src/vscode'))) {
    const rel = relative(REPO_ROOT, file).split('\\').join('/');
    if (rel === allowedIn) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (pattern.test(line)) out.push(`${rel}:${i + 1}`);
      });
  }
  return out;
}

test('commands are registered only through registerGuardedCommand (src/vscode/common/commands.ts)', () => {
  assert.deepEqual(offenders(/\bcommands\s*\.\s*registerCommand\b|\bregisterTextEditorCommand\b/, 'src/vscode/common/commands.ts'), []);
});

test('Ranges from offsets and Diagnostics from problems are built only in src/vscode/common/convert.ts', () => {
  assert.deepEqual(offenders(/new\s+vscode\.Range\([^)]*positionAt|new\s+vscode\.Diagnostic\(/, 'src/vscode/common/convert.ts'), []);
});

test('the adapters coalesce events with core/util/debounce, not hand-rolled setTimeout', () => {
  // A global setTimeout (an injected clock's `clock.setTimeout` is fine: tests drive it).
  const files = [...new Set(offenders(/(?<![.\w])setTimeout\(/, 'none').map((at) => at.replace(/:\d+$/, '')))];
  // Not debounces: a one-shot deferral of the first connect, and the dispatcher's bounded wait for a socket.
  assert.deepEqual(files, ['src/vscode/host/connection.ts', 'src/vscode/serverRegistry/dispatch.ts']);
});
