// Finds the messages passed to vscode.l10n.t('…') in source files, for the localization checks (and to
// regenerate l10n/bundle.l10n.json for every area: `npx tsx test/integration/vscode/l10nStrings.ts --write`).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');

/** The editor area's files: src/vscode/*.ts, src/vscode/{common,host,language}/** and src/extension.ts (other
 * folders under src/vscode belong to other areas, which keep their own strings in the same bundles). */
export function editorSourceFiles(): string[] {
  const out: string[] = [];
  const base = path.join(REPO, 'src', 'vscode');
  for (const name of readdirSync(base)) if (name.endsWith('.ts')) out.push(path.join(base, name));
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts')) out.push(full);
    }
  };
  for (const dir of ['common', 'host', 'language']) walk(path.join(base, dir));
  out.push(path.join(REPO, 'src', 'extension.ts'));
  return out.sort();
}

const CALL = /l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g;

export function extractMessages(files: readonly string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(CALL)) {
      const message = m[1]!.replace(/\\'/g, "'").replace(/\\\\/g, '\\');
      const where = found.get(message) ?? [];
      where.push(path.relative(REPO, file));
      found.set(message, where);
    }
  }
  return found;
}

/** Every file under src/vscode plus src/extension.ts (all areas): what the shipped bundles should cover. */
export function allExtensionSourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts')) out.push(full);
    }
  };
  walk(path.join(REPO, 'src', 'vscode'));
  out.push(path.join(REPO, 'src', 'extension.ts'));
  return out.sort();
}

if (require.main === module && process.argv.includes('--write')) {
  const messages = [...extractMessages(allExtensionSourceFiles()).keys()].sort();
  const file = path.join(REPO, 'l10n', 'bundle.l10n.json');
  const existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  for (const m of messages) existing[m] = m;
  writeFileSync(file, `${JSON.stringify(Object.fromEntries(Object.entries(existing).sort(([a], [b]) => a.localeCompare(b))), null, 2)}\n`);
  console.log(`${messages.length} messages in ${file}`);
}
