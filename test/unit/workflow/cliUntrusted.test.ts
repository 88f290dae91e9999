// Issue 13, deliverable 4: the CLI reports unsafe nodes, can fail on warnings, never echoes credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runValidate, type Io } from '../../../src/cli/validate';
import { UsageError } from '../../../src/cli/options';
import { tempFiles } from '../../helpers/tempFiles';
import * as g from '../../hostile/generators';

const { file } = tempFiles('comfyui-cli-untrusted-');
const INFO = file('object_info.json', { ...g.hostileObjectInfo(), Terminal: g.hostileObjectInfo().Save });

function collect(): Io & { out: string; err: string } {
  const io = { out: '', err: '', stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
  return io;
}

const apiWithTerminal = file('api.json', { ...g.normalApiPrompt(), '9': { class_type: 'Terminal', inputs: { latent: ['2', 0], prefix: 'ls' } } });
const requestWithTerminal = file('request.json', {
  prompt: { ...g.normalApiPrompt(), '9': { class_type: 'Terminal', inputs: { latent: ['2', 0], prefix: 'ls' } } },
  client_id: 'x',
});
const uiGroup = file('group.json', g.groupNodeHidingUnsafe());
const uiSubgraph = file('subgraph.json', g.subgraphHidingUnsafe());

test('validate reports unsafe_node as a warning with the curated reason, in every format', async () => {
  for (const f of [apiWithTerminal, requestWithTerminal, uiGroup, uiSubgraph]) {
    const io = collect();
    await runValidate(['--object-info', INFO, '--format', 'json', f], io);
    const [report] = JSON.parse(io.out) as { problems: { severity: string; code: string; message: string }[] }[];
    const unsafe = report!.problems.filter((p) => p.code === 'unsafe_node');
    assert.equal(unsafe.length, 1, f);
    assert.equal(unsafe[0]!.severity, 'warning');
    assert.match(unsafe[0]!.message, /Terminal.*runs any shell command/);
  }
});

test('--fail-on warning makes warnings fail; the default fails on errors only', async () => {
  assert.equal(await runValidate(['--object-info', INFO, apiWithTerminal], collect()), 0);
  assert.equal(await runValidate(['--object-info', INFO, '--fail-on', 'warning', apiWithTerminal], collect()), 1);
  assert.equal(await runValidate(['--object-info', INFO, '--fail-on', 'error', apiWithTerminal], collect()), 0);
  await assert.rejects(runValidate(['--object-info', INFO, '--fail-on', 'hint', apiWithTerminal], collect()), UsageError);
});

test('a byte order mark is accepted; invalid UTF-8 gets its own entry and the next file still reports', async () => {
  const bom = file('bom.json', g.withBom(JSON.stringify(g.normalApiPrompt())));
  const { writeFileSync } = await import('node:fs');
  const bad = file('bad-utf8.json', '');
  writeFileSync(bad, g.invalidUtf8());
  const io = collect();
  const code = await runValidate(['--object-info', INFO, '--format', 'json', bom, bad, apiWithTerminal], io);
  const reports = JSON.parse(io.out) as { file: string; problems: { code: string; message: string }[] }[];
  assert.deepEqual(
    reports.map((r) => r.problems.map((p) => p.code)),
    [[], ['file_not_checked'], ['unsafe_node']],
  );
  assert.match(reports[1]!.problems[0]!.message, /not valid UTF-8 \(the first invalid byte is at offset \d+\)/);
  assert.equal(code, 1);
});

test('credentials in an --object-info URL never reach the output', async () => {
  const url = 'http://alice:s3cretpass@127.0.0.1:1/?token=t0kenvalue';
  await assert.rejects(runValidate(['--object-info', url, '--timeout', '2000', apiWithTerminal], collect()), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.doesNotMatch(e.message, /s3cretpass|t0kenvalue|alice/);
    assert.match(e.message, /Cannot fetch node definitions from http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:1\//);
    return true;
  });
});

test('convert: a BOM is accepted and seeds above 2^53 come out as written', async () => {
  const { runConvert } = await import('../../../src/cli/convert');
  const ui = JSON.stringify({
    nodes: [
      { id: 1, type: 'Loader', mode: 0, inputs: [], outputs: [{ name: 'MODEL', type: 'MODEL', links: [1] }], widgets_values: ['a.safetensors'] },
      { id: 2, type: 'Sampler', mode: 0, inputs: [{ name: 'model', type: 'MODEL', link: 1 }], outputs: [], widgets_values: ['SEED', 7.5, 20] },
    ],
    links: [[1, 1, 0, 2, 0, 'MODEL']],
    version: 0.4,
  }).replace('"SEED"', '18446744073709551615');
  const f = file('seed.ui.json', g.withBom(ui));
  const io = collect();
  await runConvert(['--object-info', INFO, '--request', f], io);
  assert.match(io.out, /18446744073709551615/);
  assert.doesNotMatch(io.out, /18446744073709552000/);
  assert.equal(JSON.parse(io.out).prompt['2'].class_type, 'Sampler');
});
