// The CLI is a stable interface (users' CI parses it): these tests spawn it as a user would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/shared';
import { runNode, type NodeRun } from '../../helpers/runNode';
import { tempFiles } from '../../helpers/tempFiles';
import { FIXTURE_DIR, OBJECT_INFO_PATH, TXT2IMG_PATH, txt2img } from '../../fixtures/workflow/fixtures';

const MAIN = join(REPO_ROOT, 'src/cli/main.ts');

function cli(args: string[]): Promise<NodeRun> {
  return runNode(['--import', 'tsx', MAIN, ...args]);
}

const { dir, file } = tempFiles('comfyui-cli-');

const bad = txt2img();
bad['3']!.inputs!.steps = 0;
bad['3']!.inputs!.sampler_name = 'eulr';
const BAD = file('bad.json', bad);

test('exit 0 and no output for a valid workflow', async () => {
  const r = await cli(['validate', '--object-info', OBJECT_INFO_PATH, TXT2IMG_PATH]);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, '');
  assert.equal(r.code, 0);
});

test('text format: file:line:col severity code message, 1-based; exit 1 on errors', async () => {
  const r = await cli(['validate', '--object-info', OBJECT_INFO_PATH, BAD]);
  assert.equal(r.code, 1);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  const text = readFileSync(BAD, 'utf8').split('\n');
  const m = /^(.+):(\d+):(\d+) (error|warning|information|hint) (\S+) (.+)$/.exec(lines[0]!)!;
  assert.ok(m, lines[0]);
  assert.equal(m[1], BAD);
  assert.equal(m[4], 'error');
  assert.equal(m[5], 'value_smaller_than_min');
  assert.equal(m[6], 'steps must be at least 1; got 0.');
  const [line, col] = [Number(m[2]), Number(m[3])];
  assert.equal(text[line - 1]!.slice(col - 1, col), '0');
  assert.match(text[line - 1]!, /"steps": 0/);
  assert.match(lines[1]!, / error value_not_in_list sampler_name must be one of euler, /);
});

test('json format: the documented shape with zero-based ranges; --locale zh-cn', async () => {
  const r = await cli(['validate', '--object-info', OBJECT_INFO_PATH, '--format', 'json', '--locale', 'zh-cn', BAD, TXT2IMG_PATH]);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as {
    file: string;
    format: string;
    problems: {
      severity: string;
      code: string;
      message: string;
      nodeId: string | null;
      inputName: string | null;
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
    }[];
  }[];
  assert.equal(out.length, 2);
  assert.deepEqual(Object.keys(out[0]!), ['file', 'format', 'problems', 'server']);
  assert.deepEqual(
    (out as unknown as { server: unknown }[]).map((f) => f.server),
    [
      { accepts: 'none', skippedOutputs: ['9'] },
      { accepts: 'all', skippedOutputs: [] },
    ],
  );
  assert.equal(out[0]!.format, 'api');
  const p = out[0]!.problems[0]!;
  assert.deepEqual(Object.keys(p), ['severity', 'code', 'message', 'nodeId', 'inputName', 'range']);
  assert.deepEqual([p.severity, p.code, p.nodeId, p.inputName], ['error', 'value_smaller_than_min', '3', 'steps']);
  assert.equal(p.message, 'steps 不能小于 1；实际为 0。');
  const line = readFileSync(BAD, 'utf8').split('\n')[p.range.start.line]!;
  assert.equal(line.slice(p.range.start.character, p.range.end.character), '0');
  assert.deepEqual(out[1]!.problems, []);
});

test('a partly accepted prompt: per-file server {accepts: "partly", skippedOutputs} and a line in the text output', async () => {
  const prompt = JSON.parse(readFileSync(TXT2IMG_PATH, 'utf8')) as Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  prompt['90'] = { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'ok' } };
  prompt['91'] = { class_type: 'SaveImage', inputs: { images: ['92', 0], filename_prefix: 'bad' } };
  prompt['92'] = { class_type: 'VAEDecode', inputs: { samples: ['5', 0], vae: ['4', 0] } };
  delete prompt['92']!.inputs.vae;
  const f = file('partly.json', prompt);
  const j = await cli(['validate', '--object-info', OBJECT_INFO_PATH, '--format', 'json', f]);
  assert.equal(j.code, 1);
  assert.deepEqual((JSON.parse(j.stdout) as { server: unknown }[])[0]!.server, { accepts: 'partly', skippedOutputs: ['91'] });
  const t = await cli(['validate', '--object-info', OBJECT_INFO_PATH, f]);
  assert.match(t.stdout.trim().split('\n').at(-1)!, /partly\.json: the server accepts this prompt but runs only part of it \(it skips output nodes 91\)$/);
});

