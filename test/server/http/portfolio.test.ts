import { afterEach, beforeEach, expect, it } from 'vitest';
import { accountsRepo, auditRepo, type Store } from '../../../src/store/index.ts';
import { account, fill, order } from '../../store/fixtures.ts';
import { forEachEngine } from '../../support/engines.ts';
import { api, fixedMarks, NOW, PLANTED, startTestServer, type TestServer } from './support.ts';

const HOUR = 3_600_000;
const token = PLANTED.token;

interface Seeded {
  paper: number;
  live: number;
}

/**
 * "paper" holds 10 shares of token 42 at $0.50 and has three fills: a buy, and two sells that
 * realized +$1 (an hour ago) and -$0.25 (now). "live" is a live account.
 */
async function seed(store: Store): Promise<Seeded> {
  const { db } = store;
  const paper = (
    await db
      .insertInto('accounts')
      .values(account({ name: 'paper', mode: 'paper', cash: 90_000_000, starting_cash: 100_000_000 }))
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const live = (
    await db
      .insertInto('accounts')
      .values(account({ name: 'live', mode: 'live' }))
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await db
    .insertInto('positions')
    .values({
      account_id: paper,
      token_id: '42',
      shares: 10_000_000,
      cost: 5_000_000,
      realized_pnl: 750_000,
      updated_at: NOW,
    })
    .execute();
  const orderId = (
    await db.insertInto('orders').values(order(paper)).returning('id').executeTakeFirstOrThrow()
  ).id;
  await db
    .insertInto('fills')
    .values([
      fill(orderId, paper, { filled_at: NOW - 2 * HOUR, realized_pnl: 0 }),
      fill(orderId, paper, { side: 'SELL', filled_at: NOW - HOUR, realized_pnl: 1_000_000 }),
      fill(orderId, paper, { side: 'SELL', filled_at: NOW, realized_pnl: -250_000 }),
    ])
    .execute();
  await db
    .insertInto('guardrail_events')
    .values({
      created_at: NOW,
      reason_code: 'TRADE_CAP',
      account_id: paper,
      leader_address: null,
      token_id: '42',
      idempotency_key: null,
    })
    .execute();
  return { paper, live };
}

forEachEngine('HTTP API: positions, PnL, paper reset', (engine) => {
  let t: TestServer;
  let s: Seeded;
  let waited: number;
  beforeEach(async () => {
    waited = 0;
    t = await startTestServer(engine, {
      marks: fixedMarks(600_000),
      beforePaperReset: async () => {
        waited++;
      },
    });
    s = await seed(t.store);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('serves positions marked at the given mids', async () => {
    const r = await api(t.url, '/api/positions?account=paper');
    expect(r.status).toBe(200);
    expect(r.body.accounts).toEqual([{ id: s.paper, name: 'paper', mode: 'paper' }]);
    expect(r.body.positions).toEqual([
      expect.objectContaining({
        tokenId: '42',
        status: 'open',
        shares: 10_000_000,
        mark: 600_000,
        marketValue: 6_000_000,
        unrealized: 1_000_000,
      }),
    ]);
    const unknown = await api(t.url, '/api/positions?account=nobody');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/no account named "nobody"/);
    expect((await api(t.url, '/api/positions?all=yes')).status).toBe(400);
  });

  it('serves PnL now and a realized series from the fills', async () => {
    const r = await api(t.url, `/api/pnl?account=paper&since=${NOW - 3 * HOUR}&until=${NOW + HOUR}`);
    expect(r.status).toBe(200);
    const [paper] = r.body.accounts;
    expect(paper).toMatchObject({ name: 'paper', cash: 90_000_000, unrealized: 1_000_000, fills: 3 });
    const bucket = (at: number) => at - (at % HOUR);
    expect(r.body.series).toEqual([
      {
        account: 'paper',
        accountId: s.paper,
        source: 'fills+resolutions',
        bucketMs: HOUR,
        startRealized: 0,
        points: [
          { at: bucket(NOW - 2 * HOUR), realized: 0 },
          { at: bucket(NOW - HOUR), realized: 1_000_000 },
          { at: bucket(NOW), realized: 750_000 },
        ],
      },
    ]);
    // The realized before `since` is where the series starts.
    const later = await api(
      t.url,
      `/api/pnl?account=paper&since=${bucket(NOW)}&until=${NOW + HOUR}&bucket=60000`,
    );
    expect(later.body.series[0].startRealized).toBe(1_000_000);
    expect(later.body.series[0].points).toEqual([{ at: NOW - (NOW % 60_000), realized: 750_000 }]);

    // A market resolution realizes PnL without a fill: the series takes it at the resolution time,
    // as the position's realized PnL beyond its fills' (here 2.00, on a token with no sells).
    await t.store.db
      .insertInto('positions')
      .values({
        account_id: s.paper,
        token_id: '43',
        shares: 4_000_000,
        cost: 0,
        realized_pnl: 2_000_000,
        updated_at: NOW,
        resolved_at: NOW - HOUR,
        resolved_payout: 1_000_000,
      })
      .execute();
    const resolved = await api(t.url, `/api/pnl?account=paper&since=${NOW - 3 * HOUR}&until=${NOW + HOUR}`);
    expect(resolved.body.series[0].points).toEqual([
      { at: bucket(NOW - 2 * HOUR), realized: 0 },
      { at: bucket(NOW - HOUR), realized: 3_000_000 },
      { at: bucket(NOW), realized: 2_750_000 },
    ]);
    const afterResolution = await api(
      t.url,
      `/api/pnl?account=paper&since=${bucket(NOW)}&until=${NOW + HOUR}&bucket=60000`,
    );
    expect(afterResolution.body.series[0].startRealized).toBe(3_000_000);

    const tooMany = await api(t.url, `/api/pnl?since=0&until=${NOW}&bucket=60000`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 5000: raise bucket or narrow since\/until/);
    expect((await api(t.url, '/api/pnl?bucket=1000')).body.error.message).toBe(
      'invalid query: bucket: must be a whole number from 60000 to 604800000',
    );
  });

  it('previews a paper reset, and resets only with the token and the confirmation', async () => {
    const preview = await api(t.url, '/api/paper/reset');
    expect(preview.body).toMatchObject({
      account: 'paper',
      cashBefore: 90_000_000,
      cash: 500_000_000,
      removed: { fills: 3, orders: 1, guardrailEvents: 1, positions: 1 },
    });

    const unconfirmed = await api(t.url, '/api/paper/reset', { method: 'POST', body: {}, token });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.message).toBe(
      'invalid body: confirm: must be "RESET": a reset deletes the paper ledger',
    );
    const wrong = await api(t.url, '/api/paper/reset', { method: 'POST', body: { confirm: 'yes' }, token });
    expect(wrong.status).toBe(400);
    const noToken = await api(t.url, '/api/paper/reset', { method: 'POST', body: { confirm: 'RESET' } });
    expect(noToken.status).toBe(401);
    const liveAccount = await api(t.url, '/api/paper/reset', {
      method: 'POST',
      body: { confirm: 'RESET', account: 'live' },
      token,
    });
    expect(liveAccount.status).toBe(400);
    expect(liveAccount.body.error.message).toMatch(/live account: only paper accounts can be reset/);
    expect(waited).toBe(0);
    expect((await accountsRepo(t.store.db).byName('paper'))?.cash).toBe(90_000_000);

    const done = await api(t.url, '/api/paper/reset', { method: 'POST', body: { confirm: 'RESET' }, token });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      account: 'paper',
      cash: 500_000_000,
      removed: { fills: 3, positions: 1 },
    });
    expect(waited).toBe(1);
    expect((await accountsRepo(t.store.db).byName('paper'))?.cash).toBe(500_000_000);
    expect((await api(t.url, '/api/positions?account=paper')).body.positions).toEqual([]);
    const audit = (await auditRepo(t.store.db).tail(5)).find((a) => a.action === 'paper.reset');
    expect(audit?.actor).toBe('dashboard');
  });
});
