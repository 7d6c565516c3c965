/**
 * `polyhunter positions`, `pnl` and `reset-paper`: the ledger from the shell. The numbers come
 * from the service in src/portfolio/report.ts (the one the dashboard and Telegram use), marked at
 * the current book mids read from `venue.clob_url`; this module only prints them.
 *
 * program.ts imports this module to declare the commands, so it loads nothing heavy at the top:
 * the service, the store and the config are imported when a command runs.
 */
import type { Command } from 'commander';
import { formatMicro } from '../../core/decimal.ts';
import { ValidationError } from '../../core/errors.ts';
import type {
  AccountPnl,
  AccountRef,
  PaperReset,
  PnlReport,
  PositionLine,
  PositionsReport,
} from '../../portfolio/report.ts';
import type { Store } from '../../store/index.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { tableLines } from '../table.ts';

/** Who the audit log says made a change from here. */
const ACTOR = 'cli';

export interface PositionsOptions {
  account?: string;
  all?: boolean;
  json?: boolean;
}

export interface PnlOptions {
  account?: string;
  json?: boolean;
}

export interface ResetPaperOptions {
  account?: string;
  yes?: boolean;
  /** Print what was removed as JSON (with --yes: JSON output never waits for a question). */
  json?: boolean;
}

/** Asks the user a question and resolves with the answer; absent when there is no terminal. */
export type Confirm = (question: string) => Promise<string>;

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

const JSON_HELP =
  'print JSON (amounts, prices and shares in micro-units: 1000000 = $1, a price of 1, 1 share)';

export function registerPortfolioCommands(
  program: Command,
  globals: () => GlobalOptions,
  output: Output,
): void {
  program
    .command('positions')
    .description(
      "Each account's positions: shares, average cost, the current book mid, market value and PnL. A position whose book cannot be read now is shown unpriced, never at a guessed price.",
    )
    .option('--account <name>', 'only this account (default: every account)')
    .option('--all', 'also list closed (sold out) and redeemed positions')
    .option('--json', JSON_HELP)
    .addHelpText(
      'after',
      examples(
        'polyhunter positions',
        'polyhunter positions --account paper --all',
        "polyhunter positions --json | jq '.positions[] | select(.mark == null)'",
      ),
    )
    .action(async (options: PositionsOptions) => {
      await runPositions(globals(), options, output);
    });

  program
    .command('pnl')
    .description(
      'Profit and loss per account: cash, equity, realized (today and overall) and unrealized PnL at the current book mids, exposure, fees paid.',
    )
    .option('--account <name>', 'only this account (default: every account)')
    .option('--json', JSON_HELP)
    .addHelpText(
      'after',
      examples('polyhunter pnl', 'polyhunter pnl --account paper --json | jq .accounts[0].total'),
    )
    .action(async (options: PnlOptions) => {
      await runPnl(globals(), options, output);
    });

  program
    .command('reset-paper')
    .description(
      'Start a paper account over: delete its fills, orders, copy decisions, guardrail events and positions, and set its cash back to trading.paper_starting_cash_usd. Follows and leaders stay. Refuses live accounts. Asks to confirm on a terminal; elsewhere needs --yes. Best run while PolyHunter is stopped.',
    )
    .option('--account <name>', 'the paper account to reset', 'paper')
    .option('--yes', 'do not ask; required when not on a terminal')
    .option('--json', 'print what was removed as JSON (needs --yes)')
    .addHelpText('after', examples('polyhunter reset-paper', 'polyhunter reset-paper --account paper2 --yes'))
    .action(async (options: ResetPaperOptions) => {
      await runResetPaper(globals(), options, output);
    });
}

// --- actions ---------------------------------------------------------------------------------------

export async function runPositions(
  global: GlobalOptions,
  options: PositionsOptions,
  output: Output,
): Promise<void> {
  const { positionsReport } = await import('../../portfolio/report.ts');
  const { bookMarks } = await import('../../portfolio/book-marks.ts');
  const report: PositionsReport =
    (await withPortfolioStore(global, output, (store, s) =>
      positionsReport(store, {
        ...(options.account !== undefined ? { account: options.account } : {}),
        includeClosed: options.all === true,
        marks: bookMarks(s.clobUrl),
      }),
    )) ?? emptyUnless(options.account, { accounts: [], positions: [] });
  if (options.json) {
    output.out(JSON.stringify(report, null, 2));
    return;
  }
  output.out(formatPositions(report, options.all === true));
}

export async function runPnl(global: GlobalOptions, options: PnlOptions, output: Output): Promise<void> {
  const { pnlReport } = await import('../../portfolio/report.ts');
  const { bookMarks } = await import('../../portfolio/book-marks.ts');
  const now = Date.now();
  const report: PnlReport =
    (await withPortfolioStore(global, output, (store, s) =>
      pnlReport(store, {
        ...(options.account !== undefined ? { account: options.account } : {}),
        marks: bookMarks(s.clobUrl),
        now,
      }),
    )) ?? emptyUnless(options.account, { at: now, dayStart: now - (now % 86_400_000), accounts: [] });
  if (options.json) {
    output.out(JSON.stringify(report, null, 2));
    return;
  }
  output.out(formatPnl(report));
}

