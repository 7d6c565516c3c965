/**
 * The observe path: one event in, a few counter increments and histogram observations out. Runs
 * synchronously in the bus's emit, so it does no I/O and allocates little.
 */
import { TRADE_SOURCES } from '../../copy/sighting.ts';
import type { OrderOutcome } from '../../execution/order-manager.ts';
import { ORDER_STATUSES } from '../../store/index.ts';
import { isLiveOrder, type MetricsEvents, ORDER_STAGES, type StageMicros } from './events.ts';
import type { EventFamilies, Mode } from './families.ts';
import { BoundedLabel, oneOf } from './labels.ts';

const SIGHTING_OUTCOMES = ['new', 'grew', 'seen', 'retracted', 'unknown', 'unresolved'] as const;

/** Reason codes are a closed set in each component (planner, risk, preflight), but a venue's are not. */
const MAX_REASONS = 64;

export class EventRecorder {
  readonly #f: EventFamilies;
  readonly #reasons = new BoundedLabel(MAX_REASONS);

  constructor(families: EventFamilies) {
    this.#f = families;
  }

  sighting(e: MetricsEvents['leader.sighting']): void {
    const { outcome, sighting } = e;
    const source = oneOf(TRADE_SOURCES, sighting.source);
    this.#f.sightings.inc({ source, outcome: oneOf(SIGHTING_OUTCOMES, outcome.status) });
    if (outcome.status !== 'new' && outcome.status !== 'seen' && outcome.status !== 'grew') return;
    // 'grew' says whether it was this source's first sighting only once ingest reports it.
    const firstForSource =
      outcome.status === 'new' ||
      ((outcome.status === 'grew' || outcome.status === 'seen') && outcome.firstForSource);
    if (!firstForSource) return;
    this.#f.tradesSeen.inc({ source, first: outcome.status === 'new' ? 'true' : 'false' });
    if (sighting.kind !== 'fill' || sighting.isBackfill) return;
    // Measured from the stored trade's time, so that every source is timed from the same instant.
    const lagMs = sighting.seenAtMs - outcome.trade.tradeAt;
    this.#f.sourceLag.observe({ source }, Math.max(0, lagMs) / 1000);
  }

  decision(e: MetricsEvents['copy.decision']): void {
    if (e.decision === 'skip') {
      this.#f.decisions.inc({ decision: 'skip' });
      this.#f.refusals.inc({ kind: 'skip', reason: this.#reasons.of(e.reason) });
      return;
    }
    // As stored: a copy the risk gate or preflight turned down is a refused decision (its
    // reasons are counted from its order.done, with every order's).
    const refused = e.outcome.kind === 'refused' || e.outcome.kind === 'rejected';
    this.#f.decisions.inc({ decision: refused ? 'refused' : 'copy' });
  }

  /** Counts the order; returns its mode, or null for a duplicate (no new order). */
  order(e: MetricsEvents['order.done']): Mode | null {
    const status = statusOf(e.outcome);
    if (status === null) return null;
    const mode: Mode = isLiveOrder(e) ? 'live' : 'paper';
    this.#f.orders.inc({ status: oneOf(ORDER_STATUSES, status), mode });
    const { outcome } = e;
    if (outcome.kind === 'refused') {
      for (const r of outcome.refusals)
        this.#f.refusals.inc({ kind: 'risk', reason: this.#reasons.of(r.code) });
    } else if (outcome.kind === 'rejected') {
      this.#f.refusals.inc({ kind: 'reject', reason: this.#reasons.of(outcome.code) });
    }
    return mode;
  }

  stages(stages: StageMicros, mode: Mode): void {
    for (const stage of ORDER_STAGES) {
      const us = stages[stage];
      if (typeof us !== 'number' || !Number.isFinite(us) || us < 0) continue;
      this.#f.orderStage.observe({ stage, mode }, us / 1e6);
    }
  }
}

/** The order's status as the order manager left it (see its #stages and #sendLive); null for a duplicate. */
export function statusOf(outcome: OrderOutcome): string | null {
  switch (outcome.kind) {
    case 'duplicate':
      return null;
    case 'executed':
      return outcome.status;
    case 'refused':
    case 'rejected':
      return 'REJECTED';
    case 'failed':
      return 'FAILED';
    case 'submitted':
      return outcome.venueStatus === 'matched' ? 'FILLED' : 'LIVE';
    case 'unknown':
      return 'SUBMITTED';
  }
}
