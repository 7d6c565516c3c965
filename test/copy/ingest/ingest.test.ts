import { afterEach, beforeEach, expect, it } from 'vitest';
import { canonicalKey, type IngestDeps, ingestSighting } from '../../../src/copy/ingest/index.ts';
import type { LeaderFillSighting, TradeSource } from '../../../src/copy/sighting.ts';
import type { Price, Shares, Usdc } from '../../../src/core/money.ts';
import { forEachEngine, openTestStore, type TestStore } from '../../support/engines.ts';

const LEADER = '0x1eade20000000000000000000000000000000009';
const TX = `0x${'ab'.repeat(32)}`;
const YES = '1234567890123456789';
const NO = '9876543210987654321';
const CONDITION = `0x${'cd'.repeat(32)}`;

/** A fill of `size` shares at 0.40 seen by `source` as row `part`. */
function fill(
  source: TradeSource,
  part: string,
  size: number,
  extra: Partial<LeaderFillSighting> = {},
): LeaderFillSighting {
  return {
    kind: 'fill',
    source,
    leader: LEADER,
    txHash: TX,
    tokenId: YES,
    conditionId: source === 'chain' ? null : CONDITION,
    outcome: source === 'chain' ? null : 'Yes',
    outcomeIndex: 0,
    side: 'BUY',
    price: 400_000 as Price,
    size: size as Shares,
    usdc: (size * 0.4) as Usdc,
    fee: null,
    role: 'taker',
    blockNumber: source === 'chain' ? 7 : null,
    logIndex: source === 'chain' ? 3 : null,
    part,
    tradeTimeMs: 1_790_000_000_000,
    seenAtMs: 1_790_000_001_000,
    isBackfill: false,
    raw: { source, part },
    ...extra,
  };
}

