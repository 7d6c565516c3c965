/**
 * Cancel-all on stop: on SIGINT or SIGTERM every live broker stops its heartbeat and cancels the
 * resting orders of its account, so that nothing is left on the book while PolyHunter is not
 * watching. (Were this to fail, the venue's heartbeat timeout cancels them within about 10 s.)
 *
 * The handlers only cancel; ending the process stays with whoever owns it (src/cli/signals.ts),
 * which sees the same signal.
 */
import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { CancelResult } from './live-broker.ts';

/** What a broker offers for the stop. */
export interface Stoppable {
  readonly address: string;
  shutdown(): Promise<CancelResult>;
}

/** The part of `process` used: tests pass an EventEmitter. */
export interface SignalSource {
  once(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface CancelOnSignalsOptions {
  logger: Logger;
  signals?: readonly NodeJS.Signals[];
  process?: SignalSource;
  /** Called when every broker has finished (or failed) its cancel-all. */
  onDone?: (results: readonly PromiseSettledResult<CancelResult>[]) => void;
}

/** Cancels every broker's resting orders once, on the first of `signals`; returns the uninstaller. */
export function cancelAllOnSignals(
  brokers: readonly Stoppable[],
  options: CancelOnSignalsOptions,
): () => void {
  const source = options.process ?? process;
  const signals = options.signals ?? (['SIGINT', 'SIGTERM'] as const);
  let fired = false;
  const uninstall = () => {
    for (const s of signals) source.off(s, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (fired) return;
    fired = true;
    uninstall();
    options.logger.info({ signal, brokers: brokers.length }, 'stopping: cancelling resting orders');
    void Promise.allSettled(brokers.map((b) => b.shutdown())).then((results) => {
      results.forEach((r, i) => {
        const signer = brokers[i]?.address;
        if (r.status === 'fulfilled')
          options.logger.info({ signer, canceled: r.value.canceled.length }, 'cancel-all done');
        else options.logger.error({ signer, err: describeError(r.reason) }, 'cancel-all failed');
      });
      options.onDone?.(results);
    });
  }
  for (const s of signals) source.once(s, onSignal);
  return uninstall;
}
