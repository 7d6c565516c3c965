/**
 * Our rows and messages have the shape (keys, value kinds, string kinds) of the captured samples.
 *
 * Profile strings are empty for some users and not for others in the real data, and `shapeOf`
 * tells "" from text. Each sample row is therefore compared with a row of a wallet whose invented
 * profile is of the same kind (see profile.ts): never by loosening the comparison.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RtdsServer, startRtdsServer } from '../../../src/sim/feeds/rtds-server.ts';
import { readSample, shapeOf } from '../../support/shape.ts';
import { LAG_MS, makeWorld, startDataApi, type World, WsProbe, walletOfKind } from './fixture.ts';

type Row = Record<string, unknown>;

describe('Data API rows have the samples’ shapes', () => {
  let world: World;
  let api: Awaited<ReturnType<typeof startDataApi>>;

  beforeAll(async () => {
    world = makeWorld();
    api = await startDataApi(world.hub);
  });
  afterAll(() => api.close());

  /** Publishes one taker BUY of `w` and lets the indexing lag pass. */
  function buy(w: `0x${string}`, size = 600, p = 590_000) {
    world.hub.publish([world.fills.trade(world.fills.market(1), w, 'BUY', size, p, 1)]);
    world.clock.advance(LAG_MS);
  }

  it('v1 /activity row = data_api_activity_v1_docs.json', async () => {
    // The docs row: named user with a profile image, no bio, no optimized image.
    const w = walletOfKind('named-image');
    buy(w);
    const { status, body } = await api.get(`/activity?user=${w}`);
    expect(status).toBe(200);
    const sample = readSample('data_api_activity_v1_docs.json') as Row[];
    expect(shapeOf(body)).toEqual(shapeOf(sample));
    // The docs sample's ids are shortened, so lengths are checked on ours alone.
    const row = (body as Row[])[0]!;
    expect(row.conditionId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(row.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(row.asset).toMatch(/^[1-9]\d{76}$/);
    expect(Object.keys(row)).toEqual(Object.keys(sample[0]!));
  });

  it('v1 /trades rows = each row of data_api_trades_v1_excerpt.json (named, default-named, with image)', async () => {
    const sample = readSample('data_api_trades_v1_excerpt.json') as Row[];
    const kinds = ['named', 'default', 'named-image'] as const;
    for (const [i, kind] of kinds.entries()) {
      const w = walletOfKind(kind);
      buy(w, 8643, 680_000);
      const { body } = await api.get(`/trades?user=${w}`);
      expect((body as Row[]).length).toBe(1);
      expect(shapeOf((body as Row[])[0]), `sample row ${i} (${kind})`).toEqual(shapeOf(sample[i]));
      expect(Object.keys((body as Row[])[0]!)).toEqual(Object.keys(sample[i]!));
    }
    // The never-named account's name is its checksummed address and a creation time in ms.
    const w = walletOfKind('default');
    buy(w);
    const { body } = await api.get(`/trades?user=${w}`);
    expect((body as Row[])[0]!.name).toMatch(/^0x[0-9a-fA-F]{40}-\d{13}$/);
    expect(((body as Row[])[0]!.name as string).toLowerCase().startsWith(w)).toBe(true);
  });

  it('v2 /trades envelope and row = data_api_trades_v2_sanitized.json', async () => {
    // The sanitized sample fills every profile field (bio and optimized image included), which
    // real rows mostly leave empty; it is matched with a "full" profile, the kind that has them.
    const w = walletOfKind('full');
    buy(w, 92.59, 700_000);
    const { status, body, headers } = await api.get(`/v2/trades?user=${w}`);
    expect(status).toBe(200);
    expect(headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    const sample = readSample('data_api_trades_v2_sanitized.json') as { data: Row[] };
    // The sample is a last page (has_more false, next_cursor null), like ours here.
    expect(shapeOf(body)).toEqual(shapeOf(sample));
    expect(Object.keys((body as { data: Row[] }).data[0]!)).toEqual(Object.keys(sample.data[0]!));
  });

  it('v2 /activity rows carry exactly the documented keys', async () => {
    const w = walletOfKind('named');
    buy(w);
    const { body } = await api.get(`/v2/activity?user=${w}`);
    const row = (body as { data: Row[] }).data[0]!;
    expect(Object.keys(row).sort()).toEqual(
      [
        'proxy_wallet',
        'timestamp',
        'condition_id',
        'type',
        'size',
        'usdc_size',
        'transaction_hash',
        'price',
        'token_id',
        'side',
        'outcome_index',
        'title',
        'slug',
        'icon',
        'event_slug',
        'outcome',
        'name',
        'pseudonym',
        'bio',
        'profile_image',
        'profile_image_optimized',
      ].sort(),
    );
    expect(row.timestamp).toBe(Math.floor(world.clock.ms / 1000) - LAG_MS / 1000);
  });

  it('position rows carry exactly the documented keys (v1 and v2)', async () => {
    const w = walletOfKind('named');
    buy(w, 50, 400_000);
    const v1 = (await api.get(`/positions?user=${w}`)).body as Row[];
    expect(Object.keys(v1[0]!).sort()).toEqual(
      [
        'proxyWallet',
        'asset',
        'conditionId',
        'size',
        'avgPrice',
        'initialValue',
        'currentValue',
        'cashPnl',
        'percentPnl',
        'totalBought',
        'realizedPnl',
        'percentRealizedPnl',
        'curPrice',
        'redeemable',
        'mergeable',
        'title',
        'slug',
        'icon',
        'eventSlug',
        'outcome',
        'outcomeIndex',
        'oppositeOutcome',
        'oppositeAsset',
        'endDate',
        'negativeRisk',
      ].sort(),
    );
    const v2 = (await api.get(`/v2/positions?user=${w}`)).body as { data: Row[] };
    expect(Object.keys(v2.data[0]!).sort()).toEqual(
      [
        'proxy_wallet',
        'token_id',
        'condition_id',
        'current_size',
        'avg_price',
        'entry_cost_usdc',
        'entry_fees_usdc',
        'total_cost_usdc',
        'current_price',
        'current_value',
        'total_size',
        'realized_pnl',
        'unrealized_pnl',
        'total_pnl',
        'percent_pnl',
        'percent_realized_pnl',
        'status',
        'redeemable',
        'mergeable',
        'negative_risk',
        'archived',
        'title',
        'slug',
        'icon',
        'event_id',
        'event_slug',
        'outcome',
        'outcome_index',
        'opposite_outcome',
        'opposite_token_id',
        'end_date',
        'last_event_at',
        'first_entry_at',
        'name',
        'profile_image',
        'verified',
      ].sort(),
    );
    expect(v2.data[0]!.end_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('RTDS messages have the sample’s shape', () => {
  let world: World;
  let rtds: RtdsServer;

  beforeAll(async () => {
    world = makeWorld();
    rtds = await startRtdsServer({ hub: world.hub, keepaliveMs: 0, protocolPingMs: 0 });
  });
  afterAll(() => rtds.close());

  it('taker row with fee and no profile = frame 0; maker row with a profile, no fee = frame 1', async () => {
    const probe = new WsProbe(rtds.url);
    await probe.opened();
    probe.subscribe([{ topic: 'activity', type: 'trades' }]);
    await probe.roundTrip();
    const taker = walletOfKind('anonymous');
    const maker = walletOfKind('named');
    // A MINT match as in the capture: BUY No @0.03 (taker, pays a fee) vs BUY Yes @0.97.
    world.hub.publish(
      world.fills.match(world.fills.market(0), [
        { wallet: taker, side: 'BUY', outcome: 1, size: 1030.92, price: 30_000, fee: 1_530_900 },
        { wallet: maker, side: 'BUY', outcome: 0, size: 1030.92, price: 970_000 },
      ]),
    );
    await probe.until(() => probe.messages().length === 2);
    const [a, b] = probe.messages();
    const sample = readSample('rtds_activity_trades.json') as Row[];
    // `fee` is optional: present on the taker's row only, in the capture and here.
    expect('fee' in (sample[0]!.payload as Row)).toBe(true);
    expect('fee' in (sample[1]!.payload as Row)).toBe(false);
    expect(shapeOf(a)).toEqual(shapeOf(sample[0]));
    expect(shapeOf(b)).toEqual(shapeOf(sample[1]));
    probe.close();
  });
});
