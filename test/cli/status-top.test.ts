import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorCode,
  type OrderTroubleRow,
  rankTroubles,
  registerStatusTopCommands,
  type StatusTopReport,
  statusTop as statusTopQuery,
} from '../../src/cli/commands/status-top.ts';
import {
  accountsRepo,
  componentHealthRepo,
  insertOrderIntent,
  type JsonValue,
  type OrderStatus,
  type Store,
  updateOrder,
} from '../../src/store/index.ts';
import { market } from '../store/fixtures.ts';
import { runCli } from '../support/cli.ts';
import { configDir, runRegistered, withConfigDb } from '../support/cli-in-process.ts';
import { forEachEngine, openTestStore } from '../support/engines.ts';

describe('errorCode', () => {
  it.each([
    ['NOT_ENOUGH_BALANCE: not enough balance / allowance', 'NOT_ENOUGH_BALANCE'],
    ['MAX_MARKET_EXPOSURE: $60 over $50 | DAILY_LOSS: down $20', 'MAX_MARKET_EXPOSURE'],
    ['unknown: socket hang up', 'unknown'],
    ['PENDING for over 10 minutes: its moment has passed; not retried', 'PENDING for over 10 minutes'],
    ['GTC expired', 'GTC expired'],
    [null, '(no error text)'],
    ['  ', '(no error text)'],
  ])('%s -> %s', (error, code) => {
    expect(errorCode(error)).toBe(code);
  });
});

describe('rankTroubles', () => {
  const row = (o: Partial<OrderTroubleRow>): OrderTroubleRow => ({
    conditionId: '0xa',
    tokenId: 'a-yes',
    status: 'REJECTED',
    error: 'X: x',
    count: 1,
    lastAt: 100,
    ...o,
  });

  it('sums per market, picks the most frequent code, and ranks by the sum, errors first on a tie', () => {
    const ranked = rankTroubles(
      [
        row({ count: 2, error: 'A: one' }),
        row({ tokenId: 'a-no', count: 3, error: 'B: two', lastAt: 300 }),
        row({ status: 'FAILED', count: 1, error: 'A: three', lastAt: 200 }),
        row({ conditionId: '0xb', tokenId: 'b-yes', status: 'FAILED', count: 6, error: null }),
        row({ conditionId: '0xc', tokenId: 'c-yes', count: 6 }),
      ],
      null,
      new Map(),
      new Map([['0xa', { question: 'Will A?', slug: 'will-a' }]]),
    );
    expect(ranked.map((m) => [m.conditionId, m.rejects, m.errors, m.topError, m.resyncs])).toEqual([
      ['0xb', 0, 6, { code: '(no error text)', count: 6 }, null],
      ['0xa', 5, 1, { code: 'A', count: 3 }, null],
      ['0xc', 6, 0, { code: 'X', count: 6 }, null],
    ]);
    expect(ranked[1]).toMatchObject({
      question: 'Will A?',
      slug: 'will-a',
      tokenIds: ['a-no', 'a-yes'],
      lastAt: 300,
    });
    expect(ranked[0]).toMatchObject({ question: null, slug: null });
  });

  it('adds resyncs per token to their market, and a token of no known market is its own row', () => {
    const ranked = rankTroubles(
      [row({ count: 2 })],
      { 'b-yes': 4, 'b-no': 3, 'zz-unknown': 1, 'a-yes': 0 },
      new Map([
        ['b-yes', '0xb'],
        ['b-no', '0xb'],
        ['a-yes', '0xa'],
      ]),
      new Map(),
    );
    expect(ranked.map((m) => [m.conditionId, m.tokenIds, m.resyncs, m.rejects])).toEqual([
      ['0xb', ['b-no', 'b-yes'], 7, 0],
      ['0xa', ['a-yes'], 0, 2],
      [null, ['zz-unknown'], 1, 0],
    ]);
  });
});

// --- the command -----------------------------------------------------------------------------------

let orderSeq = 0;

/** Writes an order intent the way the order manager does, then moves it to `status` with `error`. */
async function order(
  store: Store,
  accountId: number,
  conditionId: string,
  tokenId: string,
  status: OrderStatus,
  error: string | null,
  at: number,
): Promise<void> {
  const id = await insertOrderIntent(
    store.db,
    {
      idempotencyKey: `k-${++orderSeq}`,
      accountId,
      followConfigId: null,
      leaderTradeId: null,
      origin: 'copy',
      conditionId,
      tokenId,
      side: 'BUY',
      orderType: 'FOK',
      limitPrice: 550_000,
      size: 10_000_000,
      isPaper: true,
      leaderPrice: 540_000,
      catchUp: false,
      expiresAt: null,
    },
    at - 50,
  );
  expect(await updateOrder(store.db, id!, ['PENDING'], { status, error, doneAt: at }, at)).toBe(true);
}

