// "One way" rules of the editor adapters, checked on the source: every command goes through
// registerGuardedCommand (src/vscode/common/commands.ts: errors become one notification, never an unhandled
// rejection), every offset → Range and core problem → Diagnostic through src/vscode/common/convert.ts, and every
// timer through an injectable Clock (core/util/clock.ts: `clock.setTimeout`, `every`; core/util/debounce with a clock).
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

const GLOBAL_TIMER = /(?<![.\w])(setTimeout|setInterval|clearTimeout|clearInterval)\(/;

/** Lines of the `debounce(` calls in `text` whose arguments do not mention a clock (calls span lines). */
function debounceWithoutClock(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/(?<![.\w])debounce\(/g)) {
    let depth = 0;
    let end = m.index;
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) break;
    }
    if (!/\bclock\b/i.test(text.slice(m.index, end))) out.push(text.slice(0, m.index).split('\n').length);
  }
  return out;
}

test('timers of the adapters run on an injected Clock: no global setTimeout or setInterval, every debounce given a clock', () => {
  // A global timer (an injected clock's `clock.setTimeout` is fine: tests drive it; `every(clock, …)` repeats).
  assert.deepEqual(offenders(GLOBAL_TIMER, 'none'), []);
  const unclocked = tsFiles(join(REPO_ROOT, 'src/vscode')).flatMap((file) =>
    debounceWithoutClock(readFileSync(file, 'utf8')).map((line) => `${relative(REPO_ROOT, file).split('\\').join('/')}:${line}`),
  );
  assert.deepEqual(unclocked, []);
});

test('the timer checks catch what they look for', () => {
  assert.ok(GLOBAL_TIMER.test('this.poller = setInterval(() => 1, 5);'));
  assert.ok(!GLOBAL_TIMER.test('this.timer = clock.setTimeout(() => 1, 5);'));
  const text = [
    'const a = debounce(() => f(g()), 300, { mode: "burst" });',
    'const b = debounce(',
    '  () => f(),',
    '  0,',
    '  { clock: this.clock },',
    ');',
  ].join('\n');
  assert.deepEqual(debounceWithoutClock(text), [1]);
});
