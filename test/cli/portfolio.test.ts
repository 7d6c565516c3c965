import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runResetPaper } from '../../src/cli/commands/portfolio.ts';
import type { Output } from '../../src/cli/context.ts';
import { parseMicro } from '../../src/core/decimal.ts';
import { MICRO, type Micro, shares, usdc } from '../../src/core/money.ts';
import { mulDiv } from '../../src/core/rounding.ts';
import type { AccountPnl, PositionLine } from '../../src/portfolio/report.ts';
import { startSimulator } from '../../src/sim/simulator.ts';
import { migrateToLatest, openStore, type Store } from '../../src/store/index.ts';
import { account, fill, followConfig, leaderTrade, market, order, position } from '../store/fixtures.ts';
import { runCli } from '../support/cli.ts';

const NOW = 1_760_000_000_000;

/** A port nothing listens on: books cannot be read there, so every position is unpriced. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** A folder with a config (paper cash $500); its database is data/polyhunter.db. */
function configDir(clobUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ph-portfolio-'));
  writeFileSync(
    join(dir, 'polyhunter.toml'),
    `[venue]\nclob_url = "${clobUrl}"\n[trading]\npaper_starting_cash_usd = 500\n`,
  );
  return dir;
}

const dbPath = (dir: string) => join(dir, 'data', 'polyhunter.db');

