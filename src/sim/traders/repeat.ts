/** A callback run every `intervalMs` on the injected clock until stopped. */
import type { Clock } from '../../core/index.ts';

/**
 * Re-arms one timer after each run, so a slow run never overlaps the next and a stopped loop
 * leaves nothing pending. A throwing run is reported and the loop goes on.
 */
export function repeat(
  clock: Clock,
  intervalMs: number,
  run: () => void,
  onError: (err: unknown) => void,
): () => void {
  if (!(intervalMs > 0)) throw new RangeError(`interval must be > 0 ms, got ${intervalMs}`);
  let cancel: (() => void) | null = null;
  const arm = (): void => {
    cancel = clock.setTimer(intervalMs, () => {
      try {
        run();
      } catch (err) {
        onError(err);
      }
      if (cancel !== null) arm();
    });
  };
  arm();
  return () => {
    const c = cancel;
    cancel = null;
    c?.();
  };
}
