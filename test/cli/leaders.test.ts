import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerLeadersCommands } from '../../src/cli/commands/leaders.ts';
import type { LeaderSummary } from '../../src/server/http/queries/leaders.ts';
import {
  accountsRepo,
  followConfigsRepo,
  insertDecision,
  leadersRepo,
  type Store,
} from '../../src/store/index.ts';
import { leaderTrade } from '../store/fixtures.ts';
import { runCli } from '../support/cli.ts';
import { configDir, runRegistered, withConfigDb } from '../support/cli-in-process.ts';

const WHALE = '0xaaaa000000000000000000000000000000000001';
const QUIET = '0xbbbb000000000000000000000000000000000002';

const follow = (accountId: number, leaderAddress: string) => ({
  accountId,
  leaderAddress,
  enabled: true,
  paused: false,
  direction: 'copy' as const,
  sizingMode: 'fixed',
  sizingParams: { usdc: 25_000_000 },
  minTradeUsdc: null,
  maxTradeUsdc: null,
  fullClose: false,
  slippageBps: 100,
});

/**
 * The whale: warm start (1 h), cursor 30 s old, two follows (one paused), three trades (the last
 * 90 s ago) decided twice by the active follow: copy, copy, skip; one refusal by the paused one.
 * Quiet: disabled, flat, never polled, no follows, no trades.
 */
async function seed(store: Store, now: number): Promise<void> {
  const { db } = store;
  const leaders = leadersRepo(db);
  await leaders.upsert({ address: WHALE, label: 'whale', startupMode: 'warm', warmStartSeconds: 3600 }, now);
  await leaders.upsert({ address: QUIET, enabled: false }, now);
  await leaders.updateCursor(WHALE, { ts: now - 30_000, keys: [], v2: null }, now);
  const paper = await accountsRepo(db).ensurePaper('paper', 1_000_000_000, now);
  const other = await accountsRepo(db).ensurePaper('paper2', 1_000_000_000, now);
  const active = await followConfigsRepo(db).insert(follow(paper.id, WHALE), now);
  const paused = await followConfigsRepo(db).insert({ ...follow(other.id, WHALE), paused: true }, now);
  const trades: number[] = [];
  for (const ago of [300_000, 200_000, 90_000]) {
    const { id } = await db
      .insertInto('leader_trades')
      .values(leaderTrade({ leader_address: WHALE, trade_at: now - ago }))
      .returning('id')
      .executeTakeFirstOrThrow();
    trades.push(id);
  }
  const decide = (
    followId: number,
    accountId: number,
    tradeId: number,
    decision: 'copy' | 'skip' | 'refused',
  ) =>
    insertDecision(
      db,
      {
        followConfigId: followId,
        leaderTradeId: tradeId,
        accountId,
        decision,
        reasonCode: decision === 'copy' ? null : 'TOO_SMALL',
        detail: '',
        numbers: {},
        catchUp: false,
        orderId: null,
      },
      now,
    );
  await decide(active.id, paper.id, trades[0]!, 'copy');
  await decide(active.id, paper.id, trades[1]!, 'copy');
  await decide(active.id, paper.id, trades[2]!, 'skip');
  await decide(paused.id, other.id, trades[2]!, 'refused');
}

/** The command as program.ts declares it, on a fresh program, in this process. */
async function leaders(dir: string, ...args: string[]) {
  const output = await runRegistered(registerLeadersCommands, dir, ['leaders', ...args]);
  return output.lines;
}

describe('polyhunter leaders', () => {
  it('says there is no database yet, and does not create one', async () => {
    const dir = configDir('leaders');
    await expect(leaders(dir)).rejects.toThrow(/^no database yet at /);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('says so when there are no leaders', async () => {
    const dir = configDir('leaders');
    await withConfigDb(dir, async () => {});
    expect(await leaders(dir)).toEqual([
      'no leaders yet: add [[leaders]] to polyhunter.toml, or `polyhunter follow add <address>`',
    ]);
    expect(JSON.parse((await leaders(dir, '--json')).join('\n'))).toEqual({ leaders: [] });
  });

  it('lists every leader with its cursor, follows, trades and decisions, as a table or JSON', async () => {
    const dir = configDir('leaders');
    const now = Date.now();
    await withConfigDb(dir, (store) => seed(store, now));

    const text = await leaders(dir);
    expect(text).toHaveLength(3);
    const cells = (line: string) => line.split(/\s{2,}/);
    expect(cells(text[0]!)).toEqual([
      'LABEL',
      'ADDRESS',
      'ENABLED',
      'START',
      'API CURSOR',
      'FOLLOWS',
      'TRADES',
      'LAST TRADE',
      'COPIES',
      'SKIPS',
      'REFUSED',
    ]);
    expect(cells(text[1]!)).toEqual([
      'whale',
      WHALE,
      'yes',
      'warm 1h',
      expect.stringMatching(/^3\ds ago$/),
      '1 active, 1 paused',
      '3',
      expect.stringMatching(/^(9\d|1\d\d)s ago$/),
      '2',
      '1',
      '1',
    ]);
    expect(cells(text[2]!)).toEqual(['-', QUIET, 'no', 'flat', 'none', 'none', '0', 'never', '0', '0', '0']);

    const json = JSON.parse((await leaders(dir, '--json')).join('\n')) as { leaders: LeaderSummary[] };
    expect(json.leaders.map((l) => l.address)).toEqual([WHALE, QUIET]);
    expect(json.leaders[0]).toMatchObject({
      label: 'whale',
      enabled: true,
      startupMode: 'warm',
      warmStartSeconds: 3600,
      cursorAt: now - 30_000,
      follows: { active: 1, paused: 1, disabled: 0 },
      trades: { count: 3, lastAt: now - 90_000 },
      decisions: { copy: 2, skip: 1, refused: 1 },
    });
    expect(json.leaders[1]).toMatchObject({
      label: null,
      enabled: false,
      startupMode: 'flat',
      cursorAt: null,
      trades: { count: 0, lastAt: null },
    });
  });

  // The real `polyhunter` process: needs the command registered in src/cli/program.ts.
  it('as a process: prints the table, and exits 1 without a database', async () => {
    const empty = await runCli(['leaders'], { cwd: configDir('leaders') });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^error: no database yet at /m);
    const dir = configDir('leaders');
    await withConfigDb(dir, (store) => seed(store, Date.now()));
    const r = await runCli(['leaders', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { leaders: LeaderSummary[] }).leaders[0]?.decisions).toEqual({
      copy: 2,
      skip: 1,
      refused: 1,
    });
  });
});
