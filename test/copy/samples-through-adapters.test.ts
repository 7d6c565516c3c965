/**
 * The real captured payloads, through every detection adapter and the one ingest path into a real
 * database: Data API activity (v1 rows), RTDS `activity` frames, and V2 and V1 `OrderFilled` logs.
 * Each becomes exactly one stored leader trade with the amounts the capture says; feeding them all
 * again (another source, or a restart) changes nothing.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type IngestDeps, ingestSighting } from '../../src/copy/ingest/index.ts';
import type { LeaderSighting } from '../../src/copy/sighting.ts';
import { toSighting, tradeRowOf } from '../../src/copy/sources/api/index.ts';
import { sightingFromFill } from '../../src/copy/sources/chain/index.ts';
import { rtdsPart, rtdsRowIdentity, sightingFromRtds } from '../../src/copy/sources/rtds/index.ts';
import { decodeOrderFilled, type MinedOrderFilled } from '../../src/polymarket/chain/index.ts';
import { parseRows } from '../../src/polymarket/data-api/index.ts';
import { rtdsActivityTradeMessageSchema } from '../../src/polymarket/rtds/index.ts';
import { forEachEngine, openTestStore, type TestStore } from '../support/engines.ts';
import { readSample } from '../support/shape.ts';

const SEEN = 1_790_000_000_000;

function apiSightings(): LeaderSighting[] {
  const bad = { warn: () => expect.unreachable('the sample row is valid') };
  const rows = parseRows(readSample('data_api_activity_v1_docs.json') as unknown[], 'v1', bad, '/activity');
  expect(rows).toHaveLength(1);
  return rows.map((row) => {
    const trade = tradeRowOf(row, row.proxyWallet);
    if ('skip' in trade) throw new Error(trade.skip);
    return toSighting(trade, trade.base, SEEN, false);
  });
}

function rtdsSightings(): LeaderSighting[] {
  const frames = (readSample('rtds_activity_trades.json') as unknown[]).map((m) =>
    rtdsActivityTradeMessageSchema.parse(m),
  );
  return frames.map((m) =>
    sightingFromRtds(m, { part: rtdsPart(rtdsRowIdentity(m.payload), 0), seenAtMs: SEEN, raw: m }),
  );
}

function chainSightings(): LeaderSighting[] {
  return ['order_filled_v2_log.json', 'order_filled_v1_log.json'].map((name) => {
    const raw = readSample(name);
    return sightingFromFill({
      kind: 'fill',
      fill: decodeOrderFilled(raw) as MinedOrderFilled,
      blockTimeMs: SEEN - 5_000,
      blockTimeEstimated: false,
      receivedAtMs: SEEN,
      backfill: false,
      raw,
    });
  });
}

forEachEngine('the real samples through the adapters into the store', (engine) => {
  let t: TestStore;
  let deps: IngestDeps;
  beforeEach(async () => {
    t = await openTestStore(engine);
    // The chain names only token ids; the catalog lookup is the one thing not under test here.
    deps = {
      store: t.store,
      now: () => SEEN,
      resolveToken: async () => ({ conditionId: '0xc0', outcome: null }),
    };
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('stores each captured fill once with its exact amounts, and again changes nothing', async () => {
    const sightings = [...apiSightings(), ...rtdsSightings(), ...chainSightings()];
    const first = [];
    for (const s of sightings) first.push((await ingestSighting(deps, s)).status);
    // Two RTDS frames are one transaction's two maker fills of different leaders: distinct trades.
    expect(first.every((s) => s === 'new')).toBe(true);

    const rows = await t.store.db
      .selectFrom('leader_trades')
      .select(['leader_address', 'side', 'price', 'size', 'usdc_size', 'first_source', 'tx_hash'])
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(sightings.length);
    expect(new Set(rows.map((r) => r.first_source))).toEqual(new Set(['api', 'rtds', 'chain']));
    // The v1 docs row: BUY 600 No at 0.59 for 354 USDC.
    expect(rows[0]).toMatchObject({ side: 'BUY', price: 590_000, size: 600_000_000, usdc_size: 354_000_000 });
    // The V2 log: the leader (maker) sold 4.18 shares at 0.94 for 3.9292 pUSD.
    const v2 = rows.find(
      (r) => r.tx_hash === '0x21d27b0fde210ccb5e6480e3f479f342743aa1f854199d57cafab2553d9a516e',
    );
    expect(v2).toMatchObject({ side: 'SELL', price: 940_000, size: 4_180_000, usdc_size: 3_929_200 });

    for (const s of sightings) {
      const again = await ingestSighting(deps, { ...s, seenAtMs: SEEN + 1_000 });
      expect(again.status).toBe('seen');
    }
    const count = await t.store.db
      .selectFrom('leader_trades')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(sightings.length);
    const raw = await t.store.db
      .selectFrom('trade_raw')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(raw.n)).toBe(sightings.length);
  });
});
