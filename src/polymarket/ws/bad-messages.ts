/**
 * Bad messages of a stream: each counted (here and in `bad_messages_total{source}`) and logged
 * with a sample, at most one line per interval so that a flood cannot flood the log; the line
 * says how many were suppressed since the last.
 */
import type { Logger } from '../../core/logger.ts';
import { badMessagesTotal } from '../../core/metrics.ts';

export interface BadMessageLogOptions {
  logger: Logger;
  /** Prefixes the log line: `<name>: bad message skipped`. */
  name: string;
  /** The `source` label of the metric and the log line. */
  source: string;
  intervalMs: number;
  /** A monotonic clock, ms. */
  monoMs: () => number;
}

export class BadMessageLog {
  readonly #o: BadMessageLogOptions;
  #count = 0;
  #loggedAtMono: number | null = null;
  #suppressed = 0;

  constructor(options: BadMessageLogOptions) {
    this.#o = options;
  }

  get count(): number {
    return this.#count;
  }

  /** `sample` is logged as given: shorten it and take secrets out first. */
  record(reason: string, sample: string): void {
    const { logger, name, source, intervalMs, monoMs } = this.#o;
    this.#count++;
    badMessagesTotal.inc({ source });
    const mono = monoMs();
    if (this.#loggedAtMono !== null && mono - this.#loggedAtMono < intervalMs) {
      this.#suppressed++;
      return;
    }
    logger.warn(
      { source, reason, sample, suppressedSinceLast: this.#suppressed },
      `${name}: bad message skipped`,
    );
    this.#loggedAtMono = mono;
    this.#suppressed = 0;
  }
}
