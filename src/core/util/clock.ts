// Time as a dependency: code that waits (timeouts, reconnect backoff, debouncing) takes a Clock so tests can
// drive it deterministically instead of sleeping.

export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending retry or timeout must never keep the CLI process alive on its own.
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A repeating timer from `every`; `dispose` stops it (also from inside its own callback). */
export interface Repeating {
  dispose(): void;
}

/**
 * Runs `fn` every `ms` on `clock` until disposed. A timeout rescheduled after each run rather than a setInterval on
 * the Clock interface: every Clock (ManualClock, the tests' own) drives it as it is, and a run that throws still
 * schedules the next one, as setInterval would.
 */
export function every(clock: Clock, ms: number, fn: () => void): Repeating {
  let handle: TimerHandle | undefined;
  let stopped = false;
  const tick = (): void => {
    handle = undefined;
    try {
      fn();
    } finally {
      if (!stopped) handle = clock.setTimeout(tick, ms);
    }
  };
  handle = clock.setTimeout(tick, ms);
  return {
    dispose: () => {
      stopped = true;
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
    },
  };
}

/** A manual clock for tests: time only moves when `advance()` is called. @internal */
export class ManualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Number of timers still pending (lets tests check that nothing was left behind). */
  get pending(): number {
    return this.timers.size;
  }

  /** The delay until the next timer fires, or undefined when none is pending. */
  nextDelay(): number | undefined {
    let min: number | undefined;
    for (const t of this.timers.values()) if (min === undefined || t.at < min) min = t.at;
    return min === undefined ? undefined : min - this.time;
  }

  /** Moves time forward by `ms`, firing due timers in order (timers scheduled meanwhile fire too if due). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Infinity;
      for (const [id, t] of this.timers) {
        if (t.at <= end && (t.at < nextAt || (t.at === nextAt && id < (nextId ?? Infinity)))) {
          nextAt = t.at;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.time = timer.at;
      timer.fn();
    }
    this.time = end;
  }
}
