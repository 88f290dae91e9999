import { test } from 'node:test';
import { launchE2E } from './harness/env';
test('dbg', { timeout: 120000 }, async () => {
  const env = await launchE2E({ name: 'dbg', mock: false });
  try {
    const { page } = env;
    await page.keyboard.press('F1');
    await page.keyboard.type('Problems');
    await page.waitForTimeout(1500);
    console.log(await env.wb.quickPickLabels());
  } finally { await env.close(); }
});
