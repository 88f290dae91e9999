// Running workflows from VS Code against the mock ComfyUI server: queue with progress, the Queue & History tree,
// the output preview, cancelling, and a UI-format workflow. The tests build on each other in order (the preview opens
// the output the first run produced), as a user's session would.
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { scenario, useE2E } from '../harness/scenario';
import type { Workbench } from '../harness/workbench';

const env = useE2E({ name: 'run' });
const VIEW = /Queue/i;

async function queueFile(wb: Workbench, file: string): Promise<void> {
  await wb.openFile(file);
  await wb.runCommand('ComfyUI: Queue Workflow');
}

/**
 * Natural size of the output image the preview panel shows for a file name starting with `prefix` (the preview labels
 * each image with its file name as alt text), once it has loaded inside the webview.
 */
async function previewImageSize(wb: Workbench, prefix: string): Promise<[number, number]> {
  const selector = `img[alt*="${prefix}"]`;
  const frame = await wb.webviewFrame(selector);
  const img = frame.locator(selector).first();
  await img.scrollIntoViewIfNeeded();
  await img.evaluate(
    (el) =>
      new Promise<void>((resolve, reject) => {
        const i = el as unknown as { complete: boolean; naturalWidth: number; addEventListener(t: string, f: () => void): void };
        if (i.complete && i.naturalWidth > 0) return resolve();
        i.addEventListener('load', () => resolve());
        i.addEventListener('error', () => reject(new Error('the output image failed to load in the webview')));
      }),
  );
  return img.evaluate((el) => {
    const i = el as unknown as { naturalWidth: number; naturalHeight: number };
    return [i.naturalWidth, i.naturalHeight] as [number, number];
  });
}

/** The History group's row for a run queued from `file`, once it is there. */
async function historyRun(wb: Workbench, file: string, extra?: RegExp): Promise<Locator> {
  await wb.openViewContainer('ComfyUI');
  await wb.expand(wb.treeRow(VIEW, /^\s*History/));
  const run = extra ? wb.treeRows(VIEW).filter({ hasText: file }).filter({ hasText: extra }).first() : wb.treeRow(VIEW, file);
  await run.waitFor({ state: 'visible', timeout: 30_000 });
  return run;
}

scenario('Queue Workflow shows progress, then the run and its output under History', env, async ({ wb, screenshot }) => {
  await wb.openFile('invert.api.json');
  await wb.recordNotifications();
  await wb.runCommand('ComfyUI: Queue Workflow');
  const progress = await wb.waitForNotification((n) => n.progress);
  assert.ok(progress.text.length > 0);

  const run = await historyRun(wb, 'invert.api.json');
  await wb.expand(run);
  const output = wb.treeRow(VIEW, /e2e_invert_\d+_\.png/);
  await output.waitFor({ state: 'visible', timeout: 30_000 });
  await screenshot('queue-history', { docs: true });
});

scenario('the preview panel shows the output image at its real size', env, async ({ wb, screenshot }) => {
  const output = wb.treeRow(VIEW, /e2e_invert_\d+_\.png/);
  if (!(await output.isVisible())) {
    await queueFile(wb, 'invert.api.json');
    await wb.expand(await historyRun(wb, 'invert.api.json'));
  }
  await output.click();
  const size = await previewImageSize(wb, 'e2e_invert_');
  assert.deepEqual(size, [320, 200], 'invert.api.json renders a 320x200 image');
  await screenshot('preview', { docs: true });
});

scenario('a long-running job is cancelled from the tree', env, async ({ wb, screenshot }) => {
  await queueFile(wb, 'slow.api.json');
  await wb.openViewContainer('ComfyUI');
  await wb.expand(wb.treeRow(VIEW, /^\s*Running/));
  const running = wb.treeRows(VIEW).filter({ hasText: 'slow.api.json' }).first();
  await running.waitFor({ state: 'visible', timeout: 30_000 });
  await screenshot('running', { docs: true });
  // The running row re-renders on every sampler step, so a right-click can land while VS Code swaps the row and the
  // menu then acts on nothing: like a user, try again if the run is still going a few seconds later.
  const interrupted = wb
    .treeRows(VIEW)
    .filter({ hasText: 'slow.api.json' })
    .filter({ hasText: /interrupt|cancel/i })
    .first();
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (attempt > 1 && !(await running.isVisible().catch(() => false))) break; // it did stop, just slowly
    await wb.contextMenu(running, /Cancel|Interrupt/);
    // Destructive actions may ask first; accept if so.
    const confirm = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: /Cancel (Run|Job|Prompt)|Interrupt|Yes|OK/ }).first();
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await wb.expand(wb.treeRow(VIEW, /^\s*History/));
    if (
      await interrupted.waitFor({ state: 'visible', timeout: 10_000 }).then(
        () => true,
        () => false,
      )
    )
      break;
  }

  const run = await historyRun(wb, 'slow.api.json', /interrupt|cancel/i);
  assert.match(await run.innerText(), /interrupt|cancel/i);
  // The tree redraws its groups one after another: give the Running group the moment it takes to catch up.
  const stillRunning = wb
    .treeRows(VIEW)
    .filter({ hasText: 'slow.api.json' })
    .filter({ hasNotText: /interrupt|cancel/i });
  const gone = await stillRunning
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .then(
      () => true,
      () => false,
    );
  assert.ok(gone, `the job left the Running group (${await stillRunning.count()} row still there)`);
});

scenario('a UI-format workflow queues and produces its output', env, async ({ wb, screenshot }) => {
  await queueFile(wb, 'invert.ui.json');
  const run = await historyRun(wb, 'invert.ui.json');
  await wb.expand(run);
  const output = wb.treeRow(VIEW, /e2e_ui_\d+_\.png/);
  await output.waitFor({ state: 'visible', timeout: 30_000 });
  // The size comes from the UI file's widgets_values (256x160): proof the conversion mapped the widgets.
  await output.click();
  assert.deepEqual(await previewImageSize(wb, 'e2e_ui_'), [256, 160]);
  await screenshot('ui-workflow');
});
