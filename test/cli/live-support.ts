/**
 * The live end-to-end tests' world: the simulator (market makers, no random takers, no chain: the
 * API and RTDS sources suffice and keep the run light), a directory with a live-mode config, the
 * account's key in a real keystore, its wallet funded at the venue, a follow added with the CLI,
 * and a record of every order the venue ever saw from our wallet.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { MICRO, type Usdc } from '../../src/core/money.ts';
import { openKeystore } from '../../src/keys/index.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import type { TradeRequest } from '../../src/sim/traders/index.ts';
import { venueConfig } from '../../src/sim/venue-config.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { testWallet } from '../polymarket/clob/official-client.ts';
import { runCli } from '../support/cli.ts';

export const PASSPHRASE = 'live e2e passphrase: correct horse battery';
export const LEADER = '0x1ead000000000000000000000000000000000e07';

export interface LiveE2E {
  sim: Simulator;
  dir: string;
  /** Environment for every polyhunter process: the keystore passphrase. */
  env: Record<string, string>;
  wallet: ReturnType<typeof testWallet>;
  /** Two binary markets' YES tokens the leader trades. */
  tokens: string[];
  /** Every order id (hash) the venue placed, matched or killed for our wallet. */
  venueOrders: Set<string>;
  leaderTrade(req: TradeRequest): Promise<string>;
  query<T>(run: (s: Store) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export async function startLiveE2E(
  label: string,
  options: { extraToml?: string[]; followArgs?: string[] } = {},
): Promise<LiveE2E> {
  const sim = await startSimulator({
    seed: 93,
    chain: false,
    traders: { makers: true, takers: false },
    dataApiLagMs: 300,
  });
  const dir = mkdtempSync(join(tmpdir(), `ph-live-${label}-`));
  writeFileSync(
    join(dir, 'polyhunter.toml'),
    [
      '[log]',
      'format = "json"',
      venueConfig(sim),
      '[trading]',
      'mode = "live"',
      'trigger_sources = ["api", "rtds"]',
      'catch_up_buy_max_age_sec = 3600',
      ...(options.extraToml ?? []),
      '[[accounts]]',
      'name = "main"',
      'signature_type = 0',
      '[[leaders]]',
      `address = "${LEADER}"`,
      'label = "leader"',
    ].join('\n'),
  );
  const wallet = testWallet(`live e2e: ${label}`);
  await openKeystore(join(dir, 'keystore.json'), { scryptN: 2 ** 10 }).add(
    'main',
    wallet.privateKey,
    PASSPHRASE,
  );
  sim.venue.engine.deposit(wallet.address, (1_000 * MICRO) as Usdc);

  const ours = wallet.address.toLowerCase();
  const venueOrders = new Set<string>();
  sim.venue.on((e) => {
    if (e.kind !== 'engine') return;
    const ev = e.event;
    if ((ev.type === 'order_placed' || ev.type === 'order_cancelled') && ev.order.maker === ours) {
      venueOrders.add(ev.order.id);
    }
    if (ev.type === 'trade') {
      if (ev.trade.taker.maker === ours) venueOrders.add(ev.trade.taker.orderId);
      for (const m of ev.trade.makers) if (m.maker === ours) venueOrders.add(m.orderId);
    }
  });

  const env = { POLYHUNTER_KEYSTORE__PASSPHRASE: PASSPHRASE };
  const follow = await runCli(
    ['follow', 'add', LEADER, '--account', 'main', ...(options.followArgs ?? ['--fixed', '4'])],
    { cwd: dir, env },
  );
  expect(follow.code, follow.stderr).toBe(0);
  expect(follow.stdout).toMatch(/created live account "main"/);

  const tokens = sim.venue.catalog.markets
    .filter((m) => !m.negRisk && m.active && !m.closed)
    .slice(0, 2)
    .map((m) => m.tokens[0].tokenId);
  await vi.waitFor(
    () => {
      for (const t of tokens) expect(sim.venue.engine.topOfBook(t)?.bestAsk).toBeTruthy();
    },
    { timeout: 15_000 },
  );
  const leaders = sim.traders!.leaders;
  leaders.add({ name: 'leader', address: LEADER, usdc: (50_000 * MICRO) as Usdc });

  const db = `sqlite:${join(dir, 'data/polyhunter.db')}`;
  return {
    sim,
    dir,
    env,
    wallet,
    tokens,
    venueOrders,
    async leaderTrade(req) {
      const done = await leaders.takeTrade(LEADER, req);
      expect(done.result.success, done.result.errorMsg).toBe(true);
      return done.trades[0]!.txHash;
    },
    async query(run) {
      const s = await openStore(db);
      try {
        return await run(s);
      } finally {
        await s.close();
      }
    },
    stop: () => sim.stop(),
  };
}

/** Our positions against the venue's holdings of our wallet, token by token, in micro-shares. */
export async function positionsVersusVenue(
  world: LiveE2E,
): Promise<{ tokenId: string; ours: number; venue: number }[]> {
  const rows = await world.query((s) =>
    s.db
      .selectFrom('positions')
      .innerJoin('accounts', 'accounts.id', 'positions.account_id')
      .select(['positions.token_id', 'positions.shares'])
      .where('accounts.name', '=', 'main')
      .execute(),
  );
  const tokens = new Set([...rows.map((r) => r.token_id), ...world.tokens]);
  return [...tokens].map((tokenId) => ({
    tokenId,
    ours: rows.find((r) => r.token_id === tokenId)?.shares ?? 0,
    venue: world.sim.venue.engine.position(world.wallet.address, tokenId).balance,
  }));
}
