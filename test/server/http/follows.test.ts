import { afterEach, beforeEach, expect, it } from 'vitest';
import { accountsRepo, auditRepo, leadersRepo } from '../../../src/store/index.ts';
import { leaderTrade } from '../../store/fixtures.ts';
import { forEachEngine } from '../../support/engines.ts';
import { api, NOW, PLANTED, startTestServer, type TestServer } from './support.ts';

const LEADER = '0xAbCdEf00000000000000000000000000000000a1';
const leader = LEADER.toLowerCase();
const token = PLANTED.token;

forEachEngine('HTTP API: leaders and follows', (engine) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  const add = (body: unknown) => api(t.url, '/api/follows', { method: 'POST', body, token });

  it('adds a follow through the service: the paper account and the leader are created, the change audited', async () => {
    const r = await add({
      leader: LEADER,
      leaderLabel: 'whale',
      sizing: { mode: 'leader_pct', pctBps: 1_000 },
      maxTradeUsdc: 50_000_000,
    });
    expect(r.status).toBe(201);
    expect(r.body.follow).toMatchObject({
      accountName: 'paper',
      leaderAddress: leader,
      leaderLabel: 'whale',
      state: 'active',
      sizingText: '10% of leader',
      maxTradeUsdc: 50_000_000,
    });
    // The starting cash is the configured trading.paper_starting_cash_usd (500).
    expect(r.body.notes[0]).toBe('created paper account "paper" with $500 of paper cash');

    const list = await api(t.url, '/api/follows');
    expect(list.body.follows.map((f: { id: number }) => f.id)).toEqual([r.body.follow.id]);
    const [entry] = (await auditRepo(t.store.db).tail(10)).filter((a) => a.action === 'follow.add');
    expect(entry?.actor).toBe('dashboard');

    const leaders = await api(t.url, '/api/leaders');
    expect(leaders.body.leaders).toEqual([
      expect.objectContaining({
        address: leader,
        label: 'whale',
        enabled: true,
        follows: { active: 1, paused: 0, disabled: 0, ids: [r.body.follow.id] },
        trades: { count: 0, lastAt: null },
        decisions: { copy: 0, skip: 0, refused: 0 },
      }),
    ]);
  });

  it('pauses, changes and removes a follow; an unknown id is a 404', async () => {
    const id = (await add({ leader: LEADER, sizing: { mode: 'fixed_usd', amountUsdc: 5_000_000 } })).body
      .follow.id;
    const paused = await api(t.url, `/api/follows/${id}`, { method: 'PATCH', body: { paused: true }, token });
    expect(paused.status).toBe(200);
    expect(paused.body.follow.state).toBe('paused');
    const resized = await api(t.url, `/api/follows/${id}`, {
      method: 'PATCH',
      body: {
        sizing: { mode: 'fixed_usd', amountUsdc: 7_500_000 },
        tiers: [{ minLeaderUsdc: 1_000_000_000, multiplierBps: 5_000 }],
      },
      token,
    });
    expect(resized.body.follow.sizingText).toBe('$7.50 fixed, x0.5 from $1000');
    expect((await api(t.url, `/api/follows/${id}`)).body.sizingText).toBe('$7.50 fixed, x0.5 from $1000');

    const removed = await api(t.url, `/api/follows/${id}`, { method: 'DELETE', token });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id, outcome: 'deleted' });
    expect((await api(t.url, '/api/follows')).body.follows).toEqual([]);

    for (const method of ['PATCH', 'DELETE']) {
      const r = await api(t.url, `/api/follows/${id}`, {
        method,
        body: method === 'PATCH' ? { paused: false } : undefined,
        token,
      });
      expect(r.status).toBe(404);
      expect(r.body.error).toEqual({ code: 'NOT_FOUND', message: `no follow with id ${id}` });
    }
    expect((await api(t.url, `/api/follows/${id}`)).status).toBe(404);
  });

  it('answers bad input with a 400 from the service, and writes nothing', async () => {
    const badSizing = await add({ leader: LEADER, sizing: { mode: 'fixed_usd', amountUsdc: -1 } });
    expect(badSizing.status).toBe(400);
    expect(badSizing.body.error.code).toBe('VALIDATION_FAILED');
    expect(badSizing.body.error.message).toMatch(/amountUsdc/);

    const badLeader = await add({ leader: '0x1234', sizing: { mode: 'fixed_usd', amountUsdc: 1_000_000 } });
    expect(badLeader.status).toBe(400);
    expect(badLeader.body.error.message).toMatch(/leader must be a 0x-prefixed address/);

    const minOverMax = await add({
      leader: LEADER,
      sizing: { mode: 'fixed_usd', amountUsdc: 1_000_000 },
      minTradeUsdc: 9_000_000,
      maxTradeUsdc: 2_000_000,
    });
    expect(minOverMax.body.error.message).toBe('the minimum trade ($9) must not be above the maximum ($2)');

    const shape = await add({ leader: LEADER, sizing: 'ten', colour: 'red', paused: 'yes' });
    expect(shape.status).toBe(400);
    expect(shape.body.error.code).toBe('INVALID_REQUEST');
    // Every problem is listed, by name.
    expect(shape.body.error.message).toMatch(/^invalid body: /);
    expect(shape.body.error.message).toMatch(/unknown field "colour"/);
    expect(shape.body.error.message).toMatch(/sizing: /);
    expect(shape.body.error.message).toMatch(/paused: /);

    const noBody = await api(t.url, '/api/follows', { method: 'POST', token });
    expect(noBody.status).toBe(400);

    expect((await api(t.url, '/api/follows')).body.follows).toEqual([]);
    expect(await leadersRepo(t.store.db).list()).toEqual([]);
  });

  it('refuses a second follow of the same leader by the same account', async () => {
    const body = { leader: LEADER, sizing: { mode: 'fixed_usd', amountUsdc: 5_000_000 } };
    expect((await add(body)).status).toBe(201);
    const again = await add(body);
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/already follows/);
  });

  it('shows one leader with its positions, recent trades and follows; validates the address', async () => {
    await add({ leader: LEADER, sizing: { mode: 'fixed_usd', amountUsdc: 5_000_000 } });
    await t.store.db
      .insertInto('leader_trades')
      .values([
        leaderTrade({ leader_address: leader, trade_at: NOW }),
        leaderTrade({ leader_address: leader, trade_at: NOW + 5 }),
      ])
      .execute();
    await t.store.db
      .insertInto('leader_positions')
      .values({ leader_address: leader, token_id: '42', shares: 3_000_000, updated_at: NOW })
      .execute();
    const r = await api(t.url, `/api/leaders/${LEADER}`);
    expect(r.status).toBe(200);
    expect(r.body.leader.trades).toEqual({ count: 2, lastAt: NOW + 5 });
    expect(r.body.leader.openPositions).toBe(1);
    expect(r.body.positions).toEqual([
      { tokenId: '42', conditionId: null, question: null, outcome: null, shares: 3_000_000, updatedAt: NOW },
    ]);
    expect(r.body.recentTrades.map((x: { tradeAt: number }) => x.tradeAt)).toEqual([NOW + 5, NOW]);
    expect(r.body.follows).toHaveLength(1);

    expect((await api(t.url, '/api/leaders/0x00000000000000000000000000000000000000ff')).status).toBe(404);
    const bad = await api(t.url, '/api/leaders/nobody');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'invalid path: address: must be a 0x-prefixed address of 40 hex digits',
    );
  });
});

