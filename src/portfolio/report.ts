/**
 * Positions and PnL as every face sees them. The CLI (`polyhunter positions`, `pnl`,
 * `reset-paper`), the dashboard and Telegram call these functions and never read the ledger
 * tables themselves, so "what is a position worth" and "what does a reset remove" are answered
 * in one place.
 *
 * The accounting is the pure code beside this file (average cost, summarize); this module only
 * reads rows, asks for marks and shapes plain data. Marks come in as a function so a test can
 * pass fixed prices and the CLI the current book mids (book-marks.ts); a token without a mark is
 * shown unpriced, never at a guessed price. Every amount is an integer in micro-units.
 */
import type { Kysely, Transaction } from 'kysely';
import { ValidationError } from '../core/errors.ts';
import { MICRO, type Price, type Usdc } from '../core/money.ts';
import { positionFromRow } from '../execution/ledger.ts';
import {
  type Account,
  type AccountMode,
  accountsRepo,
  auditRepo,
  type Database,
  type PositionRow,
  type Store,
} from '../store/index.ts';
import { averageCost } from './position.ts';
import { summarize } from './summary.ts';
import { marketValue } from './valuation.ts';

/** The current mid of each token asked for; null (or missing) when it cannot be priced now. */
export type Marks = (tokenIds: readonly string[]) => Promise<ReadonlyMap<string, Price | null>>;

/**
 * `open`: shares held in a trading market. `closed`: sold out, nothing held. `resolved`: the market
 * resolved and the payout is not yet redeemed (the PnL is realized, the claim is in equity).
 * `redeemed`: resolved and paid out.
 */
export type PositionStatus = 'open' | 'closed' | 'resolved' | 'redeemed';

/** How a resolved position ended: paid 1 a share, 0, or anything between (a 50-50 resolution). */
export type PositionResult = 'won' | 'lost' | 'split';

export interface AccountRef {
  id: number;
  name: string;
  mode: AccountMode;
}

export interface PositionLine {
  account: string;
  accountId: number;
  mode: AccountMode;
  tokenId: string;
  /** Null when the catalog has not stored the token's market. */
  conditionId: string | null;
  question: string | null;
  outcome: string | null;
  status: PositionStatus;
  result: PositionResult | null;
  shares: number;
  /** Cost per share, buy fees included; null unless open (a resolution rebases the cost). */
  avgCost: number | null;
  /** Cost basis of the shares held; once resolved, the payout they redeem for. */
  cost: number;
  /** The book mid; null when unpriced or not open. */
  mark: number | null;
  /** Shares at the mark (open), the payout (resolved), 0 (closed, redeemed); null when unpriced. */
  marketValue: number | null;
  /** marketValue - cost; null when unpriced, 0 once resolved (it is all realized then). */
  unrealized: number | null;
  /** PnL realized by sells and resolution, signed. */
  realized: number;
  /** Payout per share the market resolved at (1_000_000 won, 0 lost). */
  resolvedPayout: number | null;
  resolvedAt: number | null;
  redeemedAt: number | null;
  updatedAt: number;
}

export interface PositionsReport {
  accounts: AccountRef[];
  positions: PositionLine[];
}

export interface AccountPnl extends AccountRef {
  cash: number;
  startingCash: number;
  /** Realized PnL of every position, closed ones included. */
  realized: number;
  /** Of the open positions that have a mark. */
  unrealized: number;
  /** equity - starting cash. */
  total: number;
  /** cash + open positions at their mark (at cost when unpriced) + resolved payouts. */
  equity: number;
  /** Cost basis of the open positions. */
  exposure: number;
  /** Resolved payouts not yet redeemed (in equity, not yet in cash). */
  redeemable: number;
  openPositions: number;
  /** Tokens held without a mark: valued at cost, so they add nothing to unrealized. */
  unpriced: string[];
  feesPaid: number;
  fills: number;
  /** Realized by fills (sells) since the start of the UTC day; resolutions are not fills. */
  realizedToday: number;
}

export interface PnlReport {
  at: number;
  /** Start of the UTC day `realizedToday` counts from (epoch ms). */
  dayStart: number;
  accounts: AccountPnl[];
}

export interface ReportOptions {
  /** Account name; every account when absent. */
  account?: string;
  marks: Marks;
}

