/**
 * The events a running PolyHunter publishes on its bus, for every face that watches it: the
 * terminal, the HTTP stream, metrics and Telegram. One definition, so no face drifts.
 */
import type { PolyHunterEvents } from '../core/events.ts';
import type { OrderEvent } from '../execution/order-manager.ts';
import type { CopyDecisionEvent } from './copier.ts';
import type { IngestOutcome } from './ingest/index.ts';
import type { LeaderSighting } from './sighting.ts';

export type CopyTradingEvents = PolyHunterEvents & {
  /** Every ingest outcome: a new trade, a later source's sighting of it, a growth or retraction. */
  'leader.sighting': { outcome: IngestOutcome; sighting: LeaderSighting; at: number };
  'copy.decision': CopyDecisionEvent;
  'order.done': OrderEvent;
};
