// `comfyui-workflow render`: the SVG on stdout or in a file, definitions optional, usage errors exit 2.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quietMain } from '../../helpers/cli';
import { runRender } from '../../../src/cli/render';
import { parseSvg } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');
const showcase = join(ROOT, 'test', 'fixtures', 'graph', 'showcase.ui.json');
const objectInfo = join(ROOT, 'test', 'fixtures', 'ui', 'object_info.json');

async function render(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runRender(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('comfyui-workflow render', () => {
  it('prints an SVG without definitions (slots from the file, no problem badges)', async () => {
    const { code, stdout } = await render([showcase]);
    assert.equal(code, 0);
    const tags = parseSvg(stdout);
    assert.equal(tags[0]!.name, 'svg');
    assert.equal(tags.filter((t) => t.attrs.has('data-node-id')).length, 11);
    assert.ok(!stdout.includes('class="badge'));
  });

  it('with --object-info: widget names and problem badges; -o writes the file; --theme light', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'render-'));
    try {
      const out = join(dir, 'g.svg');
      const { code, stdout } = await render(['--object-info', objectInfo, '--theme', 'light', '-o', out, showcase]);
      assert.equal(code, 0);
      assert.equal(stdout, '');
      const svg = readFileSync(out, 'utf8');
      assert.match(svg, /theme-light/);
      assert.match(svg, /class="badge badge-error"/);
      assert.match(svg, /cfg: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--level opens a subgraph instance', async () => {
    const { code, stdout } = await render(['--level', '10', showcase]);
    assert.equal(code, 0);
    assert.deepEqual(
      parseSvg(stdout)
        .filter((t) => t.attrs.has('data-node-id'))
        .map((t) => t.attrs.get('data-node-id')),
      ['1', '2', '-10', '-20'],
    );
  });

  it('exits 2 on usage errors: bad theme, no file, not a workflow, a level that is not an instance', async () => {
    assert.equal(await quietMain(['render', '--theme', 'blue', showcase]), 2);
    assert.equal(await quietMain(['render']), 2);
    assert.equal(await quietMain(['render', objectInfo]), 2);
    assert.equal(await quietMain(['render', '--level', '3', showcase]), 2);
    assert.equal(await quietMain(['render', join(ROOT, 'missing.json')]), 2);
  });
});
