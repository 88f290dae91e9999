// Bounded exponential backoff with jitter for reconnects. Jitter keeps many editors that lost the same server from
// reconnecting in lock-step when it comes back.

export interface BackoffOptions {
  /** Delay before the first retry (ms). */
  initialMs: number;
  /** Upper bound of any delay (ms). */
  maxMs: number;
  /** Growth factor per attempt. */
  factor: number;
  /** Fraction of the delay that is randomized, 0..1 (0 = deterministic). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 };

/**
 * Delay before retry number `attempt` (0-based). The result lies in
 * [base * (1 - jitter), base] where base = min(maxMs, initialMs * factor^attempt), so it never exceeds maxMs.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = options.initialMs * Math.pow(options.factor, Math.max(0, attempt));
  const base = Math.min(options.maxMs, Number.isFinite(exp) ? exp : options.maxMs);
  const jitter = Math.min(1, Math.max(0, options.jitter));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(base * (1 - jitter * r));
}
