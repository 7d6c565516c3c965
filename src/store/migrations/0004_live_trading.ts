/**
 * Live trading:
 * - orders.signed_order: the signed order exactly as posted (JSON), written with its hash before
 *   the first byte is sent. After a crash, an order the venue does not know is posted again as the
 *   very same signed order: the venue keys orders by hash, so this can never make a second order.
 * - trading.mode leaves the runtime settings: live trading is switched on in the config file (and
 *   confirmed at start), never by a database edit from the dashboard or Telegram.
 */
import type { StoreMigration } from './types.ts';

export const liveTrading: StoreMigration = {
  name: '0004_live_trading',
  async up(db) {
    await db.schema.alterTable('orders').addColumn('signed_order', 'text').execute();
    await (db as import('kysely').Kysely<{ settings: { key: string } }>)
      .deleteFrom('settings')
      .where('key', '=', 'trading.mode')
      .execute();
  },
};