const TRADER = '0x00000000000000000000000000000000000000c3';
const TRADER_CONFIG = ['[[accounts]]', 'name = "trader"', 'signature_type = 0', `address = "${TRADER}"`].join(
  '\n',
);

forEachEngine('HTTP API: follows of a configured live account', (engine) => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });
  const body = { account: 'trader', leader: LEADER, sizing: { mode: 'fixed_usd', amountUsdc: 5_000_000 } };

  it('creates the account live through the resolver the app passes', async () => {
    t = await startTestServer(engine, {
      extraConfig: TRADER_CONFIG,
      liveAccount: async (name) =>
        name === 'trader' ? { name, address: TRADER, signatureType: 0, funderAddress: null } : undefined,
    });
    const r = await api(t.url, '/api/follows', { method: 'POST', body, token });
    expect(r.status).toBe(201);
    expect(r.body.follow.accountName).toBe('trader');
    expect((await accountsRepo(t.store.db).byName('trader'))?.mode).toBe('live');
  });

  it('never creates it as paper: without a resolver the first follow is refused', async () => {
    t = await startTestServer(engine, { extraConfig: TRADER_CONFIG });
    const r = await api(t.url, '/api/follows', { method: 'POST', body, token });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/account "trader" is a live \[\[accounts\]\] entry/);
    expect(await accountsRepo(t.store.db).byName('trader')).toBeUndefined();
  });
});