test('--server-version, or a system_stats.json next to the dump, selects the server’s rules', async () => {
  const v3 = readFileSync(join(FIXTURE_DIR, 'v3_object_info.json'), 'utf8');
  mkdirSync(join(dir, 'dump'));
  const dump = file('dump/object_info.json', v3);
  const prompt = file('combo.json', { '1': { class_type: 'Paint', inputs: { color: '#000000', box: {}, amount: 1, mode: 'spray' } } });
  // Newest rules by default: ["COMBO", {options}] values are checked.
  assert.equal((await cli(['validate', '--object-info', dump, prompt])).code, 1);
  // 0.3.64 does not check them: a warning only.
  const old = await cli(['validate', '--object-info', dump, '--server-version', '0.3.64', prompt]);
  assert.equal(old.code, 0);
  assert.match(old.stdout, / warning value_not_in_list .*ComfyUI 0\.3\.64 does not check/);
  file('dump/system_stats.json', { system: { comfyui_version: '0.3.64' } });
  assert.equal((await cli(['validate', '--object-info', dump, prompt])).code, 0);
  assert.equal((await cli(['validate', '--object-info', dump, '--server-version', '0.33.0', prompt])).code, 1);
  const r = await cli(['validate', '--object-info', OBJECT_INFO_PATH, '--server-version', 'soon', prompt]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--server-version must be a version such as 0\.3\.64/);
});

test('problems without a node or input print null', async () => {
  const f = file('noout.json', { '1': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1 } } });
  const r = await cli(['validate', '--object-info', OBJECT_INFO_PATH, '--format', 'json', f]);
  const out = JSON.parse(r.stdout) as { problems: { code: string; nodeId: null; inputName: null }[] }[];
  assert.deepEqual(
    out[0]!.problems.map((p) => [p.code, p.nodeId, p.inputName]),
    [['prompt_no_outputs', null, null]],
  );
  assert.equal(r.code, 1);
});

test('exit 2 with one clear sentence: usage errors and unreadable input', async () => {
  const cases: [string[], RegExp][] = [
    [['validate', TXT2IMG_PATH], /^Missing --object-info <file\|http-url>/],
    [['validate', '--object-info', OBJECT_INFO_PATH], /^No workflow file given/],
    [['validate', '--object-info', OBJECT_INFO_PATH, '--format', 'xml', TXT2IMG_PATH], /^--format must be text or json, not "xml"\.$/],
    [['validate', '--object-info', OBJECT_INFO_PATH, '--locale', 'fr', TXT2IMG_PATH], /^--locale must be one of en, zh-cn, not "fr"\.$/],
    [['validate', '--object-info', OBJECT_INFO_PATH, '--bogus', TXT2IMG_PATH], /Unknown option '--bogus'/],
    [['validate', '--object-info', join(dir, 'missing.json'), TXT2IMG_PATH], /^Cannot read node definitions file .*missing\.json: no such file\.$/],
    [['validate', '--object-info', file('notjson.json', '<html>'), TXT2IMG_PATH], /^Node definitions file .* is not valid JSON: /],
    [['validate', '--object-info', file('array.json', '[1]'), TXT2IMG_PATH], /not an \/object_info object/],
    [['validate', '--object-info', 'http://127.0.0.1:9/', '--timeout', '2000', TXT2IMG_PATH], /^Cannot fetch node definitions from http:\/\/127\.0\.0\.1:9\//],
    [['frobnicate'], /^Unknown command "frobnicate"; the commands are: validate/],
    [[], /^Usage: comfyui-workflow <command>/],
  ];
  const results = await Promise.all(cases.map(([args]) => cli(args)));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i]![0].join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.trim(), cases[i]![1]);
    if (i < cases.length - 1) assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
});

test('an unreadable workflow is exit 2, while the readable ones are still reported', async () => {
  const r = await cli(['validate', '--object-info', OBJECT_INFO_PATH, BAD, join(dir, 'nope.json')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^Cannot read workflow file .*nope\.json: no such file\.\n$/);
  assert.match(r.stdout, /value_smaller_than_min/);
});

test('broken JSON and non-workflow JSON are problems (exit 1), not crashes', async () => {
  const broken = file('broken.json', '{"3": {"class_type": "KSampler", "inputs": {');
  const other = file('package.json', { name: 'x', version: '1.0.0' });
  const r = await cli(['validate', '--object-info', OBJECT_INFO_PATH, broken, other]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /broken\.json:1:\d+ error syntax_error /);
  assert.match(r.stdout, /package\.json:1:1 error invalid_prompt This is not a ComfyUI API workflow/);
});

test('--help prints the usage and exits 0', async () => {
  const r = await cli(['validate', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: comfyui-workflow validate --object-info <file\|http-url>/);
});

test('--object-info http URL fetches /object_info from the server', async () => {
  const body = readFileSync(OBJECT_INFO_PATH);
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    if (req.url === '/api/object_info' || req.url === '/object_info') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as { port: number }).port;
    const r = await cli(['validate', '--object-info', `http://127.0.0.1:${port}`, BAD]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /value_smaller_than_min/);
    assert.ok(
      paths.some((p) => p.endsWith('/object_info')),
      JSON.stringify(paths),
    );
  } finally {
    server.close();
  }
});