forEachEngine('ingestSighting', (engine) => {
  let t: TestStore;
  let deps: IngestDeps;
  let now = 1_790_000_002_000;
  beforeEach(async () => {
    t = await openTestStore(engine);
    deps = {
      store: t.store,
      now: () => now++,
      resolveToken: async (tokenId) =>
        tokenId === YES || tokenId === NO
          ? { conditionId: CONDITION, outcome: tokenId === YES ? 'Yes' : 'No' }
          : null,
    };
  });
  afterEach(async () => {
    await t.dispose();
  });

  const trades = () => t.store.db.selectFrom('leader_trades').selectAll().execute();
  const position = async (tokenId = YES) =>
    (
      await t.store.db
        .selectFrom('leader_positions')
        .select('shares')
        .where('leader_address', '=', LEADER)
        .where('token_id', '=', tokenId)
        .executeTakeFirst()
    )?.shares ?? 0;

  it('stores a new trade once, with its raw message once, and a repeat changes nothing', async () => {
    const first = await ingestSighting(deps, fill('api', 'row-1', 10_000_000));
    expect(first).toMatchObject({
      status: 'new',
      trade: { size: 10_000_000, key: canonicalKey(fill('api', 'x', 1)) },
    });
    const again = await ingestSighting(
      deps,
      fill('api', 'row-1', 10_000_000, { seenAtMs: 1_790_000_009_000 }),
    );
    expect(again).toMatchObject({ status: 'seen', firstForSource: false });
    expect(await trades()).toHaveLength(1);
    expect(await t.store.db.selectFrom('trade_raw').selectAll().execute()).toHaveLength(1);
    expect(await position()).toBe(10_000_000);
  });

  it('says whether a part that grows the trade is the first sighting by its source', async () => {
    expect((await ingestSighting(deps, fill('api', 'a', 10_000_000))).status).toBe('new');
    expect(await ingestSighting(deps, fill('chain', '0xorder', 30_000_000))).toMatchObject({
      status: 'grew',
      sizeDelta: 20_000_000,
      firstForSource: true,
    });
  });

  it('collapses one chain taker row and three per-maker API rows into one trade, in either order', async () => {
    // API first: the trade grows row by row, then the chain's total adds nothing.
    expect((await ingestSighting(deps, fill('api', 'a', 10_000_000))).status).toBe('new');
    expect(await ingestSighting(deps, fill('api', 'b', 15_000_000))).toMatchObject({
      status: 'grew',
      sizeDelta: 15_000_000,
      firstForSource: false,
    });
    expect(await ingestSighting(deps, fill('api', 'c', 5_000_000))).toMatchObject({
      status: 'grew',
      sizeDelta: 5_000_000,
    });
    expect(await ingestSighting(deps, fill('chain', '0xorder', 30_000_000))).toMatchObject({
      status: 'seen',
      firstForSource: true,
    });
    const [trade] = await trades();
    expect(trade).toMatchObject({
      size: 30_000_000,
      usdc_size: 12_000_000,
      price: 400_000,
      applied_size: 30_000_000,
    });
    expect(trade!.first_seen_api_at).toBe(1_790_000_001_000);
    expect(trade!.first_seen_chain_at).toBe(1_790_000_001_000);
    expect(trade!.condition_id).toBe(CONDITION);
    expect(await position()).toBe(30_000_000);
  });

  it('gives the same trade when the chain sees it first', async () => {
    expect((await ingestSighting(deps, fill('chain', '0xorder', 30_000_000))).status).toBe('new');
    for (const [part, size] of [
      ['a', 10_000_000],
      ['b', 15_000_000],
      ['c', 5_000_000],
    ] as const) {
      expect((await ingestSighting(deps, fill('rtds', part, size))).status).toBe('seen');
    }
    expect(await trades()).toHaveLength(1);
    expect((await trades())[0]).toMatchObject({ size: 30_000_000, first_source: 'chain', outcome: 'Yes' });
    expect(await position()).toBe(30_000_000);
  });

  it('keeps the pre-sell shares on a SELL and never lets the position go below 0', async () => {
    await ingestSighting(deps, fill('api', 'buy', 20_000_000));
    const sell = await ingestSighting(
      deps,
      fill('api', 'sell', 5_000_000, { side: 'SELL', txHash: `0x${'ef'.repeat(32)}` }),
    );
    expect(sell).toMatchObject({ status: 'new', trade: { side: 'SELL', preTradeShares: 20_000_000 } });
    expect(await position()).toBe(15_000_000);
    const oversell = await ingestSighting(
      deps,
      fill('api', 's2', 50_000_000, { side: 'SELL', txHash: `0x${'12'.repeat(32)}` }),
    );
    expect(oversell).toMatchObject({ status: 'new', trade: { preTradeShares: 15_000_000 } });
    expect(await position()).toBe(0);
  });

  it('keeps two fills of one transaction on different tokens apart (a mint pairs YES and NO)', async () => {
    await ingestSighting(deps, fill('chain', '0xa', 10_000_000));
    await ingestSighting(deps, fill('chain', '0xb', 10_000_000, { tokenId: NO }));
    expect(await trades()).toHaveLength(2);
    expect(await position(YES)).toBe(10_000_000);
    expect(await position(NO)).toBe(10_000_000);
  });

  it('takes back a reorged chain fill, and restores it when the log is sent again', async () => {
    await ingestSighting(deps, fill('chain', '0xorder', 10_000_000));
    const gone = await ingestSighting(deps, {
      kind: 'retract',
      source: 'chain',
      leader: LEADER,
      txHash: TX,
      logIndex: 3,
      part: '0xorder',
      seenAtMs: 1,
    });
    expect(gone).toMatchObject({ status: 'retracted', sizeDelta: -10_000_000, trade: { retracted: true } });
    expect(await position()).toBe(0);
    const back = await ingestSighting(deps, fill('chain', '0xorder', 10_000_000));
    expect(back).toMatchObject({ status: 'grew', trade: { retracted: false } });
    expect(await position()).toBe(10_000_000);
    expect(
      await ingestSighting(deps, {
        kind: 'retract',
        source: 'chain',
        leader: LEADER,
        txHash: TX,
        logIndex: 9,
        part: '0xnone',
        seenAtMs: 1,
      }),
    ).toEqual({ status: 'unknown', source: 'chain' });
  });

  it('skips a chain fill of a token no catalog knows, writing nothing', async () => {
    expect(await ingestSighting(deps, fill('chain', '0xz', 1_000_000, { tokenId: '42' }))).toEqual({
      status: 'unresolved',
      source: 'chain',
      tokenId: '42',
    });
    expect(await trades()).toEqual([]);
  });
});
