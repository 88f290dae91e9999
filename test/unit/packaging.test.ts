// The .vsix users install: only the bundle, media, grammars, localisation, manifest and docs, at most 1.5 MB,
// and every file the manifest points at is inside. Uses ./comfyui-workflows.vsix when `npm run package` made one,
// otherwise packages a fresh one in a scratch copy of the manifest (so dist/ of the working tree is never rebuilt
// under the feet of tests that run the CLI bundle concurrently).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { REPO_ROOT } from '../helpers/shared';

const MAX_VSIX_BYTES = 1.5 * 1024 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** Lists a zip's entries from its central directory (a .vsix is a plain zip; no dependency needed for that). */
function readZipEntries(zip: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip file: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(p), 0x02014b50, 'corrupt central directory');
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    entries.push({
      method: zip.readUInt16LE(p + 10),
      compressedSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      localHeaderOffset: zip.readUInt32LE(p + 42),
      name: zip.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function readZipFile(zip: Buffer, e: ZipEntry): Buffer {
  const h = e.localHeaderOffset;
  const start = h + 30 + zip.readUInt16LE(h + 26) + zip.readUInt16LE(h + 28);
  const raw = zip.subarray(start, start + e.compressedSize);
  return e.method === 0 ? Buffer.from(raw) : inflateRawSync(raw);
}

/** Packages the extension in a scratch directory: copies of the manifest files, symlinks to src/ and node_modules/. */
function packageInScratch(): { vsix: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'comfyui-vsix-'));
  for (const name of readdirSync(REPO_ROOT)) {
    const from = join(REPO_ROOT, name);
    if (['src', 'node_modules'].includes(name)) symlinkSync(from, join(dir, name));
    else if (['media', 'syntaxes', 'l10n'].includes(name)) cpSync(from, join(dir, name), { recursive: true });
    else if (/^(package(\.nls(\..+)?)?\.json|\.vscodeignore|README\.md|CHANGELOG\.md|LICENSE|esbuild\.mjs|tsconfig.*\.json)$/.test(name))
      copyFileSync(from, join(dir, name));
  }
  const vsix = join(dir, 'out.vsix');
  const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
  return { vsix, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// Paths below extension/ that may ship (vsce renames LICENSE to LICENSE.txt and lower-cases readme/changelog).
const ALLOWED = [
  /^dist\/.+\.(js|css|json|wasm|png|svg|ttf|woff2?)$/,
  /^media\/[^/].*$/,
  /^syntaxes\/[^/]+\.json$/,
  /^l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/,
  /^package\.json$/,
  /^package\.nls(\.[a-z-]+)?\.json$/,
  /^readme\.md$/,
  /^changelog\.md$/,
  /^LICENSE\.txt$/,
];

test('the .vsix holds only the shipped files, within 1.5 MB, and everything the manifest references', () => {
  const existing = join(REPO_ROOT, 'comfyui-workflows.vsix');
  const built = existsSync(existing) ? undefined : packageInScratch();
  try {
    const vsixPath = built?.vsix ?? existing;
    const zip = readFileSync(vsixPath);
    assert.ok(zip.length <= MAX_VSIX_BYTES, `${vsixPath} is ${zip.length} bytes, over the ${MAX_VSIX_BYTES}-byte budget`);

    const entries = readZipEntries(zip);
    const names = entries.map((e) => e.name);
    const outside = names.filter((n) => !n.startsWith('extension/') && n !== '[Content_Types].xml' && n !== 'extension.vsixmanifest');
    assert.deepEqual(outside, [], 'unexpected top-level entries');
    const files = names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    const stray = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    assert.deepEqual(stray, [], 'files that must not ship (check .vscodeignore)');
    assert.deepEqual(
      files.filter((f) => f.endsWith('.map')),
      [],
      'source maps must not ship',
    );
    for (const required of ['package.json', 'dist/extension.js', 'readme.md', 'changelog.md', 'LICENSE.txt', 'media/icon.png']) {
      assert.ok(files.includes(required), `${required} is missing from the .vsix`);
    }

    const byName = new Map(entries.map((e) => [e.name, e]));
    const manifest = JSON.parse(readZipFile(zip, byName.get('extension/package.json')!).toString('utf8')) as {
      main: string;
      icon: string;
      bin?: Record<string, string>;
      contributes?: { viewsContainers?: Record<string, Array<{ icon?: string }>>; grammars?: Array<{ path: string }> };
    };
    const rel = (p: string): string => p.replace(/^\.\//, '');
    const referenced = [
      rel(manifest.main),
      rel(manifest.icon),
      ...Object.values(manifest.contributes?.viewsContainers ?? {})
        .flat()
        .map((c) => c.icon)
        .filter((i): i is string => !!i && !i.startsWith('$('))
        .map(rel),
      ...(manifest.contributes?.grammars ?? []).map((g) => rel(g.path)),
    ];
    if (existsSync(join(REPO_ROOT, 'src', 'cli', 'main.ts'))) referenced.push(...Object.values(manifest.bin ?? {}).map(rel));
    for (const p of referenced) assert.ok(files.includes(p), `package.json references ${p}, which is not in the .vsix`);

    // %key% placeholders in the manifest need the default message bundle next to it.
    if (/"%[\w.-]+%"/.test(JSON.stringify(manifest))) assert.ok(files.includes('package.nls.json'), 'package.nls.json is missing');

    // The Marketplace icon: a 128x128 PNG.
    const icon = readZipFile(zip, byName.get(`extension/${rel(manifest.icon)}`)!);
    assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
  } finally {
    built?.cleanup();
  }
});
