import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { crossOnce } from '../support/sim-orders.ts';

const WALLET = '0x00000000000000000000000000000000000c0de0';

describe('control API', () => {
  let sim: Simulator;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(sim.urls.control + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sim = await startSimulator({ seed: 21, blockTimeMs: 0, dataApiLagMs: 0, traders: false });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('reports the seed and the markets', async () => {
    const state = (await (await fetch(`${sim.urls.control}/_sim/state`)).json()) as {
      seed: number;
      markets: { conditionId: string }[];
    };
    expect(state.seed).toBe(21);
    expect(state.markets.map((m) => m.conditionId)).toEqual(
      sim.venue.catalog.markets.map((m) => m.conditionId),
    );
  });

  it('funds a wallet with pUSD and complete sets', async () => {
    const market = sim.venue.catalog.markets[0]!;
    const r = await post('/_sim/fund', {
      address: WALLET,
      usdc: '250.5',
      splits: [{ conditionId: market.conditionId, shares: '20' }],
    });
    expect(r.status).toBe(200);
    // 250.5 deposited, 20 spent minting 20 YES + 20 NO.
    expect(sim.venue.engine.balance(WALLET).balance).toBe(230_500_000);
    expect(sim.venue.engine.position(WALLET, market.tokens[0].tokenId).balance).toBe(20_000_000);
    expect(sim.venue.engine.position(WALLET, market.tokens[1].tokenId).balance).toBe(20_000_000);
  });

  it('answers a malformed body with a 400 naming the field', async () => {
    const r = await post('/_sim/fund', { address: '0x12', usdc: '1e9' });
    expect(r.status).toBe(400);
    expect(String(r.body.error)).toMatch(
      /address: a 0x-prefixed 40-hex-digit address; usdc: a decimal string/,
    );
    const notJson = await fetch(`${sim.urls.control}/_sim/fund`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(notJson.status).toBe(400);
  });

  it('mines on request and delays the Data API on a lag spike', async () => {
    const before = (await post('/_sim/mine', {})).body.number as number;
    expect((await post('/_sim/mine', {})).body.number).toBe(before + 1);

    const spike = await post('/_sim/faults/data-lag', { extraMs: 60_000, durationMs: 60_000 });
    expect(spike.status).toBe(200);
    const { take } = await crossOnce(sim.venue, '0x00000000000000000000000000000000000000a1', WALLET);
    expect(take.trades).toHaveLength(1);
    const activity = (await (await fetch(`${sim.urls.dataApi}/activity?user=${WALLET}`)).json()) as unknown[];
    expect(activity).toEqual([]);
    expect(sim.feeds.all().length).toBeGreaterThan(0);
  });

  it('resolves a market: Gamma then lists it only with closed=true', async () => {
    const market = sim.venue.catalog.markets[1]!;
    const r = await post('/_sim/resolve', { conditionId: market.conditionId, winningOutcome: 'No' });
    expect(r.body).toEqual({ conditionId: market.conditionId, winningTokenId: market.tokens[1].tokenId });
    const open = (await (await fetch(`${sim.urls.gamma}/markets?limit=100`)).json()) as {
      conditionId: string;
    }[];
    expect(open.map((m) => m.conditionId)).not.toContain(market.conditionId);
    const closed = (await (await fetch(`${sim.urls.gamma}/markets?closed=true`)).json()) as {
      conditionId: string;
    }[];
    expect(closed.map((m) => m.conditionId)).toEqual([market.conditionId]);
    expect(
      (await post('/_sim/resolve', { conditionId: `0x${'ab'.repeat(32)}`, winningOutcome: 'Yes' })).status,
    ).toBe(404);
  });

  it('silences RTDS and resumes it', async () => {
    expect((await post('/_sim/faults/rtds-silence', { on: true })).body).toEqual({
      silent: true,
      forS: null,
    });
    expect((await post('/_sim/faults/rtds-silence', { on: false })).body).toEqual({ silent: false });
    expect((await post('/_sim/faults/rtds-drop', {})).body).toEqual({ dropped: 0 });
  });

  it('refuses an unknown fault or bad parameters with a 400 naming them', async () => {
    const unknown = await post('/_sim/faults/meteor', {});
    expect(unknown.status).toBe(400);
    expect(String(unknown.body.error)).toMatch(/unknown fault "meteor"; known: http, /);
    const bad = await post('/_sim/faults/http', { service: 'clob', status: 418, count: 1 });
    expect(bad.status).toBe(400);
    expect(String(bad.body.error)).toMatch(/^fault http: status: /);
    expect((await post('/_sim/leader-trade', {})).status).toBe(409);
  });

  it('fails the next Gamma requests on an http fault, then recovers', async () => {
    const armed = await post('/_sim/faults/http', { service: 'gamma', status: 429, count: 2 });
    expect(armed.body).toEqual({ service: 'gamma', status: 429, pending: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${sim.urls.gamma}/markets`)).status);
    expect(statuses).toEqual([429, 429, 200]);
  });
});

describe('malformed-message fault', () => {
  it('sends broken frames to open RTDS and CLOB market sockets, which stay open', async () => {
    const { default: WebSocket } = await import('ws');
    const sim = await startSimulator({ seed: 5, chain: false, traders: false });
    try {
      const received: Record<string, string[]> = { rtds: [], clob: [] };
      const open = (url: string, key: string) =>
        new Promise<InstanceType<typeof WebSocket>>((resolve) => {
          const ws = new WebSocket(url);
          ws.on('message', (d) => {
            const text = d.toString();
            if (text !== '' && text !== 'pong' && text !== 'PONG') received[key]!.push(text);
          });
          ws.once('open', () => resolve(ws));
        });
      const rtds = await open(sim.urls.rtds, 'rtds');
      const market = await open(`${sim.urls.clobWs}/market`, 'clob');
      await sim.fault('malformed', { service: 'rtds' });
      await sim.fault('malformed', { service: 'clob_ws', channel: 'market' });
      await expect.poll(() => received.rtds!.length + received.clob!.length).toBe(12);
      expect(received.rtds).toContain('not json at all');
      expect(received.clob).toContain('{"event_type":"no_such_event","payload":[]}');
      expect(rtds.readyState).toBe(WebSocket.OPEN);
      expect(market.readyState).toBe(WebSocket.OPEN);
      rtds.close();
      market.close();
    } finally {
      await sim.stop();
    }
  });
});

describe('resolution and redemption', () => {
  it('pays 1 per winning share and shows one REDEEM row per outcome on the Data API', async () => {
    const sim = await startSimulator({ seed: 6, chain: false, traders: false, dataApiLagMs: 0 });
    try {
      const market = sim.venue.catalog.markets[2]!;
      const call = (path: string, body: unknown) =>
        fetch(sim.urls.control + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
      await call('/_sim/fund', {
        address: WALLET,
        usdc: '30',
        splits: [{ conditionId: market.conditionId, shares: '20' }],
      });
      expect((await call('/_sim/redeem', { address: WALLET, conditionId: market.conditionId })).status).toBe(
        409,
      );
      await call('/_sim/resolve', { conditionId: market.conditionId, winningOutcome: 'Yes' });
      const redeemed = await call('/_sim/redeem', { address: WALLET, conditionId: market.conditionId });
      expect(redeemed.body).toEqual({ address: WALLET, payout: '20' });
      expect(sim.venue.engine.balance(WALLET).balance).toBe(30_000_000);

      const rows = (await (
        await fetch(`${sim.urls.dataApi}/activity?user=${WALLET}&type=REDEEM`)
      ).json()) as {
        type: string;
        asset: string;
        size: number;
        usdcSize: number;
      }[];
      expect(rows.map((r) => [r.type, r.asset, r.size, r.usdcSize]).sort()).toEqual(
        [
          ['REDEEM', market.tokens[0].tokenId, 20, 20],
          ['REDEEM', market.tokens[1].tokenId, 20, 0],
        ].sort(),
      );
    } finally {
      await sim.stop();
    }
  });
});

describe('scenario events', () => {
  it('resolves a market at its scripted time and applies faults from the same file', async () => {
    const { ManualClock } = await import('../../src/core/clock.ts');
    const { parseScenario } = await import('../../src/sim/traders/index.ts');
    const clock = new ManualClock(Date.UTC(2026, 10, 21));
    const sim = await startSimulator({ seed: 8, clock, chain: false, traders: { makers: false } });
    try {
      const market = sim.venue.catalog.markets[0]!;
      const run = sim.runScenario(
        parseScenario(
          JSON.stringify({
            name: 'resolution',
            steps: [
              { at: 2, fault: 'http', params: { service: 'data', status: 503, count: 1 } },
              { at: 5, fault: 'resolve', params: { market: market.conditionId, winner: 'No' } },
            ],
          }),
        ),
      );
      await clock.advance(3000);
      expect(sim.venue.engine.market(market.conditionId)?.closed).toBe(false);
      expect(sim.httpFaults.data.pending()).toBe(1);
      await clock.advance(3000);
      await run.done;
      expect(sim.venue.engine.market(market.conditionId)).toMatchObject({
        closed: true,
        winningTokenId: market.tokens[1].tokenId,
      });
      expect((await fetch(`${sim.urls.dataApi}/activity?user=${WALLET}`)).status).toBe(503);
    } finally {
      await sim.stop();
    }
  });
});
