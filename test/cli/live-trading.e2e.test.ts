/**
 * Live trading end to end, through the real `polyhunter` process against the simulator, whose
 * CLOB verifies every signature and HMAC: the official client signs and posts; the account's key
 * comes from the encrypted keystore; the mode must be confirmed; copies are live orders whose
 * state comes from the venue; a clean stop cancels what rests. Then every byte the session showed
 * (logs, every CLI answer, the database file) is searched for the key and the API secrets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { MICRO, type Micro, type Price, type Shares, type Usdc } from '../../src/core/money.ts';
import { LiveBroker } from '../../src/execution/live/index.ts';
import { openKeystore } from '../../src/keys/index.ts';
import { runCli, startCli } from '../support/cli.ts';
import { type LiveE2E, PASSPHRASE, positionsVersusVenue, startLiveE2E } from './live-support.ts';

describe('live trading, end to end', () => {
  let world: LiveE2E;
  beforeAll(async () => {
    world = await startLiveE2E('session', { followArgs: ['--fixed', '10', '--slippage-bps', '500'] });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('refuses live mode without a confirmation, and a confirmation without live mode', async () => {
    const plain = await runCli(['start'], { cwd: world.dir, env: world.env });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/trading\.mode = "live" signs and posts real orders.*--live.*--yes-live/);
    // --live asks at a terminal; a test has none.
    const asked = await runCli(['start', '--live'], { cwd: world.dir, env: world.env });
    expect(asked.code).not.toBe(0);
    expect(asked.stderr).toMatch(/no terminal|there is none: use --yes-live/);
    const nokey = await runCli(['start', '--yes-live'], { cwd: world.dir, env: {} });
    expect(nokey.code).toBe(1);
    expect(nokey.stderr).toMatch(/needs the keystore passphrase.*POLYHUNTER_KEYSTORE__PASSPHRASE/);
  });

  it('copies live, shows LIVE everywhere, cancels on stop, and never shows a secret', async () => {
    const transcript: string[] = [];
    const cli = async (args: string[]) => {
      const r = await runCli(args, { cwd: world.dir, env: world.env });
      transcript.push(r.stdout, r.stderr);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    const [token] = world.tokens as [string];
    const app = startCli(['start', '--yes-live'], { cwd: world.dir, env: world.env });
    try {
      await app.waitFor(/running in LIVE mode/, 30_000);
      expect(app.output()).toMatch(/LIVE account main: trades from 0x/);
      await new Promise((r) => setTimeout(r, 1000));

      await world.leaderTrade({ tokenId: token, side: 'BUY', usdc: (40 * MICRO) as Usdc });
      const filled = () =>
        world.query((s) =>
          s.db.selectFrom('orders').selectAll().where('status', '=', 'FILLED').orderBy('id').execute(),
        );
      await vi.waitFor(async () => expect((await filled()).length).toBe(1), {
        timeout: 20_000,
        interval: 250,
      });
      await world.leaderTrade({ tokenId: token, side: 'SELL', fraction: 500_000 as Micro });
      await vi.waitFor(async () => expect((await filled()).length).toBe(2), {
        timeout: 20_000,
        interval: 250,
      });

      const orders = await filled();
      for (const o of orders) {
        expect(o.is_paper).toBe(0);
        expect(o.order_hash).toMatch(/^0x[0-9a-f]{64}$/);
        expect(world.venueOrders.has(o.order_hash!)).toBe(true);
      }
      expect(world.venueOrders.size).toBe(2);
      expect(orders.map((o) => o.side)).toEqual(['BUY', 'SELL']);
      // The fills came from the venue (user channel or reconcile), and the position is the venue's.
      await vi.waitFor(
        async () => {
          for (const p of await positionsVersusVenue(world)) expect(p.ours, p.tokenId).toBe(p.venue);
        },
        { timeout: 10_000, interval: 250 },
      );

      // A resting order of ours (a GTC far below the market, placed with the same key): the stop
      // must cancel it.
      const creds = (await openKeystore(join(world.dir, 'keystore.json')).apiCreds('main', PASSPHRASE))!;
      const broker = new LiveBroker({
        clobUrl: world.sim.urls.clob,
        chainId: 137,
        privateKey: world.wallet.privateKey,
        signatureType: 0,
        apiCreds: creds.expose(),
        clock: systemClock,
        logger: createLogger({ level: 'silent', format: 'json' }),
      });
      const rest = await broker.submit(
        { tokenId: token, side: 'BUY', price: (0.02 * MICRO) as Price, size: (10 * MICRO) as Shares },
        { orderType: 'GTC' },
      );
      expect(rest).toMatchObject({ kind: 'accepted', status: 'live' });
      const ours = { maker: world.wallet.address.toLowerCase() };
      expect(world.sim.venue.engine.openOrders(ours)).toHaveLength(1);

      const status = JSON.parse(await cli(['status', '--json'])) as {
        components: { component: string; detail: unknown }[];
      };
      expect(status.components.find((c) => c.component === 'trading.mode')?.detail).toMatchObject({
        mode: 'live',
        liveAccounts: ['main'],
      });
      expect(status.components.some((c) => c.component === 'live.main')).toBe(true);
      expect(await cli(['status'])).toMatch(/live/i);
      await cli(['positions', '--json']);
      await cli(['pnl', '--json']);
      await cli(['follow', 'list', '--json']);
      await cli(['trades', 'tail', '--limit', '10']);
      await cli(['doctor', '--account', 'main']).catch(() => {});

      // Every read the API offers, as the dashboard would make them.
      const api = /dashboard and API: (http:\/\/[0-9.:]+)/.exec(app.output())?.[1];
      expect(api).toBeDefined();
      for (const path of [
        '/api/status',
        '/health',
        '/ready',
        '/api/leaders',
        '/api/follows',
        '/api/settings',
        '/api/trades',
        '/api/decisions',
        '/api/orders',
        '/api/positions',
        '/api/pnl',
        '/api/guardrails',
        '/metrics',
      ]) {
        const res = await fetch(`${api}${path}`);
        transcript.push(`${path} ${res.status} ${await res.text()}`);
        expect(res.status, path).toBeLessThan(500);
      }
      expect(transcript.join('\n')).toMatch(/"mode":"live"/);

      app.child.kill('SIGINT');
      expect(await app.exited, app.output()).toBe(0);
      expect(app.output()).toMatch(/live account stopped: resting orders cancelled/);
      expect(world.sim.venue.engine.openOrders(ours)).toHaveLength(0);
    } catch (err) {
      console.error(app.output().split('\n').slice(-80).join('\n'));
      throw err;
    } finally {
      app.child.kill('SIGKILL');
    }

    // --- the secrets: the key, the API secret and passphrase, the keystore passphrase
    const creds = (
      await openKeystore(join(world.dir, 'keystore.json')).apiCreds('main', PASSPHRASE)
    )?.expose();
    expect(creds).toBeDefined();
    const secrets = [
      world.wallet.privateKey,
      world.wallet.privateKey.slice(2),
      creds!.secret,
      creds!.passphrase,
      PASSPHRASE,
    ];
    const haystacks = {
      'process output': app.output(),
      'cli and api answers': transcript.join('\n'),
      database: readFileSync(join(world.dir, 'data/polyhunter.db')).toString('latin1'),
    };
    expect(haystacks['process output'].split('\n').length).toBeGreaterThan(30);
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of secrets) {
        expect(text.toLowerCase().includes(secret.toLowerCase()), `${where} holds a secret`).toBe(false);
      }
    }
  }, 120_000);
});
