// Keeps README.md true: its commands and settings tables must match package.json (regenerate them with
// `npm run docs`), and every diagnostic code the product can emit must be explained under
// "Diagnostic codes" (the anchor that diagnostics link to).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cell, commandsTable, localize, readRepoFiles, replaceBetweenMarkers, settingsTable, updateReadme, type PackageJson } from '../../scripts/docs/tables';

const ROOT = join(__dirname, '..', '..');

describe('README tables generator', () => {
  const nls = { 'cmd.a': 'Do A', 'cmd.b': 'Do | B', 'set.x': 'Line one\nline two', 'view.q': 'My View' };
  const pkg: PackageJson = {
    contributes: {
      commands: [
        { command: 'ext.internal', title: 'Internal' },
        { command: 'ext.b', title: '%cmd.b%' },
        { command: 'ext.a', title: '%cmd.a%', category: 'Ext' },
      ],
      menus: {
        commandPalette: [
          { command: 'ext.b', when: 'false' },
          { command: 'ext.internal', when: 'false' },
        ],
        'view/item/context': [{ command: 'ext.b', when: 'view == ext.q && viewItem == x' }],
        'editor/title': [{ command: 'ext.a', when: 'editorLangId == json' }],
      },
      keybindings: [{ command: 'ext.a', key: 'ctrl+alt+enter', mac: 'cmd+alt+enter' }],
      views: { ext: [{ id: 'ext.q', name: '%view.q%' }] },
      configuration: [
        { properties: { 'ext.late': { type: 'boolean', default: false, order: 5, description: 'Late.' } } },
        {
          properties: {
            'ext.early': { type: 'string', enum: ['a', 'b'], default: 'a', scope: 'resource', order: 1, markdownDescription: '%set.x%' },
            'ext.num': { type: 'number', default: 3, minimum: 1, maximum: 9, order: 2, description: 'A | pipe.' },
          },
        },
      ],
    },
  };

  it('names commands with their category, keys and where they appear, palette commands first', () => {
    const lines = commandsTable(pkg, nls).split('\n');
    assert.equal(lines[0], '| Command | ID | Keys | Where |');
    assert.equal(lines[2], '| Ext: Do A | `ext.a` | `Ctrl+Alt+Enter` (macOS `Cmd+Alt+Enter`) | Command Palette, editor title bar |');
    // Hidden from the palette, shown on the view's items; the pipe in its title must not split the cell.
    assert.equal(lines[3], '| Do \\| B | `ext.b` |  | My View item |');
    // Palette commands first, then menu-only ones, then the ones only the extension runs.
    assert.equal(lines[4], '| Internal | `ext.internal` |  | invoked by the extension (links, tree items) |');
    assert.equal(lines.length, 5);
  });

  it('lists settings by order across sections, with type, default, scope and a one-line description', () => {
    const lines = settingsTable(pkg, nls).split('\n');
    assert.deepEqual(lines.slice(2), [
      '| `ext.early` | `a` \\| `b` | `"a"` | resource | Line one line two |',
      '| `ext.num` | number 1–9 | `3` | window | A \\| pipe. |',
      '| `ext.late` | boolean | `false` | window | Late. |',
    ]);
  });

  it('refuses an unknown %placeholder% instead of printing it', () => {
    assert.throws(() => localize('%nope%', {}), /package\.nls\.json has no entry "nope"/);
    assert.equal(localize('plain', {}), 'plain');
    assert.equal(cell('a\r\nb|c'), 'a b\\|c');
  });

  it('replaces only the text between the markers and requires both', () => {
    const text = 'intro\n<!-- commands:start -->\nold\n<!-- commands:end -->\noutro\n';
    assert.equal(replaceBetweenMarkers(text, 'commands', 'new'), 'intro\n<!-- commands:start -->\nnew\n<!-- commands:end -->\noutro\n');
    assert.throws(() => replaceBetweenMarkers('no markers', 'commands', 'x'), /needs the markers/);
    const readme = '<!-- commands:start -->\n<!-- commands:end -->\n<!-- settings:start -->\n<!-- settings:end -->\n';
    const once = updateReadme(readme, pkg, nls);
    assert.match(once, /`ext\.a`/);
    assert.match(once, /`ext\.late`/);
    assert.equal(updateReadme(once, pkg, nls), once, 'regenerating is idempotent');
  });
});