/**
 * Rain (named, slug will-it-rain): 3 rejects (2 NOT_ENOUGH_BALANCE) and 1 failure. Snow (named):
 * 1 reject. An uncataloged market: 2 failures. Filled and cancelled orders do not count.
 */
async function seed(store: Store, now: number): Promise<void> {
  const { db } = store;
  await db
    .insertInto('markets')
    .values([
      market({ condition_id: '0xrain', question: 'Will it rain in Paris tomorrow?', slug: 'will-it-rain' }),
      market({ condition_id: '0xsnow', question: 'Will it snow?', slug: null }),
    ])
    .execute();
  await db
    .insertInto('tokens')
    .values([
      { token_id: 'rain-yes', condition_id: '0xrain', outcome: 'Yes', outcome_index: 0, updated_at: now },
      { token_id: 'snow-yes', condition_id: '0xsnow', outcome: 'Yes', outcome_index: 0, updated_at: now },
      { token_id: 'snow-no', condition_id: '0xsnow', outcome: 'No', outcome_index: 1, updated_at: now },
    ])
    .execute();
  const { id } = await accountsRepo(db).ensurePaper('paper', 1_000_000_000, now);
  const min = 60_000;
  await order(store, id, '0xrain', 'rain-yes', 'REJECTED', 'NOT_ENOUGH_BALANCE: no cash', now - 9 * min);
  await order(store, id, '0xrain', 'rain-yes', 'REJECTED', 'NOT_ENOUGH_BALANCE: no cash', now - 8 * min);
  await order(store, id, '0xrain', 'rain-no', 'REJECTED', 'MAX_MARKET_EXPOSURE: $60 > $50', now - 7 * min);
  await order(
    store,
    id,
    '0xrain',
    'rain-yes',
    'FAILED',
    'PENDING for over 10 minutes: not retried',
    now - 3 * min,
  );
  await order(store, id, '0xsnow', 'snow-yes', 'REJECTED', 'FOK_NOT_FILLED: book too thin', now - 20 * min);
  await order(store, id, '0xdead', 'dead-yes', 'FAILED', 'unknown: socket hang up', now - 1 * min);
  await order(store, id, '0xdead', 'dead-yes', 'FAILED', 'unknown: socket hang up', now - 2 * min);
  await order(store, id, '0xsnow', 'snow-yes', 'FILLED', null, now);
  await order(store, id, '0xsnow', 'snow-yes', 'CANCELLED', 'GTC cancelled', now);
}

async function reportBooks(store: Store, detail: JsonValue, at: number): Promise<void> {
  await componentHealthRepo(store.db).report(
    [{ component: 'market.books', healthy: true, detail, pid: 77, host: 'box' }],
    at,
  );
}

/** The command as program.ts declares it, on a fresh program, in this process. */
async function statusTop(dir: string, ...args: string[]) {
  const output = await runRegistered(registerStatusTopCommands, dir, ['status-top', ...args]);
  return output.lines;
}

