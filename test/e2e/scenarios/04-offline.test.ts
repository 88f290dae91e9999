// With no server: the status bar says offline and the ComfyUI view shows a welcome with a Retry action, which
// reconnects once the server is up.
import assert from 'node:assert/strict';
import { scenario, useE2E } from '../harness/scenario';

const env = useE2E({ name: 'offline', mock: false });

scenario('offline: status bar and a welcome view with Retry that reconnects', env, async (e) => {
  const { wb, page } = e;
  await wb.openFile('invert.api.json');
  await wb.statusItem(/offline/i).waitFor({ state: 'visible', timeout: 30_000 });

  await wb.openViewContainer('ComfyUI');
  const welcome = page.locator('.part.sidebar .welcome-view-content').first();
  await welcome.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await welcome.innerText(), /not reachable|offline/i);
  const retry = welcome.locator('.monaco-button', { hasText: /Retry/ }).first();
  await retry.waitFor({ state: 'visible' });
  await e.screenshot('offline', { docs: true });

  // Bring the server up on the configured port and press Retry. The extension also retries in the background with a
  // backoff, so the welcome may already be gone by the time of the click: either way it must end up connected.
  await e.startMock();
  await retry.click({ timeout: 5_000 }).catch(async (err: unknown) => {
    if (await retry.isVisible()) throw err;
  });
  await page.waitForFunction(
    () => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document;
      const items = Array.from(doc.querySelectorAll('.part.statusbar .statusbar-item'));
      return items.some((i) => /ComfyUI/.test(i.textContent ?? '')) && !items.some((i) => /offline/i.test(i.textContent ?? ''));
    },
    undefined,
    { timeout: 30_000 },
  );
  assert.equal(await wb.statusItem(/offline/i).count(), 0);
});
