// node:test glue: one environment per scenario file, a failure screenshot for every failing test, and teardown
// that always runs (after() fires on failure and on timeouts too).
import { after, before, test } from 'node:test';
import { launchE2E, type E2E, type E2EOptions } from './env';

/** Per-test budget: a scenario waits for UI state with bounded waits, so a missing feature fails instead of hanging. */
export const SCENARIO_TIMEOUT = 120_000;

export function useE2E(opts: E2EOptions): () => E2E {
  let env: E2E | undefined;
  // Ctrl-C ends the process without running after(); code-server runs in its own process group, so it would
  // outlive us. Tear down first, then exit with the conventional status.
  const onSignal = (signal: NodeJS.Signals): void => {
    void (env?.close() ?? Promise.resolve()).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  before(
    async () => {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      env = await launchE2E(opts);
    },
    { timeout: 180_000 },
  );
  after(
    async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await env?.close();
    },
    { timeout: 60_000 },
  );
  return () => {
    if (!env) throw new Error('the e2e environment did not start (see the before() failure)');
    return env;
  };
}

/** A test that saves `<name>-FAILED.png` when it fails, so a red CI run shows what the user would have seen. */
export function scenario(name: string, get: () => E2E, fn: (env: E2E) => Promise<void>): void {
  test(name, { timeout: SCENARIO_TIMEOUT }, async () => {
    const env = get();
    try {
      // A failed earlier test may have left a menu or widget open.
      await env.wb.dismissAll();
      await fn(env);
      env.publishDocsImages(true);
    } catch (err) {
      env.publishDocsImages(false);
      const slug = name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
      await env.screenshot(`${slug}-FAILED`).catch(() => undefined);
      throw err;
    }
  });
}
