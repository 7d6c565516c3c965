/** The events the metrics listen to: three of the running app's (src/copy/events.ts). */
import type { CopyTradingEvents } from '../../copy/events.ts';
import type { EventBus } from '../../core/events.ts';
import type { OrderEvent } from '../../execution/order-manager.ts';

export type MetricsEvents = Pick<CopyTradingEvents, 'leader.sighting' | 'copy.decision' | 'order.done'>;

/** All the metrics need of a bus: subscribing (each subscription returns its unsubscribe). */
export type MetricsBus = Pick<EventBus<MetricsEvents>, 'on'>;

export const ORDER_STAGES = ['prewrite', 'risk', 'pricing', 'preflight', 'execution', 'persistence'] as const;
export type OrderStage = (typeof ORDER_STAGES)[number];

/** Microseconds spent in each stage of one order, as the order manager records them. */
export type StageMicros = Partial<Record<OrderStage, number | null>>;

/** Whether the order went to the venue (a paper order's intent has no `live` or false). */
export function isLiveOrder(event: OrderEvent): boolean {
  return event.intent.live === true;
}

/** Stage timings carried on the event itself, when the order manager puts them there. */
export function stageMicrosOf(event: OrderEvent): StageMicros | undefined {
  const value = (event as { stageUs?: unknown }).stageUs;
  return typeof value === 'object' && value !== null ? (value as StageMicros) : undefined;
}
