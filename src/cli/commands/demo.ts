/**
 * `polyhunter demo`: the whole system on the simulator, in one command, offline. It starts the
 * simulator (markets, market makers, a local chain) with two scripted leaders, starts PolyHunter
 * against it with all three detection sources and two follow configurations, and prints each
 * leader trade, when each source saw it, what each follow decided and the fill, with a running
 * PnL. Ctrl-C stops both; the SQLite file stays for `polyhunter positions`, `pnl` and friends.
 */
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../../config/index.ts';
import { starterSecrets } from '../../config/starter.ts';
import { addFollow } from '../../copy/follows.ts';
import { ValidationError } from '../../core/errors.ts';
import { randomToken } from '../../core/ids.ts';
import { createLogger } from '../../core/logger.ts';
import type { Price, Shares, Usdc } from '../../core/money.ts';
import { type Position, summarize } from '../../portfolio/index.ts';
import { type Simulator, startSimulator } from '../../sim/simulator.ts';
import { COPY_DEMO_SCENARIO_PATH, loadScenario } from '../../sim/traders/index.ts';
import { venueConfig } from '../../sim/venue-config.ts';
import { positionsOf } from '../../store/index.ts';
import { type App, startApp } from '../app.ts';
import type { Output } from '../context.ts';
import { decisionLine, pnlLine, sightingLine, wholeOrderLine } from '../demo-view.ts';
import { onStopSignals } from '../signals.ts';

export interface DemoOptions {
  dir: string;
  seed: string;
  /** Stop by itself this many seconds after the scenario ends (for scripts and tests). */
  exitAfter?: string;
}

/** The two follow configurations the demo copies with. */
const FOLLOWS = [
  {
    leader: 'whale',
    name: 'follow #1 (whale, $25 each)',
    sizing: { mode: 'fixed_usd', amountUsdc: 25_000_000 },
  },
  { leader: 'shark', name: 'follow #2 (shark, 25% of size)', sizing: { mode: 'leader_pct', pctBps: 2_500 } },
] as const;

export async function runDemo(options: DemoOptions, output: Output): Promise<void> {
  const seed = Number(options.seed);
  if (!Number.isSafeInteger(seed))
    throw new ValidationError(`--seed must be an integer, got "${options.seed}"`);
  const exitAfter = options.exitAfter === undefined ? null : Number(options.exitAfter);
  if (exitAfter !== null && !(exitAfter >= 0)) {
    throw new ValidationError(`--exit-after must be a number of seconds, got "${options.exitAfter}"`);
  }
  const scenario = await loadScenario(COPY_DEMO_SCENARIO_PATH);
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  // Each run has a new simulator (new markets, new chain): an old database would only confuse.
  for (const f of ['demo.db', 'demo.db-wal', 'demo.db-shm']) rmSync(join(dir, f), { force: true });

  const signals = onStopSignals(() => output.err('second Ctrl-C: exiting without a clean stop'));
  let sim: Simulator | undefined;
  let app: App | undefined;
  try {
    output.out(
      'PolyHunter demo: the simulator and PolyHunter on 127.0.0.1, paper mode, no keys, no network.',
    );
    sim = await startSimulator({ seed, traders: true, blockTimeMs: 1000, dataApiLagMs: 1500 });
    const leaders = scenario.leaders.map((l) => ({ name: l.name, address: l.address!.toLowerCase() }));
    const configPath = join(dir, 'polyhunter.toml');
    writeFileSync(configPath, demoConfig(sim, leaders));
    // The dashboard's writes need a token: the demo makes one the first time, as `init` does, so a
    // newcomer can try settings and follows in the browser (kept across runs, never printed).
    const secretsPath = join(dir, 'secrets.toml');
    if (!existsSync(secretsPath))
      writeFileSync(secretsPath, starterSecrets(randomToken(32)), { mode: 0o600 });
    const logPath = join(dir, 'polyhunter.log');
    const logger = createLogger({ level: 'info', format: 'json', destination: createWriteStream(logPath) });
    app = await startApp({ loaded: loadConfig({ configPath }), logger });

    for (const f of FOLLOWS) {
      const leader = leaders.find((l) => l.name === f.leader)!;
      await addFollow(
        app.store,
        {
          leader: leader.address,
          leaderLabel: f.leader,
          sizing: f.sizing,
          paperStartingCashUsdc: 1_000_000_000,
        },
        Date.now(),
        'demo',
      );
    }
    const followNames = new Map<number, string>();
    for (const [i, row] of (
      await app.store.db.selectFrom('follow_configs').select('id').orderBy('id').execute()
    ).entries()) {
      followNames.set(row.id, FOLLOWS[i]?.name ?? `follow #${row.id}`);
    }
    const names = demoNames(sim, leaders);
    const where = relative(process.cwd(), dir) || '.';
    output.out(
      [
        `simulator: Gamma ${sim.urls.gamma} · CLOB ${sim.urls.clob} · chain ${sim.urls.chainWs}`,
        `PolyHunter: detection api + rtds + chain; paper account with $1000.00; log in ${relative(process.cwd(), logPath)}`,
        `dashboard: ${app.http?.url ?? 'off'}/ (to change things there, paste the token from ${relative(process.cwd(), secretsPath) || secretsPath})`,
        `API and live event stream: ${app.http?.url ?? 'off'}/api/status · metrics: ${app.http?.url ?? 'off'}/metrics`,
        ...FOLLOWS.map((f) => `  ${f.name}`),
        `scenario "${scenario.name}": ${scenario.steps.length} steps over ${Math.max(...scenario.steps.map((s) => s.at))} s. Ctrl-C to stop.`,
      ].join('\n'),
    );

    const running = app;
    // The size each trade was first shown with, to show the whole order when more parts came in.
    const shownSize = new Map<number, number>();
    running.bus.on('leader.sighting', (e) => {
      if (e.outcome.status === 'new') shownSize.set(e.outcome.trade.id, e.outcome.trade.size);
      const line = sightingLine(e, names);
      if (line !== null) output.out(line);
    });
    let pnlPending = false;
    running.bus.on('copy.decision', (e) => {
      const shown = shownSize.get(e.trade.id);
      if (shown !== undefined && shown !== e.trade.size) output.out(wholeOrderLine(e.trade));
      shownSize.delete(e.trade.id);
      output.out(decisionLine(e, followNames.get(e.follow.id) ?? `follow #${e.follow.id}`));
      if (e.decision === 'copy' && !pnlPending) {
        pnlPending = true;
        void pnlOf(running).then((p) => {
          pnlPending = false;
          output.out(pnlLine(p));
        });
      }
    });

    const run = sim.runScenario(scenario);
    const finished = run.done.then(async (steps) => {
      const failed = steps.filter((s) => s.error !== undefined);
      for (const s of failed) output.err(`scenario step at ${s.step.at}s failed: ${s.error}`);
      output.out(`\nscenario finished (${steps.length - failed.length}/${steps.length} steps).`);
      if (exitAfter === null) output.out('Still watching; Ctrl-C to stop.');
      // Give resolution and late sources (the API lags) time to show up before a scripted exit.
      if (exitAfter !== null) await new Promise((r) => setTimeout(r, exitAfter * 1000));
    });
    await (exitAfter === null ? signals.stopped : Promise.race([signals.stopped, finished]));
    run.stop();

    await running.trading.copier.idle();
    output.out(`\n${pnlLine(await pnlOf(running))}`);
    await running.stop('demo finished');
    app = undefined;
    output.out(
      [
        `The database is ${join(where, 'demo.db')}. Look inside with:`,
        `  polyhunter --config ${join(where, 'polyhunter.toml')} trades tail -n 50`,
        `  polyhunter --config ${join(where, 'polyhunter.toml')} follow list`,
        `  sqlite3 ${join(where, 'demo.db')} 'select * from copy_decisions'`,
      ].join('\n'),
    );
  } finally {
    await app?.stop('demo interrupted');
    await sim?.stop();
    signals.dispose();
  }
}

