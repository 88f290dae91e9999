// The git-facing subcommands end to end on temporary files: exit codes (0 same, 1 changes/conflicts/unformatted,
// 2 usage and I/O), the exact JSON shape of `diff --format json`, textconv output that a hostile file cannot use
// to drive the terminal, definitions from $COMFYUI_OBJECT_INFO, and the merge driver writing into OURS.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDiff } from '../../../src/cli/diff';
import { runTextconv } from '../../../src/cli/textconv';
import { runFormat } from '../../../src/cli/format';
import { runMergeDriver } from '../../../src/cli/mergeDriver';
import { main } from '../../../src/cli/main';
import { objectInfoSource, OBJECT_INFO_ENV, CONFIG_FILE } from '../../../src/cli/gitTools';
import type { Io } from '../../../src/cli/validate';

let dir = '';
const file = (name: string, v: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
  return p;
};
async function run(f: (argv: string[], io: Io) => Promise<number>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await f(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}
const A = {
  '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'a.safetensors' } },
  '2': { class_type: 'KSampler', inputs: { model: ['1', 0], steps: 20 } },
};

describe('git subcommands', () => {
  before(() => (dir = mkdtempSync(join(tmpdir(), 'cwf-git-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('diff: exit 0 without semantic change, 1 with, 2 on a usage or read error', async () => {
    const a = file('a.json', A);
    const b = file('b.json', { ...A, '2': { class_type: 'KSampler', inputs: { model: ['1', 0], steps: 30 } } });
    assert.equal((await run(runDiff, [a, file('a2.json', JSON.stringify(A, null, 4))])).code, 0);
    const r = await run(runDiff, ['--format', 'json', a, b]);
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.out), {
      changes: [{ kind: 'value_changed', nodeId: '2', input: 'steps', before: 20, after: 30, detail: null }],
      layoutChanged: 0,
    });
    assert.deepEqual(Object.keys(JSON.parse(r.out).changes[0]), ['kind', 'nodeId', 'input', 'before', 'after', 'detail']);
    assert.equal(await main(['diff', a, join(dir, 'missing.json')]).catch(() => -1), 2);
    assert.equal(await main(['diff', '--format', 'yaml', a, b]), 2);
    assert.equal(await main(['diff', a, file('bad.json', '{"1":')]), 2);
  });

  it('diff: text and markdown escape what the file controls', async () => {
    const evil = '\u001b[2J\u202eboom|`*';
    const a = file('e1.json', A);
    const b = file('e2.json', { ...A, '2': { class_type: 'KSampler', inputs: { model: ['1', 0], steps: 20 }, _meta: { title: evil } } });
    const text = (await run(runDiff, [a, b])).out;
    assert.ok(!/[\u001b\u202e]/.test(text), text);
    const md = (await run(runDiff, ['--format', 'markdown', a, b])).out;
    assert.ok(md.includes('\\|') && md.includes('\\`') && !/[\u001b\u202e]/.test(md), md);
  });

  it('textconv: one block per node, links by output, non-workflows unchanged', async () => {
    const r = await run(runTextconv, [file('t.json', A)]);
    assert.equal(
      r.out,
      '# ComfyUI API prompt: 2 nodes\n\n[1] CheckpointLoaderSimple\n  ckpt_name: "a.safetensors"\n\n[2] KSampler\n  model: ← 1.0\n  steps: 20\n',
    );
    assert.equal((await run(runTextconv, [file('other.json', '{"name": "package"}')])).out, '{"name": "package"}');
  });

  it('textconv: definitions from $COMFYUI_OBJECT_INFO or .comfyui-workflow.json name outputs', async () => {
    const info = file('oi.json', { CheckpointLoaderSimple: { input: { required: {} }, output: ['MODEL'], output_name: ['MODEL'] } });
    assert.equal(objectInfoSource(undefined, { [OBJECT_INFO_ENV]: info }, dir), info);
    writeFileSync(join(dir, CONFIG_FILE), JSON.stringify({ objectInfo: 'oi.json' }));
    assert.equal(objectInfoSource(undefined, {}, join(dir)), join(dir, 'oi.json'));
    process.env[OBJECT_INFO_ENV] = info;
    try {
      assert.match((await run(runTextconv, [file('t2.json', A)])).out, /model: ← 1\.MODEL/);
    } finally {
      delete process.env[OBJECT_INFO_ENV];
    }
  });

  it('format: rewrites, --check lists unformatted files and exits 1, --stdout prints', async () => {
    const f = file('f.json', A);
    assert.equal((await run(runFormat, ['--check', f])).code, 1);
    assert.equal((await run(runFormat, ['--stdout', f])).out.startsWith('{\n  "1": {\n    "class_type"'), true);
    assert.equal((await run(runFormat, [f])).code, 0);
    assert.equal((await run(runFormat, ['--check', f])).code, 0);
    assert.equal((await run(runFormat, [file('nw.json', '[1]')])).code, 2);
  });

  it('merge-driver: writes the merge into OURS; exit 1 and a printed conflict when both change one input', async () => {
    const base = file('base.json', A);
    const ours = file('ours.json', { ...A, '2': { class_type: 'KSampler', inputs: { model: ['1', 0], steps: 25 } } });
    const theirs = file('theirs.json', { ...A, '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'b.safetensors' } } });
    assert.equal((await run(runMergeDriver, [base, ours, theirs])).code, 0);
    const merged = JSON.parse(readFileSync(ours, 'utf8'));
    assert.deepEqual([merged['1'].inputs.ckpt_name, merged['2'].inputs.steps], ['b.safetensors', 25]);
    const t2 = file('theirs2.json', { ...A, '2': { class_type: 'KSampler', inputs: { model: ['1', 0], steps: 40 } } });
    const r = await run(runMergeDriver, [base, ours, t2]);
    assert.equal(r.code, 1);
    assert.match(r.err, /CONFLICT node 2 input steps: base 20, ours 25, theirs 40/);
    assert.equal(await main(['merge-driver', base, ours]), 2);
  });
});
