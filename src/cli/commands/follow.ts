/**
 * `polyhunter follow add|list|set|remove`: follow configurations (an account copying a leader),
 * edited from the shell. Options speak dollars, percents and multipliers; they are converted here,
 * exactly (parseMicro, never floats), to the planner's micro-USDC and basis points, and the rest
 * is the service in src/copy/follows.ts, the same one the dashboard and Telegram use.
 *
 * program.ts imports this module to declare the commands, so it loads nothing heavy at the top:
 * the service, the store and the config are imported when a command runs.
 */
import type { Command } from 'commander';
import type { LoadedConfig } from '../../config/index.ts';
import type { FollowPatch, FollowView, SizingInput, SizingTierInput } from '../../copy/follows.ts';
import { formatMicro, parseMicro } from '../../core/decimal.ts';
import { MoneyError, ValidationError } from '../../core/errors.ts';
import type { Store } from '../../store/index.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { tableLines } from '../table.ts';

/** Who the audit log says made a change from here. */
const ACTOR = 'cli';

/** Micro-units per basis point of a percent (1% = 100 bps = 1_000_000 micro-percent). */
const MICRO_PER_PCT_BPS = 10_000;
/** Micro-units per basis point of a multiplier (1x = 10_000 bps = 1_000_000 micro). */
const MICRO_PER_X_BPS = 100;

export interface SizingOptions {
  fixed?: string;
  leaderPct?: string;
  balancePct?: string;
  balanceRatio?: boolean;
  tier?: string[];
}

interface CommonOptions extends SizingOptions {
  /** `--no-min` / `--no-max` (set only) give false: remove the limit. */
  min?: string | false;
  max?: string | false;
  copy?: boolean;
  counter?: boolean;
  fullClose?: boolean;
  slippageBps?: string;
  pause?: boolean;
  label?: string;
}

export interface FollowAddOptions extends CommonOptions {
  account?: string;
}

export interface FollowSetOptions extends CommonOptions {
  clearTiers?: boolean;
  resume?: boolean;
  enable?: boolean;
  disable?: boolean;
}