describe('README.md', () => {
  const repo = readRepoFiles(ROOT);

  it('has commands and settings tables that match package.json (run `npm run docs`)', () => {
    const expected = updateReadme(repo.readme, repo.pkg, repo.nls);
    assert.ok(expected === repo.readme, 'README.md tables are out of date: run `npm run docs`');
  });

  it('mentions every contributed command and setting (the tables are really there)', () => {
    for (const c of repo.pkg.contributes?.commands ?? []) assert.ok(repo.readme.includes(`\`${c.command}\``), c.command);
    const sections = [repo.pkg.contributes?.configuration ?? []].flat();
    for (const s of sections) for (const name of Object.keys(s.properties ?? {})) assert.ok(repo.readme.includes(`\`${name}\``), name);
  });

  it('explains every diagnostic code the product emits under #diagnostic-codes', () => {
    const section = diagnosticSection(repo.readme);
    const missing = [...emittedCodes()].filter((code) => !section.includes(`<a id="${code}"></a>`));
    assert.deepEqual(missing, [], 'add these codes (with an <a id> anchor) to the "Diagnostic codes" section');
  });

  it('links only images and local files that exist', () => {
    const links = [...repo.readme.matchAll(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g)].map((m) => m[1]!.split('#')[0]!);
    assert.ok(links.length > 0);
    const broken = links.filter((l) => l && !existsSync(join(ROOT, l)));
    assert.deepEqual(broken, []);
  });

  it('has a target for every in-page #link', () => {
    const targets = new Set<string>();
    for (const m of repo.readme.matchAll(/^#{1,6} (.+)$/gm)) targets.add(slug(m[1]!));
    for (const m of repo.readme.matchAll(/<a id="([^"]+)"><\/a>/g)) targets.add(m[1]!);
    const links = [...repo.readme.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    assert.ok(links.includes('diagnostic-codes'));
    assert.deepEqual(
      links.filter((l) => !targets.has(l)),
      [],
    );
  });

  it('gives the two commands that .ci/run runs', () => {
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    const commands = ci
      .split('\n')
      .filter((l) => /^npm /.test(l.trim()))
      .map((l) => l.trim());
    assert.equal(commands.length, 2, '.ci/run runs a set-up command and a test command');
    assert.match(repo.readme, new RegExp(`Set up and run[\\s\\S]{0,400}?\`\`\`sh\\n${escapeRegExp(commands[0]!)}\\n\`\`\``));
    assert.match(repo.readme, new RegExp(`Run the tests[\\s\\S]{0,400}?\`\`\`sh\\n${escapeRegExp(commands[1]!)}\\n\`\`\``));
  });
});

/** GitHub's (and VS Code's Markdown preview's) heading anchor: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The "Diagnostic codes" section: from its heading to the next `## ` heading. */
function diagnosticSection(readme: string): string {
  const start = readme.indexOf('## Diagnostic codes');
  assert.ok(start >= 0, 'README.md has a "## Diagnostic codes" section (diagnostics link to #diagnostic-codes)');
  const next = readme.indexOf('\n## ', start + 3);
  return readme.slice(start, next < 0 ? undefined : next);
}

/**
 * Every code the product can put on a diagnostic or in the CLI's output: the validator's and the UI converter's
 * code unions, literal `code: '…'` problems, the editor's notices and the safety code, read from the sources (so a
 * new code fails this test until it is documented), plus the server's own error types, which arrive at runtime as
 * `comfyui-server` diagnostics (comfyui-api.md §2.3, 0.3.64 and newer).
 */
function emittedCodes(): Set<string> {
  const codes = new Set<string>([
    'no_prompt',
    'invalid_prompt_id',
    'invalid_prompt',
    'missing_node_type',
    'prompt_no_outputs',
    'prompt_outputs_failed_validation',
    'custom_validation_failed',
    'invalid_dynamic_input',
    'execution_error',
  ]);
  const unions = [
    ['src/core/workflow/validate.ts', 'ProblemCode'],
    ['src/core/workflow/ui/types.ts', 'ConversionCode'],
  ] as const;
  for (const [file, name] of unions) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const body = new RegExp(`export type ${name} =([^;]+);`).exec(text)?.[1];
    assert.ok(body, `${file} still declares ${name}`);
    for (const m of body.matchAll(/'([a-z_]+)'/g)) codes.add(m[1]!);
  }
  // Whitespace may include line breaks: the formatter wraps long calls.
  const patterns = [/\bcode:\s*'([a-z_]+)'/g, /\bnotice\(\s*\w+,\s*'([a-z_]+)'/g, /_CODE\s*=\s*'([a-z_]+)'/g];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) codes.add(m[1]!);
  }
  assert.ok(codes.has('unsafe_node') && codes.has('no_node_definitions') && codes.has('required_input_missing'), 'the source scan still finds codes');
  return codes;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}
