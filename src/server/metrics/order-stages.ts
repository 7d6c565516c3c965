/**
 * An order's stage timings as the order manager stored them on its row. The `order.done` event
 * does not carry them, so the metrics read them once per order, after the order manager has
 * written its final state.
 */
import { orderById, type Store } from '../../store/index.ts';
import type { StageMicros } from './events.ts';

export function orderStagesFromStore(store: Store): (orderId: number) => Promise<StageMicros | null> {
  return async (orderId) => {
    const row = await orderById(store.db, orderId);
    if (row === undefined) return null;
    return {
      prewrite: row.prewrite_us,
      risk: row.risk_us,
      pricing: row.pricing_us,
      preflight: row.preflight_us,
      execution: row.execution_us,
      persistence: row.persistence_us,
    };
  };
}
