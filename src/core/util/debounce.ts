// Trailing-edge debounce with an injectable clock, plus flush/cancel so callers can force or drop the pending call
// (e.g. a manual refresh is immediate, disposal cancels).
import { type Clock, type TimerHandle, systemClock } from './clock';

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  /** Runs the pending call now, if any. */
  flush(): void;
  /** Drops the pending call, if any. */
  cancel(): void;
  readonly pending: boolean;
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, waitMs: number, clock: Clock = systemClock): Debounced<A> {
  let handle: TimerHandle | undefined;
  let lastArgs: A | undefined;

  const run = (): void => {
    handle = undefined;
    const args = lastArgs;
    lastArgs = undefined;
    if (args) fn(...args);
  };

  const debounced = ((...args: A): void => {
    lastArgs = args;
    if (handle !== undefined) clock.clearTimeout(handle);
    handle = clock.setTimeout(run, waitMs);
  }) as Debounced<A>;

  debounced.flush = () => {
    if (handle === undefined) return;
    clock.clearTimeout(handle);
    run();
  };
  debounced.cancel = () => {
    if (handle !== undefined) clock.clearTimeout(handle);
    handle = undefined;
    lastArgs = undefined;
  };
  Object.defineProperty(debounced, 'pending', { get: () => handle !== undefined });
  return debounced;
}
