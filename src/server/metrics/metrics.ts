/**
 * `createMetrics()`: PolyHunter's Prometheus metrics in a registry of their own (never
 * prom-client's global one, so tests and several apps in one process do not clash). Events from
 * the bus feed counters and histograms as they happen; health, PnL and the wire counters are read
 * when Prometheus scrapes. The server mounts `text()` at /metrics.
 */
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import { describeError } from '../../core/errors.ts';
import { badMessagesTotal, reconnectsTotal } from '../../core/metrics.ts';
import { readGuard } from './collect.ts';
import type { MetricsBus, StageMicros } from './events.ts';
import { stageMicrosOf } from './events.ts';
import { eventFamilies } from './families.ts';
import { EventRecorder } from './record.ts';
import { type AccountPnlSample, type HealthSample, type SourceCounter, scrapeFamilies } from './scrape.ts';

export interface MetricsOptions {
  bus: MetricsBus;
  /** Each component's health, read at every scrape. */
  health?: () => readonly HealthSample[] | Promise<readonly HealthSample[]>;
  /** Each account's PnL and cash in micro-USDC, read once per scrape. */
  pnl?: () => Promise<readonly AccountPnlSample[]>;
  /** The counters the adapters increment; default the process's own (src/core/metrics.ts). */
  wire?: { badMessages: SourceCounter; reconnects: SourceCounter };
  /**
   * An order's stored stage timings (orderStagesFromStore), read after `order.done` when the event
   * itself does not carry them. Without either, the stage histograms stay empty.
   */
  orderStages?: (orderId: number) => Promise<StageMicros | null | undefined>;
  /** A scrape-time read still running after this long is abandoned and counted as an error (ms). */
  collectTimeoutMs?: number;
  /** Also export Node's process metrics (CPU, memory, event-loop lag, GC), prefixed polyhunter_. */
  processMetrics?: boolean;
  /** Told about each failed read, e.g. to log it; counted in any case. */
  onCollectError?: (collector: string, error: string) => void;
}

export interface Metrics {
  readonly registry: Registry;
  /** The Content-Type of `text()`. */
  readonly contentType: string;
  /** The exposition for GET /metrics. Never rejects because one of the reads failed. */
  text(): Promise<string>;
  /** Resolves when the stage timings of every order seen so far have been read and recorded. */
  idle(): Promise<void>;
  /** Stops listening to the bus; the registry keeps what it has. */
  stop(): void;
}

export const DEFAULT_COLLECT_TIMEOUT_MS = 2000;

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  const families = eventFamilies(registry);
  const recorder = new EventRecorder(families);

  const pending = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    const done = () => pending.delete(p);
    p.then(done, done);
    return p;
  };
  const recordError = (collector: string, error: unknown) => {
    collectErrors.inc({ collector });
    options.onCollectError?.(collector, describeError(error));
  };
  const guard = readGuard({
    timeoutMs: options.collectTimeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS,
    onError: recordError,
  });

  scrapeFamilies(
    registry,
    {
      health: options.health,
      pnl: options.pnl,
      badMessages: options.wire?.badMessages ?? badMessagesTotal,
      reconnects: options.wire?.reconnects ?? reconnectsTotal,
    },
    (collector, read) => track(guard(collector, read)),
  );
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'polyhunter_' });
  // Registered last: the registry collects in registration order, so by the time this one is
  // collected every read of the same scrape has started, and its failures show in that scrape.
  const collectErrors = new Counter({
    name: 'polyhunter_metrics_collect_errors_total',
    help: 'Reads for /metrics (health, pnl, wire counters, order stage timings) that failed or timed out',
    labelNames: ['collector'] as const,
    registers: [registry],
    collect: async () => {
      await Promise.all(pending);
    },
  });

  let stopped = false;
  const readStages = options.orderStages;
  const unsubscribe = [
    options.bus.on('leader.sighting', (e) => recorder.sighting(e)),
    options.bus.on('copy.decision', (e) => recorder.decision(e)),
    options.bus.on('order.done', (e) => {
      const mode = recorder.order(e);
      if (mode === null) return;
      const carried = stageMicrosOf(e);
      if (carried !== undefined) {
        recorder.stages(carried, mode);
        return;
      }
      if (readStages === undefined) return;
      void track(
        guard('order_stages', () => readStages(e.orderId)).then((stages) => {
          if (stages && !stopped) recorder.stages(stages, mode);
        }),
      );
    }),
  ];

  return {
    registry,
    contentType: registry.contentType,
    text: () => registry.metrics(),
    async idle() {
      while (pending.size > 0) await Promise.all(pending);
    },
    stop() {
      stopped = true;
      for (const off of unsubscribe.splice(0)) off();
    },
  };
}
