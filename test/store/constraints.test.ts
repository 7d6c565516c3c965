import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_MODES,
  type Database,
  FILL_PRICE_SOURCES,
  FILL_STATUSES,
  FOLLOW_DIRECTIONS,
  LEADER_ROLES,
  ORDER_STATUSES,
  ORDER_TYPES,
  SIDES,
  SIGNATURE_TYPES,
  STARTUP_MODES,
  TRADE_SOURCES,
} from '../../src/store/index.ts';
import { forEachEngine, openTestStore, type TestStore } from '../support/engines.ts';
import {
  account,
  address,
  fill,
  followConfig,
  insertAccount,
  insertOrder,
  leaderPosition,
  leaderTrade,
  market,
  order,
  position,
} from './fixtures.ts';

const UNIQUE = /UNIQUE constraint failed|duplicate key value violates unique constraint/;
const CHECK = (name: string) =>
  new RegExp(`CHECK constraint failed: ${name}|violates check constraint "${name}"`);
const ANY_CHECK = /CHECK constraint failed|violates check constraint/;
const FOREIGN_KEY = /FOREIGN KEY constraint failed|violates foreign key constraint/;
const MAX = Number.MAX_SAFE_INTEGER;

/** A value the row types forbid, for proving the database forbids it too. */
const invalid = <T>(value: unknown) => value as T;

