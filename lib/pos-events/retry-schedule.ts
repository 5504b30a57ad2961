/**
 * When a webhook delivery that failed is tried again: after about 5 s, 30 s, 2 min, 10 min and
 * 30 min, then hourly; a try that fails 72 hours or more after the first is the last, and the
 * delivery has failed. Pure, so the schedule is tested without waiting.
 */
export interface RetrySchedule {
  /** The waits after the first, second, … failed try. */
  delaysMs: readonly number[];
  /** The wait after each later failed try. */
  thenEveryMs: number;
  /** A failed try this long (or longer) after the first one ends the delivery as failed. */
  windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const RETRY_SCHEDULE: RetrySchedule = {
  delaysMs: [5_000, 30_000, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE],
  thenEveryMs: HOUR,
  windowMs: 72 * HOUR,
};

/**
 * The time of the next try after the `attempts`-th try (counting from 1) failed at `nowMs`, the
 * first having been at `firstAttemptAtMs`; undefined when the delivery has failed for good.
 */
export function nextAttemptAt(
  attempts: number,
  firstAttemptAtMs: number,
  nowMs: number,
  schedule: RetrySchedule = RETRY_SCHEDULE,
): number | undefined {
  if (nowMs - firstAttemptAtMs >= schedule.windowMs) return undefined;
  return nowMs + (schedule.delaysMs[attempts - 1] ?? schedule.thenEveryMs);
}
