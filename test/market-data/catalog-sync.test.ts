import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMarketCatalog } from '../../src/market-data/catalog.ts';
import {
  CatalogSyncError,
  type CatalogSyncOptions,
  type CatalogSyncProgress,
  type MalformedGammaMarket,
  type RetryNotice,
  syncCatalog,
} from '../../src/market-data/catalog-sync.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import type { Store } from '../../src/store/index.ts';
import { forEachEngine, openTestStore, type TestStore } from '../support/engines.ts';
import { deadPort } from '../support/ports.ts';

/** 9 binary markets and two neg-risk events (4 and 3 markets): 16 markets, 4 pages of 5. */
const MARKETS = { binary: 9, negRiskEvents: [4, 3] } as const;
const FAST_RETRY = { attempts: 3, backoff: { initialMs: 5, maxMs: 20 } };

async function rows(store: Store) {
  const markets = await store.db.selectFrom('markets').selectAll().orderBy('condition_id').execute();
  const tokens = await store.db.selectFrom('tokens').selectAll().orderBy('token_id').execute();
  return { markets, tokens };
}

/** Rows without the times a sync stamps, to compare two syncs. */
async function rowsWithoutTimes(store: Store) {
  const { markets, tokens } = await rows(store);
  return {
    markets: markets.map(({ updated_at: _u, created_at: _c, ...rest }) => rest),
    tokens: tokens.map(({ updated_at: _u, ...rest }) => rest),
  };
}

/** Requests the sync made, in order; `extra` runs once each is answered. */
function recording(extra?: (url: string, n: number) => void) {
  const urls: string[] = [];
  const f: typeof fetch = (input, init) => {
    urls.push(String(input));
    const n = urls.length;
    return fetch(input, init).then((res) => {
      extra?.(String(input), n);
      return res;
    });
  };
  return { urls, fetch: f };
}

/** A small stand-in Gamma serving `markets` (any JSON values) with offset paging. */
async function fakeGamma(markets: readonly unknown[]): Promise<{ url: string; app: FastifyInstance }> {
  const app = Fastify();
  app.get<{ Querystring: { limit?: string; offset?: string; closed?: string } }>('/markets', async (req) => {
    if (req.query.closed === 'true') return [];
    const offset = Number(req.query.offset ?? 0);
    return markets.slice(offset, offset + Number(req.query.limit ?? 20));
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, app };
}

forEachEngine('catalog sync against the simulator', (engine) => {
  let sim: Simulator;
  let t: TestStore;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, chain: false, traders: false, markets: MARKETS });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(async () => {
    t = await openTestStore(engine);
  });
  afterEach(async () => {
    sim.httpFaults.gamma.clear();
    await t.dispose();
  });

  const sync = (over: Partial<CatalogSyncOptions> = {}) =>
    syncCatalog({ store: t.store, gammaUrl: sim.urls.gamma, pageSize: 5, retry: FAST_RETRY, ...over });

  it('stores every open market and its tokens, page by page, as the catalog would', async () => {
    const open = sim.venue.catalog.markets.filter((m) => !m.closed);
    expect(open).toHaveLength(16);
    const f = recording();
    const pages: CatalogSyncProgress[] = [];
    const result = await sync({ fetch: f.fetch, onPage: (p) => pages.push(p) });

    expect(result).toMatchObject({
      gammaUrl: sim.urls.gamma,
      read: 16,
      saved: 16,
      created: 16,
      malformed: 0,
      withoutTokens: 0,
      pages: 4,
      stopped: false,
      includedClosed: false,
    });
    expect(pages.map((p) => p.read)).toEqual([5, 10, 15, 16]);
    expect(f.urls.map((u) => new URL(u).search)).toEqual(
      [0, 5, 10, 15].map((o) => `?limit=5&offset=${o}&closed=false&order=id&ascending=true`),
    );

    const { markets, tokens } = await rows(t.store);
    expect(markets.map((m) => m.condition_id).sort()).toEqual(open.map((m) => m.conditionId).sort());
    expect(tokens.map((x) => x.token_id).sort()).toEqual(
      open.flatMap((m) => m.tokens.map((x) => x.tokenId)).sort(),
    );
    // What the sync stored is what the catalog serves, without asking Gamma again.
    const asked = recording();
    const catalog = createMarketCatalog({
      store: t.store,
      gammaUrl: sim.urls.gamma,
      now: () => Date.now(),
      fetch: asked.fetch,
    });
    const market = open.find((m) => m.negRisk)!;
    expect(await catalog.byToken(market.tokens[1].tokenId)).toMatchObject({
      conditionId: market.conditionId,
      negRisk: true,
      tickSize: market.tickSize,
      minSize: market.minSize,
      closed: false,
      tokens: market.tokens.map((x, i) => ({ tokenId: x.tokenId, outcomeIndex: i, winner: null })),
    });
    expect(asked.urls).toEqual([]);
  });

  it('a second run changes nothing and finds nothing new', async () => {
    await sync();
    const before = await rowsWithoutTimes(t.store);
    const again = await sync({ pageSize: 500 });
    expect(again).toMatchObject({ read: 16, saved: 16, created: 0, malformed: 0, pages: 1 });
    expect(await rowsWithoutTimes(t.store)).toEqual(before);
  });

  it('reads at most --max markets, asking only for what is left', async () => {
    const f = recording();
    const result = await sync({ max: 7, fetch: f.fetch });
    expect(result).toMatchObject({ read: 7, saved: 7, pages: 2 });
    expect(f.urls.map((u) => new URL(u).searchParams.get('limit'))).toEqual(['5', '2']);
    expect((await rows(t.store)).markets).toHaveLength(7);
  });

  it('asks again after a failed page and carries on', async () => {
    sim.httpFaults.gamma.nextResponses(503, 1);
    sim.httpFaults.gamma.nextResponses(502, 1);
    const retries: RetryNotice[] = [];
    const result = await sync({ onRetry: (r) => retries.push(r) });
    expect(result).toMatchObject({ read: 16, saved: 16, pages: 4 });
    expect(retries.map((r) => [r.retry, r.error.slice(0, 20)])).toEqual([
      [1, 'Gamma answered 503: '],
      [2, 'Gamma answered 502: '],
    ]);
    expect(retries[0]!.url).toContain('offset=0');
  });

  it('gives up on a Gamma outage with the URL and how far it got; what was saved stays', async () => {
    // The first page is served, then Gamma answers 503 to everything.
    const f = recording((_url, n) => {
      if (n === 1) sim.httpFaults.gamma.nextResponses(503, 100);
    });
    const retries: RetryNotice[] = [];
    const error = await sync({ fetch: f.fetch, onRetry: (r) => retries.push(r) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogSyncError);
    const e = error as CatalogSyncError;
    expect(e.url).toBe(`${sim.urls.gamma}/markets?limit=5&offset=5&closed=false&order=id&ascending=true`);
    expect(e.message).toContain(`catalog sync gave up on ${e.url} (asked 3 times): Gamma answered 503`);
    expect(e.message).toContain('Got through 5 markets in 1 pages, 5 saved (5 new)');
    expect(e.retryable).toBe(true);
    expect(e.result).toMatchObject({ read: 5, saved: 5, pages: 1, stopped: false });
    expect(f.urls).toHaveLength(4);
    expect(retries).toHaveLength(2);
    expect((await rows(t.store)).markets).toHaveLength(5);
  });

  it('stops between pages when its signal is aborted, keeping what it saved', async () => {
    const stop = new AbortController();
    const result = await sync({ signal: stop.signal, onPage: (p) => p.pages === 2 && stop.abort() });
    expect(result).toMatchObject({ read: 10, saved: 10, pages: 2, stopped: true });
    expect((await rows(t.store)).markets).toHaveLength(10);
  });
});