forEachEngine('schema constraints', (engine) => {
  let t: TestStore;
  let db: Kysely<Database>;
  let accountId: number;
  beforeAll(async () => {
    t = await openTestStore(engine);
    db = t.store.db;
    accountId = await insertAccount(db);
  });
  afterAll(async () => {
    await t.dispose();
  });

  describe('unique constraints', () => {
    it('leader_trades.canonical_key: a trade is stored once', async () => {
      const row = leaderTrade();
      await db.insertInto('leader_trades').values(row).execute();
      await expect(
        db
          .insertInto('leader_trades')
          .values({ ...row, first_source: 'rtds' })
          .execute(),
      ).rejects.toThrow(UNIQUE);
      const ignored = await db
        .insertInto('leader_trades')
        .values({ ...row, first_source: 'chain' })
        .onConflict((oc) => oc.column('canonical_key').doNothing())
        .returning('id')
        .execute();
      expect(ignored).toEqual([]);
      const stored = await db
        .selectFrom('leader_trades')
        .select('first_source')
        .where('canonical_key', '=', row.canonical_key)
        .execute();
      expect(stored).toEqual([{ first_source: 'api' }]);
    });

    it('orders.idempotency_key: one copy order per key', async () => {
      const row = order(accountId);
      await db.insertInto('orders').values(row).execute();
      await expect(db.insertInto('orders').values(row).execute()).rejects.toThrow(UNIQUE);
      const ignored = await db
        .insertInto('orders')
        .values(row)
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returning('id')
        .execute();
      expect(ignored).toEqual([]);
    });

    it('leader_positions: one row per leader and token', async () => {
      const row = leaderPosition();
      await db.insertInto('leader_positions').values(row).execute();
      await expect(db.insertInto('leader_positions').values(row).execute()).rejects.toThrow(UNIQUE);
      const ignored = await db
        .insertInto('leader_positions')
        .values(row)
        .onConflict((oc) => oc.columns(['leader_address', 'token_id']).doNothing())
        .returning('id')
        .execute();
      expect(ignored).toEqual([]);
      // Either half alone is free.
      await db
        .insertInto('leader_positions')
        .values({ ...row, leader_address: address(2) })
        .execute();
      await db
        .insertInto('leader_positions')
        .values({ ...row, token_id: `${row.token_id}-other` })
        .execute();
    });

    it('positions: one row per account and token', async () => {
      const row = position(accountId);
      await db.insertInto('positions').values(row).execute();
      await expect(db.insertInto('positions').values(row).execute()).rejects.toThrow(UNIQUE);
      const ignored = await db
        .insertInto('positions')
        .values(row)
        .onConflict((oc) => oc.columns(['account_id', 'token_id']).doNothing())
        .returning('id')
        .execute();
      expect(ignored).toEqual([]);
    });

    it('follow_configs: one configuration per account and leader', async () => {
      const row = followConfig(accountId);
      await db.insertInto('follow_configs').values(row).execute();
      await expect(
        db
          .insertInto('follow_configs')
          .values({ ...row, sizing_mode: 'proportional' })
          .execute(),
      ).rejects.toThrow(UNIQUE);
      const ignored = await db
        .insertInto('follow_configs')
        .values(row)
        .onConflict((oc) => oc.columns(['account_id', 'leader_address']).doNothing())
        .returning('id')
        .execute();
      expect(ignored).toEqual([]);
    });

    it('fills: one row per order and venue trade', async () => {
      const orderId = await insertOrder(db, accountId);
      const row = fill(orderId, accountId);
      await db.insertInto('fills').values(row).execute();
      await expect(db.insertInto('fills').values(row).execute()).rejects.toThrow(UNIQUE);
    });

    it('leaders.address and accounts.name', async () => {
      const leader = { address: address(77), created_at: 1, updated_at: 1 };
      await db.insertInto('leaders').values(leader).execute();
      await expect(db.insertInto('leaders').values(leader).execute()).rejects.toThrow(UNIQUE);
      const acct = account();
      await db.insertInto('accounts').values(acct).execute();
      await expect(
        db
          .insertInto('accounts')
          .values({ ...acct, address: address(78) })
          .execute(),
      ).rejects.toThrow(UNIQUE);
    });
  });

  describe('check constraints', () => {
    it('reject an unknown order status, side or type', async () => {
      await expect(
        db
          .insertInto('orders')
          .values(order(accountId, { status: invalid('BOGUS') }))
          .execute(),
      ).rejects.toThrow(CHECK('orders_status_check'));
      await expect(
        db
          .insertInto('orders')
          .values(order(accountId, { side: invalid('HOLD') }))
          .execute(),
      ).rejects.toThrow(CHECK('orders_side_check'));
      await expect(
        db
          .insertInto('orders')
          .values(order(accountId, { order_type: invalid('IOC') }))
          .execute(),
      ).rejects.toThrow(CHECK('orders_order_type_check'));
    });

    it('reject an unknown status on an update too', async () => {
      const id = await insertOrder(db, accountId);
      await expect(
        db
          .updateTable('orders')
          .set({ status: invalid('DONE') })
          .where('id', '=', id)
          .execute(),
      ).rejects.toThrow(CHECK('orders_status_check'));
    });

    it('reject bad leader trade fields', async () => {
      const bad: [Partial<Parameters<typeof leaderTrade>[0]>, RegExp][] = [
        [{ side: invalid('HOLD') }, CHECK('leader_trades_side_check')],
        [{ leader_role: invalid('both') }, CHECK('leader_trades_leader_role_check')],
        [{ first_source: invalid('twitter') }, CHECK('leader_trades_first_source_check')],
        [{ price: 1_000_001 }, CHECK('leader_trades_price_check')],
        [{ size: 0 }, CHECK('leader_trades_size_check')],
        [{ leader_address: `0x${'Ab'.repeat(20)}` }, CHECK('leader_trades_leader_address_check')],
        [{ is_backfill: invalid(2) }, ANY_CHECK],
      ];
      for (const [overrides, error] of bad) {
        await expect(db.insertInto('leader_trades').values(leaderTrade(overrides)).execute()).rejects.toThrow(
          error,
        );
      }
    });

    it('reject bad fill, account, leader and follow configuration values', async () => {
      const orderId = await insertOrder(db, accountId);
      await expect(
        db
          .insertInto('fills')
          .values(fill(orderId, accountId, { status: invalid('SETTLED') }))
          .execute(),
      ).rejects.toThrow(CHECK('fills_status_check'));
      await expect(
        db
          .insertInto('fills')
          .values(fill(orderId, accountId, { price_source: invalid('guess') }))
          .execute(),
      ).rejects.toThrow(CHECK('fills_price_source_check'));
      await expect(
        db
          .insertInto('accounts')
          .values(account({ signature_type: invalid(4) }))
          .execute(),
      ).rejects.toThrow(CHECK('accounts_signature_type_check'));
      await expect(
        db
          .insertInto('accounts')
          .values(account({ mode: invalid('real') }))
          .execute(),
      ).rejects.toThrow(CHECK('accounts_mode_check'));
      await expect(
        db
          .insertInto('leaders')
          .values({ address: address(90), startup_mode: invalid('hot'), created_at: 1, updated_at: 1 })
          .execute(),
      ).rejects.toThrow(CHECK('leaders_startup_mode_check'));
      await expect(
        db
          .insertInto('follow_configs')
          .values(followConfig(accountId, { direction: invalid('mirror') }))
          .execute(),
      ).rejects.toThrow(CHECK('follow_configs_direction_check'));
    });

    it('accept every value the schema types list', async () => {
      for (const status of ORDER_STATUSES) {
        for (const side of SIDES) {
          await db.insertInto('orders').values(order(accountId, { status, side })).execute();
        }
      }
      for (const order_type of ORDER_TYPES) {
        await db.insertInto('orders').values(order(accountId, { order_type })).execute();
      }
      const orderId = await insertOrder(db, accountId);
      for (const status of FILL_STATUSES) {
        for (const price_source of FILL_PRICE_SOURCES) {
          await db
            .insertInto('fills')
            .values(fill(orderId, accountId, { status, price_source }))
            .execute();
        }
      }
      for (const first_source of TRADE_SOURCES) {
        for (const leader_role of [...LEADER_ROLES, null]) {
          await db.insertInto('leader_trades').values(leaderTrade({ first_source, leader_role })).execute();
        }
      }
      for (const [i, startup_mode] of STARTUP_MODES.entries()) {
        await db
          .insertInto('leaders')
          .values({ address: address(100 + i), startup_mode, created_at: 1, updated_at: 1 })
          .execute();
      }
      for (const mode of ACCOUNT_MODES) {
        for (const signature_type of SIGNATURE_TYPES) {
          await db.insertInto('accounts').values(account({ mode, signature_type })).execute();
        }
      }
      for (const direction of FOLLOW_DIRECTIONS) {
        await db.insertInto('follow_configs').values(followConfig(accountId, { direction })).execute();
      }
    });
  });

  describe('integers', () => {
    it('round-trip micro values up to Number.MAX_SAFE_INTEGER exactly, as numbers', async () => {
      const trade = leaderTrade({
        size: MAX,
        usdc_size: MAX,
        fee: MAX - 1,
        block_number: MAX,
        trade_at: MAX,
      });
      const inserted = await db
        .insertInto('leader_trades')
        .values(trade)
        .returningAll()
        .executeTakeFirstOrThrow();
      expect(inserted.id).toBeTypeOf('number');
      const read = await db
        .selectFrom('leader_trades')
        .selectAll()
        .where('id', '=', inserted.id)
        .executeTakeFirstOrThrow();
      expect(read).toMatchObject({
        size: MAX,
        usdc_size: MAX,
        fee: MAX - 1,
        block_number: MAX,
        trade_at: MAX,
      });
      expect(read.size).toBeTypeOf('number');

      const pos = await db
        .insertInto('positions')
        .values(position(accountId, { shares: MAX, cost: MAX, realized_pnl: -MAX }))
        .returning(['shares', 'cost', 'realized_pnl'])
        .executeTakeFirstOrThrow();
      expect(pos).toEqual({ shares: MAX, cost: MAX, realized_pnl: -MAX });

      const timed = await db
        .insertInto('orders')
        .values(order(accountId, { prewrite_us: MAX, persistence_us: 1, limit_price: 1_000_000 }))
        .returning(['prewrite_us', 'persistence_us', 'limit_price'])
        .executeTakeFirstOrThrow();
      expect(timed).toEqual({ prewrite_us: MAX, persistence_us: 1, limit_price: 1_000_000 });
    });

    it('refuse a fractional micro value', async () => {
      await expect(
        db
          .insertInto('leader_trades')
          .values(leaderTrade({ size: 1.5 }))
          .execute(),
      ).rejects.toThrow(/REAL value in INTEGER column|invalid input syntax for type bigint/);
    });

    it('throw on reading an integer beyond the safe range instead of rounding it', async () => {
      const big = engine === 'postgres' ? sql`9007199254740993::bigint` : sql`9007199254740993`;
      await expect(sql`select ${big} as n`.execute(db)).rejects.toThrow(/beyond the safe integer range/);
      const small = engine === 'postgres' ? sql`(-9007199254740993)::bigint` : sql`-9007199254740993`;
      await expect(sql`select ${small} as n`.execute(db)).rejects.toThrow(/beyond the safe integer range/);
    });

    it('return count(*) as a number on both engines', async () => {
      const row = await db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(row.n).toBeTypeOf('number');
      expect(row.n).toBeGreaterThan(0);
    });
  });

  describe('foreign keys', () => {
    it('are enforced', async () => {
      await expect(
        db
          .insertInto('tokens')
          .values({
            token_id: 't-orphan',
            condition_id: '0xmissing',
            outcome: 'Yes',
            outcome_index: 0,
            updated_at: 1,
          })
          .execute(),
      ).rejects.toThrow(FOREIGN_KEY);
      await expect(db.insertInto('orders').values(order(999_999)).execute()).rejects.toThrow(FOREIGN_KEY);
    });

    it('cascade from a market to its tokens and from a trade to its raw payload', async () => {
      const m = market();
      await db.insertInto('markets').values(m).execute();
      await db
        .insertInto('tokens')
        .values({
          token_id: `${m.condition_id}-yes`,
          condition_id: m.condition_id,
          outcome: 'Yes',
          outcome_index: 0,
          updated_at: 1,
        })
        .execute();
      await db.deleteFrom('markets').where('condition_id', '=', m.condition_id).execute();
      expect(
        await db.selectFrom('tokens').where('condition_id', '=', m.condition_id).selectAll().execute(),
      ).toEqual([]);

      const trade = await db
        .insertInto('leader_trades')
        .values(leaderTrade())
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('trade_raw')
        .values({ leader_trade_id: trade.id, source: 'api', payload: '{"raw":true}', received_at: 1 })
        .execute();
      await db.deleteFrom('leader_trades').where('id', '=', trade.id).execute();
      expect(
        await db.selectFrom('trade_raw').where('leader_trade_id', '=', trade.id).selectAll().execute(),
      ).toEqual([]);
    });
  });
});