export interface PositionsOptions extends ReportOptions {
  /** Also list closed and redeemed positions (default: only what is still held). */
  includeClosed?: boolean;
}

export interface PnlOptions extends ReportOptions {
  /** Epoch ms; default now. Fixes the day `realizedToday` covers. */
  now?: number;
}

const DAY_MS = 86_400_000;

export async function positionsReport(store: Store, options: PositionsOptions): Promise<PositionsReport> {
  const accounts = await accountsNamed(store, options.account);
  const rows = await positionRows(store, accounts);
  const marks = await marksFor(options.marks, rows);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const positions = rows
    .map((r) => positionLine(r, byId.get(r.account_id)!, marks))
    .filter((p) => options.includeClosed === true || p.status === 'open' || p.status === 'resolved')
    .sort((a, b) => a.accountId - b.accountId || STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
  return { accounts: accounts.map(refOf), positions };
}

export async function pnlReport(store: Store, options: PnlOptions): Promise<PnlReport> {
  const at = options.now ?? Date.now();
  const dayStart = at - (at % DAY_MS);
  const accounts = await accountsNamed(store, options.account);
  const rows = await positionRows(store, accounts);
  const marks = await marksFor(options.marks, rows);
  const stats = await fillStats(store, accounts, dayStart);
  return {
    at,
    dayStart,
    accounts: accounts.map((a) => {
      const mine = rows.filter((r) => r.account_id === a.id);
      const s = summarize(mine.map(positionFromRow), marks, a.cash as Usdc, a.startingCash as Usdc);
      const f = stats.get(a.id);
      return {
        ...refOf(a),
        cash: a.cash,
        startingCash: a.startingCash,
        realized: s.realized,
        unrealized: s.unrealized,
        total: s.total,
        equity: s.equity,
        exposure: s.exposure,
        redeemable: s.redeemable,
        openPositions: mine.filter((r) => statusOf(r) === 'open').length,
        unpriced: [...s.unpriced],
        feesPaid: f?.fees ?? 0,
        fills: f?.count ?? 0,
        realizedToday: f?.today ?? 0,
      };
    }),
  };
}

// --- reset -----------------------------------------------------------------------------------------

export interface PaperResetCounts {
  fills: number;
  orders: number;
  copyDecisions: number;
  guardrailEvents: number;
  positions: number;
}

export interface PaperReset {
  account: string;
  accountId: number;
  /** Cash before the reset. */
  cashBefore: number;
  /** Cash (and starting cash) after it. */
  cash: number;
  removed: PaperResetCounts;
}

export interface ResetPaperOptions {
  /** Account name; default "paper". */
  account?: string;
  /**
   * The current `trading.paper_starting_cash_usd` in micro-USDC (the database's value over the
   * file's), read by the caller as `follow add` does; the account starts over with it.
   */
  startingCashUsdc: number;
  now: number;
  /** Who asked, for the audit log: 'cli', 'dashboard', 'telegram:<chat>'. */
  actor: string;
}

export const DEFAULT_PAPER_ACCOUNT = 'paper';

/** What `resetPaper` would remove now, without changing anything (for a confirmation prompt). */
export async function previewResetPaper(
  store: Store,
  options: { account?: string; startingCashUsdc: number },
): Promise<PaperReset> {
  checkCash(options.startingCashUsdc);
  const account = await paperAccount(store.db, options.account);
  const count = async (q: { executeTakeFirst(): Promise<{ n: number | string | bigint } | undefined> }) =>
    Number((await q.executeTakeFirst())?.n ?? 0);
  const { db } = store;
  const ownOrders = db.selectFrom('orders').select('id').where('account_id', '=', account.id);
  return {
    account: account.name,
    accountId: account.id,
    cashBefore: account.cash,
    cash: options.startingCashUsdc,
    removed: {
      fills: await count(
        db
          .selectFrom('fills')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where((eb) => eb.or([eb('account_id', '=', account.id), eb('order_id', 'in', ownOrders)])),
      ),
      orders: await count(
        db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', account.id),
      ),
      copyDecisions: await count(
        db
          .selectFrom('copy_decisions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where((eb) => eb.or([eb('account_id', '=', account.id), eb('order_id', 'in', ownOrders)])),
      ),
      guardrailEvents: await count(
        db
          .selectFrom('guardrail_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', account.id),
      ),
      positions: await count(
        db
          .selectFrom('positions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', account.id),
      ),
    },
  };
}

/**
 * Starts a paper account over: deletes its fills, orders, copy decisions, guardrail events and
 * positions, and sets its cash and starting cash to `startingCashUsdc`, in one transaction with
 * its audit record. Follows, leaders and leader trades stay: the account keeps copying the same
 * leaders from a clean ledger. Refuses a live account (its ledger mirrors real trades) and an
 * unknown one.
 */
export async function resetPaper(store: Store, options: ResetPaperOptions): Promise<PaperReset> {
  checkCash(options.startingCashUsdc);
  const { now, actor, startingCashUsdc } = options;
  return store.db.transaction().execute(async (trx) => {
    const account = await paperAccount(trx, options.account);
    const id = account.id;
    const ownOrders = trx.selectFrom('orders').select('id').where('account_id', '=', id);
    // Children before parents: decisions and fills reference orders.
    const copyDecisions = await trx
      .deleteFrom('copy_decisions')
      .where((eb) => eb.or([eb('account_id', '=', id), eb('order_id', 'in', ownOrders)]))
      .executeTakeFirst();
    const fills = await trx
      .deleteFrom('fills')
      .where((eb) => eb.or([eb('account_id', '=', id), eb('order_id', 'in', ownOrders)]))
      .executeTakeFirst();
    const guardrailEvents = await trx
      .deleteFrom('guardrail_events')
      .where('account_id', '=', id)
      .executeTakeFirst();
    const orders = await trx.deleteFrom('orders').where('account_id', '=', id).executeTakeFirst();
    const positions = await trx.deleteFrom('positions').where('account_id', '=', id).executeTakeFirst();
    await trx
      .updateTable('accounts')
      .set({ cash: startingCashUsdc, starting_cash: startingCashUsdc, updated_at: now })
      .where('id', '=', id)
      .execute();
    const removed: PaperResetCounts = {
      fills: Number(fills.numDeletedRows),
      orders: Number(orders.numDeletedRows),
      copyDecisions: Number(copyDecisions.numDeletedRows),
      guardrailEvents: Number(guardrailEvents.numDeletedRows),
      positions: Number(positions.numDeletedRows),
    };
    await auditRepo(trx).append(
      {
        actor,
        action: 'paper.reset',
        subject: `account:${account.name}`,
        details: {
          cashBefore: account.cash,
          startingCashBefore: account.startingCash,
          cash: startingCashUsdc,
          removed: { ...removed },
        },
      },
      now,
    );
    return {
      account: account.name,
      accountId: id,
      cashBefore: account.cash,
      cash: startingCashUsdc,
      removed,
    };
  });
}

// --- reading ---------------------------------------------------------------------------------------

type Row = PositionRow & { condition_id: string | null; outcome: string | null; question: string | null };

const STATUS_ORDER: Record<PositionStatus, number> = { open: 0, resolved: 1, closed: 2, redeemed: 3 };

function refOf(a: Account): AccountRef {
  return { id: a.id, name: a.name, mode: a.mode };
}

async function accountsNamed(store: Store, name: string | undefined): Promise<Account[]> {
  const all = await accountsRepo(store.db).list();
  if (name === undefined) return all;
  const found = all.filter((a) => a.name === name);
  if (found.length === 0) throw unknownAccount(name, all);
  return found;
}

function unknownAccount(name: string, all: readonly Account[]): ValidationError {
  const known =
    all.length === 0 ? 'there are no accounts yet' : `accounts: ${all.map((a) => a.name).join(', ')}`;
  return new ValidationError(`no account named "${name}" (${known})`);
}

async function paperAccount(db: Kysely<Database> | Transaction<Database>, name?: string): Promise<Account> {
  const wanted = name ?? DEFAULT_PAPER_ACCOUNT;
  const repo = accountsRepo(db);
  const account = await repo.byName(wanted);
  if (account === undefined) throw unknownAccount(wanted, await repo.list());
  if (account.mode !== 'paper') {
    // A live account's ledger mirrors real trades on the venue; deleting it would only hide them.
    throw new ValidationError(`account "${wanted}" is a live account: only paper accounts can be reset`);
  }
  return account;
}

function checkCash(micro: number): void {
  if (!Number.isSafeInteger(micro) || micro < 0) {
    throw new ValidationError(`starting cash must be a whole number of micro-USDC, 0 or more, got ${micro}`);
  }
}

async function positionRows(store: Store, accounts: readonly Account[]): Promise<Row[]> {
  if (accounts.length === 0) return [];
  return store.db
    .selectFrom('positions')
    .leftJoin('tokens', 'tokens.token_id', 'positions.token_id')
    .leftJoin('markets', 'markets.condition_id', 'tokens.condition_id')
    .selectAll('positions')
    .select(['tokens.condition_id', 'tokens.outcome', 'markets.question'])
    .where(
      'positions.account_id',
      'in',
      accounts.map((a) => a.id),
    )
    .orderBy('positions.account_id')
    .orderBy('positions.id')
    .execute();
}

/** Marks for the open positions only: a resolved or empty position has nothing to price. */
async function marksFor(marks: Marks, rows: readonly Row[]): Promise<ReadonlyMap<string, Price | null>> {
  const tokens = [...new Set(rows.filter((r) => statusOf(r) === 'open').map((r) => r.token_id))];
  return tokens.length === 0 ? new Map() : marks(tokens);
}

function statusOf(r: PositionRow): PositionStatus {
  if (r.redeemed_at !== null) return 'redeemed';
  if (r.resolved_payout !== null) return 'resolved';
  return r.shares > 0 ? 'open' : 'closed';
}

function resultOf(payout: number | null): PositionResult | null {
  if (payout === null) return null;
  return payout === MICRO ? 'won' : payout === 0 ? 'lost' : 'split';
}

function positionLine(r: Row, account: Account, marks: ReadonlyMap<string, Price | null>): PositionLine {
  const p = positionFromRow(r);
  const status = statusOf(r);
  const mark = status === 'open' ? (marks.get(r.token_id) ?? null) : null;
  // An open position without a mark has no value to show; every other state values exactly.
  const value = status === 'open' ? marketValue(p, mark) : p.cost;
  return {
    account: account.name,
    accountId: account.id,
    mode: account.mode,
    tokenId: r.token_id,
    conditionId: r.condition_id,
    question: r.question,
    outcome: r.outcome,
    status,
    result: resultOf(r.resolved_payout),
    shares: r.shares,
    avgCost: status === 'open' ? averageCost(p) : null,
    cost: r.cost,
    mark,
    marketValue: value,
    unrealized: value === null ? null : value - r.cost,
    realized: r.realized_pnl,
    resolvedPayout: r.resolved_payout,
    resolvedAt: r.resolved_at,
    redeemedAt: r.redeemed_at,
    updatedAt: r.updated_at,
  };
}

interface FillStats {
  count: number;
  fees: number;
  today: number;
}

async function fillStats(
  store: Store,
  accounts: readonly Account[],
  dayStart: number,
): Promise<Map<number, FillStats>> {
  const out = new Map<number, FillStats>();
  if (accounts.length === 0) return out;
  const ids = accounts.map((a) => a.id);
  // PostgreSQL returns count and sum of bigint as text; SQLite as numbers.
  const all = await store.db
    .selectFrom('fills')
    .select((eb) => [
      'account_id',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string | null>('fee').as('fees'),
    ])
    .where('account_id', 'in', ids)
    .groupBy('account_id')
    .execute();
  const today = await store.db
    .selectFrom('fills')
    .select((eb) => ['account_id', eb.fn.sum<number | string | null>('realized_pnl').as('pnl')])
    .where('account_id', 'in', ids)
    .where('filled_at', '>=', dayStart)
    .groupBy('account_id')
    .execute();
  for (const r of all) out.set(r.account_id, { count: Number(r.n), fees: micro(r.fees), today: 0 });
  for (const r of today) {
    const s = out.get(r.account_id);
    if (s) s.today = micro(r.pnl);
  }
  return out;
}

function micro(v: number | string | null): number {
  const n = Number(v ?? 0);
  if (!Number.isSafeInteger(n)) throw new ValidationError(`a ledger sum is outside the safe range: ${v}`);
  return n;
}
