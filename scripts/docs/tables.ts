// Generates README.md's commands and settings tables from package.json + package.nls.json, so the README can never
// name a command title, a setting or a default the extension does not have. The tables live between marker comments
// (`<!-- commands:start -->` … `<!-- commands:end -->`, same for `settings`); everything else in README.md is prose.
//
//   npm run docs             rewrite README.md's tables
//   npm run docs -- --check  exit 1 when README.md is out of date (test/unit/docs.test.ts does the same)
//
// Pure functions on parsed JSON, so the test drives them without touching the file system.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Nls = Record<string, string>;

interface CommandContribution {
  command: string;
  title: string;
  category?: string;
}

interface MenuItem {
  command?: string;
  when?: string;
}

interface Keybinding {
  command: string;
  key?: string;
  mac?: string;
}

interface SettingSchema {
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  scope?: string;
  order?: number;
  description?: string;
  markdownDescription?: string;
}

interface ConfigurationSection {
  title?: string;
  properties?: Record<string, SettingSchema>;
}

export interface PackageJson {
  contributes?: {
    commands?: CommandContribution[];
    menus?: Record<string, MenuItem[]>;
    keybindings?: Keybinding[];
    configuration?: ConfigurationSection | ConfigurationSection[];
    views?: Record<string, { id: string; name: string }[]>;
  };
}

/** Where a menu contribution puts a command, in words a user recognises. Unknown menus show their id. */
const MENU_LABELS: Record<string, string> = {
  'editor/title': 'editor title bar',
  'editor/title/run': 'editor Run button',
  'editor/context': 'editor context menu',
  'explorer/context': 'Explorer context menu',
};

/** Menus of a view: labelled with the view's name, taken from the `view == <id>` in their `when` clause. */
const VIEW_MENU_SUFFIX: Record<string, string> = { 'view/title': 'toolbar', 'view/item/context': 'item' };

/** Resolves a `%key%` placeholder through package.nls.json; a missing key is an error, not a silent placeholder. */
export function localize(value: string | undefined, nls: Nls): string {
  if (value === undefined) return '';
  const m = /^%(.+)%$/.exec(value);
  if (!m) return value;
  const text = nls[m[1]!];
  if (text === undefined) throw new Error(`package.nls.json has no entry "${m[1]}"`);
  return text;
}

/** Makes text safe inside one Markdown table cell: no line breaks, no unescaped pipes. */
export function cell(text: string): string {
  return text
    .replace(/\r?\n+/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

function prettyKey(key: string): string {
  return key
    .split(' ')
    .map((chord) =>
      chord
        .split('+')
        .map((k) => (k.length <= 1 ? k.toUpperCase() : k === 'cmd' ? 'Cmd' : k[0]!.toUpperCase() + k.slice(1)))
        .join('+'),
    )
    .join(' ');
}

function keysFor(command: string, keybindings: Keybinding[]): string {
  return keybindings
    .filter((k) => k.command === command && k.key)
    .map((k) => `\`${prettyKey(k.key!)}\`${k.mac ? ` (macOS \`${prettyKey(k.mac)}\`)` : ''}`)
    .join(', ');
}

function viewNames(pkg: PackageJson, nls: Nls): Map<string, string> {
  const names = new Map<string, string>();
  for (const views of Object.values(pkg.contributes?.views ?? {})) for (const v of views) names.set(v.id, localize(v.name, nls));
  return names;
}

function menuLabel(menu: string, item: MenuItem, views: Map<string, string>): string {
  const suffix = VIEW_MENU_SUFFIX[menu];
  if (suffix) {
    const id = /\bview == ([\w.-]+)/.exec(item.when ?? '')?.[1];
    return `${(id && views.get(id)) ?? 'view'} ${suffix}`;
  }
  return MENU_LABELS[menu] ?? menu;
}

function placesFor(command: string, menus: Record<string, MenuItem[]>, views: Map<string, string>): string[] {
  // A command is in the Command Palette unless a commandPalette entry hides it with `when: false`.
  const hidden = (menus.commandPalette ?? []).some((m) => m.command === command && m.when === 'false');
  const places = hidden ? [] : ['Command Palette'];
  for (const [menu, items] of Object.entries(menus)) {
    if (menu === 'commandPalette') continue;
    for (const item of items) {
      if (item.command !== command) continue;
      const label = menuLabel(menu, item, views);
      if (!places.includes(label)) places.push(label);
    }
  }
  return places;
}

/**
 * The commands table: one row per contributed command. What a user can type in the Command Palette comes first,
 * then what only menus show, then what only the extension invokes; package.json order within each group.
 */
export function commandsTable(pkg: PackageJson, nls: Nls): string {
  const commands = pkg.contributes?.commands ?? [];
  const menus = pkg.contributes?.menus ?? {};
  const keybindings = pkg.contributes?.keybindings ?? [];
  const views = viewNames(pkg, nls);
  const entries = commands.map((c, index) => {
    const where = placesFor(c.command, menus, views);
    const rank = where.includes('Command Palette') ? 0 : where.length > 0 ? 1 : 2;
    return { c, where, rank, index };
  });
  entries.sort((a, b) => a.rank - b.rank || a.index - b.index);
  const rows = entries.map(({ c, where }) => {
    const title = localize(c.title, nls);
    const category = localize(c.category, nls);
    const name = category ? `${category}: ${title}` : title;
    return `| ${cell(name)} | \`${c.command}\` | ${keysFor(c.command, keybindings)} | ${cell(where.join(', ') || 'invoked by the extension (links, tree items)')} |`;
  });
  return ['| Command | ID | Keys | Where |', '|---|---|---|---|', ...rows].join('\n');
}

function formatDefault(value: unknown): string {
  if (value === undefined) return '';
  if (value === '') return '`""`';
  return `\`${JSON.stringify(value)}\``;
}

function formatType(s: SettingSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  const type = Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? '');
  const range = s.minimum !== undefined || s.maximum !== undefined ? ` ${s.minimum ?? ''}–${s.maximum ?? ''}` : '';
  return `${type}${range}`;
}