function demoConfig(sim: Simulator, leaders: readonly { name: string; address: string }[]): string {
  return [
    '# Written by `polyhunter demo` for this run: the simulator’s URLs change every run.',
    '[database]',
    'url = "sqlite:demo.db"',
    venueConfig(sim),
    '[trading]',
    'trigger_sources = ["api", "rtds", "chain"]',
    'paper_starting_cash_usd = 1000',
    ...leaders.flatMap((l) => ['[[leaders]]', `address = "${l.address}"`, `label = "${l.name}"`]),
    '',
  ].join('\n');
}

function demoNames(sim: Simulator, leaders: readonly { name: string; address: string }[]) {
  const tokens = new Map<string, string>();
  for (const m of sim.venue.catalog.markets) {
    const question = m.question.length > 48 ? `${m.question.slice(0, 47)}…` : m.question;
    for (const t of m.tokens) tokens.set(t.tokenId, `${t.outcome} · ${question}`);
  }
  return {
    leader: (address: string) => leaders.find((l) => l.address === address)?.name ?? address.slice(0, 10),
    token: (tokenId: string) => tokens.get(tokenId) ?? `${tokenId.slice(0, 10)}…`,
  };
}

/** The paper account's PnL now: positions marked at the live books' mids. */
async function pnlOf(app: App) {
  const account = await app.store.db
    .selectFrom('accounts')
    .selectAll()
    .where('name', '=', 'paper')
    .executeTakeFirst();
  const rows = account ? await positionsOf(app.store.db, account.id) : [];
  const positions: Position[] = rows.map((r) => ({
    tokenId: r.token_id,
    shares: r.shares as Shares,
    cost: r.cost as Usdc,
    realizedPnl: r.realized_pnl as Usdc,
    ...(r.resolved_payout !== null ? { resolvedPayout: r.resolved_payout as Price } : {}),
  }));
  const marks = new Map(rows.map((r) => [r.token_id, app.trading.books.getBook(r.token_id)?.mid() ?? null]));
  const s = summarize(positions, marks, (account?.cash ?? 0) as Usdc, (account?.starting_cash ?? 0) as Usdc);
  return {
    cash: account?.cash ?? 0,
    equity: s.equity,
    realized: s.realized,
    unrealized: s.unrealized,
    total: s.total,
    // Dust below one lot (0.01 share) cannot be sold and is not counted as a position.
    positions: rows.filter((r) => r.shares >= 10_000 && r.resolved_at === null).length,
  };
}
