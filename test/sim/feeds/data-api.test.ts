/** The Data API over real HTTP on 127.0.0.1, driven by a hand-moved clock. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hex } from '../../../src/sim/catalog/model.ts';
import { LAG_MS, makeWorld, startDataApi, type World, wallet } from './fixture.ts';

type Row = Record<string, unknown>;
type Envelope = {
  data: Row[];
  pagination: { limit: number; offset: number; has_more: boolean; next_cursor: string | null };
};

let world: World;
let api: Awaited<ReturnType<typeof startDataApi>>;

beforeEach(async () => {
  world = makeWorld();
  api = await startDataApi(world.hub);
});
afterEach(() => api.close());

const sizes = (rows: Row[]) => rows.map((r) => r.size as number);

/**
 * `n` fills for `w` in groups: every group is one match (one tx hash, one timestamp) of several
 * fills of `w`, with distinct sizes (1, 2, 3, ...) so every row can be told apart.
 */
function publishGroups(w: Hex, groups: number[], stepMs = 1_000): number {
  let size = 0;
  for (const n of groups) {
    const legs = Array.from({ length: n }, () => ({
      wallet: w,
      side: 'BUY' as const,
      outcome: 0 as const,
      size: ++size,
      price: 500_000,
    }));
    world.hub.publish(world.fills.match(world.fills.market(0), legs));
    world.clock.advance(stepMs);
  }
  return size;
}

describe('indexing lag', () => {
  it('hides a fill until lagMs after its match time, on every route', async () => {
    const w = wallet();
    world.hub.publish([world.fills.trade(world.fills.market(0), w, 'BUY', 10, 400_000)]);
    const routes = [
      `/activity?user=${w}`,
      `/trades?user=${w}`,
      `/positions?user=${w}`,
      `/v2/activity?user=${w}`,
      `/v2/trades?user=${w}`,
      `/v2/positions?user=${w}`,
    ];
    const counts = async () =>
      Promise.all(
        routes.map(async (r) => {
          const body = (await api.get(r)).body as Row[] | Envelope;
          return Array.isArray(body) ? body.length : body.data.length;
        }),
      );
    expect(await counts()).toEqual([0, 0, 0, 0, 0, 0]);
    world.clock.advance(LAG_MS - 1);
    expect(await counts()).toEqual([0, 0, 0, 0, 0, 0]);
    world.clock.advance(1);
    expect(await counts()).toEqual([1, 1, 1, 1, 1, 1]);
    expect((await api.get(`/value?user=${w}`)).body).toEqual([{ user: w, value: 4 }]);
  });

  it('a lag spike delays fills matched during it, and later fills queue behind them', async () => {
    const w = wallet();
    const m = world.fills.market(0);
    world.hub.lag.spike(10_000, 2_000);
    world.hub.publish([world.fills.trade(m, w, 'BUY', 1, 400_000)]); // in the spike
    world.clock.advance(3_000);
    world.hub.publish([world.fills.trade(m, w, 'BUY', 2, 400_000)]); // after it
    const seen = async () => sizes((await api.get(`/activity?user=${w}`)).body as Row[]);
    world.clock.advance(LAG_MS); // the second fill's own lag has passed...
    expect(await seen()).toEqual([]); // ...but it waits for the first
    world.clock.advance(LAG_MS + 10_000 - 3_000 - LAG_MS - 1);
    expect(await seen()).toEqual([]);
    world.clock.advance(1);
    expect(await seen()).toEqual([2, 1]);
  });

  it('a new base lag applies to fills matched afterwards only', async () => {
    const w = wallet();
    const m = world.fills.market(0);
    world.hub.publish([world.fills.trade(m, w, 'BUY', 1, 400_000)]);
    world.hub.lag.setBaseMs(20_000);
    world.clock.advance(1_000);
    world.hub.publish([world.fills.trade(m, w, 'BUY', 2, 400_000)]);
    world.clock.advance(LAG_MS);
    expect(sizes((await api.get(`/activity?user=${w}`)).body as Row[])).toEqual([1]);
    world.clock.advance(20_000);
    expect(sizes((await api.get(`/activity?user=${w}`)).body as Row[])).toEqual([2, 1]);
  });
});

