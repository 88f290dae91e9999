// Debounce with an injectable clock, plus flush/cancel so callers can force or drop the pending call (e.g. a manual
// refresh is immediate, disposal cancels). Adapters that coalesce events use it with their injected Clock (repeating
// timers use clock.ts `every`, one-shot waits `clock.setTimeout`), so tests drive every timer with a ManualClock.
//
// Two ways to treat a burst of calls:
// - 'restart' (default): every call restarts the wait and the last call's arguments win: "run once it is quiet"
//   (validation after typing stops);
// - 'burst': the first call of a burst starts the wait and later calls join it, so the function runs at most once per
//   wait however long the burst lasts: "run at most every N ms" (a tree refresh after a stream of events, a live
//   preview frame). The arguments of the first call are kept.
import { type Clock, type TimerHandle, systemClock } from './clock';

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  /** Like a call, but waits `ms` this time instead of the configured wait (0: on the next timer turn). */
  after(ms: number, ...args: A): void;
  /** Runs the pending call now, if any. */
  flush(): void;
  /** Drops the pending call, if any. */
  cancel(): void;
  readonly pending: boolean;
}

export interface DebounceOptions {
  clock?: Clock;
  mode?: 'restart' | 'burst';
}

/**
 * `waitMs` may be a function: it is read at every call, so a setting such as `comfyui.validation.debounceMs` takes
 * effect on the next keystroke without re-creating the debouncer.
 */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  waitMs: number | (() => number),
  clockOrOptions: Clock | DebounceOptions = {},
): Debounced<A> {
  const options: DebounceOptions = 'setTimeout' in clockOrOptions ? { clock: clockOrOptions } : clockOrOptions;
  const clock = options.clock ?? systemClock;
  const burst = options.mode === 'burst';
  const wait = typeof waitMs === 'function' ? waitMs : () => waitMs;
  let handle: TimerHandle | undefined;
  let lastArgs: A | undefined;

  const run = (): void => {
    handle = undefined;
    const args = lastArgs;
    lastArgs = undefined;
    if (args) fn(...args);
  };

  const schedule = (ms: number, args: A): void => {
    if (handle !== undefined) {
      if (burst) return;
      clock.clearTimeout(handle);
    }
    lastArgs = args;
    handle = clock.setTimeout(run, Math.max(0, ms));
  };

  const debounced = ((...args: A): void => schedule(wait(), args)) as Debounced<A>;
  debounced.after = (ms: number, ...args: A) => schedule(ms, args);
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
