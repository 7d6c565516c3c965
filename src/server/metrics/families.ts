/**
 * The metric families fed by events: leader sightings, source lag, order stages and outcomes,
 * copy decisions and refusals. Times are in seconds (Prometheus' base unit); the bucket bounds
 * cover what each path takes, from a paper stage's tens of microseconds to an API poller's
 * seconds of lag.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { TRADE_SOURCES } from '../../copy/sighting.ts';
import { COPY_DECISIONS } from '../../store/index.ts';
import { ORDER_STAGES } from './events.ts';

/** From a trade's venue time to a source's first sighting of it: sub-second (RTDS) to a poll period or more. */
export const LAG_BUCKETS_SECONDS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 15, 30, 60, 120, 300];

/** One stage of one order: a paper stage is tens of microseconds, a live submit hundreds of milliseconds. */
export const STAGE_BUCKETS_SECONDS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export const MODES = ['paper', 'live'] as const;
export type Mode = (typeof MODES)[number];

/** Where a copy stopped: the planner or copier skipped it, the risk gate refused it, preflight or the venue rejected it. */
export const REFUSAL_KINDS = ['skip', 'risk', 'reject'] as const;

export function eventFamilies(registry: Registry) {
  const registers = [registry];
  const families = {
    sightings: new Counter({
      name: 'polyhunter_leader_sightings_total',
      help: 'Leader-trade sightings handed to ingest, by source and ingest outcome (new, grew, seen, retracted, unknown, unresolved)',
      labelNames: ['source', 'outcome'] as const,
      registers,
    }),
    tradesSeen: new Counter({
      name: 'polyhunter_leader_trades_seen_total',
      help: 'Distinct leader trades seen by each source (counted at its first sighting of the trade); first="true" when that source saw the trade before every other',
      labelNames: ['source', 'first'] as const,
      registers,
    }),
    sourceLag: new Histogram({
      name: 'polyhunter_source_lag_seconds',
      help: "Seconds from a leader trade's venue time to each source's first sighting of it (live trades only, not backfill)",
      labelNames: ['source'] as const,
      buckets: LAG_BUCKETS_SECONDS,
      registers,
    }),
    orderStage: new Histogram({
      name: 'polyhunter_order_stage_seconds',
      help: 'Seconds each order spent in each order-manager stage (prewrite, risk, pricing, preflight, execution, persistence)',
      labelNames: ['stage', 'mode'] as const,
      buckets: STAGE_BUCKETS_SECONDS,
      registers,
    }),
    orders: new Counter({
      name: 'polyhunter_orders_total',
      help: 'Orders by the status the order manager left them in (a resting GTC is LIVE), and paper or live',
      labelNames: ['status', 'mode'] as const,
      registers,
    }),
    decisions: new Counter({
      name: 'polyhunter_copy_decisions_total',
      help: 'Copy decisions, one per follow and leader trade, as stored: copy, skip (the planner), refused (the risk gate or preflight turned the order down)',
      labelNames: ['decision'] as const,
      registers,
    }),
    refusals: new Counter({
      name: 'polyhunter_refusals_total',
      help: 'Reasons an order was not made or not taken: kind="skip" (copy planner), "risk" (risk gate, one per reason), "reject" (preflight or venue)',
      labelNames: ['kind', 'reason'] as const,
      registers,
    }),
  };
  // Known series start at 0, so a rate over the first increments is right and panels are not empty.
  for (const source of TRADE_SOURCES) {
    families.tradesSeen.inc({ source, first: 'true' }, 0);
    families.tradesSeen.inc({ source, first: 'false' }, 0);
    families.sourceLag.zero({ source });
  }
  for (const stage of ORDER_STAGES) {
    for (const mode of MODES) families.orderStage.zero({ stage, mode });
  }
  for (const decision of COPY_DECISIONS) families.decisions.inc({ decision }, 0);
  return families;
}

export type EventFamilies = ReturnType<typeof eventFamilies>;
