import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  dollarsArg,
  formatFollowTable,
  multiplierArg,
  patchFrom,
  percentArg,
  registerFollowCommands,
  sizingFrom,
  summary,
  tiersFrom,
} from '../../src/cli/commands/follow.ts';
import type { FollowView } from '../../src/copy/follows.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { leaderTrade } from '../store/fixtures.ts';
import { runCli } from '../support/cli.ts';

const A = '0xAAAA000000000000000000000000000000000001';
const B = '0x000000000000000000000000000000000000bbb2';
const C = '0x000000000000000000000000000000000000ccc3';
const D = '0x000000000000000000000000000000000000ddd4';
const a = A.toLowerCase();

/** A folder with a config whose paper account starts with $500; its database is data/polyhunter.db. */
function configDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ph-follow-'));
  writeFileSync(join(dir, 'polyhunter.toml'), '[trading]\npaper_starting_cash_usd = 500\n');
  return dir;
}

const dbPath = (dir: string) => join(dir, 'data', 'polyhunter.db');

async function withDb<T>(dir: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(`sqlite:${dbPath(dir)}`);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Every row a follow command may write, to prove a refused command wrote nothing. */
function snapshot(dir: string) {
  return withDb(dir, async (store) => ({
    follows: await store.db.selectFrom('follow_configs').selectAll().orderBy('id').execute(),
    accounts: await store.db.selectFrom('accounts').selectAll().orderBy('id').execute(),
    leaders: await store.db.selectFrom('leaders').selectAll().orderBy('id').execute(),
    audit: await store.db.selectFrom('audit_log').selectAll().orderBy('id').execute(),
  }));
}

const follow = (dir: string, ...args: string[]) => runCli(['follow', ...args], { cwd: dir });

// --- in-process: the option conversions and the printing --------------------------------------------

describe('follow options -> planner units', () => {
  it('converts dollars to micro-USDC exactly', () => {
    expect(dollarsArg('--fixed', '25', 'positive')).toBe(25_000_000);
    expect(dollarsArg('--fixed', '2.5', 'positive')).toBe(2_500_000);
    expect(dollarsArg('--fixed', '0.1', 'positive')).toBe(100_000);
    expect(dollarsArg('--fixed', '$0.000001', 'positive')).toBe(1);
    expect(dollarsArg('--fixed', '1.2300000', 'positive')).toBe(1_230_000);
    expect(dollarsArg('--min', '0', 'zero or more')).toBe(0);
    expect(dollarsArg('--fixed', '123456789.123456', 'positive')).toBe(123_456_789_123_456);
  });

  it.each([
    ['-5', '--fixed must not be negative, got "-5"'],
    ['1.0000001', '--fixed has more than 6 decimals (the smallest amount is $0.000001), got "1.0000001"'],
    ['abc', '--fixed takes a dollar amount such as 25 or 2.50, got "abc"'],
    ['1e3', '--fixed takes a dollar amount'],
    ['.', '--fixed takes a dollar amount'],
    ['0', '--fixed must be more than $0, got "0"'],
    ['99999999999', '--fixed is too large'],
  ])('refuses dollars %s', (text, message) => {
    expect(() => dollarsArg('--fixed', text, 'positive')).toThrow(message);
  });

  it('converts percents and multipliers to basis points exactly', () => {
    expect(percentArg('--leader-pct', '10', 10_000)).toBe(1_000);
    expect(percentArg('--leader-pct', '12.34', 10_000)).toBe(1_234);
    expect(percentArg('--leader-pct', '0.01', 10_000)).toBe(1);
    expect(percentArg('--leader-pct', '10%', 10_000)).toBe(1_000);
    expect(percentArg('--balance-pct', '100', 100)).toBe(10_000);
    expect(multiplierArg('--tier', '0.5')).toBe(5_000);
    expect(multiplierArg('--tier', '1.2345')).toBe(12_345);
    expect(multiplierArg('--tier', '2x')).toBe(20_000);
    expect(multiplierArg('--tier', '0')).toBe(0);
    expect(() => percentArg('--leader-pct', '0.001', 10_000)).toThrow(
      '--leader-pct has more than 2 decimals (the smallest step is 0.01%)',
    );
    expect(() => percentArg('--balance-pct', '150', 100)).toThrow(
      '--balance-pct must be a percent above 0 and at most 100, got "150"',
    );
    expect(() => percentArg('--leader-pct', '0', 10_000)).toThrow('above 0');
    expect(() => multiplierArg('--tier', '0.00001')).toThrow('more than 4 decimals');
    expect(() => multiplierArg('--tier', '101')).toThrow('at most 100');
  });

  it('reads tiers as <usd>:<multiplier>, sorted', () => {
    expect(tiersFrom(['10000:0.25', '1000:0.5'])).toEqual([
      { minLeaderUsdc: 1_000_000_000, multiplierBps: 5_000 },
      { minLeaderUsdc: 10_000_000_000, multiplierBps: 2_500 },
    ]);
    expect(() => tiersFrom(['1000'])).toThrow('--tier takes <leader trade usd>:<multiplier>, e.g. 1000:0.5');
    expect(() => tiersFrom(['1000:1', '1000.0:2'])).toThrow('--tier: two tiers start at $1000');
    expect(() => tiersFrom(['-1:1'])).toThrow('must not be negative');
  });

  it('builds one sizing and refuses combinations', () => {
    expect(sizingFrom({ fixed: '25' })).toEqual({ mode: 'fixed_usd', amountUsdc: 25_000_000 });
    expect(sizingFrom({ leaderPct: '10', tier: ['1000:0.5'] })).toEqual({
      mode: 'leader_pct',
      pctBps: 1_000,
      tiers: [{ minLeaderUsdc: 1_000_000_000, multiplierBps: 5_000 }],
    });
    expect(sizingFrom({ balancePct: '2' })).toEqual({ mode: 'balance_pct', pctBps: 200 });
    expect(sizingFrom({ balanceRatio: true })).toEqual({ mode: 'balance_ratio' });
    expect(sizingFrom({})).toBeUndefined();
    expect(() => sizingFrom({ fixed: '25', leaderPct: '10' })).toThrow(
      'give one sizing, not --fixed and --leader-pct',
    );
    expect(() => sizingFrom({ tier: ['1:1'] })).toThrow('--tier multiplies a sizing');
  });

  it('builds a patch of only what was given', () => {
    expect(patchFrom({})).toEqual({});
    expect(patchFrom({ min: false, max: '50', pause: true, counter: true })).toEqual({
      minTradeUsdc: null,
      maxTradeUsdc: 50_000_000,
      paused: true,
      direction: 'counter',
    });
    expect(patchFrom({ tier: ['5:2'] })).toEqual({
      tiers: [{ minLeaderUsdc: 5_000_000, multiplierBps: 20_000 }],
    });
    expect(patchFrom({ clearTiers: true, fullClose: false, resume: true, enable: true })).toEqual({
      tiers: null,
      fullCloseOnLeaderExit: false,
      paused: false,
      enabled: true,
    });
    expect(() => patchFrom({ pause: true, resume: true })).toThrow('give --pause or --resume, not both');
    expect(() => patchFrom({ enable: true, disable: true })).toThrow('give --enable or --disable, not both');
    expect(() => patchFrom({ tier: ['1:1'], clearTiers: true })).toThrow('not both');
    expect(() => patchFrom({ copy: true, counter: true })).toThrow('give --copy or --counter, not both');
  });

  it('prints a follow in words and a table', () => {
    const view: FollowView = {
      id: 3,
      accountId: 1,
      accountName: 'paper',
      accountMode: 'paper',
      leaderAddress: a,
      leaderLabel: 'whale',
      leaderWatched: true,
      state: 'paused',
      enabled: true,
      paused: true,
      direction: 'copy',
      sizing: { mode: 'leader_pct', pctBps: 1_000 },
      sizingText: '10% of leader',
      minTradeUsdc: 5_000_000,
      maxTradeUsdc: null,
      fullCloseOnLeaderExit: true,
      slippageBps: 200,
      problem: null,
      createdAt: 0,
      updatedAt: 0,
    };
    expect(summary(view)).toBe(
      '#3 paper -> whale (0xaaaa…0001): 10% of leader, copy, min $5, no max, full close, slippage 200 bps, paused',
    );
    expect(formatFollowTable([view]).split('\n')).toEqual([
      'ID  ACCOUNT        LEADER               SIZING         DIRECTION  MIN  MAX  CLOSE  SLIPPAGE  STATE',
      '3   paper (PAPER)  whale (0xaaaa…0001)  10% of leader  copy       $5   -    full   200 bps   paused',
    ]);
  });

  it('declares the commands with descriptions and examples', () => {
    const program = new Command('polyhunter').exitOverride();
    let help = '';
    program.configureOutput({ writeOut: (s) => (help += s), writeErr: (s) => (help += s) });
    registerFollowCommands(program, () => ({}), { out: () => {}, err: () => {} });
    const followCmd = program.commands.find((c) => c.name() === 'follow')!;
    expect(followCmd.commands.map((c) => c.name())).toEqual(['add', 'list', 'set', 'remove']);
    for (const c of followCmd.commands) expect(c.description().length).toBeGreaterThan(20);
    const add = followCmd.commands[0]!;
    expect(add.options.map((o) => o.long)).toEqual(
      expect.arrayContaining([
        '--fixed',
        '--leader-pct',
        '--balance-pct',
        '--balance-ratio',
        '--tier',
        '--min',
        '--max',
      ]),
    );
    expect(() => program.parse(['follow', 'add', '--help'], { from: 'user' })).toThrow();
    expect(help).toMatch(/Examples:\n {2}\$ polyhunter follow add 0x/);
  });
});

// --- the real command ------------------------------------------------------------------------------

describe('polyhunter follow', () => {
  let dir: string;
  beforeAll(() => {
    dir = configDir();
  });

  it('--help lists the subcommands with examples', async () => {
    const r = await follow(dir, '--help');
    expect(r.code).toBe(0);
    for (const cmd of ['add', 'list', 'set', 'remove'])
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    expect(r.stdout).toMatch(/Examples:\n {2}\$ polyhunter follow /);
    const add = await follow(dir, 'add', '--help');
    expect(add.stdout).toMatch(/--leader-pct <pct>/);
    expect(add.stdout).toMatch(/Examples:\n {2}\$ polyhunter follow add /);
  });

  it('list on a fresh folder says there is nothing yet and creates no database', async () => {
    const fresh = configDir();
    const r = await follow(fresh, 'list');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^no follows yet/);
    expect(existsSync(dbPath(fresh))).toBe(false);
  });

  it('adds a follow with each sizing mode, in exact planner units', async () => {
    let r = await follow(dir, 'add', A, '--fixed', '25', '--min', '5', '--max', '100.50', '--label', 'whale');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'added follow #1 paper -> whale (0xaaaa…0001): $25 fixed, copy, min $5, max $100.50, full close, slippage 200 bps, active',
    );
    expect(r.stdout).toContain('note: created paper account "paper" with $500 of paper cash');
    expect(r.stdout).toContain(`note: added leader ${a} to the watched leaders`);

    r = await follow(dir, 'add', B, '--leader-pct', '12.5', '--counter');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`#2 paper -> ${B}: 12.5% of leader, counter`);
    expect(r.stdout).not.toContain('created paper account');

    r = await follow(dir, 'add', C, '--balance-pct', '2', '--no-full-close', '--slippage-bps', '100');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2% of balance, copy, no min, no max, proportional close, slippage 100 bps');

    r = await follow(
      dir,
      'add',
      D,
      '--balance-ratio',
      '--tier',
      '10000:0.25',
      '--tier',
      '1000:0.5',
      '--pause',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('balance ratio, x0.5 from $1000, x0.25 from $10000');
    expect(r.stdout).toMatch(/paused$/m);

    r = await follow(dir, 'add', A, '--leader-pct', '1', '--account', 'alt');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('note: created paper account "alt" with $500 of paper cash');

    const rows = await withDb(dir, (store) =>
      store.db
        .selectFrom('follow_configs')
        .select([
          'id',
          'leader_address',
          'sizing_mode',
          'sizing_params',
          'direction',
          'min_trade_usdc',
          'max_trade_usdc',
          'full_close',
          'slippage_bps',
          'paused',
        ])
        .orderBy('id')
        .execute(),
    );
    expect(rows.map((r) => ({ ...r, sizing_params: JSON.parse(r.sizing_params) }))).toEqual([
      {
        id: 1,
        leader_address: a,
        sizing_mode: 'fixed_usd',
        sizing_params: { amountUsdc: 25_000_000 },
        direction: 'copy',
        min_trade_usdc: 5_000_000,
        max_trade_usdc: 100_500_000,
        full_close: 1,
        slippage_bps: 200,
        paused: 0,
      },
      {
        id: 2,
        leader_address: B,
        sizing_mode: 'leader_pct',
        sizing_params: { pctBps: 1_250 },
        direction: 'counter',
        min_trade_usdc: null,
        max_trade_usdc: null,
        full_close: 1,
        slippage_bps: 200,
        paused: 0,
      },
      {
        id: 3,
        leader_address: C,
        sizing_mode: 'balance_pct',
        sizing_params: { pctBps: 200 },
        direction: 'copy',
        min_trade_usdc: null,
        max_trade_usdc: null,
        full_close: 0,
        slippage_bps: 100,
        paused: 0,
      },
      {
        id: 4,
        leader_address: D,
        sizing_mode: 'balance_ratio',
        sizing_params: {
          tiers: [
            { minLeaderUsdc: 1_000_000_000, multiplierBps: 5_000 },
            { minLeaderUsdc: 10_000_000_000, multiplierBps: 2_500 },
          ],
        },
        direction: 'copy',
        min_trade_usdc: null,
        max_trade_usdc: null,
        full_close: 1,
        slippage_bps: 200,
        paused: 1,
      },
      {
        id: 5,
        leader_address: a,
        sizing_mode: 'leader_pct',
        sizing_params: { pctBps: 100 },
        direction: 'copy',
        min_trade_usdc: null,
        max_trade_usdc: null,
        full_close: 1,
        slippage_bps: 200,
        paused: 0,
      },
    ]);
    const accounts = await withDb(dir, (store) =>
      store.db
        .selectFrom('accounts')
        .select(['name', 'mode', 'cash', 'starting_cash'])
        .orderBy('id')
        .execute(),
    );
    expect(accounts).toEqual([
      { name: 'paper', mode: 'paper', cash: 500_000_000, starting_cash: 500_000_000 },
      { name: 'alt', mode: 'paper', cash: 500_000_000, starting_cash: 500_000_000 },
    ]);
    const leaders = await withDb(dir, (store) =>
      store.db
        .selectFrom('leaders')
        .select(['address', 'label', 'enabled', 'startup_mode'])
        .orderBy('id')
        .execute(),
    );
    expect(leaders).toEqual([
      { address: a, label: 'whale', enabled: 1, startup_mode: 'flat' },
      { address: B, label: null, enabled: 1, startup_mode: 'flat' },
      { address: C, label: null, enabled: 1, startup_mode: 'flat' },
      { address: D, label: null, enabled: 1, startup_mode: 'flat' },
    ]);
    const audit = await withDb(dir, (store) =>
      store.db.selectFrom('audit_log').select(['actor', 'action', 'subject']).orderBy('id').execute(),
    );
    expect(audit).toEqual(
      [1, 2, 3, 4, 5].map((id) => ({ actor: 'cli', action: 'follow.add', subject: `follow:${id}` })),
    );
  });

  it('lists follows as a table and as JSON', async () => {
    const r = await follow(dir, 'list');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^ID\s+ACCOUNT\s+LEADER\s+SIZING\s+DIRECTION\s+MIN\s+MAX\s+CLOSE\s+SLIPPAGE\s+STATE$/,
    );
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      [
        '1',
        'paper (PAPER)',
        'whale (0xaaaa…0001)',
        '$25 fixed',
        'copy',
        '$5',
        '$100.50',
        'full',
        '200 bps',
        'active',
      ],
      ['2', 'paper (PAPER)', B, '12.5% of leader', 'counter', '-', '-', 'full', '200 bps', 'active'],
      ['3', 'paper (PAPER)', C, '2% of balance', 'copy', '-', '-', 'proportional', '100 bps', 'active'],
      [
        '4',
        'paper (PAPER)',
        D,
        'balance ratio, x0.5 from $1000, x0.25 from $10000',
        'copy',
        '-',
        '-',
        'full',
        '200 bps',
        'paused',
      ],
      [
        '5',
        'alt (PAPER)',
        'whale (0xaaaa…0001)',
        '1% of leader',
        'copy',
        '-',
        '-',
        'full',
        '200 bps',
        'active',
      ],
    ]);

    const json = await follow(dir, 'list', '--json');
    expect(json.code, json.stderr).toBe(0);
    const { follows } = JSON.parse(json.stdout) as { follows: FollowView[] };
    expect(follows).toHaveLength(5);
    expect(follows[0]).toMatchObject({
      id: 1,
      accountName: 'paper',
      leaderAddress: a,
      leaderLabel: 'whale',
      leaderWatched: true,
      state: 'active',
      sizing: { mode: 'fixed_usd', amountUsdc: 25_000_000 },
      sizingText: '$25 fixed',
      minTradeUsdc: 5_000_000,
      maxTradeUsdc: 100_500_000,
      fullCloseOnLeaderExit: true,
      slippageBps: 200,
      problem: null,
    });
  });

  it('changes a follow with set: sizing (tiers kept), limits, pause and resume', async () => {
    let r = await follow(dir, 'set', '4', '--leader-pct', '5', '--max', '50', '--copy');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `updated follow #4 paper -> ${D}: 5% of leader, x0.5 from $1000, x0.25 from $10000, copy, no min, max $50`,
    );
    r = await follow(dir, 'set', '4', '--clear-tiers', '--no-max', '--resume');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `#4 paper -> ${D}: 5% of leader, copy, no min, no max, full close, slippage 200 bps, active`,
    );

    r = await follow(dir, 'set', '1', '--pause');
    expect(r.stdout).toMatch(/#1 .*, paused$/m);
    expect((await follow(dir, 'list', '--json')).stdout).toContain('"state": "paused"');
    r = await follow(dir, 'set', '1', '--resume', '--label', 'big whale');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/#1 paper -> big whale \(0xaaaa…0001\): .*, active$/m);

    const audit = await withDb(dir, (store) =>
      store.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'subject'])
        .where('action', '=', 'follow.set')
        .orderBy('id')
        .execute(),
    );
    expect(audit.map((e) => `${e.actor} ${e.subject}`)).toEqual([
      'cli follow:4',
      'cli follow:4',
      'cli follow:1',
      'cli follow:1',
    ]);
  });

  it('refuses a second follow of the same leader by the same account', async () => {
    const before = await snapshot(dir);
    const r = await follow(dir, 'add', A, '--fixed', '10');
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd()).toBe(
      `error: account "paper" already follows ${a} as follow #1: change that follow instead of adding another`,
    );
    expect(await snapshot(dir)).toEqual(before);
  });

  it.each([
    [['add', A, '--fixed', '25', '--leader-pct', '10'], 'give one sizing, not --fixed and --leader-pct'],
    [
      ['add', A, '--balance-ratio', '--balance-pct', '2'],
      'give one sizing, not --balance-pct and --balance-ratio',
    ],
    [['add', A], 'give a sizing: --fixed <usd>, --leader-pct <pct>, --balance-pct <pct> or --balance-ratio'],
    [['add', A, '--tier', '1000:2'], '--tier multiplies a sizing'],
    [['add', A, '--fixed', '-5'], '--fixed must not be negative, got "-5"'],
    [['add', A, '--fixed', '25', '--min', '-1'], '--min must not be negative, got "-1"'],
    [['add', A, '--fixed', '1.0000001'], '--fixed has more than 6 decimals'],
    [['add', A, '--leader-pct', '10.555'], '--leader-pct has more than 2 decimals'],
    [['add', A, '--fixed', 'ten'], '--fixed takes a dollar amount such as 25 or 2.50, got "ten"'],
    [
      ['add', '0x1234', '--fixed', '5'],
      'leader must be a 0x-prefixed address of 40 hex digits, got "0x1234"',
    ],
    [['add', 'whale', '--fixed', '5'], 'leader must be a 0x-prefixed address'],
    [
      ['add', A, '--fixed', '5', '--min', '10', '--max', '5'],
      'the minimum trade ($10) must not be above the maximum ($5)',
    ],
    [['add', A, '--balance-pct', '150'], '--balance-pct must be a percent above 0 and at most 100'],
    [['add', A, '--fixed', '5', '--copy', '--counter'], 'give --copy or --counter, not both'],
    [
      ['add', A, '--fixed', '5', '--slippage-bps', '1.5'],
      '--slippage-bps must be a whole number of basis points',
    ],
    [['add', A, '--fixed', '5', '--account', 'My Account'], 'account must be a short lower-case name'],
    [['set', '1'], 'nothing to change'],
    [['set', 'abc', '--pause'], 'a follow id is a whole number such as 3'],
    [['set', '99', '--pause'], 'no follow with id 99'],
    [['set', '1', '--pause', '--resume'], 'give --pause or --resume, not both'],
    [['set', '1', '--min', '500'], 'the minimum trade ($500) must not be above the maximum ($100.50)'],
    [['set', '1', '--fixed', '0'], '--fixed must be more than $0'],
    [['remove', '99'], 'no follow with id 99'],
  ])('refuses follow %j with one line and exit 1, writing nothing', async (args, message) => {
    const before = await snapshot(dir);
    const r = await follow(dir, ...args);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toContain(message);
    expect(r.stdout).toBe('');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('writes no database when the first command is refused', async () => {
    const fresh = configDir();
    for (const args of [
      ['add', '0x1234', '--fixed', '5'],
      ['add', A, '--fixed', '5', '--min', '9', '--max', '1'],
      ['add', A, '--leader-pct', '20000'],
      ['set', '1', '--pause'],
      ['remove', '1'],
    ]) {
      const r = await follow(fresh, ...args);
      expect(r.code, args.join(' ')).toBe(1);
    }
    expect(existsSync(dbPath(fresh))).toBe(false);
  });

  it('removes a follow without history, and disables one with decisions instead', async () => {
    let r = await follow(dir, 'remove', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd()).toBe(`removed follow #2 (paper -> ${B})`);

    await withDb(dir, async (store) => {
      const trade = await store.db
        .insertInto('leader_trades')
        .values(leaderTrade({ leader_address: C }))
        .returning('id')
        .executeTakeFirstOrThrow();
      await store.db
        .insertInto('copy_decisions')
        .values({
          follow_config_id: 3,
          leader_trade_id: trade.id,
          account_id: 1,
          decision: 'copy',
          created_at: Date.now(),
        })
        .execute();
    });
    r = await follow(dir, 'remove', '3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd()).toBe(
      'follow #3 has history (1 copy decision, 0 orders): disabled it instead of deleting, so the history stays. Turn it back on with: polyhunter follow set 3 --enable',
    );
    const rows = await withDb(dir, (store) =>
      store.db.selectFrom('follow_configs').select(['id', 'enabled']).orderBy('id').execute(),
    );
    expect(rows).toEqual([
      { id: 1, enabled: 1 },
      { id: 3, enabled: 0 },
      { id: 4, enabled: 1 },
      { id: 5, enabled: 1 },
    ]);
    const list = await follow(dir, 'list');
    expect(list.stdout).toMatch(/^3 .*disabled$/m);

    const audit = await withDb(dir, (store) =>
      store.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'subject'])
        .orderBy('id', 'desc')
        .limit(2)
        .execute(),
    );
    expect(audit).toEqual([
      { actor: 'cli', action: 'follow.disable', subject: 'follow:3' },
      { actor: 'cli', action: 'follow.remove', subject: 'follow:2' },
    ]);

    r = await follow(dir, 'set', '3', '--enable');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/#3 .*, active$/m);
  });
});