async function withDb<T>(dir: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(`sqlite:${dbPath(dir)}`);
  try {
    await migrateToLatest(store);
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** "paper" holds one open and one resolved position and has two fills; "live" is a live account. */
async function seed(dir: string, openToken = 'rain-yes'): Promise<void> {
  await withDb(dir, async (store) => {
    const { db } = store;
    await db
      .insertInto('markets')
      .values(market({ condition_id: '0xrain', question: 'Will it rain?' }))
      .execute();
    await db
      .insertInto('tokens')
      .values({
        token_id: 'rain-no',
        condition_id: '0xrain',
        outcome: 'No',
        outcome_index: 1,
        updated_at: NOW,
      })
      .execute();
    const paper = (
      await db
        .insertInto('accounts')
        .values(account({ name: 'paper', mode: 'paper', cash: 460_000_000, starting_cash: 500_000_000 }))
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await db
      .insertInto('accounts')
      .values(account({ name: 'live', mode: 'live', cash: 7_000_000, starting_cash: 7_000_000 }))
      .execute();
    await db
      .insertInto('positions')
      .values(position(paper, { token_id: openToken, shares: 50_000_000, cost: 20_000_000, realized_pnl: 0 }))
      .execute();
    await db
      .insertInto('positions')
      .values(
        position(paper, {
          token_id: 'rain-no',
          shares: 40_000_000,
          cost: 0,
          realized_pnl: -20_000_000,
          resolved_at: NOW,
          resolved_payout: 0,
        }),
      )
      .execute();
    for (const fee of [100_000, 250_000]) {
      const orderId = (
        await db.insertInto('orders').values(order(paper)).returning('id').executeTakeFirstOrThrow()
      ).id;
      await db
        .insertInto('fills')
        .values(fill(orderId, paper, { fee }))
        .execute();
    }
    const follow = (
      await db
        .insertInto('follow_configs')
        .values(followConfig(paper))
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const trade = (
      await db.insertInto('leader_trades').values(leaderTrade()).returning('id').executeTakeFirstOrThrow()
    ).id;
    await db
      .insertInto('copy_decisions')
      .values({
        follow_config_id: follow,
        leader_trade_id: trade,
        account_id: paper,
        decision: 'skip',
        detail: 'too small',
        numbers: '{}',
        catch_up: 0,
        created_at: NOW,
      })
      .execute();
    await db
      .insertInto('guardrail_events')
      .values({ created_at: NOW, reason_code: 'MAX_EXPOSURE', account_id: paper, context: '{}' })
      .execute();
  });
}

function counts(dir: string) {
  return withDb(dir, async ({ db }) => {
    const n = async (table: 'fills' | 'orders' | 'copy_decisions' | 'guardrail_events' | 'positions') =>
      (await db.selectFrom(table).select('id').execute()).length;
    return {
      fills: await n('fills'),
      orders: await n('orders'),
      copyDecisions: await n('copy_decisions'),
      guardrailEvents: await n('guardrail_events'),
      positions: await n('positions'),
      accounts: await db
        .selectFrom('accounts')
        .select(['name', 'cash', 'starting_cash'])
        .orderBy('id')
        .execute(),
      audit: await db.selectFrom('audit_log').select(['actor', 'action', 'subject']).execute(),
    };
  });
}

const cli = (dir: string, ...args: string[]) => runCli(args, { cwd: dir });

describe('polyhunter positions / pnl / reset-paper', () => {
  let clobUrl: string;
  beforeAll(async () => {
    clobUrl = `http://127.0.0.1:${await deadPort()}`;
  });

  it('reports no accounts on a database that does not exist, without creating it', async () => {
    const dir = configDir(clobUrl);
    const positions = await cli(dir, 'positions');
    expect(positions.code, positions.stderr).toBe(0);
    expect(positions.stdout).toContain('no accounts yet');
    const json = await cli(dir, 'positions', '--json');
    expect(JSON.parse(json.stdout)).toEqual({ accounts: [], positions: [] });
    const pnl = await cli(dir, 'pnl', '--json');
    expect(pnl.code, pnl.stderr).toBe(0);
    expect(JSON.parse(pnl.stdout)).toEqual({
      at: expect.any(Number),
      dayStart: expect.any(Number),
      accounts: [],
    });
    const reset = await cli(dir, 'reset-paper', '--yes');
    expect(reset.code).toBe(1);
    expect(reset.stderr).toContain('error: no account named "paper"');
    const named = await cli(dir, 'pnl', '--account', 'paper');
    expect(named.code).toBe(1);
    expect(named.stderr).toContain('no account named "paper"');
    expect(existsSync(dbPath(dir))).toBe(false);
  });

  it('reports no accounts on an empty database', async () => {
    const dir = configDir(clobUrl);
    await withDb(dir, async () => {});
    const positions = await cli(dir, 'positions');
    expect(positions.code, positions.stderr).toBe(0);
    expect(positions.stdout).toContain('no accounts yet');
    const pnl = await cli(dir, 'pnl');
    expect(pnl.code, pnl.stderr).toBe(0);
    expect(pnl.stdout).toContain('no accounts yet');
    expect(JSON.parse((await cli(dir, 'pnl', '--json')).stdout).accounts).toEqual([]);
  });

  it('prints positions and PnL of a seeded database, unpriced when no book can be read', async () => {
    const dir = configDir(clobUrl);
    await seed(dir);
    const text = await cli(dir, 'positions');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('paper  PAPER mode: simulated cash, no real orders');
    expect(text.stdout).toContain('live  LIVE mode: real money on Polymarket');
    expect(text.stdout).toMatch(
      /MARKET\s+OUTCOME\s+SHARES\s+AVG\s+COST\s+MARK\s+VALUE\s+UNREALIZED\s+REALIZED\s+STATUS/,
    );
    // The open token has no stored market; the resolved one shows its question and outcome.
    expect(text.stdout).toMatch(
      /token rain-yes\s+-\s+50\.00\s+0\.40\s+\$20\.00\s+unpriced\s+-\s+-\s+\$0\.00\s+open/,
    );
    expect(text.stdout).toMatch(
      /Will it rain\?\s+No\s+40\.00\s+-\s+\$0\.00\s+-\s+\$0\.00\s+\$0\.00\s+-\$20\.00\s+resolved: lost, to redeem/,
    );
    expect(text.stdout).toContain('1 position unpriced');
    expect(text.stdout).toContain('no open positions');

    const json = await cli(dir, 'positions', '--json', '--account', 'paper');
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { accounts: unknown[]; positions: PositionLine[] };
    expect(report.accounts).toEqual([{ id: 1, name: 'paper', mode: 'paper' }]);
    expect(report.positions.map((p) => [p.tokenId, p.status, p.mark, p.marketValue, p.unrealized])).toEqual([
      ['rain-yes', 'open', null, null, null],
      ['rain-no', 'resolved', null, 0, 0],
    ]);
    expect(Object.keys(report.positions[0]!).sort()).toEqual(
      [
        'account',
        'accountId',
        'mode',
        'tokenId',
        'conditionId',
        'question',
        'outcome',
        'status',
        'result',
        'shares',
        'avgCost',
        'cost',
        'mark',
        'marketValue',
        'unrealized',
        'realized',
        'resolvedPayout',
        'resolvedAt',
        'redeemedAt',
        'updatedAt',
      ].sort(),
    );

    const pnl = await cli(dir, 'pnl', '--json');
    expect(pnl.code, pnl.stderr).toBe(0);
    const accounts = (JSON.parse(pnl.stdout) as { accounts: AccountPnl[] }).accounts;
    expect(accounts[0]).toEqual({
      id: 1,
      name: 'paper',
      mode: 'paper',
      cash: 460_000_000,
      startingCash: 500_000_000,
      realized: -20_000_000,
      unrealized: 0,
      total: -20_000_000, // the unpriced position counts at cost
      equity: 480_000_000,
      exposure: 20_000_000,
      redeemable: 0,
      openPositions: 1,
      unpriced: ['rain-yes'],
      feesPaid: 350_000,
      fills: 2,
      realizedToday: 0,
    });
    expect(accounts[1]).toMatchObject({ name: 'live', mode: 'live', equity: 7_000_000, total: 0 });

    const pnlText = await cli(dir, 'pnl', '--account', 'paper');
    expect(pnlText.code, pnlText.stderr).toBe(0);
    expect(pnlText.stdout).toContain('paper  PAPER mode');
    expect(pnlText.stdout).toMatch(/cash\s+\$460\.00 \(started with \$500\.00\)/);
    expect(pnlText.stdout).toMatch(/total PnL\s+-\$20\.00/);
    expect(pnlText.stdout).toMatch(/realized\s+-\$20\.00 \(today \$0\.00 from sells\)/);
    expect(pnlText.stdout).toMatch(/fees paid\s+\$0\.35 over 2 fills/);
    expect(pnlText.stdout).toMatch(/unpriced\s+1 position without a book mid now, valued at cost/);
    expect(pnlText.stdout).not.toContain('live');
  });

  it('reset-paper without --yes off a terminal refuses and removes nothing; with --yes it resets', async () => {
    const dir = configDir(clobUrl);
    await seed(dir);
    const before = await counts(dir);
    expect(before).toMatchObject({ fills: 2, orders: 2, copyDecisions: 1, guardrailEvents: 1, positions: 2 });

    const refused = await cli(dir, 'reset-paper');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'error: reset-paper would delete 2 fills, 2 orders, 1 copy decision, 1 guardrail event, 2 positions of paper account "paper" and set its cash from $460.00 to $500.00; there is no terminal to confirm on, so pass --yes to do it',
    );
    expect(await counts(dir)).toEqual(before);

    const live = await cli(dir, 'reset-paper', '--account', 'live', '--yes');
    expect(live.code).toBe(1);
    expect(live.stderr).toContain('account "live" is a live account');
    expect(await counts(dir)).toEqual(before);

    const jsonNoYes = await cli(dir, 'reset-paper', '--json');
    expect(jsonNoYes.code).toBe(1);
    expect(jsonNoYes.stderr).toMatch(/reset-paper --json would delete 2 fills.*pass --yes as well/);
    expect(await counts(dir)).toEqual(before);

    const reset = await cli(dir, 'reset-paper', '--yes', '--json');
    expect(reset.code, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({
      account: 'paper',
      cashBefore: 460_000_000,
      cash: 500_000_000,
    });
    expect(await counts(dir)).toEqual({
      fills: 0,
      orders: 0,
      copyDecisions: 0,
      guardrailEvents: 0,
      positions: 0,
      accounts: [
        { name: 'paper', cash: 500_000_000, starting_cash: 500_000_000 },
        { name: 'live', cash: 7_000_000, starting_cash: 7_000_000 },
      ],
      audit: [{ actor: 'cli', action: 'paper.reset', subject: 'account:paper' }],
    });
    const pnl = JSON.parse((await cli(dir, 'pnl', '--json', '--account', 'paper')).stdout);
    expect(pnl.accounts[0]).toMatchObject({ cash: 500_000_000, equity: 500_000_000, total: 0, fills: 0 });
  });

  it('takes the starting cash from the database setting over the file', async () => {
    const dir = configDir(clobUrl);
    await seed(dir);
    const set = await cli(dir, 'config', 'set', 'trading.paper_starting_cash_usd', '750');
    expect(set.code, set.stderr).toBe(0);
    const reset = await cli(dir, 'reset-paper', '--yes');
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('cash $460.00 -> $750.00');
  });

  it('asks on a terminal: anything but the account name or y cancels', async () => {
    const dir = configDir(clobUrl);
    await seed(dir);
    const before = await counts(dir);
    const lines: string[] = [];
    const output: Output = { out: (s) => lines.push(s), err: (s) => lines.push(`err: ${s}`) };
    const global = { config: join(dir, 'polyhunter.toml') };
    const asked: string[] = [];
    const answer = (text: string) => async (question: string) => {
      asked.push(question);
      return text;
    };

    await expect(runResetPaper(global, {}, output, answer('n'))).rejects.toThrow(
      'reset cancelled: nothing was changed',
    );
    await expect(runResetPaper(global, {}, output, answer(''))).rejects.toThrow('reset cancelled');
    expect(await counts(dir)).toEqual(before);
    expect(asked[0]).toBe('Type the account name (paper) or y to confirm [y/N]: ');
    expect(lines[0]).toBe(
      'This will delete 2 fills, 2 orders, 1 copy decision, 1 guardrail event, 2 positions of paper account "paper" and set its cash from $460.00 to $500.00. Follows and leaders stay.',
    );

    await runResetPaper(global, {}, output, answer(' paper '));
    expect(lines.at(-1)).toContain('reset paper account "paper": removed 2 fills');
    expect((await counts(dir)).positions).toBe(0);

    // Nothing left to remove: asking again still works, and y confirms too.
    await runResetPaper(global, {}, output, answer('Y'));
    expect(lines.at(-1)).toContain('removed 0 fills, 0 orders');
  });
});

describe('polyhunter positions against the simulator', () => {
  it('marks a position at the mid of the current book, and one with an empty book unpriced', async () => {
    const sim = await startSimulator({ seed: 91, chain: false, traders: false, dataApiLagMs: 0 });
    try {
      const [quoted, quiet] = sim.venue.catalog.markets.filter((m) => !m.negRisk && m.tickSize === 10_000);
      if (quoted === undefined || quiet === undefined) throw new Error('the simulator has too few markets');
      const yes = quoted.tokens[0].tokenId;
      const maker = '0x00000000000000000000000000000000000a11ce';
      sim.venue.engine.deposit(maker, usdc(10_000 * MICRO));
      sim.venue.engine.split(maker, quoted.conditionId, shares(1_000 * MICRO));
      let n = 0;
      const rest = async (side: 'BUY' | 'SELL', priceText: string) => {
        const size = parseMicro('10');
        const cash = mulDiv(size, parseMicro(priceText), MICRO, 'floor');
        const [makerAmount, takerAmount] = side === 'BUY' ? [cash, size] : [size, cash];
        const { result } = await sim.venue.submit({
          id: `0x${(0xbeef0000 + ++n).toString(16).padStart(64, '0')}`,
          owner: `key-${maker}`,
          maker,
          tokenId: yes,
          side,
          makerAmount: makerAmount as Micro,
          takerAmount: takerAmount as Micro,
          orderType: 'GTC',
          expiration: 0,
        });
        expect(result.success, JSON.stringify(result)).toBe(true);
      };
      await rest('BUY', '0.42');
      await rest('SELL', '0.57');

      const dir = configDir(sim.urls.clob);
      const quietYes = quiet.tokens[0].tokenId;
      await withDb(dir, async ({ db }) => {
        const id = (
          await db
            .insertInto('accounts')
            .values(account({ name: 'paper', mode: 'paper', cash: 480_000_000, starting_cash: 500_000_000 }))
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        await db
          .insertInto('positions')
          .values(position(id, { token_id: yes, shares: 20_000_000, cost: 8_000_000, realized_pnl: 0 }))
          .execute();
        await db
          .insertInto('positions')
          .values(position(id, { token_id: quietYes, shares: 10_000_000, cost: 5_000_000, realized_pnl: 0 }))
          .execute();
      });

      const r = await cli(dir, 'positions', '--json');
      expect(r.code, r.stderr).toBe(0);
      const lines = (JSON.parse(r.stdout) as { positions: PositionLine[] }).positions;
      // (0.42 + 0.57) / 2 = 0.495: 20 shares are worth 9.90 against a cost of 8.
      expect(lines.map((p) => [p.tokenId, p.mark, p.marketValue, p.unrealized])).toEqual([
        [yes, 495_000, 9_900_000, 1_900_000],
        [quietYes, null, null, null],
      ]);
      const pnl = await cli(dir, 'pnl', '--json');
      expect(JSON.parse(pnl.stdout).accounts[0]).toMatchObject({
        unrealized: 1_900_000,
        equity: 480_000_000 + 9_900_000 + 5_000_000,
        total: -5_100_000,
        unpriced: [quietYes],
      });
      const text = await cli(dir, 'positions');
      expect(text.stdout).toMatch(/0\.495\s+\$9\.90\s+\+\$1\.90/);
    } finally {
      await sim.stop();
    }
  });
});
