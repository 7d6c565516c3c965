import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  type AddFollowInput,
  activeFollowsOf,
  addFollow,
  describeSizing,
  followConfigOf,
  getFollow,
  listFollows,
  removeFollow,
  updateFollow,
} from '../../src/copy/follows.ts';
import { ValidationError } from '../../src/core/errors.ts';
import {
  accountsRepo,
  auditRepo,
  followConfigsRepo,
  leadersRepo,
  type Store,
} from '../../src/store/index.ts';
import { leaderTrade, order } from '../store/fixtures.ts';
import { forEachEngine, openTestStore, type TestStore } from '../support/engines.ts';

const NOW = 1_770_000_000_000;
const LEADER = '0xAbCdEf0000000000000000000000000000000001';
const leader = LEADER.toLowerCase();
const OTHER = '0x00000000000000000000000000000000000000b2';
const CASH = 1_000_000_000; // $1000

const input = (over: Partial<AddFollowInput> = {}): AddFollowInput => ({
  leader: LEADER,
  paperStartingCashUsdc: CASH,
  sizing: { mode: 'leader_pct', pctBps: 1_000 },
  ...over,
});

async function counts(store: Store) {
  const n = async (table: 'accounts' | 'leaders' | 'follow_configs' | 'audit_log') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    accounts: await n('accounts'),
    leaders: await n('leaders'),
    follows: await n('follow_configs'),
    audit: await n('audit_log'),
  };
}

