// The CLI's JSON output is a stable interface documented by docs/cli-output.schema.json and the README: the real
// output of `comfyui-workflow validate` must validate against the schema, the README's example must too, and every
// code the CLI prints must be explained in the README's "Diagnostic codes" section.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { quietMain } from '../helpers/cli';
import { runConvert } from '../../src/cli/convert';
import { runValidate, type FileReport } from '../../src/cli/validate';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'docs');
const schema = JSON.parse(readFileSync(join(ROOT, 'docs', 'cli-output.schema.json'), 'utf8')) as object;
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  return ajv.compile(schema);
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runValidate(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const files = [join(FIXTURES, 'broken.api.json'), join(FIXTURES, 'not-a-workflow.json')];
const objectInfo = ['--object-info', join(FIXTURES, 'object_info.json')];

describe('CLI output schema (docs/cli-output.schema.json)', () => {
  it('accepts what `validate --format json` prints, and the exit code follows the errors', async () => {
    const { code, stdout } = await run([...objectInfo, '--format', 'json', ...files]);
    assert.equal(code, 1);
    const reports = JSON.parse(stdout) as FileReport[];
    const validate = validator();
    assert.ok(validate(reports), JSON.stringify(validate.errors));
    assert.deepEqual(
      reports.map((r) => [r.format, r.problems.map((p) => `${p.severity} ${p.code} ${p.nodeId ?? '-'} ${p.inputName ?? '-'}`)]),
      [
        ['api', ['error value_smaller_than_min 1 width', 'error required_input_missing 2 vae', 'warning undeclared_input 3 quality']],
        ['none', ['error invalid_prompt - -']],
      ],
    );
  });

  it('accepts the problems `convert --format json` prints on stderr, as an array of problem objects', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runConvert([...objectInfo, '--format', 'json', join(FIXTURES, 'dangling.ui.json')], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
    });
    assert.equal(code, 1);
    assert.ok(JSON.parse(stdout).prompt === undefined, 'without --request the prompt itself is printed');
    const problems = JSON.parse(stderr) as unknown[];
    const ajv = new Ajv2020({ strict: true });
    ajv.addSchema(schema);
    const validate = ajv.compile({ type: 'array', items: { $ref: 'comfyui-workflows/cli-output.schema.json#/$defs/problem' } });
    assert.ok(validate(problems), JSON.stringify(validate.errors));
    assert.deepEqual(
      problems.map((p) => (p as { code: string }).code),
      ['dangling_link'],
    );
  });

  it('rejects output that breaks the contract (the schema is not vacuous)', () => {
    const validate = validator();
    const good = {
      file: 'a.json',
      format: 'api',
      problems: [
        {
          severity: 'error',
          code: 'x',
          message: 'm',
          nodeId: null,
          inputName: null,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        },
      ],
    };
    assert.ok(validate([good]));
    assert.ok(!validate([{ ...good, format: 'API' }]));
    const [problem] = good.problems;
    assert.ok(!validate([{ ...good, problems: [{ ...problem, nodeId: undefined }] }]), 'nodeId is null, never absent');
    assert.ok(!validate([{ ...good, problems: [{ ...problem, severity: 'fatal' }] }]));
    assert.ok(!validate([{ ...good, problems: [{ ...problem, range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } } }] }]));
  });

  it('accepts the README example', () => {
    const m = /\*\*JSON output\*\*[\s\S]*?```json\n([\s\S]*?)\n```/.exec(readme);
    assert.ok(m, 'README has a JSON output example');
    const validate = validator();
    assert.ok(validate(JSON.parse(m[1]!)), JSON.stringify(validate.errors));
  });

  it('prints text lines as file:line:col severity code message, 1-based, matching the JSON ranges', async () => {
    const text = await run([...objectInfo, ...files]);
    const json = JSON.parse((await run([...objectInfo, '--format', 'json', ...files])).stdout) as FileReport[];
    const expected = json.flatMap((r) =>
      r.problems.map((p) => `${r.file}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.code} ${p.message}`),
    );
    assert.deepEqual(text.stdout.trimEnd().split('\n'), expected);
    assert.equal(text.code, 1);
  });

  it('documents every code it printed under Diagnostic codes', async () => {
    const reports = JSON.parse((await run([...objectInfo, '--format', 'json', ...files])).stdout) as FileReport[];
    for (const r of reports) for (const p of r.problems) assert.ok(readme.includes(`<a id="${p.code}"></a>`), p.code);
  });

  it('exits 2 for usage errors and unreadable files, as documented', async () => {
    assert.equal((await run([...objectInfo, join(FIXTURES, 'missing.json')])).code, 2);
    assert.equal(await quietMain(['validate', ...objectInfo]), 2);
    assert.equal(await quietMain(['validate', '--format', 'yaml', ...objectInfo, ...files]), 2);
    assert.equal(await quietMain(['validate', '--object-info', join(FIXTURES, 'missing.json'), ...files]), 2);
  });
});
