// Smoke test of the machinery: the packaged extension installs into code-server, the workbench loads in Chromium,
// and opening a workflow activates the extension (its "ComfyUI" log channel says so).
import assert from 'node:assert/strict';
import { scenario, useE2E } from '../harness/scenario';

const env = useE2E({ name: 'activation', mock: false });

scenario('opening a workflow activates the extension', env, async ({ wb, screenshot }) => {
  await wb.openFile('invert.api.json');
  const log = await wb.outputChannelText('ComfyUI');
  assert.match(log, /ComfyUI Workflows activated|activated/i);
  await screenshot('activation');
});