export interface FollowListOptions {
  json?: boolean;
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const SIZING_HELP = `
Sizing (one of): --fixed <usd> spends the same dollars on every copy; --leader-pct <pct> a share
of the leader's trade; --balance-pct <pct> a share of our cash; --balance-ratio our cash / the
leader's portfolio x the leader's trade. --tier <usd:x> multiplies the size when the leader's trade
is at least <usd> (highest tier reached applies; below every tier, x1; x0 skips those trades).
Dollars take up to 6 decimals, percents 2, multipliers 4.`;

function sizingOptions(cmd: Command): Command {
  return cmd
    .option('--fixed <usd>', 'copy with this many US dollars every time, e.g. 25')
    .option('--leader-pct <pct>', "copy with this percent of the leader's trade, e.g. 10")
    .option('--balance-pct <pct>', 'copy with this percent of our cash balance (up to 100), e.g. 2')
    .option('--balance-ratio', "scale the leader's trade by our balance / the leader's portfolio value")
    .option(
      '--tier <usd:x>',
      'from a leader trade of <usd> up, multiply our size by <x>, e.g. 1000:0.5 (repeatable)',
      collect,
    );
}

function limitOptions(cmd: Command): Command {
  return cmd
    .option('--min <usd>', 'skip copies (buys) sized below this many dollars')
    .option('--max <usd>', 'cut copies (buys) sized above this many dollars down to it')
    .option('--copy', 'trade the same side as the leader (the default)')
    .option('--counter', 'trade against the leader: their buy is our buy of the other outcome')
    .option('--full-close', "sell all we hold of a token when the leader's sell leaves them none (default)")
    .option('--no-full-close', "sell only in proportion to the leader's sell")
    .option(
      '--slippage-bps <bps>',
      "how far past the leader's price a copy's limit may go, in basis points (100 = 1%; default 200)",
    )
    .option('--label <text>', 'a name for the leader, shown instead of the address');
}

export function registerFollowCommands(program: Command, globals: () => GlobalOptions, output: Output): void {
  const follow = program
    .command('follow')
    .description(
      'Follow configurations: which account copies which leader, how big, and with which limits. Stored in the database; a running PolyHunter picks up changes.',
    )
    .addHelpText(
      'after',
      examples(
        'polyhunter follow add 0x1234...abcd --leader-pct 10 --max 100',
        'polyhunter follow list',
        'polyhunter follow set 1 --pause',
        'polyhunter follow remove 1',
      ),
    );

  const add = follow
    .command('add')
    .description(
      'Start copying a leader. The leader is added to the watched leaders if new (flat start: only trades from now on); the account (default "paper") is created as a paper account with trading.paper_starting_cash_usd if missing.',
    )
    .argument('<leader>', "the leader's wallet address (0x + 40 hex digits)")
    .option('--account <name>', 'the account that copies', 'paper');
  sizingOptions(add);
  limitOptions(add)
    .option('--pause', 'add it paused: configured, not copying until `follow set <id> --resume`')
    .addHelpText(
      'after',
      `${SIZING_HELP}\n${examples(
        'polyhunter follow add 0x1234...abcd --leader-pct 10',
        'polyhunter follow add 0x1234...abcd --fixed 25 --min 5 --label whale',
        'polyhunter follow add 0x1234...abcd --balance-pct 2 --max 100 --slippage-bps 100',
        'polyhunter follow add 0x1234...abcd --balance-ratio --tier 1000:0.5 --tier 10000:0.25',
        'polyhunter follow add 0x1234...abcd --fixed 10 --counter --no-full-close',
      )}`,
    )
    .action(async (leader: string, options: FollowAddOptions) => {
      await runFollowAdd(globals(), leader, options, output);
    });

  follow
    .command('list')
    .description('Print every follow: account, leader, sizing, direction, limits and whether it copies now.')
    .option('--json', 'print JSON (amounts in micro-USDC, percents in basis points)')
    .addHelpText(
      'after',
      examples(
        'polyhunter follow list',
        'polyhunter follow list --json | jq \'.follows[] | select(.state == "active")\'',
      ),
    )
    .action(async (options: FollowListOptions) => {
      await runFollowList(globals(), options, output);
    });

  const set = follow
    .command('set')
    .description(
      'Change a follow. Only the options given change; a new sizing keeps the tiers unless --tier or --clear-tiers is given.',
    )
    .argument('<id>', 'the follow id, from `polyhunter follow list`');
  sizingOptions(set).option('--clear-tiers', 'remove every tier');
  limitOptions(set)
    .option('--no-min', 'remove the minimum')
    .option('--no-max', 'remove the maximum')
    .option('--pause', 'stop copying, keep the follow configured')
    .option('--resume', 'copy again after --pause')
    .option('--disable', 'retire the follow (kept for history)')
    .option('--enable', 'turn a disabled follow back on')
    .addHelpText(
      'after',
      `${SIZING_HELP}\n${examples(
        'polyhunter follow set 1 --leader-pct 5',
        'polyhunter follow set 1 --max 50 --no-min',
        'polyhunter follow set 1 --tier 500:2 --tier 5000:0.5',
        'polyhunter follow set 1 --pause',
        'polyhunter follow set 1 --resume --counter',
      )}`,
    )
    .action(async (id: string, options: FollowSetOptions) => {
      await runFollowSet(globals(), id, options, output);
    });

  follow
    .command('remove')
    .description(
      'Stop following for good. A follow that already made decisions or orders is disabled instead of deleted, so its history stays readable.',
    )
    .argument('<id>', 'the follow id, from `polyhunter follow list`')
    .addHelpText('after', examples('polyhunter follow remove 1'))
    .action(async (id: string) => {
      await runFollowRemove(globals(), id, output);
    });
}

// --- actions ---------------------------------------------------------------------------------------

export async function runFollowAdd(
  global: GlobalOptions,
  leader: string,
  options: FollowAddOptions,
  output: Output,
): Promise<void> {
  const sizing = sizingFrom(options);
  if (sizing === undefined) throw new ValidationError(`give a sizing: ${SIZING_FLAGS}`);
  const input = {
    leader,
    account: options.account,
    sizing,
    ...commonFrom(options),
    ...(options.pause ? { paused: true } : {}),
  };
  const follows = await import('../../copy/follows.ts');
  // Validated before the database is opened: bad input creates no file and writes nothing.
  follows.checkNewFollow(input);
  await withFollowStore(global, output, true, async (store, startingCashUsdc, loaded) => {
    const { configuredLiveAccount } = await import('../../keys/index.ts');
    const liveAccount = configuredLiveAccount(loaded, options.account);
    const r = await follows.addFollow(
      store,
      { ...input, paperStartingCashUsdc: startingCashUsdc, ...(liveAccount ? { liveAccount } : {}) },
      Date.now(),
      ACTOR,
    );
    output.out(`added follow ${summary(r.follow)}`);
    for (const note of r.notes) output.out(`  note: ${note}`);
  });
}

export async function runFollowList(
  global: GlobalOptions,
  options: FollowListOptions,
  output: Output,
): Promise<void> {
  const { listFollows } = await import('../../copy/follows.ts');
  const rows = (await withFollowStore(global, output, false, (store) => listFollows(store))) ?? [];
  if (options.json) {
    output.out(JSON.stringify({ follows: rows }, null, 2));
    return;
  }
  if (rows.length === 0) {
    output.out('no follows yet; add one with: polyhunter follow add <leader address> --leader-pct 10');
    return;
  }
  output.out(formatFollowTable(rows));
  for (const r of rows) {
    if (r.problem !== null) output.out(`follow #${r.id}: ${r.problem}`);
    else if (!r.leaderWatched && r.state === 'active')
      output.out(`follow #${r.id}: its leader is disabled or not in the leaders table, so nothing is copied`);
  }
}

export async function runFollowSet(
  global: GlobalOptions,
  idText: string,
  options: FollowSetOptions,
  output: Output,
): Promise<void> {
  const id = followId(idText);
  const patch = patchFrom(options);
  if (Object.values(patch).every((v) => v === undefined)) {
    throw new ValidationError(
      'nothing to change: give at least one option (see polyhunter follow set --help)',
    );
  }
  const { updateFollow } = await import('../../copy/follows.ts');
  const done = await withFollowStore(global, output, false, async (store) => {
    const r = await updateFollow(store, id, patch, Date.now(), ACTOR);
    output.out(`updated follow ${summary(r.follow)}`);
    for (const note of r.notes) output.out(`  note: ${note}`);
    return true;
  });
  if (done === undefined) throw new ValidationError(`no follow with id ${id}`);
}

export async function runFollowRemove(global: GlobalOptions, idText: string, output: Output): Promise<void> {
  const id = followId(idText);
  const { removeFollow } = await import('../../copy/follows.ts');
  const done = await withFollowStore(global, output, false, async (store) => {
    const r = await removeFollow(store, id, Date.now(), ACTOR);
    if (r.outcome === 'deleted') {
      output.out(`removed follow #${id} (${r.follow.accountName} -> ${leaderName(r.follow)})`);
    } else {
      output.out(
        `follow #${id} has history (${plural(r.decisions, 'copy decision')}, ${plural(r.orders, 'order')}): disabled it instead of deleting, so the history stays. Turn it back on with: polyhunter follow set ${id} --enable`,
      );
    }
    return true;
  });
  if (done === undefined) throw new ValidationError(`no follow with id ${id}`);
}

/**
 * Loads the config, then opens and migrates the database; with `create` false a SQLite file that
 * does not exist yet is left uncreated and the result is undefined (there is nothing to read).
 * `run` also gets the paper starting cash in micro-USDC (the database's value over the file's).
 */
async function withFollowStore<T>(
  global: GlobalOptions,
  output: Output,
  create: boolean,
  run: (store: Store, paperStartingCashUsdc: number, loaded: LoadedConfig) => Promise<T>,
): Promise<T | undefined> {
  const { databaseExists, loadFromOptions, printWarnings, resolvedDatabaseUrl } = await import(
    '../context.ts'
  );
  const { migrateToLatest, openStore, readRuntimeSettings } = await import('../../store/index.ts');
  const loaded = loadFromOptions(global);
  printWarnings(loaded, output);
  const url = resolvedDatabaseUrl(loaded);
  if (!create && !databaseExists(url)) return undefined;
  const store = await openStore(url);
  try {
    await migrateToLatest(store);
    // Read only: seeding the runtime settings is `start`'s job; a missing one falls back to the file.
    const effective = await readRuntimeSettings(store, loaded);
    const cashUsd = effective.config.trading.paper_starting_cash_usd;
    return await run(store, parseMicro(String(cashUsd)), loaded);
  } finally {
    await store.close();
  }
}

// --- options -> service input ----------------------------------------------------------------------

const SIZING_FLAGS = '--fixed <usd>, --leader-pct <pct>, --balance-pct <pct> or --balance-ratio';

/** The sizing the options ask for (tiers included), or undefined when no sizing flag is given. */
export function sizingFrom(options: SizingOptions): SizingInput | undefined {
  const given = [
    options.fixed !== undefined ? '--fixed' : '',
    options.leaderPct !== undefined ? '--leader-pct' : '',
    options.balancePct !== undefined ? '--balance-pct' : '',
    options.balanceRatio ? '--balance-ratio' : '',
  ].filter(Boolean);
  if (given.length > 1) {
    throw new ValidationError(`give one sizing, not ${given.join(' and ')}: ${SIZING_FLAGS}`);
  }
  const tiers = options.tier === undefined ? {} : { tiers: tiersFrom(options.tier) };
  if (options.fixed !== undefined) {
    return { mode: 'fixed_usd', amountUsdc: dollarsArg('--fixed', options.fixed, 'positive'), ...tiers };
  }
  if (options.leaderPct !== undefined) {
    return { mode: 'leader_pct', pctBps: percentArg('--leader-pct', options.leaderPct, 10_000), ...tiers };
  }
  if (options.balancePct !== undefined) {
    return { mode: 'balance_pct', pctBps: percentArg('--balance-pct', options.balancePct, 100), ...tiers };
  }
  if (options.balanceRatio) return { mode: 'balance_ratio', ...tiers };
  if (options.tier !== undefined) {
    throw new ValidationError(`--tier multiplies a sizing; give one with it: ${SIZING_FLAGS}`);
  }
  return undefined;
}

/** `1000:0.5` -> from a $1000 leader trade up, x0.5; sorted by the dollar threshold. */
export function tiersFrom(texts: readonly string[]): SizingTierInput[] {
  const tiers = texts.map((text) => {
    const m = /^([^:]+):([^:]+)$/.exec(text.trim());
    if (m === null) {
      throw new ValidationError(
        `--tier takes <leader trade usd>:<multiplier>, e.g. 1000:0.5, got ${JSON.stringify(text)}`,
      );
    }
    return {
      minLeaderUsdc: dollarsArg('--tier (leader trade usd)', m[1]!, 'zero or more'),
      multiplierBps: multiplierArg('--tier (multiplier)', m[2]!),
    };
  });
  tiers.sort((a, b) => a.minLeaderUsdc - b.minLeaderUsdc);
  for (let i = 1; i < tiers.length; i++) {
    if (tiers[i]!.minLeaderUsdc === tiers[i - 1]!.minLeaderUsdc) {
      throw new ValidationError(`--tier: two tiers start at $${formatMicro(tiers[i]!.minLeaderUsdc)}`);
    }
  }
  return tiers;
}

/** Settings shared by add and set; only what the options give. */
function commonFrom(options: CommonOptions): Omit<FollowPatch, 'sizing' | 'tiers' | 'paused' | 'enabled'> {
  if (options.copy && options.counter) throw new ValidationError('give --copy or --counter, not both');
  const limit = (flag: string, text: string | false | undefined, kind: 'zero or more' | 'positive') =>
    text === undefined ? undefined : text === false ? null : dollarsArg(flag, text, kind);
  const out: Omit<FollowPatch, 'sizing' | 'tiers' | 'paused' | 'enabled'> = {
    direction: options.counter ? 'counter' : options.copy ? 'copy' : undefined,
    minTradeUsdc: limit('--min', options.min, 'zero or more'),
    maxTradeUsdc: limit('--max', options.max, 'positive'),
    fullCloseOnLeaderExit: options.fullClose,
    slippageBps: options.slippageBps === undefined ? undefined : slippageArg(options.slippageBps),
    leaderLabel: options.label,
  };
  // Undefined keys are dropped so that "nothing given" is an empty object.
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

export function patchFrom(options: FollowSetOptions): FollowPatch {
  if (options.pause && options.resume) throw new ValidationError('give --pause or --resume, not both');
  if (options.enable && options.disable) throw new ValidationError('give --enable or --disable, not both');
  if (options.tier !== undefined && options.clearTiers) {
    throw new ValidationError('give --tier or --clear-tiers, not both');
  }
  const sizing = sizingFrom({ ...options, tier: undefined });
  const patch: FollowPatch = {
    ...commonFrom(options),
    ...(sizing !== undefined ? { sizing } : {}),
    ...(options.tier !== undefined ? { tiers: tiersFrom(options.tier) } : {}),
    ...(options.clearTiers ? { tiers: null } : {}),
    ...(options.pause ? { paused: true } : options.resume ? { paused: false } : {}),
    ...(options.enable ? { enabled: true } : options.disable ? { enabled: false } : {}),
  };
  return patch;
}

function followId(text: string): number {
  const id = /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : 0;
  if (id < 1) {
    throw new ValidationError(
      `a follow id is a whole number such as 3 (see polyhunter follow list), got ${JSON.stringify(text)}`,
    );
  }
  return id;
}

/** Dollars to micro-USDC, exactly; "$25" is accepted too. */
export function dollarsArg(flag: string, text: string, kind: 'zero or more' | 'positive'): number {
  const trimmed = text.trim().replace(/^\$/, '');
  if (trimmed.startsWith('-'))
    throw new ValidationError(`${flag} must not be negative, got ${JSON.stringify(text)}`);
  const micro = parseArg(
    flag,
    trimmed,
    text,
    'a dollar amount such as 25 or 2.50',
    6,
    'the smallest amount is $0.000001',
  );
  if (kind === 'positive' && micro === 0)
    throw new ValidationError(`${flag} must be more than $0, got ${JSON.stringify(text)}`);
  return micro;
}

/** A percent to basis points: "10" or "10%" -> 1_000; at most `max` percent. */
export function percentArg(flag: string, text: string, max: number): number {
  const trimmed = text.trim().replace(/%$/, '');
  if (trimmed.startsWith('-'))
    throw new ValidationError(`${flag} must not be negative, got ${JSON.stringify(text)}`);
  const micro = parseArg(flag, trimmed, text, 'a percent such as 10 or 2.5', 2, 'the smallest step is 0.01%');
  if (micro === 0 || micro > max * 1_000_000) {
    throw new ValidationError(
      `${flag} must be a percent above 0 and at most ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return micro / MICRO_PER_PCT_BPS;
}

/** A multiplier to basis points: "0.5" or "0.5x" -> 5_000; 0 to 100. */
export function multiplierArg(flag: string, text: string): number {
  const trimmed = text.trim().replace(/^x|x$/i, '');
  if (trimmed.startsWith('-'))
    throw new ValidationError(`${flag} must not be negative, got ${JSON.stringify(text)}`);
  const micro = parseArg(
    flag,
    trimmed,
    text,
    'a multiplier such as 0.5 or 2',
    4,
    'the smallest step is 0.0001',
  );
  if (micro > 100_000_000)
    throw new ValidationError(`${flag} must be at most 100, got ${JSON.stringify(text)}`);
  return micro / MICRO_PER_X_BPS;
}

function slippageArg(text: string): number {
  const trimmed = text.trim();
  const bps = /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(bps >= 0 && bps <= 5_000)) {
    throw new ValidationError(
      `--slippage-bps must be a whole number of basis points from 0 to 5000 (100 = 1%), got ${JSON.stringify(text)}`,
    );
  }
  return bps;
}

/** Decimal text to micro-units with at most `decimals` decimals, each failure named by flag. */
function parseArg(
  flag: string,
  text: string,
  original: string,
  what: string,
  decimals: number,
  smallest: string,
): number {
  const shown = JSON.stringify(original);
  const m = /^\d*(?:\.(\d+))?$/.exec(text);
  if (m === null || text === '' || text === '.')
    throw new ValidationError(`${flag} takes ${what}, got ${shown}`);
  // Trailing zeros lose nothing ("2.500" is 2.5), so only significant decimals count.
  const significant = (m[1] ?? '').replace(/0+$/, '').length;
  if (significant > decimals) {
    throw new ValidationError(`${flag} has more than ${decimals} decimals (${smallest}), got ${shown}`);
  }
  try {
    return parseMicro(text);
  } catch (err) {
    if (err instanceof MoneyError) throw new ValidationError(`${flag} is too large, got ${shown}`);
    throw err;
  }
}

// --- printing --------------------------------------------------------------------------------------

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function usd(micro: number | null): string {
  if (micro === null) return '-';
  return `$${formatMicro(micro, { minDecimals: micro % 1_000_000 === 0 ? 0 : 2 })}`;
}

function short(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

function leaderName(f: FollowView): string {
  return f.leaderLabel === null ? f.leaderAddress : `${f.leaderLabel} (${short(f.leaderAddress)})`;
}

/** "#1 paper -> whale (0x1234…abcd): 10% of leader, copy, min $5, no max, full close, slippage 200 bps, active" */
export function summary(f: FollowView): string {
  return [
    `#${f.id} ${f.accountName} -> ${leaderName(f)}: ${f.sizingText}`,
    f.direction,
    f.minTradeUsdc === null ? 'no min' : `min ${usd(f.minTradeUsdc)}`,
    f.maxTradeUsdc === null ? 'no max' : `max ${usd(f.maxTradeUsdc)}`,
    f.fullCloseOnLeaderExit ? 'full close' : 'proportional close',
    `slippage ${f.slippageBps} bps`,
    f.state,
  ].join(', ');
}

export function formatFollowTable(rows: readonly FollowView[]): string {
  const header = [
    'ID',
    'ACCOUNT',
    'LEADER',
    'SIZING',
    'DIRECTION',
    'MIN',
    'MAX',
    'CLOSE',
    'SLIPPAGE',
    'STATE',
  ];
  const cells = rows.map((f) => [
    String(f.id),
    `${f.accountName} (${f.accountMode.toUpperCase()})`,
    leaderName(f),
    f.sizingText,
    f.direction,
    usd(f.minTradeUsdc),
    usd(f.maxTradeUsdc),
    f.fullCloseOnLeaderExit ? 'full' : 'proportional',
    `${f.slippageBps} bps`,
    f.state,
  ]);
  return tableLines(header, cells).join('\n');
}
