/**
 * The process's Prometheus metrics. One registry, created once; components take the metrics they
 * record from here so that `/metrics` (a later issue) serves them all.
 */
import { Counter, Registry } from 'prom-client';

export const metricsRegistry = new Registry();

/** Wire messages that failed validation and were skipped, by source (api, rtds, chain, clob_ws...). */
export const badMessagesTotal = new Counter({
  name: 'bad_messages_total',
  help: 'Wire messages that failed validation and were skipped',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});

/** Reconnections of a streaming source, by source. */
export const reconnectsTotal = new Counter({
  name: 'reconnects_total',
  help: 'Reconnections of a streaming source',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});
