// Workflows in git: a tracked workflow is edited in the working tree, and "Compare Workflow with HEAD" lists the
// one semantic change (not the reformatting that came with it) in the Workflow Changes view, grouped by node;
// clicking the change reveals it in the file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenario, useE2E } from '../harness/scenario';

const git = (cwd: string, ...args: string[]): void => {
  execFileSync('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'ignore' });
};

const env = useE2E({
  name: 'compare',
  // The harness turns git off for speed; this scenario is about git.
  workspaceSettings: { 'git.enabled': true },
  prepareWorkspace: (ws) => {
    git(ws, 'init', '-q');
    git(ws, 'add', 'invert.api.json');
    git(ws, 'commit', '-q', '-m', 'workflow');
    // The edit: a new width, and the whole file re-indented (layout noise git would show as every line changed).
    const file = join(ws, 'invert.api.json');
    const w = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { inputs: Record<string, unknown> }>;
    w['1']!.inputs.width = 640;
    writeFileSync(file, `${JSON.stringify(w, null, 4)}\n`);
  },
});

scenario('Compare Workflow with HEAD lists the edited value under its node and reveals it', env, async ({ wb, page, screenshot }) => {
  await wb.openFile('invert.api.json');
  await wb.runCommand('ComfyUI: Compare Workflow with HEAD');
  const row = wb.treeRow('Workflow Changes', /width: 320 → 640/);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  const rows = await wb.treeTexts('Workflow Changes');
  assert.ok(
    rows.some((r) => /#1 EmptyImage/.test(r)),
    rows.join('\n'),
  );
  assert.equal(rows.filter((r) => /→/.test(r)).length, 1, `exactly one change: ${rows.join(' | ')}`);
  await row.click();
  await wb.parkMouse();
  await screenshot('compare-with-head', { docs: true });
  // The reveal selected the new value in the editor.
  await page.locator('.monaco-editor .selected-text').first().waitFor({ state: 'attached', timeout: 10_000 });
});
