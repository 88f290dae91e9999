// The manifest is part of the design: every user-facing string is localized (English + Simplified Chinese), every
// command sits in the ComfyUI category, settings declare a scope and a description, the server URL is
// restricted in untrusted workspaces, and the defaults in package.json equal the ones the code falls back to.
import '../../helpers/vscode-shim/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULTS } from '../../../src/vscode/common/config';
import { REPO } from './l10nStrings';

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(path.join(REPO, 'package.nls.json'), 'utf8')) as Record<string, string>;
const nlsZh = JSON.parse(readFileSync(path.join(REPO, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;

function placeholders(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') for (const m of value.matchAll(/^%([^%]+)%$/g)) out.push(m[1]!);
  else if (Array.isArray(value)) value.forEach((v) => placeholders(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => placeholders(v, out));
  return out;
}

test('every %key% of the manifest exists in package.nls.json and package.nls.zh-cn.json', () => {
  const keys = placeholders(pkg);
  assert.ok(keys.length > 20, `found ${keys.length} localized strings`);
  const missing = keys.filter((k) => !(k in nls));
  const missingZh = keys.filter((k) => !(k in nlsZh));
  assert.deepEqual(missing, []);
  assert.deepEqual(missingZh, []);
});

test('package.nls.zh-cn.json translates exactly the English keys, keeping command links and code spans', () => {
  assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nls).sort());
  for (const [k, en] of Object.entries(nls)) {
    const zh = nlsZh[k]!;
    assert.ok(zh.trim().length > 0, k);
    const links = (s: string) => [...s.matchAll(/\(command:[^)]+\)/g)].map((m) => m[0]).sort();
    assert.deepEqual(links(zh), links(en), `command links of ${k}`);
    const codes = (s: string) => [...s.matchAll(/`[^`]+`/g)].map((m) => m[0]).sort();
    assert.deepEqual(codes(zh), codes(en), `code spans of ${k}`);
  }
});

test('the editor commands are in the ComfyUI category with localized titles', () => {
  const mine = [
    'comfyui.refreshNodeDefinitions',
    'comfyui.selectServer',
    'comfyui.reconnect',
    'comfyui.useObjectInfoFile',
    'comfyui.showServerMenu',
    'comfyui.showLog',
  ];
  const commands = pkg.contributes.commands as { command: string; title: string; category?: string }[];
  for (const id of mine) {
    const c = commands.find((x) => x.command === id);
    assert.ok(c, id);
    assert.match(c.title, /^%command\./, `${id} title is localized`);
  }
  for (const c of commands) assert.equal(c.category, 'ComfyUI', `${c.command} has the ComfyUI category`);
});

test('settings declare scope and description, and defaults match the code', () => {
  const props: Record<string, { default?: unknown; scope?: string; markdownDescription?: string; description?: string }> = Object.assign(
    {},
    ...pkg.contributes.configuration.map((s: { properties: object }) => s.properties),
  );
  for (const [key, spec] of Object.entries(props)) {
    assert.ok(spec.scope, `${key} has a scope`);
    assert.ok(spec.markdownDescription ?? spec.description, `${key} has a description`);
  }
  assert.equal(props['comfyui.serverUrl']!.scope, 'machine-overridable');
  assert.equal(props['comfyui.serverUrl']!.default, DEFAULTS.serverUrl);
  assert.equal(props['comfyui.objectInfoPath']!.default, DEFAULTS.objectInfoPath);
  assert.deepEqual(props['comfyui.workflowFiles']!.default, DEFAULTS.workflowFiles);
  assert.equal(props['comfyui.validation.enabled']!.default, DEFAULTS.validationEnabled);
  assert.equal(props['comfyui.validation.debounceMs']!.default, DEFAULTS.debounceMs);
  assert.equal(props['comfyui.codeLens.enabled']!.default, DEFAULTS.codeLensEnabled);
  assert.equal((props['comfyui.requestTimeoutSeconds']!.default as number) * 1000, DEFAULTS.requestTimeoutMs);
});

test('untrusted workspaces: limited support, server URL and dump path restricted', () => {
  const u = pkg.capabilities.untrustedWorkspaces;
  assert.equal(u.supported, 'limited');
  assert.ok(u.restrictedConfigurations.includes('comfyui.serverUrl'));
  assert.ok(u.restrictedConfigurations.includes('comfyui.objectInfoPath'));
  // Save writes where this setting says: a downloaded repository must not choose (issue 13, finding 8).
  assert.ok(u.restrictedConfigurations.includes('comfyui.preview.saveFolder'));
});

test('grammar, walkthrough media and l10n folder referenced by the manifest exist', () => {
  for (const g of pkg.contributes.grammars) {
    assert.ok(existsSync(path.join(REPO, g.path)), g.path);
    assert.ok(g.injectTo.includes('source.json'));
  }
  for (const w of pkg.contributes.walkthroughs) {
    for (const s of w.steps) assert.ok(existsSync(path.join(REPO, s.media.markdown)), s.media.markdown);
  }
  assert.equal(pkg.l10n, './l10n');
  assert.ok(existsSync(path.join(REPO, 'l10n', 'bundle.l10n.json')));
  assert.ok(existsSync(path.join(REPO, 'l10n', 'bundle.l10n.zh-cn.json')));
});

test('the offline welcome targets the Queue & History view and offers retry and configuration', () => {
  const welcome = (pkg.contributes.viewsWelcome as { view: string; contents: string; when: string }[]).filter((w) => w.view === 'comfyui.queue');
  const offline = welcome.find((w) => w.when.includes('offline'));
  assert.ok(offline);
  const text = nls[offline.contents.slice(1, -1)]!;
  assert.match(text, /command:comfyui\.reconnect/);
  assert.match(text, /command:comfyui\.selectServer/);
});