describe('catalog sync with closed markets', () => {
  let sim: Simulator;
  let t: TestStore;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 12, chain: false, traders: false, markets: MARKETS });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(async () => {
    t = await openTestStore('sqlite');
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('leaves closed markets out unless asked, then stores them with their winners', async () => {
    const [first, second] = sim.venue.catalog.markets.filter((m) => !m.negRisk);
    sim.venue.engine.resolveMarket(first!.conditionId, first!.tokens[0].tokenId);
    sim.venue.engine.resolveMarket(second!.conditionId, second!.tokens[1].tokenId);
    const closedIds = [first!.conditionId, second!.conditionId];

    const openOnly = await syncCatalog({ store: t.store, gammaUrl: sim.urls.gamma, pageSize: 5 });
    expect(openOnly).toMatchObject({ read: 14, saved: 14, created: 14 });
    const stored = (await rows(t.store)).markets.map((m) => m.condition_id);
    expect(stored).not.toContain(closedIds[0]);

    const f = recording();
    const all = await syncCatalog({
      store: t.store,
      gammaUrl: sim.urls.gamma,
      pageSize: 5,
      includeClosed: true,
      fetch: f.fetch,
    });
    // Open: 5 + 5 + 4 (short); closed: 2 (short).
    expect(all).toMatchObject({ read: 16, saved: 16, created: 2, pages: 4, includedClosed: true });
    expect(f.urls.at(-1)).toContain('offset=0&closed=true');
    const { markets, tokens } = await rows(t.store);
    expect(markets).toHaveLength(16);
    expect(
      markets
        .filter((m) => m.closed === 1)
        .map((m) => m.condition_id)
        .sort(),
    ).toEqual(closedIds.sort());
    const winners = tokens.filter((x) => x.winner === 1).map((x) => x.token_id);
    expect(winners.sort()).toEqual([first!.tokens[0].tokenId, second!.tokens[1].tokenId].sort());
  });
});