export async function runResetPaper(
  global: GlobalOptions,
  options: ResetPaperOptions,
  output: Output,
  confirm: Confirm | undefined = process.stdin.isTTY ? terminalConfirm : undefined,
): Promise<void> {
  const { DEFAULT_PAPER_ACCOUNT, previewResetPaper, resetPaper } = await import('../../portfolio/report.ts');
  const name = options.account ?? DEFAULT_PAPER_ACCOUNT;
  const done = await withPortfolioStore(global, output, async (store, s) => {
    // A running PolyHunter could be booking a fill right now; resetting under it would race.
    const { componentHealthRepo } = await import('../../store/index.ts');
    const { HEALTH_REPORT_INTERVAL_MS } = await import('../health-reporter.ts');
    const live = (await componentHealthRepo(store.db).list()).filter(
      (c) =>
        Date.now() - c.updatedAt < 3 * HEALTH_REPORT_INTERVAL_MS &&
        !(typeof c.detail === 'object' && c.detail !== null && 'stopped' in c.detail),
    );
    if (live.length > 0) {
      throw new ValidationError(
        `PolyHunter is running against this database (pid ${live[0]!.pid} on ${live[0]!.host}); stop it first, then reset`,
      );
    }
    // The preview refuses a live or unknown account before anyone is asked anything.
    const plan = await previewResetPaper(store, { account: name, startingCashUsdc: s.startingCashUsdc });
    if (!options.yes) {
      if (options.json === true) {
        throw new ValidationError(`reset-paper --json would ${describePlan(plan)}: pass --yes as well`);
      }
      if (confirm === undefined) {
        throw new ValidationError(
          `reset-paper would ${describePlan(plan)}; there is no terminal to confirm on, so pass --yes to do it`,
        );
      }
      output.out(`This will ${describePlan(plan)}. Follows and leaders stay.`);
      const answer = (
        await confirm(`Type the account name (${plan.account}) or y to confirm [y/N]: `)
      ).trim();
      if (answer !== plan.account && !/^y(es)?$/i.test(answer)) {
        throw new ValidationError('reset cancelled: nothing was changed');
      }
    }
    const r = await resetPaper(store, {
      account: name,
      startingCashUsdc: s.startingCashUsdc,
      now: Date.now(),
      actor: ACTOR,
    });
    if (options.json === true) output.out(JSON.stringify(r, null, 2));
    else
      output.out(
        `reset paper account "${r.account}": removed ${countsText(r)}; cash ${usd(r.cashBefore)} -> ${usd(r.cash)}`,
      );
    return true;
  });
  if (done === undefined) {
    throw new ValidationError(
      `no account named "${name}" (the database does not exist yet): nothing to reset`,
    );
  }
}

