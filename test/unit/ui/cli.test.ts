// `comfyui-workflow convert`: output and exit codes (0 converted, 1 converted with errors, 2 usage/unreadable).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runConvert } from '../../../src/cli/convert';
import { main } from '../../../src/cli/main';
import { UsageError } from '../../../src/cli/options';
import { REPO_ROOT } from '../../helpers/shared';
import { tempFiles } from '../../helpers/tempFiles';
import { node, txt2img, type Link } from './build';

const { dir, file } = tempFiles('ui-convert-');
const OI = join(REPO_ROOT, 'test/fixtures/ui/object_info.json');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runConvert(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('comfyui-workflow convert', () => {
  test('writes the API prompt to stdout, exit 0', async () => {
    const r = await run(['--object-info', OI, file('ok.json', txt2img())]);
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
    const prompt = JSON.parse(r.out) as Record<string, { class_type: string }>;
    assert.equal(prompt['5']!.class_type, 'KSampler');
  });

  test('-o writes a file; --request wraps prompt and workflow', async () => {
    const ui = txt2img();
    const out = join(dir, 'out.json');
    const r = await run(['--object-info', OI, '--request', '-o', out, file('ok2.json', ui)]);
    assert.equal(r.code, 0);
    assert.equal(r.out, '');
    const body = JSON.parse(readFileSync(out, 'utf8')) as { prompt: Record<string, unknown>; extra_data: { extra_pnginfo: { workflow: unknown } } };
    assert.ok(body.prompt['7']);
    assert.deepEqual(body.extra_data.extra_pnginfo.workflow, ui);
  });

  test('problems go to stderr as file:line:col lines; errors give exit 1', async () => {
    const ui = txt2img();
    (ui.nodes as Record<string, unknown>[]).push(node(20, 'FancyUpscaler', { inputs: [['image', 'IMAGE', 20]] }));
    (ui.links as Link[]).push([20, 6, 0, 20, 0, 'IMAGE']);
    const f = file('missing.json', ui);
    const r = await run(['--object-info', OI, f]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ error missing_node_type `));
    assert.ok(JSON.parse(r.out)['20']);
    const json = await run(['--object-info', OI, '--format', 'json', f]);
    const problems = JSON.parse(json.err) as { code: string; range: { start: { line: number } } }[];
    assert.equal(problems[0]!.code, 'missing_node_type');
    assert.ok(problems[0]!.range.start.line > 0);
  });

  test('--fill-defaults fills widgets the file has no value for', async () => {
    const ui = txt2img();
    (ui.nodes as { widgets_values: unknown[] }[])[3]!.widgets_values = [64, 64];
    const f = file('old.json', ui);
    const plain = JSON.parse((await run(['--object-info', OI, f])).out) as Record<string, { inputs: Record<string, unknown> }>;
    assert.equal(plain['4']!.inputs.batch_size, undefined);
    const filled = JSON.parse((await run(['--object-info', OI, '--fill-defaults', f])).out) as Record<string, { inputs: Record<string, unknown> }>;
    assert.equal(filled['4']!.inputs.batch_size, 1);
  });

  test('usage errors: no file, an API prompt, a missing file, missing --object-info', async () => {
    await assert.rejects(run(['--object-info', OI]), UsageError);
    await assert.rejects(run(['--object-info', OI, file('api.json', { '1': { class_type: 'SaveImage', inputs: {} } })]), /already an API prompt/);
    await assert.rejects(run(['--object-info', OI, join(dir, 'nope.json')]), /Cannot read workflow file/);
    await assert.rejects(run([file('ok3.json', txt2img())]), /object-info/);
  });

  test('the dispatcher knows the command and maps usage errors to exit 2', async () => {
    const orig = process.stderr.write.bind(process.stderr);
    let captured = '';
    process.stderr.write = ((s: string) => ((captured += s), true)) as typeof process.stderr.write;
    try {
      assert.equal(await main(['convert', '--object-info', OI]), 2);
    } finally {
      process.stderr.write = orig;
    }
    assert.match(captured, /exactly one UI workflow/);
  });
});