describe('v1 /activity and /trades', () => {
  it('lists newest first; rows sharing a second keep their publish order reversed', async () => {
    const w = wallet();
    publishGroups(w, [2, 1, 3]);
    world.clock.advance(LAG_MS);
    const rows = (await api.get(`/activity?user=${w}`)).body as Row[];
    expect(sizes(rows)).toEqual([6, 5, 4, 3, 2, 1]);
    const ts = rows.map((r) => r.timestamp as number);
    expect(ts).toEqual([...ts].sort((a, b) => b - a));
    expect(ts[0]).toBe(Math.floor((world.clock.ms - LAG_MS - 1_000) / 1000));
    const asc = (await api.get(`/activity?user=${w}&sortDirection=ASC`)).body as Row[];
    expect(sizes(asc)).toEqual([1, 2, 3, 4, 5, 6]);
    const byCash = (await api.get(`/activity?user=${w}&sortBy=CASH&sortDirection=ASC`)).body as Row[];
    expect(sizes(byCash)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('pages with offset to the end without gaps or repeats, many rows sharing a tx and a second', async () => {
    const w = wallet();
    const n = publishGroups(w, [4, 7, 1, 5, 6], 400); // several groups also share a second
    world.clock.advance(LAG_MS);
    const all = sizes((await api.get(`/activity?user=${w}&limit=500`)).body as Row[]);
    expect(all).toHaveLength(n);
    for (const limit of [1, 3, 5, 10]) {
      const seen: number[] = [];
      for (let offset = 0; ; offset += limit) {
        const page = (await api.get(`/activity?user=${w}&limit=${limit}&offset=${offset}`)).body as Row[];
        seen.push(...sizes(page));
        if (page.length < limit) break;
      }
      expect(seen).toEqual(all);
    }
    const trades = [];
    for (let offset = 0; offset < n; offset += 4) {
      trades.push(...sizes((await api.get(`/trades?user=${w}&limit=4&offset=${offset}`)).body as Row[]));
    }
    // /trades shows taker fills only by default: the first leg of each group.
    expect(trades).toEqual([18, 13, 12, 5, 1]);
  });

  it('/trades shows each match once (its taker) unless takerOnly=false; /activity shows both sides', async () => {
    const [taker, maker] = [wallet(), wallet()];
    world.hub.publish(
      world.fills.match(world.fills.market(0), [
        { wallet: taker, side: 'BUY', outcome: 0, size: 10, price: 600_000, fee: 96_000 },
        { wallet: maker, side: 'SELL', outcome: 0, size: 10, price: 600_000 },
      ]),
    );
    world.clock.advance(LAG_MS);
    const all = (await api.get('/trades')).body as Row[];
    expect(all.map((r) => [r.proxyWallet, r.side])).toEqual([[taker, 'BUY']]);
    const both = (await api.get('/trades?takerOnly=false')).body as Row[];
    expect(new Set(both.map((r) => r.proxyWallet))).toEqual(new Set([taker, maker]));
    expect(both[0]!.transactionHash).toBe(both[1]!.transactionHash);
    expect(((await api.get(`/trades?user=${maker}`)).body as Row[]).length).toBe(0);
    expect(((await api.get(`/activity?user=${maker}`)).body as Row[]).map((r) => r.side)).toEqual(['SELL']);
  });

  it('filters by side, type, market, eventId, start and end', async () => {
    const w = wallet();
    const [m0, m1] = [world.fills.market(0), world.fills.market(1)];
    world.hub.publish([world.fills.trade(m0, w, 'BUY', 1, 500_000)]);
    world.clock.advance(10_000);
    world.hub.publish([world.fills.trade(m1, w, 'SELL', 2, 500_000)]);
    world.clock.advance(10_000);
    world.hub.publish([world.fills.redeem(m0, w, 0, 1, 1)]);
    world.clock.advance(LAG_MS);
    const get = async (q: string) => sizes((await api.get(`/activity?user=${w}&${q}`)).body as Row[]);
    expect(await get('')).toEqual([1, 2, 1]);
    expect(await get('type=TRADE')).toEqual([2, 1]);
    expect(await get('type=REDEEM')).toEqual([1]);
    // The side filter applies to trades only; the REDEEM row stays.
    expect(await get('side=BUY')).toEqual([1, 1]);
    expect(await get(`market=${m1.conditionId}`)).toEqual([2]);
    expect(await get(`market=${m1.conditionId},${m0.conditionId}`)).toEqual([1, 2, 1]);
    expect(await get(`eventId=${m1.eventId}`)).toEqual([2]);
    const t0 = Math.floor((world.clock.ms - LAG_MS) / 1000) - 20;
    expect(await get(`start=${t0 + 5}`)).toEqual([1, 2]);
    expect(await get(`start=${t0 + 5}&end=${t0 + 15}`)).toEqual([2]);
    const redeem = ((await api.get(`/activity?user=${w}&type=REDEEM`)).body as Row[])[0]!;
    expect(redeem).toMatchObject({ type: 'REDEEM', side: '', price: 0, usdcSize: 1, outcome: 'Yes' });
    expect(sizes((await api.get(`/trades?user=${w}&side=SELL`)).body as Row[])).toEqual([2]);
    expect(sizes((await api.get(`/trades?filterType=TOKENS&filterAmount=1.5`)).body as Row[])).toEqual([2]);
    expect(sizes((await api.get(`/trades?filterType=CASH&filterAmount=0.6`)).body as Row[])).toEqual([2]);
  });

  it('clamps limit above the cap and refuses offset above the cap (400 {error})', async () => {
    const w = wallet();
    const m = world.fills.market(0);
    // 10_005 fills of one wallet in one batch, enough to see both limits clamp.
    const legs = Array.from({ length: 10_005 }, (_, i) => ({
      wallet: w,
      side: 'BUY' as const,
      outcome: 0 as const,
      size: i + 1,
      price: 10_000,
    }));
    world.hub.publish(world.fills.match(m, legs));
    world.clock.advance(LAG_MS);
    expect(((await api.get(`/activity?user=${w}&limit=501`)).body as Row[]).length).toBe(500);
    expect(((await api.get(`/activity?user=${w}&offset=5000&limit=1`)).body as Row[]).length).toBe(1);
    expect(await api.get(`/activity?user=${w}&offset=5001`)).toMatchObject({
      status: 400,
      body: { error: 'max historical activity offset of 5000 exceeded' },
    });
    expect(((await api.get(`/trades?takerOnly=false&limit=20000`)).body as Row[]).length).toBe(10_000);
    expect(((await api.get(`/trades?takerOnly=false&limit=5&offset=10000`)).body as Row[]).length).toBe(5);
    expect(await api.get('/trades?offset=10001')).toEqual(
      expect.objectContaining({
        status: 400,
        body: { error: 'max historical trades offset of 10000 exceeded' },
      }),
    );
    expect(((await api.get(`/activity?user=${w}&limit=0`)).body as Row[]).length).toBe(0);
  });

  it('answers bad input with 400 {error} and never crashes', async () => {
    const w = wallet();
    const bad = [
      '/activity',
      '/activity?user=0x123',
      `/activity?user=${w}&limit=abc`,
      `/activity?user=${w}&limit=-1`,
      `/activity?user=${w}&offset=1.5`,
      `/activity?user=${w}&type=TRADE,BOGUS`,
      `/activity?user=${w}&sortBy=PRICE`,
      `/activity?user=${w}&sortDirection=down`,
      `/activity?user=${w}&side=HOLD`,
      `/activity?user=${w}&market=0xabc`,
      `/activity?user=${w}&eventId=0`,
      `/activity?user=${w}&market=${world.fills.market(0).conditionId}&eventId=1`,
      `/activity?user=${w}&user=${w}`,
      `/activity?user=${w}&start=yesterday`,
      '/trades?takerOnly=maybe',
      '/trades?filterType=CASH',
      '/trades?filterAmount=5',
      '/trades?filterType=CASH&filterAmount=-5',
      '/trades?user=nobody',
      '/positions',
      `/positions?user=${w}&sortBy=SIZE`,
      `/positions?user=${w}&offset=10001`,
      `/positions?user=${w}&title=${'x'.repeat(101)}`,
      '/value',
      '/value?user=0xZZ',
    ];
    for (const path of bad) {
      const res = await api.get(path);
      expect(res.status, path).toBe(400);
      expect(Object.keys(res.body as object), path).toEqual(['error']);
      expect(typeof (res.body as { error: unknown }).error, path).toBe('string');
    }
    expect((await api.get('/activity')).body).toEqual({ error: 'user is required' });
    expect((await api.get(`/activity?user=${w}`)).status).toBe(200);
  });
});

describe('v2 /activity and /trades', () => {
  async function walk(path: string, limit: number) {
    const rows: Row[] = [];
    const offsets: number[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const url: string = cursor ? `${path}${sep}cursor=${cursor}` : `${path}${sep}limit=${limit}`;
      const { status, body } = await api.get(url);
      expect(status).toBe(200);
      const env = body as Envelope;
      expect(env.pagination.limit).toBe(limit);
      expect(env.pagination.has_more).toBe(env.pagination.next_cursor !== null);
      offsets.push(env.pagination.offset);
      rows.push(...env.data);
      cursor = env.pagination.next_cursor;
    } while (cursor);
    return { rows, offsets };
  }

  it('pages with cursors to the end without gaps or repeats; has_more is exact', async () => {
    const w = wallet();
    const n = publishGroups(w, [3, 5, 2, 6, 1, 4], 300);
    world.clock.advance(LAG_MS);
    const expected = Array.from({ length: n }, (_, i) => n - i);
    for (const limit of [1, 4, 7, n]) {
      const { rows, offsets } = await walk(`/v2/activity?user=${w}`, limit);
      expect(sizes(rows)).toEqual(expected);
      expect(offsets).toEqual(offsets.map((_, i) => i * limit));
    }
    const asc = await walk(`/v2/activity?user=${w}&sort_direction=ASC`, 5);
    expect(sizes(asc.rows)).toEqual([...expected].reverse());
    const trades = await walk(`/v2/trades?user=${w}&taker_only=false`, 3);
    expect(sizes(trades.rows)).toEqual(expected);
  });

  it('a fill indexed between pages neither repeats nor shifts the next page', async () => {
    const w = wallet();
    publishGroups(w, [4, 4]);
    world.clock.advance(LAG_MS);
    const first = (await api.get(`/v2/activity?user=${w}&limit=3`)).body as Envelope;
    expect(sizes(first.data)).toEqual([8, 7, 6]);
    world.hub.publish(
      world.fills.match(world.fills.market(0), [
        { wallet: w, side: 'BUY', outcome: 0, size: 99, price: 500_000 },
      ]),
    );
    world.clock.advance(LAG_MS);
    const second = (await api.get(`/v2/activity?user=${w}&cursor=${first.pagination.next_cursor}`))
      .body as Envelope;
    expect(sizes(second.data)).toEqual([5, 4, 3]);
    expect(second.pagination.offset).toBe(3);
    expect(sizes(((await api.get(`/v2/activity?user=${w}&limit=1`)).body as Envelope).data)).toEqual([99]);
  });

  it('accepts camelCase and snake_case parameters and the condition aliases', async () => {
    const [taker, maker] = [wallet(), wallet()];
    const m = world.fills.market(2);
    world.hub.publish(
      world.fills.match(m, [
        { wallet: taker, side: 'SELL', outcome: 1, size: 3, price: 200_000 },
        { wallet: maker, side: 'BUY', outcome: 1, size: 3, price: 200_000 },
      ]),
    );
    world.clock.advance(LAG_MS);
    const n = async (q: string) => ((await api.get(`/v2/trades?${q}`)).body as Envelope).data.length;
    expect(await n(`condition=${m.conditionId}`)).toBe(1);
    expect(await n(`condition=${m.conditionId}&taker_only=false`)).toBe(2);
    expect(await n(`conditionId=${m.conditionId}&takerOnly=false`)).toBe(2);
    expect(await n(`condition_id=${m.conditionId}&takerOnly=false`)).toBe(2);
    expect(await n(`event_id=${m.eventId}&taker_only=false&side=BUY`)).toBe(1);
    expect(await n(`user=${maker}`)).toBe(0);
    expect(await n(`user=${maker}&takerOnly=false`)).toBe(1);
    // The dust floor always applies: 0.01 tokens by default, or what filter_amount says.
    expect(await n(`condition=${m.conditionId}&filter_amount=3.01`)).toBe(0);
    expect(await n(`condition=${m.conditionId}&filter_type=CASH&filter_amount=0.6`)).toBe(1);
    // The bare global feed: everything recent, taker side.
    expect(((await api.get('/v2/trades')).body as Envelope).data.map((r) => r.proxy_wallet)).toEqual([taker]);
  });

  it('keeps the global feed to the current and the previous month', async () => {
    const w = wallet();
    const m = world.fills.market(0);
    world.hub.publish([world.fills.trade(m, w, 'BUY', 1, 500_000)]);
    world.clock.advance(75 * 86_400_000); // two calendar months on
    world.hub.publish([world.fills.trade(m, w, 'BUY', 2, 500_000)]);
    world.clock.advance(LAG_MS);
    expect(sizes(((await api.get('/v2/trades')).body as Envelope).data)).toEqual([2]);
    expect(sizes(((await api.get(`/v2/trades?user=${w}`)).body as Envelope).data)).toEqual([2, 1]);
    expect(sizes(((await api.get(`/v2/trades?condition=${m.conditionId}`)).body as Envelope).data)).toEqual([
      2, 1,
    ]);
  });

  it('answers errors with {error, code, retryable, trace_id, parameter?} and x-trace-id', async () => {
    const w = wallet();
    const cases: [string, number, string, string | undefined][] = [
      [`/v2/activity?user=${w}&offset=0`, 400, 'invalid_request', 'offset'],
      [`/v2/trades?offset=5`, 400, 'invalid_request', 'offset'],
      [`/v2/activity?user=${w}&limit=1001`, 400, 'invalid_request', 'limit'],
      [`/v2/trades?limit=1001`, 400, 'invalid_request', 'limit'],
      [`/v2/positions?user=${w}&limit=5000`, 400, 'invalid_request', 'limit'],
      ['/v2/activity', 400, 'invalid_request', 'user'],
      ['/v2/positions', 400, 'invalid_request', 'user'],
      [`/v2/activity?user=${w}&cursor=not-a-cursor`, 400, 'invalid_request', 'cursor'],
      [`/v2/activity?user=${w}&sort_by=CASH`, 400, 'invalid_request', 'sort_by'],
      [`/v2/trades?takerOnly=perhaps`, 400, 'invalid_request', 'taker_only'],
      [
        `/v2/trades?condition=${Array.from({ length: 21 }, (_, i) => `0x${String(i).padStart(64, '0')}`).join(',')}`,
        400,
        'invalid_request',
        'condition',
      ],
      ['/v2/no-such-route', 404, 'not_found', undefined],
    ];
    for (const [path, status, code, parameter] of cases) {
      const res = await api.get(path);
      expect(res.status, path).toBe(status);
      const body = res.body as Record<string, unknown>;
      expect(body, path).toMatchObject({ code, retryable: false });
      expect(typeof body.error, path).toBe('string');
      expect(body.trace_id, path).toBe(res.headers.get('x-trace-id'));
      expect(body.parameter, path).toBe(parameter);
      expect(Object.keys(body).sort(), path).toEqual(
        ['code', 'error', 'retryable', 'trace_id', ...(parameter ? ['parameter'] : [])].sort(),
      );
    }
    const post = await api.get('/v2/trades', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.body).toMatchObject({ code: 'method_not_allowed', retryable: false });
    const ok = await api.get(`/v2/activity?user=${w}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(ok.body).toEqual({
      data: [],
      pagination: { limit: 100, offset: 0, has_more: false, next_cursor: null },
    });
    // 20 distinct ids are fine.
    const twenty = Array.from({ length: 20 }, (_, i) => `0x${String(i).padStart(64, '0')}`).join(',');
    expect((await api.get(`/v2/trades?condition=${twenty}`)).status).toBe(200);
  });
});