/**
 * The settings table: every setting of every configuration section, by `order` then name. Sections are flattened
 * because their array order is whatever order areas were merged in; `order` is the intended reading order.
 */
export function settingsTable(pkg: PackageJson, nls: Nls): string {
  const conf = pkg.contributes?.configuration;
  const sections = conf === undefined ? [] : Array.isArray(conf) ? conf : [conf];
  const entries = sections
    .flatMap((section) => Object.entries(section.properties ?? {}))
    .sort(([a, x], [b, y]) => (x.order ?? Number.MAX_SAFE_INTEGER) - (y.order ?? Number.MAX_SAFE_INTEGER) || a.localeCompare(b));
  const rows = entries.map(([name, s]) => {
    const description = localize(s.markdownDescription ?? s.description, nls);
    return `| \`${name}\` | ${formatType(s)} | ${formatDefault(s.default)} | ${s.scope ?? 'window'} | ${cell(description)} |`;
  });
  return ['| Setting | Type | Default | Scope | Description |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`; throws when the markers are missing. */
export function replaceBetweenMarkers(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < 0 || j < i) throw new Error(`README.md needs the markers ${start} … ${end}`);
  return `${text.slice(0, i + start.length)}\n${content}\n${text.slice(j)}`;
}

/** README text with both tables regenerated. */
export function updateReadme(readme: string, pkg: PackageJson, nls: Nls): string {
  let out = replaceBetweenMarkers(readme, 'commands', commandsTable(pkg, nls));
  out = replaceBetweenMarkers(out, 'settings', settingsTable(pkg, nls));
  return out;
}

export interface RepoFiles {
  readme: string;
  pkg: PackageJson;
  nls: Nls;
}

export function readRepoFiles(root: string): RepoFiles {
  return {
    readme: readFileSync(join(root, 'README.md'), 'utf8'),
    pkg: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson,
    nls: JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Nls,
  };
}

function main(argv: string[]): number {
  const root = join(__dirname, '..', '..');
  const { readme, pkg, nls } = readRepoFiles(root);
  const updated = updateReadme(readme, pkg, nls);
  if (argv.includes('--check')) {
    if (updated === readme) return 0;
    process.stderr.write('README.md tables are out of date with package.json: run `npm run docs`.\n');
    return 1;
  }
  if (updated !== readme) writeFileSync(join(root, 'README.md'), updated);
  process.stdout.write(updated === readme ? 'README.md tables are up to date.\n' : 'README.md tables updated.\n');
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
