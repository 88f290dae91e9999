// Enforces the layering rule: src/core and src/shared never import the editor API at runtime,
// and the webview never imports host code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../helpers/shared';

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...tsFiles(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/**
 * Every module specifier `text` imports or re-exports, in any form: `import … from '…'`, `export … from '…'`, a
 * side-effect `import '…'`, a dynamic `import('…')` and `require('…')` (type-only imports too: they still couple
 * the folders). Comments are skipped so a sentence that quotes an import is not one.
 */
function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  const forms = [
    /\b(?:import|export)\s[^;'"`]*?\bfrom\s*(['"])([^'"]+)\1/g,
    /(?:^|[;\s])import\s*(['"])([^'"]+)\1/g,
    /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
    /\brequire\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
  ];
  for (const form of forms) for (const m of code.matchAll(form)) out.push(m[2]!);
  return out;
}

test('importSpecifiers finds every import form, and nothing in comments or strings of other words', () => {
  const fixture = [
    "import { a } from '../util/a';",
    "import type { B } from '../workflow/b';",
    "import '../media/sideEffect';",
    "export { c } from '../comfy/c';",
    "export * from './d';",
    "const e = await import('../queue/e');",
    "const f = require('../safety/f');",
    'import {',
    '  g,',
    "} from '../dispatch/g';",
    "// import { h } from '../queue/h';",
    "/* require('../queue/i') */",
    "const text = 'we import data from files';",
  ].join('\n');
  assert.deepEqual(importSpecifiers(fixture).sort(), [
    '../comfy/c',
    '../dispatch/g',
    '../media/sideEffect',
    '../queue/e',
    '../safety/f',
    '../util/a',
    '../workflow/b',
    './d',
  ]);
});

const VALUE_IMPORT_OF_VSCODE =
  /(?:^|\n)\s*(?:import\s+(?!type\b)[^;]*?from\s*['"]vscode['"]|import\s*['"]vscode['"]|export\s+[^;]*?from\s*['"]vscode['"])|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/;

test('src/core and src/shared have no runtime vscode import', () => {
  const offenders = ['src/core', 'src/shared']
    .flatMap((d) => tsFiles(join(REPO_ROOT, d)))
    .filter((f) => VALUE_IMPORT_OF_VSCODE.test(readFileSync(f, 'utf8')))
    .map((f) => relative(REPO_ROOT, f));
  assert.deepEqual(offenders, []);
});

test('the detector itself catches each import form', () => {
  for (const src of [
    "import * as vscode from 'vscode';",
    'import { window } from "vscode";',
    "const v = require('vscode');",
    "export { Uri } from 'vscode';",
    "const m = await import('vscode');",
  ])
    assert.match(src, VALUE_IMPORT_OF_VSCODE, src);
  assert.doesNotMatch("import type * as vscode from 'vscode';", VALUE_IMPORT_OF_VSCODE);
});

test('the mock server does not import src/core (it must stay an independent implementation)', () => {
  const offenders = tsFiles(join(REPO_ROOT, 'test/mock-comfyui'))
    .filter((f) => importSpecifiers(readFileSync(f, 'utf8')).some((spec) => /src\/core\b|^(\.\.\/)+core\b/.test(spec)))
    .map((f) => relative(REPO_ROOT, f));
  assert.deepEqual(offenders, []);
});

test('webview code imports only DOM code and src/shared', () => {
  const offenders = tsFiles(join(REPO_ROOT, 'src/webview'))
    .filter((f) => importSpecifiers(readFileSync(f, 'utf8')).some((spec) => /^(\.\.\/)+(core|vscode)\b|^vscode$/.test(spec)))
    .map((f) => relative(REPO_ROOT, f));
  assert.deepEqual(offenders, []);
});

/**
 * The core's folders form layers: a folder imports only from folders below it. Utilities at the bottom, then byte
 * formats, the client, the workflow model, and the features built on it. A folder not listed here is a feature on
 * top (it may import every listed layer, and nothing listed may import it).
 */
const CORE_LAYERS: Record<string, number> = { util: 0, media: 1, comfy: 2, workflow: 3, safety: 4, dispatch: 4, queue: 5 };
const FEATURE_LAYER = 6;

test('src/core has no upward imports between its folders', () => {
  const core = join(REPO_ROOT, 'src/core');
  const offenders: string[] = [];
  for (const file of tsFiles(core)) {
    const from = relative(core, file).split(/[\\/]/)[0]!;
    const rank = CORE_LAYERS[from] ?? FEATURE_LAYER;
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = relative(core, join(file, '..', spec)).split(/[\\/]/)[0]!;
      if (target === from || target.startsWith('..')) continue;
      const targetRank = CORE_LAYERS[target] ?? FEATURE_LAYER;
      if (targetRank >= rank) offenders.push(`${relative(REPO_ROOT, file)} → core/${target}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('test/unit stays pure: no vscode shim and no editor adapters (those tests live in test/integration)', () => {
  const offenders = tsFiles(join(REPO_ROOT, 'test/unit'))
    .filter((f) => !f.endsWith('layers.test.ts'))
    .filter((f) => importSpecifiers(readFileSync(f, 'utf8')).some((spec) => /vscode-shim|src\/vscode\/|^vscode$/.test(spec)))
    .map((f) => relative(REPO_ROOT, f));
  assert.deepEqual(offenders, []);
});
