/**
 * Valid rows for each table, unique on every call, with overrides for the field under test.
 */
import type { Insertable, Kysely } from 'kysely';
import type {
  AccountsTable,
  Database,
  FillsTable,
  FollowConfigsTable,
  LeaderPositionsTable,
  LeaderTradesTable,
  MarketsTable,
  OrdersTable,
  PositionsTable,
} from '../../src/store/index.ts';

const NOW = 1_760_000_000_000;
let counter = 0;
const next = () => ++counter;

export const address = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;

export function market(overrides: Partial<Insertable<MarketsTable>> = {}): Insertable<MarketsTable> {
  return {
    condition_id: `0xcond${next()}`,
    question: 'Will it rain?',
    tick_size: 10_000,
    min_size: 5_000_000,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function leaderTrade(
  overrides: Partial<Insertable<LeaderTradesTable>> = {},
): Insertable<LeaderTradesTable> {
  const n = next();
  return {
    canonical_key: `trade-${n}`,
    leader_address: address(1),
    condition_id: '0xcond',
    token_id: '1234567890123456789012345678901234567890',
    side: 'BUY',
    price: 550_000,
    size: 10_000_000,
    usdc_size: 5_500_000,
    trade_at: NOW,
    first_source: 'api',
    first_seen_api_at: NOW + 10,
    created_at: NOW + 10,
    ...overrides,
  };
}

export function account(overrides: Partial<Insertable<AccountsTable>> = {}): Insertable<AccountsTable> {
  const n = next();
  return {
    name: `account-${n}`,
    address: address(1000 + n),
    signature_type: 0,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export async function insertAccount(db: Kysely<Database>): Promise<number> {
  const row = await db.insertInto('accounts').values(account()).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function order(
  accountId: number,
  overrides: Partial<Insertable<OrdersTable>> = {},
): Insertable<OrdersTable> {
  return {
    idempotency_key: `idem-${next()}`,
    account_id: accountId,
    origin: 'copy',
    condition_id: '0xcond',
    token_id: '42',
    side: 'BUY',
    order_type: 'FOK',
    limit_price: 560_000,
    size: 10_000_000,
    is_paper: 1,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export async function insertOrder(db: Kysely<Database>, accountId: number): Promise<number> {
  const row = await db
    .insertInto('orders')
    .values(order(accountId))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function fill(
  orderId: number,
  accountId: number,
  overrides: Partial<Insertable<FillsTable>> = {},
): Insertable<FillsTable> {
  return {
    order_id: orderId,
    account_id: accountId,
    venue_trade_id: `venue-${next()}`,
    token_id: '42',
    side: 'BUY',
    price: 560_000,
    size: 10_000_000,
    price_source: 'book',
    status: 'MATCHED',
    is_paper: 1,
    filled_at: NOW,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function followConfig(
  accountId: number,
  overrides: Partial<Insertable<FollowConfigsTable>> = {},
): Insertable<FollowConfigsTable> {
  return {
    account_id: accountId,
    leader_address: address(5000 + next()),
    sizing_mode: 'fixed',
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function leaderPosition(
  overrides: Partial<Insertable<LeaderPositionsTable>> = {},
): Insertable<LeaderPositionsTable> {
  return {
    leader_address: address(1),
    token_id: `token-${next()}`,
    shares: 1_000_000,
    updated_at: NOW,
    ...overrides,
  };
}

export function position(
  accountId: number,
  overrides: Partial<Insertable<PositionsTable>> = {},
): Insertable<PositionsTable> {
  return {
    account_id: accountId,
    token_id: `token-${next()}`,
    shares: 1_000_000,
    cost: 550_000,
    updated_at: NOW,
    ...overrides,
  };
}
