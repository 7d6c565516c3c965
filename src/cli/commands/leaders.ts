/**
 * `polyhunter leaders`: every leader with how it is followed and what came of it: enabled, startup
 * mode, the Data API cursor, follows, trades seen and the last one's time, and the follows'
 * decisions (copies, skips, refusals). The numbers come from the query the dashboard's
 * GET /api/leaders uses (leaderSummaries), so both faces agree; this module only prints them.
 *
 * program.ts imports this module to declare the command, so it loads nothing heavy at the top.
 */
import type { Command } from 'commander';
import type { LeaderSummary } from '../../server/http/queries/leaders.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { tableLines } from '../table.ts';

export interface LeadersOptions {
  json?: boolean;
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function registerLeadersCommands(
  program: Command,
  globals: () => GlobalOptions,
  output: Output,
): void {
  program
    .command('leaders')
    .description(
      'Every leader: label, address, whether it is watched, its startup mode, the Data API cursor, its follows, trades seen and the last one, and how many copies, skips and refusals its follows decided. Read from the database.',
    )
    .option('--json', 'print JSON (times in epoch milliseconds)')
    .addHelpText(
      'after',
      examples('polyhunter leaders', "polyhunter leaders --json | jq '.leaders[] | {label, trades}'"),
    )
    .action(async (options: LeadersOptions) => {
      await runLeaders(globals(), options, output);
    });
}

export async function runLeaders(
  global: GlobalOptions,
  options: LeadersOptions,
  output: Output,
): Promise<void> {
  const { withExistingStore } = await import('./status-top.ts');
  const { leaderSummaries } = await import('../../server/http/queries/leaders.ts');
  const leaders = await withExistingStore(global, output, (store) => leaderSummaries(store));
  if (options.json) {
    output.out(JSON.stringify({ leaders }, null, 2));
    return;
  }
  output.out(formatLeaders(leaders, Date.now()));
}

// --- printing --------------------------------------------------------------------------------------

function ago(at: number | null, now: number): string {
  if (at === null) return 'never';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.round(s / 60)}m ago`;
  if (s < 172_800) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

function startText(l: LeaderSummary): string {
  if (l.startupMode === 'flat') return 'flat';
  const s = l.warmStartSeconds;
  const span = s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;
  return `warm ${span}`;
}

function followsText(f: LeaderSummary['follows']): string {
  const parts = [
    f.active > 0 ? `${f.active} active` : '',
    f.paused > 0 ? `${f.paused} paused` : '',
    f.disabled > 0 ? `${f.disabled} disabled` : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

export function formatLeaders(leaders: readonly LeaderSummary[], now: number): string {
  if (leaders.length === 0) {
    return 'no leaders yet: add [[leaders]] to polyhunter.toml, or `polyhunter follow add <address>`';
  }
  const header = [
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
  ];
  const rows = leaders.map((l) => [
    l.label ?? '-',
    l.address,
    l.enabled ? 'yes' : 'no',
    startText(l),
    l.cursorAt === null ? 'none' : ago(l.cursorAt, now),
    followsText(l.follows),
    String(l.trades.count),
    ago(l.trades.lastAt, now),
    String(l.decisions.copy),
    String(l.decisions.skip),
    String(l.decisions.refused),
  ]);
  return tableLines(header, rows, new Set([6, 8, 9, 10])).join('\n');
}
