import { test } from 'node:test';
import { launchE2E } from './harness/env';
test('dbg', { timeout: 300000 }, async () => {
  let t = Date.now();
  const lap = (s: string) => { console.log(s, Date.now() - t); t = Date.now(); };
  const env = await launchE2E({ name: 'dbg' });
  lap('launch');
  try {
    const { wb } = env;
    await wb.openFile('broken.api.json'); lap('open');
    await wb.waitForProblems((r) => r.some((x) => x.includes('missing_node_type'))); lap('problems');
    await wb.gotoText('"ImageInvrt', 3); lap('goto');
    await wb.quickFixes(); lap('fixes');
    await wb.applyQuickFix('ImageInvert'); lap('apply');
    await wb.waitForEditorText(/"class_type": "ImageInvert"/); lap('text');
    await wb.waitForProblems((r) => !r.some((x) => x.includes('missing_node_type'))); lap('problems2');
  } finally { await env.close(); }
});
