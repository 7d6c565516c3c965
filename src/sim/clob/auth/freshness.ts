/**
 * How old (or early) a POLY_TIMESTAMP may be. Polymarket does not document a window; its
 * error-codes page only lists "expired timestamp" among the causes of a 401. The simulator takes
 * 60 seconds either way by default, which a client on the same machine never exceeds and a replayed
 * capture does. Pass `Number.POSITIVE_INFINITY` to switch the check off (e.g. a simulator driven by a
 * manual clock while clients sign with the wall clock).
 */
export const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 60;

/** Whether `unixSeconds` is within `toleranceSeconds` of `nowMs`, in either direction. */
export function isFreshTimestamp(unixSeconds: number, nowMs: number, toleranceSeconds: number): boolean {
  return Math.abs(nowMs / 1000 - unixSeconds) <= toleranceSeconds;
}