async function terminalConfirm(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

interface PortfolioSettings {
  clobUrl: string;
  /** `trading.paper_starting_cash_usd` in micro-USDC, the database's value over the file's. */
  startingCashUsdc: number;
}

/**
 * Loads the config, then opens and migrates the database; a SQLite file that does not exist yet is
 * left uncreated and the result is undefined (there is nothing to read or reset).
 */
async function withPortfolioStore<T>(
  global: GlobalOptions,
  output: Output,
  run: (store: Store, settings: PortfolioSettings) => Promise<T>,
): Promise<T | undefined> {
  const { databaseExists, loadFromOptions, printWarnings, resolvedDatabaseUrl } = await import(
    '../context.ts'
  );
  const { migrateToLatest, openStore, readRuntimeSettings } = await import('../../store/index.ts');
  const { microFromNumber } = await import('../../core/decimal.ts');
  const loaded = loadFromOptions(global);
  printWarnings(loaded, output);
  const url = resolvedDatabaseUrl(loaded);
  if (!databaseExists(url)) return undefined;
  const store = await openStore(url);
  try {
    await migrateToLatest(store);
    // Read only: seeding the runtime settings is `start`'s job; a missing one falls back to the file.
    const effective = await readRuntimeSettings(store, loaded);
    return await run(store, {
      clobUrl: effective.config.venue.clob_url,
      startingCashUsdc: microFromNumber(effective.config.trading.paper_starting_cash_usd, 'halfEven'),
    });
  } finally {
    await store.close();
  }
}

/** The empty report of a database not created yet; naming an account there is an error. */
function emptyUnless<T>(account: string | undefined, empty: T): T {
  if (account !== undefined)
    throw new ValidationError(`no account named "${account}" (there are no accounts yet)`);
  return empty;
}

// --- printing --------------------------------------------------------------------------------------

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function usd(micro: number): string {
  const text = formatMicro(Math.abs(micro), { minDecimals: 2 });
  return micro < 0 ? `-$${text}` : `$${text}`;
}

function signedUsd(micro: number): string {
  return micro > 0 ? `+${usd(micro)}` : usd(micro);
}

/** Prices and shares with at least 2 decimals: 0.5 -> "0.50", 0.555 -> "0.555". */
function decimal(micro: number): string {
  return formatMicro(micro, { minDecimals: 2 });
}

function modeLine(a: AccountRef): string {
  return a.mode === 'paper'
    ? `${a.name}  PAPER mode: simulated cash, no real orders`
    : `${a.name}  LIVE mode: real money on Polymarket`;
}

function countsText(r: PaperReset): string {
  const c = r.removed;
  return [
    plural(c.fills, 'fill'),
    plural(c.orders, 'order'),
    plural(c.copyDecisions, 'copy decision'),
    plural(c.guardrailEvents, 'guardrail event'),
    plural(c.positions, 'position'),
  ].join(', ');
}

function describePlan(plan: PaperReset): string {
  return `delete ${countsText(plan)} of paper account "${plan.account}" and set its cash from ${usd(plan.cashBefore)} to ${usd(plan.cash)}`;
}

const MARKET_WIDTH = 44;

function marketText(p: PositionLine): string {
  if (p.question === null)
    return `token ${p.tokenId.length > 14 ? `${p.tokenId.slice(0, 8)}…${p.tokenId.slice(-4)}` : p.tokenId}`;
  return p.question.length > MARKET_WIDTH ? `${p.question.slice(0, MARKET_WIDTH - 1)}…` : p.question;
}

function statusText(p: PositionLine): string {
  if (p.status === 'resolved') return `resolved: ${p.result}, to redeem`;
  if (p.status === 'redeemed') return `redeemed: ${p.result}`;
  return p.status;
}

export function formatPositions(report: PositionsReport, all: boolean): string {
  if (report.accounts.length === 0) {
    return 'no accounts yet: the paper account is created by `polyhunter start` or `polyhunter follow add`';
  }
  const header = [
    'MARKET',
    'OUTCOME',
    'SHARES',
    'AVG',
    'COST',
    'MARK',
    'VALUE',
    'UNREALIZED',
    'REALIZED',
    'STATUS',
  ];
  const right = new Set([2, 3, 4, 5, 6, 7, 8]);
  const blocks: string[] = [];
  for (const account of report.accounts) {
    const mine = report.positions.filter((p) => p.accountId === account.id);
    const lines = [modeLine(account)];
    if (mine.length === 0) {
      lines.push(all ? '  no positions' : '  no open positions (--all also lists closed and redeemed ones)');
    } else {
      const rows = mine.map((p) => [
        marketText(p),
        p.outcome ?? '-',
        decimal(p.shares),
        p.avgCost === null ? '-' : decimal(p.avgCost),
        usd(p.cost),
        p.mark !== null ? decimal(p.mark) : p.status === 'open' ? 'unpriced' : '-',
        p.marketValue === null ? '-' : usd(p.marketValue),
        p.unrealized === null ? '-' : signedUsd(p.unrealized),
        signedUsd(p.realized),
        statusText(p),
      ]);
      lines.push(...tableLines(header, rows, right).map((l) => `  ${l}`));
      const unpriced = mine.filter((p) => p.status === 'open' && p.mark === null).length;
      if (unpriced > 0) {
        lines.push(
          `  ${plural(unpriced, 'position')} unpriced: no book mid could be read now (valued at cost in pnl)`,
        );
      }
    }
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}

function pnlBlock(a: AccountPnl): string {
  const rows: [string, string][] = [
    ['cash', `${usd(a.cash)} (started with ${usd(a.startingCash)})`],
    ['equity', `${usd(a.equity)} (cash + positions at the mid, at cost when unpriced)`],
    ['total PnL', `${signedUsd(a.total)} (equity - starting cash)`],
    ['  realized', `${signedUsd(a.realized)} (today ${signedUsd(a.realizedToday)} from sells)`],
    ['  unrealized', `${signedUsd(a.unrealized)} on ${plural(a.openPositions, 'open position')}`],
    ['exposure', `${usd(a.exposure)} at cost in open positions`],
    ['redeemable', usd(a.redeemable)],
    ['fees paid', `${usd(a.feesPaid)} over ${plural(a.fills, 'fill')}`],
  ];
  if (a.unpriced.length > 0) {
    rows.push([
      'unpriced',
      `${plural(a.unpriced.length, 'position')} without a book mid now, valued at cost`,
    ]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [modeLine(a), ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
  if (a.mode === 'live') lines.push('  (cash is as last recorded here; the venue holds the real balance)');
  return lines.join('\n');
}

export function formatPnl(report: PnlReport): string {
  if (report.accounts.length === 0) {
    return 'no accounts yet: the paper account is created by `polyhunter start` or `polyhunter follow add`';
  }
  return report.accounts.map(pnlBlock).join('\n\n');
}