forEachEngine('follows service', (engine) => {
  let t: TestStore;
  let store: Store;
  beforeEach(async () => {
    t = await openTestStore(engine);
    store = t.store;
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('adds a follow: creates the paper account and the leader, stores the sizing, audits', async () => {
    const r = await addFollow(
      store,
      input({ leaderLabel: 'whale', minTradeUsdc: 5_000_000, maxTradeUsdc: 100_000_000 }),
      NOW,
      'cli',
    );
    expect(r.notes).toEqual([
      'created paper account "paper" with $1000 of paper cash',
      `added leader ${leader} to the watched leaders (flat start: only new trades are copied)`,
    ]);
    expect(r.follow).toMatchObject({
      accountName: 'paper',
      leaderAddress: leader,
      leaderLabel: 'whale',
      leaderWatched: true,
      state: 'active',
      direction: 'copy',
      sizing: { mode: 'leader_pct', pctBps: 1_000 },
      sizingText: '10% of leader',
      minTradeUsdc: 5_000_000,
      maxTradeUsdc: 100_000_000,
      fullCloseOnLeaderExit: true,
      slippageBps: 200,
      problem: null,
    });
    const account = await accountsRepo(store.db).byName('paper');
    expect(account).toMatchObject({ mode: 'paper', cash: CASH, startingCash: CASH });
    expect(await leadersRepo(store.db).get(leader)).toMatchObject({ label: 'whale', startupMode: 'flat' });
    const row = await followConfigsRepo(store.db).get(r.follow.id);
    expect(row).toMatchObject({ sizingMode: 'leader_pct', sizingParams: { pctBps: 1_000 }, fullClose: true });
    const [entry] = await auditRepo(store.db).tail(1);
    expect(entry).toMatchObject({ actor: 'cli', action: 'follow.add', subject: `follow:${r.follow.id}` });
    expect(entry?.details).toMatchObject({ account: 'paper', leader, sizingMode: 'leader_pct' });
  });

  it.each([
    [{ mode: 'fixed_usd', amountUsdc: 25_000_000 }, '$25 fixed'],
    [{ mode: 'fixed_usd', amountUsdc: 2_500_000 }, '$2.50 fixed'],
    [{ mode: 'leader_pct', pctBps: 1_250 }, '12.5% of leader'],
    [{ mode: 'balance_pct', pctBps: 200 }, '2% of balance'],
    [{ mode: 'balance_ratio' }, 'balance ratio'],
    [
      {
        mode: 'balance_ratio',
        tiers: [
          { minLeaderUsdc: 1_000_000_000, multiplierBps: 5_000 },
          { minLeaderUsdc: 10_000_000_000, multiplierBps: 2_500 },
        ],
      },
      'balance ratio, x0.5 from $1000, x0.25 from $10000',
    ],
  ] as const)('stores sizing %j as "%s"', async (sizing, text) => {
    const r = await addFollow(store, input({ sizing }), NOW, 'test');
    expect(r.follow.sizing).toEqual(sizing);
    expect(r.follow.sizingText).toBe(text);
    const { sizingMode, sizingParams } = (await followConfigsRepo(store.db).get(r.follow.id))!;
    const { mode, ...params } = sizing;
    expect({ sizingMode, sizingParams }).toEqual({ sizingMode: mode, sizingParams: params });
    expect(describeSizing(followConfigOf((await followConfigsRepo(store.db).get(r.follow.id))!).sizing)).toBe(
      text,
    );
  });

  it('keeps an existing account and leader as they are, and says a disabled leader copies nothing', async () => {
    await accountsRepo(store.db).ensurePaper('paper', 5_000_000, NOW);
    await leadersRepo(store.db).upsert({ address: leader, label: 'old', enabled: false }, NOW);
    const r = await addFollow(store, input(), NOW, 'test');
    expect(r.notes).toEqual([`leader ${leader} is disabled: nothing is copied until it is enabled`]);
    expect(r.follow).toMatchObject({ leaderLabel: 'old', leaderWatched: false });
    expect((await accountsRepo(store.db).byName('paper'))?.cash).toBe(5_000_000);
  });

  it('refuses a second follow of the same leader by the same account, plainly, writing nothing', async () => {
    const first = await addFollow(store, input(), NOW, 'test');
    const before = await counts(store);
    await expect(addFollow(store, input({ sizing: { mode: 'balance_ratio' } }), NOW, 'test')).rejects.toThrow(
      `account "paper" already follows ${leader} as follow #${first.follow.id}: change that follow instead of adding another`,
    );
    expect(await counts(store)).toEqual(before);
    // Another account may follow the same leader.
    const second = await addFollow(store, input({ account: 'paper-2' }), NOW, 'test');
    expect(second.follow.accountName).toBe('paper-2');
  });

  it('names a disabled duplicate so it can be turned back on', async () => {
    const first = await addFollow(store, input({ enabled: false }), NOW, 'test');
    await expect(addFollow(store, input(), NOW, 'test')).rejects.toThrow(
      `as follow #${first.follow.id} (disabled, kept for history; enable it again)`,
    );
  });

  it.each([
    [{ leader: '0x1234' }, 'leader must be a 0x-prefixed address of 40 hex digits, got "0x1234"'],
    [{ leader: `${LEADER}0` }, 'leader must be a 0x-prefixed address'],
    [{ account: 'Paper Account' }, 'account must be a short lower-case name'],
    [{ sizing: { mode: 'kelly' } }, 'mode must be one of fixed_usd, leader_pct, balance_pct, balance_ratio'],
    [
      { sizing: { mode: 'leader_pct' } },
      'sizing.pctBps: is required a percent as integer basis points (10_000 = 100%)',
    ],
    [
      { sizing: { mode: 'fixed_usd', amountUsdc: 2.5 } },
      'sizing.amountUsdc: must be an integer number of micro-USDC',
    ],
    [
      { sizing: { mode: 'fixed_usd', amountUsdc: -1 } },
      'sizing.amountUsdc: must be an integer number of micro-USDC',
    ],
    [
      { sizing: { mode: 'balance_pct', pctBps: 10_001 } },
      'sizing.pctBps: must be at most 10000 basis points',
    ],
    [{ sizing: { mode: 'balance_ratio', pctBps: 5 } }, 'sizing'],
    [
      { minTradeUsdc: 50_000_000, maxTradeUsdc: 10_000_000 },
      'the minimum trade ($50) must not be above the maximum ($10)',
    ],
    [{ slippageBps: 9_000 }, 'slippageBps: must be at most 5000 basis points'],
    [{ leaderLabel: 'x'.repeat(65) }, 'label must be at most 64 characters'],
    [{ paperStartingCashUsdc: -1 }, 'paperStartingCashUsdc must be 0 or more micro-USDC'],
  ] as [Partial<AddFollowInput>, string][])(
    'refuses %j with one clear message, writing nothing',
    async (over, message) => {
      const before = await counts(store);
      const err = await addFollow(store, input(over), NOW, 'test').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as Error).message).toContain(message);
      expect((err as Error).message).not.toContain('\n');
      expect(await counts(store)).toEqual(before);
    },
  );

  it('lists follows with account names and leader labels, oldest first', async () => {
    await addFollow(store, input({ leaderLabel: 'whale' }), NOW, 'test');
    await addFollow(
      store,
      input({ leader: OTHER, sizing: { mode: 'fixed_usd', amountUsdc: 25_000_000 }, paused: true }),
      NOW,
      'test',
    );
    await addFollow(store, input({ account: 'side', direction: 'counter' }), NOW, 'test');
    const all = await listFollows(store);
    expect(
      all.map((f) => [f.accountName, f.leaderLabel ?? f.leaderAddress, f.sizingText, f.direction, f.state]),
    ).toEqual([
      ['paper', 'whale', '10% of leader', 'copy', 'active'],
      ['paper', OTHER, '$25 fixed', 'copy', 'paused'],
      ['side', 'whale', '10% of leader', 'counter', 'active'],
    ]);
    expect((await listFollows(store, { account: 'side' })).map((f) => f.accountName)).toEqual(['side']);
    expect((await listFollows(store, { leader: OTHER.toUpperCase().replace('0X', '0x') })).length).toBe(1);
    expect(await getFollow(store, all[1]!.id)).toEqual(all[1]);
    await expect(getFollow(store, 999)).rejects.toThrow('no follow with id 999');
  });

  it('gives the planner the active follows of a leader, validated', async () => {
    const a = await addFollow(
      store,
      input({ maxTradeUsdc: 100_000_000, fullCloseOnLeaderExit: false }),
      NOW,
      'test',
    );
    await addFollow(store, input({ account: 'paused', paused: true }), NOW, 'test');
    await addFollow(store, input({ account: 'off', enabled: false }), NOW, 'test');
    await addFollow(store, input({ account: 'other', leader: OTHER }), NOW, 'test');
    const active = await activeFollowsOf(store, LEADER);
    expect(active).toEqual([
      {
        id: a.follow.id,
        accountId: a.follow.accountId,
        leaderAddress: leader,
        enabled: true,
        paused: false,
        direction: 'copy',
        sizing: { mode: 'leader_pct', pctBps: 1_000 },
        minTradeUsdc: null,
        maxTradeUsdc: 100_000_000,
        fullCloseOnLeaderExit: false,
        slippageBps: 200,
      },
    ]);
  });

  it('reports a hand-edited invalid follow instead of planning with it', async () => {
    const good = await addFollow(store, input(), NOW, 'test');
    const bad = await addFollow(store, input({ account: 'bad' }), NOW, 'test');
    await store.db
      .updateTable('follow_configs')
      .set({ sizing_params: '{"pctBps": 0}' })
      .where('id', '=', bad.follow.id)
      .execute();
    const row = (await followConfigsRepo(store.db).get(bad.follow.id))!;
    expect(() => followConfigOf(row)).toThrow(
      `follow #${bad.follow.id} has invalid stored settings: invalid sizing: pctBps: must be at least 1 basis points`,
    );
    await expect(activeFollowsOf(store, leader)).rejects.toThrow(ValidationError);
    const invalid: number[] = [];
    const active = await activeFollowsOf(store, leader, (id) => invalid.push(id));
    expect(active.map((f) => f.id)).toEqual([good.follow.id]);
    expect(invalid).toEqual([bad.follow.id]);

    const listed = (await listFollows(store)).find((f) => f.id === bad.follow.id)!;
    expect(listed.sizing).toBeNull();
    expect(listed.sizingText).toBe('invalid leader_pct sizing');
    expect(listed.problem).toContain('pctBps');
    // A new sizing repairs it; a change that keeps the broken sizing says why it cannot.
    await expect(updateFollow(store, bad.follow.id, { paused: true }, NOW, 'test')).rejects.toThrow(
      '(give a new sizing to replace it)',
    );
    const fixed = await updateFollow(
      store,
      bad.follow.id,
      { sizing: { mode: 'leader_pct', pctBps: 500 } },
      NOW,
      'test',
    );
    expect(fixed.follow).toMatchObject({ sizingText: '5% of leader', problem: null });
  });

  it('changes only what the patch names, keeps tiers across a new sizing, and audits the difference', async () => {
    const tiers = [{ minLeaderUsdc: 1_000_000_000, multiplierBps: 5_000 }];
    const { follow } = await addFollow(
      store,
      input({ sizing: { mode: 'fixed_usd', amountUsdc: 25_000_000, tiers }, minTradeUsdc: 5_000_000 }),
      NOW,
      'test',
    );
    const id = follow.id;

    let r = await updateFollow(store, id, { sizing: { mode: 'leader_pct', pctBps: 500 } }, NOW + 1, 'cli');
    expect(r.follow.sizing).toEqual({ mode: 'leader_pct', pctBps: 500, tiers });
    expect(r.follow.minTradeUsdc).toBe(5_000_000);
    const [entry] = await auditRepo(store.db).tail(1);
    expect(entry).toMatchObject({ actor: 'cli', action: 'follow.set', subject: `follow:${id}` });
    expect(entry?.details).toEqual({
      from: { sizingMode: 'fixed_usd', sizingParams: { amountUsdc: 25_000_000, tiers } },
      to: { sizingMode: 'leader_pct', sizingParams: { pctBps: 500, tiers } },
    });

    const newTiers = [
      { minLeaderUsdc: 0, multiplierBps: 0 },
      { minLeaderUsdc: 50_000_000, multiplierBps: 20_000 },
    ];
    r = await updateFollow(store, id, { tiers: newTiers }, NOW + 2, 'cli');
    expect(r.follow.sizing).toEqual({ mode: 'leader_pct', pctBps: 500, tiers: newTiers });
    r = await updateFollow(
      store,
      id,
      { tiers: null, minTradeUsdc: null, maxTradeUsdc: 9_000_000 },
      NOW + 3,
      'cli',
    );
    expect(r.follow).toMatchObject({
      sizing: { mode: 'leader_pct', pctBps: 500 },
      minTradeUsdc: null,
      maxTradeUsdc: 9_000_000,
    });
    expect(r.follow.sizing).not.toHaveProperty('tiers');

    r = await updateFollow(
      store,
      id,
      {
        direction: 'counter',
        fullCloseOnLeaderExit: false,
        slippageBps: 50,
        paused: true,
        leaderLabel: 'whale',
      },
      NOW + 4,
      'cli',
    );
    expect(r.follow).toMatchObject({
      direction: 'counter',
      fullCloseOnLeaderExit: false,
      slippageBps: 50,
      state: 'paused',
      leaderLabel: 'whale',
      updatedAt: NOW + 4,
    });
    r = await updateFollow(store, id, { paused: false }, NOW + 5, 'cli');
    expect(r.follow.state).toBe('active');
    const audited = (await counts(store)).audit;
    r = await updateFollow(store, id, { paused: false }, NOW + 6, 'cli');
    expect(r.notes).toEqual(['the settings were already so: nothing changed']);
    expect(r.follow.updatedAt).toBe(NOW + 5);
    expect((await counts(store)).audit).toBe(audited);
  });

  it('refuses a bad change with one message and changes nothing', async () => {
    const { follow } = await addFollow(store, input({ maxTradeUsdc: 10_000_000 }), NOW, 'test');
    const before = await counts(store);
    const row = await followConfigsRepo(store.db).get(follow.id);
    await expect(updateFollow(store, follow.id, {}, NOW, 'cli')).rejects.toThrow('nothing to change');
    await expect(updateFollow(store, follow.id, { minTradeUsdc: 20_000_000 }, NOW, 'cli')).rejects.toThrow(
      'the minimum trade ($20) must not be above the maximum ($10)',
    );
    await expect(
      updateFollow(store, follow.id, { sizing: { mode: 'leader_pct', pctBps: 0 } }, NOW, 'cli'),
    ).rejects.toThrow('sizing.pctBps: must be at least 1 basis points');
    await expect(
      updateFollow(store, follow.id, { paused: 'yes' as unknown as boolean }, NOW, 'cli'),
    ).rejects.toThrow('paused must be true or false');
    await expect(updateFollow(store, 999, { paused: true }, NOW, 'cli')).rejects.toThrow(
      'no follow with id 999',
    );
    expect(await counts(store)).toEqual(before);
    expect(await followConfigsRepo(store.db).get(follow.id)).toEqual(row);
  });

  it('deletes a follow without history', async () => {
    const { follow } = await addFollow(store, input(), NOW, 'test');
    const r = await removeFollow(store, follow.id, NOW + 1, 'cli');
    expect(r).toMatchObject({ id: follow.id, outcome: 'deleted', decisions: 0, orders: 0 });
    expect(r.follow.id).toBe(follow.id);
    expect(await listFollows(store)).toEqual([]);
    const [entry] = await auditRepo(store.db).tail(1);
    expect(entry).toMatchObject({ actor: 'cli', action: 'follow.remove', subject: `follow:${follow.id}` });
    await expect(removeFollow(store, follow.id, NOW + 2, 'cli')).rejects.toThrow(
      `no follow with id ${follow.id}`,
    );
    // The leader stays watched: it may be followed by others or configured in the file.
    expect(await leadersRepo(store.db).get(leader)).toBeDefined();
  });

  it('disables a follow that has copy decisions or orders, keeping it for history', async () => {
    const a = await addFollow(store, input(), NOW, 'test');
    const b = await addFollow(store, input({ account: 'b' }), NOW, 'test');
    const trade = await store.db
      .insertInto('leader_trades')
      .values(leaderTrade({ leader_address: leader }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('copy_decisions')
      .values({
        follow_config_id: a.follow.id,
        leader_trade_id: trade.id,
        account_id: a.follow.accountId,
        decision: 'skip',
        reason_code: 'BELOW_MIN',
        created_at: NOW,
      })
      .execute();
    await store.db
      .insertInto('orders')
      .values(order(b.follow.accountId, { follow_config_id: b.follow.id }))
      .execute();

    const ra = await removeFollow(store, a.follow.id, NOW + 1, 'cli');
    expect(ra).toMatchObject({ outcome: 'disabled', decisions: 1, orders: 0 });
    expect(ra.follow).toMatchObject({ enabled: false, state: 'disabled' });
    const rb = await removeFollow(store, b.follow.id, NOW + 1, 'cli');
    expect(rb).toMatchObject({ outcome: 'disabled', decisions: 0, orders: 1 });
    expect((await listFollows(store)).map((f) => f.state)).toEqual(['disabled', 'disabled']);
    expect(await activeFollowsOf(store, leader)).toEqual([]);
    const [entry] = await auditRepo(store.db).tail(1);
    expect(entry).toMatchObject({ action: 'follow.disable', details: { decisions: 0, orders: 1 } });

    // Re-enabled later, it copies again.
    await updateFollow(store, a.follow.id, { enabled: true }, NOW + 2, 'cli');
    expect((await activeFollowsOf(store, leader)).map((f) => f.id)).toEqual([a.follow.id]);
  });
});
