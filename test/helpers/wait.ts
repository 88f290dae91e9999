// Waiting helpers for tests of asynchronous code (adapters, client, sockets): poll a condition, or take the next event. Both time out
// with a clear message instead of hanging the test run.
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs?: number; message?: string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) {
      throw new Error(`waitFor timed out after ${timeoutMs} ms${options.message ? `: ${options.message}` : ''}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

type EventLike<T> = (listener: (e: T) => unknown) => { dispose(): unknown };

/** The next event (optionally matching `filter`) fired by `event`. */
export function nextEvent<T>(event: EventLike<T>, filter: (e: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no matching event within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!filter(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

/**
 * `waitFor` for a truthy answer, named by what it waits for (the name is the timeout message): a probe returning
 * 0, '' or null keeps waiting, where `waitFor` would take them as the answer.
 */
export function waitUntil<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  return waitFor(async () => (await probe()) || undefined, { timeoutMs, message: `waiting for ${what}` });
}