describe('catalog sync against a misbehaving Gamma', () => {
  let sim: Simulator;
  let t: TestStore;
  const servers: FastifyInstance[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ seed: 13, chain: false, traders: false });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(async () => {
    t = await openTestStore('sqlite');
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    await t.dispose();
  });

  /** Real market objects as the simulator's Gamma renders them. */
  async function realMarkets(n: number): Promise<Record<string, unknown>[]> {
    const res = await fetch(`${sim.urls.gamma}/markets?limit=${n}`);
    return (await res.json()) as Record<string, unknown>[];
  }

  it('skips and counts a malformed market, reporting its id and condition id, and saves the rest', async () => {
    const good = await realMarkets(5);
    const badCondition = { ...good[1]!, id: '90001', conditionId: 'condition-1' };
    const tokenMismatch = { ...good[2]!, id: '90002', clobTokenIds: JSON.stringify(['1', '2', '3']) };
    const unlisted = {
      ...Object.fromEntries(Object.entries(good[3]!).filter(([k]) => k !== 'clobTokenIds')),
      id: '90003',
    };
    const hugeMinSize = { ...good[4]!, id: '90004', orderMinSize: 1e20 };
    const page = [
      good[0],
      badCondition,
      'not a market',
      tokenMismatch,
      good[1],
      unlisted,
      good[2],
      hugeMinSize,
    ];
    const gamma = await fakeGamma(page);
    servers.push(gamma.app);

    const malformed: MalformedGammaMarket[] = [];
    const result = await syncCatalog({
      store: t.store,
      gammaUrl: gamma.url,
      pageSize: 3,
      onMalformed: (m) => malformed.push(m),
    });
    expect(result).toMatchObject({ read: 8, saved: 3, created: 3, malformed: 4, withoutTokens: 1, pages: 3 });
    expect(malformed.map(({ reason: _r, ...m }) => m)).toEqual([
      { id: '90001', conditionId: 'condition-1', offset: 1, closed: false },
      { id: null, conditionId: null, offset: 2, closed: false },
      { id: '90002', conditionId: good[2]!.conditionId, offset: 3, closed: false },
      { id: '90004', conditionId: good[4]!.conditionId, offset: 7, closed: false },
    ]);
    expect(malformed[0]!.reason).toBe('conditionId: not a 0x-prefixed hex id');
    expect(malformed[2]!.reason).toBe('clobTokenIds: 3 token ids for 2 outcomes');
    expect(malformed[3]!.reason).toMatch(/^outside the safe integer range of micro-units/);
    const stored = (await rows(t.store)).markets.map((m) => m.condition_id).sort();
    expect(stored).toEqual([good[0]!.conditionId, good[1]!.conditionId, good[2]!.conditionId].sort());
  });

  it('gives up at once on a refusal that asking again cannot fix (a 4xx)', async () => {
    const app = Fastify();
    app.get('/markets', async (_req, reply) => reply.code(422).send({ error: 'offset is not supported' }));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    servers.push(app);
    const f = recording();
    const error = (await syncCatalog({ store: t.store, gammaUrl: url, fetch: f.fetch }).catch(
      (e: unknown) => e,
    )) as CatalogSyncError;
    expect(error).toBeInstanceOf(CatalogSyncError);
    expect(error.message).toContain('(asked once): Gamma answered 422: {"error":"offset is not supported"}');
    expect(error.retryable).toBe(false);
    expect(f.urls).toHaveLength(1);
  });

  it('asks again when the body is not a list, then names what it got', async () => {
    const app = Fastify();
    app.get('/markets', async () => ({ markets: [] }));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    servers.push(app);
    const error = (await syncCatalog({ store: t.store, gammaUrl: url, retry: FAST_RETRY }).catch(
      (e: unknown) => e,
    )) as CatalogSyncError;
    expect(error.message).toContain('(asked 3 times): Gamma answered JSON that is not a list of markets');
  });

  it('says it cannot reach Gamma when nothing listens there', async () => {
    const url = `http://127.0.0.1:${await deadPort()}`;
    const error = (await syncCatalog({ store: t.store, gammaUrl: url, retry: FAST_RETRY }).catch(
      (e: unknown) => e,
    )) as CatalogSyncError;
    expect(error).toBeInstanceOf(CatalogSyncError);
    expect(error.message).toMatch(
      new RegExp(
        `^catalog sync gave up on ${url}/markets\\?limit=500&offset=0&\\S+ \\(asked 3 times\\): cannot reach Gamma at `,
      ),
    );
    expect(error.message).toContain('Got through 0 markets in 0 pages, 0 saved (0 new)');
  });

  it('gives up on a page that does not come within the time limit', async () => {
    const app = Fastify();
    app.get('/markets', async () => {
      await new Promise((r) => setTimeout(r, 500));
      return [];
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    servers.push(app);
    const error = (await syncCatalog({
      store: t.store,
      gammaUrl: url,
      retry: { ...FAST_RETRY, attempts: 2 },
      requestTimeoutMs: 50,
    }).catch((e: unknown) => e)) as CatalogSyncError;
    expect(error.message).toContain('(asked 2 times): no answer within 50 ms');
  });

  it('refuses a page size outside 1..500 before asking anything', async () => {
    for (const pageSize of [0, 501, 2.5]) {
      await expect(syncCatalog({ store: t.store, gammaUrl: sim.urls.gamma, pageSize })).rejects.toThrow(
        /^page size must be a whole number 1\.\.500/,
      );
    }
  });
});
