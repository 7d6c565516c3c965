/** The server itself: routes, PING on both channels, the faults, attaching to another server, and shutdown. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClobWsServer } from '../../../../src/sim/clob/ws/index.ts';
import { ClobProbe, marketProbe, order, startWorld, userProbe, type World } from './support.ts';

let world: World;
const probes: ClobProbe[] = [];
const track = (p: ClobProbe): ClobProbe => {
  probes.push(p);
  return p;
};

afterEach(async () => {
  for (const p of probes.splice(0)) p.close();
  await world.close();
});

/** The HTTP status an upgrade to `url` is refused with. */
function refusal(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error(`${url} opened`)));
    ws.on('error', () => {});
  });
}

describe('routes', () => {
  it('serves /ws/market and /ws/user under url and answers other paths 404', async () => {
    world = await startWorld();
    expect(world.server.url).toBe(`ws://127.0.0.1:${world.server.port}/ws`);
    expect(world.server.marketUrl).toBe(`${world.server.url}/market`);
    expect(world.server.userUrl).toBe(`${world.server.url}/user`);
    for (const path of ['/ws', '/ws/', '/ws/other', '/market', '/'])
      expect(await refusal(`ws://127.0.0.1:${world.server.port}${path}`)).toBe(404);
    const m = track(await ClobProbe.open(`${world.server.url}/market/`));
    const u = track(await ClobProbe.open(`${world.server.userUrl}?x=1`));
    await m.roundTrip();
    // PING works on the user channel before authenticating.
    await u.roundTrip();
    expect(world.server.connectionCount()).toBe(2);
    expect(world.server.connectionCount('market')).toBe(1);
    expect(world.server.connectionCount('user')).toBe(1);
    const plain = await fetch(`http://127.0.0.1:${world.server.port}/ws/market`);
    expect(plain.status).toBe(426);
    await plain.text();
  });

  it('attaches to another HTTP server through handleUpgrade', async () => {
    world = await startWorld();
    const ws = createClobWsServer({ venue: world.venue, now: () => world.clock.now() });
    const http = createServer();
    http.on('upgrade', (req, socket, head) => ws.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const port = (http.address() as AddressInfo).port;
      const p = track(await ClobProbe.open(`ws://127.0.0.1:${port}/ws/market`));
      p.send({ assets_ids: [world.yes], type: 'market' });
      await p.roundTrip();
      expect(p.of('book').map((b) => b.asset_id)).toEqual([world.yes]);
    } finally {
      await ws.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});

describe('faults', () => {
  it('dropAll cuts one channel’s sockets abruptly, or all of them', async () => {
    world = await startWorld();
    const m1 = track(await marketProbe(world, { assets_ids: [world.yes], type: 'market' }));
    const m2 = track(await marketProbe(world, { assets_ids: [world.no], type: 'market' }));
    const u = track(await userProbe(world, world.keys.alice));
    expect(world.server.dropAll('market')).toBe(2);
    await m1.until(() => m1.closed);
    await m2.until(() => m2.closed);
    expect([m1.closeCode, m2.closeCode]).toEqual([1006, 1006]);
    await u.roundTrip();
    expect(u.closed).toBe(false);
    expect(world.server.dropAll()).toBe(1);
    await u.until(() => u.closed);
    expect(world.server.connectionCount()).toBe(0);
  });

  it('silence stops data on a channel while PING still gets PONG; resume brings it back', async () => {
    world = await startWorld();
    const m = track(await marketProbe(world, { assets_ids: [world.yes], type: 'market' }));
    const u = track(await userProbe(world, world.keys.alice));
    m.clear();
    u.clear();
    world.server.silence('market');
    await world.venue.submit(order(world.keys.alice, world.yes, 'BUY', '0.30', '10'));
    await u.until(() => u.of('order').length === 1);
    await m.roundTrip();
    expect(m.frames).toEqual(['PONG']);
    // A new subscriber during the silence gets no book either.
    const late = track(await marketProbe(world, { assets_ids: [world.yes], type: 'market' }));
    expect(late.frames).toEqual(['PONG']);

    world.server.silence();
    await world.venue.submit(order(world.keys.alice, world.yes, 'BUY', '0.31', '10'));
    await u.roundTrip();
    expect(u.of('order')).toHaveLength(1);

    world.server.resume();
    await world.venue.submit(order(world.keys.alice, world.yes, 'BUY', '0.32', '10'));
    await m.until(() => m.of('price_change').length === 1);
    await u.until(() => u.of('order').length === 2);
    expect((m.of('price_change')[0]!.price_changes as { price: string }[])[0]!.price).toBe('0.32');
  });
});

describe('shutdown', () => {
  it('close ends every socket, stops listening to the venue and refuses new connections', async () => {
    world = await startWorld();
    const m = track(await marketProbe(world, { assets_ids: [world.yes], type: 'market' }));
    const u = track(await userProbe(world, world.keys.alice));
    const url = world.server.marketUrl;
    await world.server.close();
    await m.until(() => m.closed);
    await u.until(() => u.closed);
    await expect(ClobProbe.open(url)).rejects.toThrow();
    // The venue keeps working without the server's listener.
    await world.venue.submit(order(world.keys.alice, world.yes, 'BUY', '0.30', '10'));
    await world.server.close();
  });
});