forEachEngine('statusTop', (engine) => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  beforeEach(async () => {
    t = await openTestStore(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('counts, dates and names the troubled markets from the stored rows', async () => {
    const now = 1_760_000_000_000;
    await seed(t.store, now);
    await reportBooks(t.store, { resyncs: 4, resyncsByToken: { 'snow-no': 4 } }, now);
    const report = await statusTopQuery(t.store, { limit: 10, now });
    expect(
      report.markets.map((m) => [
        m.conditionId,
        m.question,
        m.resyncs,
        m.rejects,
        m.errors,
        m.topError?.code,
        m.lastAt,
      ]),
    ).toEqual([
      ['0xsnow', 'Will it snow?', 4, 1, 0, 'FOK_NOT_FILLED', now - 20 * 60_000],
      ['0xrain', 'Will it rain in Paris tomorrow?', 0, 3, 1, 'NOT_ENOUGH_BALANCE', now - 3 * 60_000],
      ['0xdead', null, 0, 0, 2, 'unknown', now - 60_000],
    ]);
    expect(report.books).toEqual({ state: 'ok', total: 4, perToken: true, reportedAt: now });
  });
});

const cells = (line: string) => line.split(/\s{2,}/);

describe('polyhunter status-top', () => {
  it('says there is no database yet, and does not create one', async () => {
    const dir = configDir('status-top');
    await expect(statusTop(dir)).rejects.toThrow(/^no database yet at /);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('says so when nothing went wrong', async () => {
    const dir = configDir('status-top');
    await withConfigDb(dir, async () => {});
    expect(await statusTop(dir)).toEqual([
      'books: no report (PolyHunter has not run with books here): ranked by rejects and errors',
      'no rejected or failed orders and no resyncs: no market is in trouble',
    ]);
  });

  it('ranks markets by rejects and errors with the top error code, the resync total apart', async () => {
    const dir = configDir('status-top');
    const now = Date.now();
    await withConfigDb(dir, async (store) => {
      await seed(store, now);
      await reportBooks(store, { state: 'open', tokens: 3, syncedTokens: 3, resyncs: 12 }, now);
    });
    const text = await statusTop(dir);
    expect(text[0]).toBe(
      'books: 12 resyncs since the running process started, not reported per market: ranked by rejects and errors',
    );
    expect(text[1]).toBe('');
    expect(cells(text[2]!)).toEqual(['#', 'MARKET', 'SLUG', 'REJECTS', 'ERRORS', 'TOP ERROR', 'LAST']);
    expect(text.slice(3).map(cells)).toEqual([
      ['1', 'Will it rain in Paris tomorrow?', 'will-it-rain', '3', '1', 'NOT_ENOUGH_BALANCE x2', '3m ago'],
      ['2', 'market 0xdead', '-', '0', '2', 'unknown x2', '60s ago'],
      ['3', 'Will it snow?', '-', '1', '0', 'FOK_NOT_FILLED x1', '20m ago'],
    ]);

    const top1 = await statusTop(dir, '-n', '1');
    expect(top1.slice(3)).toEqual([
      expect.stringMatching(/^1 +Will it rain/),
      '(2 more; --limit shows more)',
    ]);

    const report = JSON.parse((await statusTop(dir, '--json')).join('\n')) as StatusTopReport;
    expect(report.books).toEqual({ state: 'ok', total: 12, perToken: false, reportedAt: now });
    expect(report.marketsWithTrouble).toBe(3);
    expect(report.markets[0]).toEqual({
      conditionId: '0xrain',
      question: 'Will it rain in Paris tomorrow?',
      slug: 'will-it-rain',
      tokenIds: ['rain-no', 'rain-yes'],
      resyncs: null,
      rejects: 3,
      errors: 1,
      topError: { code: 'NOT_ENOUGH_BALANCE', count: 2 },
      lastAt: now - 3 * 60_000,
    });
    await expect(statusTop(dir, '-n', '0')).rejects.toThrow('--limit must be an integer from 1 to 1000');
  });

  it('ranks by resyncs too when the process reports them per token', async () => {
    const dir = configDir('status-top');
    const now = Date.now();
    await withConfigDb(dir, async (store) => {
      await seed(store, now);
      await reportBooks(
        store,
        {
          state: 'open',
          resyncs: 15,
          resyncsByToken: { 'snow-yes': 6, 'snow-no': 3, 'lost-token-123456789': 2 },
        },
        now,
      );
    });
    const text = await statusTop(dir);
    expect(text[0]).toBe('books: 15 resyncs since the running process started');
    expect(cells(text[2]!)).toEqual([
      '#',
      'MARKET',
      'SLUG',
      'RESYNCS',
      'REJECTS',
      'ERRORS',
      'TOP ERROR',
      'LAST',
    ]);
    expect(text.slice(3).map((l) => cells(l).slice(0, 6))).toEqual([
      ['1', 'Will it snow?', '-', '9', '1', '0'],
      ['2', 'Will it rain in Paris tomorrow?', 'will-it-rain', '0', '3', '1'],
      ['3', 'market 0xdead', '-', '0', '0', '2'],
      ['4', 'token lost-tok…6789', '-', '2', '0', '0'],
    ]);
  });

  it('says when the process that counted resyncs is stopped or gone', async () => {
    const dir = configDir('status-top');
    const now = Date.now();
    await withConfigDb(dir, (store) => reportBooks(store, { stopped: true }, now));
    expect((await statusTop(dir))[0]).toMatch(
      /^books: PolyHunter is stopped; resync counts live in the running/,
    );
    await withConfigDb(dir, (store) => reportBooks(store, { state: 'open', resyncs: 1 }, now - 600_000));
    expect((await statusTop(dir))[0]).toBe(
      'books: 1 resync as last reported 10m ago (the process is gone), not reported per market: ranked by rejects and errors',
    );
    // A detail of another shape is not trusted: no numbers rather than wrong ones.
    await withConfigDb(dir, (store) => reportBooks(store, { resyncs: 'many' }, now));
    expect((await statusTop(dir))[0]).toMatch(/^books: resyncs unknown since the running process started/);
  });

  // The real `polyhunter` process: needs the command registered in src/cli/program.ts.
  it('as a process: JSON of the ranking, and exit 1 without a database', async () => {
    const empty = await runCli(['status-top'], { cwd: configDir('status-top') });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^error: no database yet at /m);
    const dir = configDir('status-top');
    await withConfigDb(dir, (store) => seed(store, Date.now()));
    const r = await runCli(['status-top', '--json', '--limit', '2'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as StatusTopReport;
    expect(report.markets.map((m) => m.conditionId)).toEqual(['0xrain', '0xdead']);
    expect(report.books.state).toBe('absent');
  });
});
