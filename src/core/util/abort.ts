// AbortSignal helpers. The client combines the caller's signal with its own timeout and must later tell which of
// the two fired: a timeout is an error worth reporting, a caller's cancellation is not.
import { type Clock, type TimerHandle, systemClock } from './clock';

export interface Deadline {
  /** Aborts when the caller's signal aborts or the timeout elapses. */
  readonly signal: AbortSignal;
  /** True once the timeout (not the caller) caused the abort. */
  timedOut(): boolean;
  /** True when the caller's signal caused the abort. */
  cancelled(): boolean;
  /** Clears the timer and the listener on the caller's signal. Always call it (use try/finally). */
  dispose(): void;
}

/** Combines an optional caller signal with a timeout; `timeoutMs` <= 0 or non-finite disables the timeout. */
export function deadline(callerSignal: AbortSignal | undefined, timeoutMs: number | undefined, clock: Clock = systemClock): Deadline {
  const controller = new AbortController();
  let timer: TimerHandle | undefined;
  let timedOut = false;
  let cancelled = false;

  const onCallerAbort = (): void => {
    if (controller.signal.aborted) return;
    cancelled = true;
    controller.abort(callerSignal?.reason);
  };

  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  if (!controller.signal.aborted && timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0) {
    timer = clock.setTimeout(() => {
      timer = undefined;
      if (controller.signal.aborted) return;
      timedOut = true;
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  }

  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    cancelled: () => cancelled,
    dispose: () => {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. Leaves no timer behind. */
export function delay(ms: number, signal?: AbortSignal, clock: Clock = systemClock): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
