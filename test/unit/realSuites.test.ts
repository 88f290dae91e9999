// The rule of `npm run test:real` (test/suites.mjs): it runs the integration suites that get their server from
// getTestServer(), and only those; arguments narrow that set. The rule is checked against the suites as they are, so
// a new suite is classified by what it does, not by a list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, matching, realServerSuites, testFiles } from '../suites.mjs';

const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const integration = testFiles().filter((f) => f.startsWith('test/integration/'));
const real = realServerSuites(testFiles());

test('the rule: an integration suite that calls getTestServer(), nothing else', () => {
  const texts: Record<string, string> = {
    'test/integration/a.test.ts': 'before(async () => { server = await getTestServer(); });',
    'test/integration/b.test.ts': 'const mock = await startMockComfy({ port: 0 }); // getTestServer is not used',
    'test/integration/vscode/c.test.ts': 'const shimOnly = true; // no server at all',
    'test/unit/d.test.ts': 'await getTestServer();',
  };
  assert.deepEqual(
    realServerSuites(Object.keys(texts), (f) => texts[f]!),
    ['test/integration/a.test.ts'],
  );
});

test('the suites test:real runs get their server only from getTestServer: no mock of their own', () => {
  assert.ok(real.includes('test/integration/client.test.ts'));
  for (const f of real) {
    assert.doesNotMatch(read(f), /mock-comfyui\/server'|helpers\/activatedMock'|startFakeRegistry/, `${f} starts a server of its own`);
  }
});

test('the suites test:real leaves out do not depend on COMFYUI_TEST_URL (they pass whatever it is)', () => {
  const left = integration.filter((f) => !real.includes(f));
  for (const f of ['treeServers', 'servers', 'assets', 'packs', 'missingNodes', 'editorServer', 'graphView', 'queueLocalCheck', 'vscode/shim']) {
    assert.ok(left.includes(`test/integration/${f}.test.ts`), `${f} is left out`);
  }
  for (const f of left) assert.doesNotMatch(read(f), /mockOnly|DESTRUCTIVE|TEST_SERVER_URL|COMFYUI_TEST_URL/, `${f} reads the test server's URL`);
});

test('arguments narrow the suites of test:real instead of adding to them', () => {
  assert.deepEqual(matching(real, ['socket']), ['test/integration/socket.test.ts']);
  assert.deepEqual(matching(real, ['treeServers']), [], 'a suite outside test:real is not brought in by its name');
  assert.deepEqual(matching(real, []), real);
  const r = spawnSync(process.execPath, [join(ROOT, 'test', 'run-real.mjs'), 'no-such-suite'], {
    env: { ...process.env, COMFYUI_TEST_URL: 'http://127.0.0.1:9' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /No suite of test:real matched/);
  assert.match(r.stderr, /test\/integration\/client\.test\.ts/);
});

test('README names the suites test:real runs', () => {
  const readme = read('README.md').replace(/\s+/g, ' ');
  const listed = /list\): today ((?:`\w+`(?:, | and )?)+)\./.exec(readme)?.[1];
  assert.ok(listed, 'README has "…list): today `a`, `b` and `c`."');
  const named = [...listed.matchAll(/`(\w+)`/g)].map((m) => m[1]).sort();
  assert.deepEqual(named, real.map((f) => f.replace(/^test\/integration\/(.*)\.test\.ts$/, '$1')).sort());
});
