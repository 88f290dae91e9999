// Smoke test of the machinery: the packaged extension installs into code-server, the workbench loads in Chromium,
// and opening a workflow activates the extension (its "ComfyUI" log channel shows it connecting, the activity bar shows its view).
import assert from 'node:assert/strict';
import { scenario, useE2E } from '../harness/scenario';

const env = useE2E({ name: 'activation' });

scenario('opening a workflow activates the extension', env, async ({ wb, screenshot }) => {
  await wb.openFile('invert.api.json');
  const log = await wb.outputChannelText('ComfyUI');
  assert.match(log, /Connecting to ComfyUI at/);
  // The ComfyUI view container is in the activity bar.
  await wb.page.locator('.part.activitybar a.action-label[aria-label^="ComfyUI"]').first().waitFor({ state: 'visible' });
  await screenshot('activation');
});
