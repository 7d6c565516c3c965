/**
 * `polyhunter catalog sync`: copies Gamma's market list into the database (markets and tokens),
 * page by page, with progress on stderr (a redrawn bar on a terminal, plain lines otherwise) and a
 * one-line summary (or JSON) on stdout. Ctrl-C stops between pages; what was saved stays saved.
 *
 * program.ts imports this module to declare the command, so it loads nothing heavy at the top.
 */
import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.ts';
import type {
  CatalogSyncResult,
  CatalogSyncRetry,
  MalformedGammaMarket,
  RetryNotice,
} from '../../market-data/catalog-sync.ts';
import type { GlobalOptions, Output } from '../context.ts';
import type { ProgressStream } from '../progress.ts';

export interface CatalogSyncCliOptions {
  closed?: boolean;
  pageSize?: string;
  max?: string;
  json?: boolean;
}

/** What tests replace: where progress goes, how often, Ctrl-C, and retry timing. */
export interface CatalogSyncIo {
  /** Default process.stderr. */
  progress?: ProgressStream;
  /** Default: the progress stream's own. */
  isTTY?: boolean;
  /** Plain mode: a progress line at least this often; default 5000. */
  progressEveryMs?: number;
  /** Stops the sync like Ctrl-C does. */
  signal?: AbortSignal;
  retry?: CatalogSyncRetry;
}

/** Malformed markets shown one by one; the rest are only counted. */
const MALFORMED_SHOWN = 10;
const CLEAR_LINE = '\r\x1b[K';

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function registerCatalogCommands(
  program: Command,
  globals: () => GlobalOptions,
  output: Output,
): void {
  const catalog = program
    .command('catalog')
    .description('The market catalog (markets and their CLOB tokens) kept in the database.')
    .addHelpText('after', examples('polyhunter catalog sync', 'polyhunter catalog sync --closed'));
  catalog
    .command('sync')
    .description(
      'Read every market Gamma lists (venue.gamma_url, /markets page by page) and store those with CLOB tokens in the database. Malformed markets are reported and skipped; a failing page is asked again a few times. Progress on stderr, a summary on stdout. Ctrl-C stops between pages; what was saved stays saved, and running again is safe.',
    )
    .option('--closed', 'also read closed markets (a second pass after the open ones)')
    .option('--page-size <n>', 'markets per request, 1 to 500', '500')
    .option('--max <n>', 'stop after reading this many markets from Gamma')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      examples(
        'polyhunter catalog sync',
        'polyhunter catalog sync --closed',
        'polyhunter catalog sync --max 1000 --page-size 100',
        'polyhunter catalog sync --json 2>/dev/null | jq .created',
      ),
    )
    .action(async (options: CatalogSyncCliOptions) => {
      await runCatalogSync(globals(), options, output);
    });
}

function parseCount(text: string, flag: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new ValidationError(`${flag} must be an integer from 1 to ${max}, got "${text}"`);
  }
  return value;
}

export async function runCatalogSync(
  global: GlobalOptions,
  options: CatalogSyncCliOptions,
  output: Output,
  io: CatalogSyncIo = {},
): Promise<CatalogSyncResult> {
  const { GAMMA_PAGE_MAX, CatalogSyncError, syncCatalog } = await import('../../market-data/catalog-sync.ts');
  const pageSize = parseCount(options.pageSize ?? String(GAMMA_PAGE_MAX), '--page-size', GAMMA_PAGE_MAX);
  const max =
    options.max === undefined ? undefined : parseCount(options.max, '--max', Number.MAX_SAFE_INTEGER);
  const { withStore } = await import('../with-store.ts');
  const { startProgress } = await import('../progress.ts');
  const { onStopSignals } = await import('../signals.ts');
  const { redactUrl } = await import('../../core/redact.ts');

  return withStore(global, output, async (store, loaded) => {
    const gammaUrl = loaded.config.venue.gamma_url;
    const stream = io.progress ?? process.stderr;
    const tty = io.isTTY ?? stream.isTTY === true;
    // A message on stderr must not be glued to the bar being redrawn there.
    const say = (text: string) => {
      if (tty) stream.write(CLEAR_LINE);
      output.err(text);
    };

    const stopping = new AbortController();
    const signals = onStopSignals(() => say('second Ctrl-C: exiting now'));
    void signals.stopped.then(() => stopping.abort());
    const onStop = () => stopping.abort();
    io.signal?.addEventListener('abort', onStop, { once: true });
    if (io.signal?.aborted) stopping.abort();

    const progress = startProgress({
      label: 'catalog sync',
      total: null,
      unit: 'markets',
      stream,
      isTTY: tty,
      ...(io.progressEveryMs === undefined ? {} : { everyMs: io.progressEveryMs }),
    });
    let shown = 0;
    const onMalformed = (m: MalformedGammaMarket) => {
      shown++;
      if (shown <= MALFORMED_SHOWN) {
        say(
          `warning: skipped malformed Gamma market id=${m.id ?? '?'} conditionId=${m.conditionId ?? '?'} (offset ${m.offset}${m.closed ? ', closed' : ''}): ${m.reason}`,
        );
      } else if (shown === MALFORMED_SHOWN + 1) {
        say('warning: more malformed Gamma markets skipped; the summary counts them all');
      }
    };
    const onRetry = (r: RetryNotice) =>
      say(
        `catalog sync: ${redactUrl(r.url)} failed (${r.error}); asking again in ${(r.delayMs / 1000).toFixed(1)} s (retry ${r.retry})`,
      );

    let result: CatalogSyncResult;
    try {
      result = await syncCatalog({
        store,
        gammaUrl,
        includeClosed: options.closed === true,
        pageSize,
        ...(max === undefined ? {} : { max }),
        signal: stopping.signal,
        ...(io.retry ? { retry: io.retry } : {}),
        onPage: (p) => progress.update(p.read),
        onMalformed,
        onRetry,
      });
    } catch (err) {
      progress.fail(err instanceof CatalogSyncError ? `gave up on ${redactUrl(err.url)}` : 'failed');
      throw err;
    } finally {
      io.signal?.removeEventListener('abort', onStop);
      signals.dispose();
    }
    if (result.stopped) progress.fail('stopped by Ctrl-C');
    else progress.finish();

    // Shown as configured, less any secret (and the slash URL parsing adds).
    const shownResult = { ...result, gammaUrl: redactUrl(result.gammaUrl).replace(/\/+$/, '') };
    output.out(options.json ? JSON.stringify(shownResult, null, 2) : formatSyncSummary(shownResult));
    return result;
  });
}

/** "synced 1234 markets (56 new, 3 malformed skipped) from https://gamma-api.polymarket.com in 4.2 s". */
export function formatSyncSummary(r: CatalogSyncResult): string {
  const details = [
    `${r.created} new`,
    `${r.malformed} malformed skipped`,
    ...(r.withoutTokens > 0 ? [`${r.withoutTokens} without CLOB tokens skipped`] : []),
  ].join(', ');
  const what = r.includedClosed ? 'open and closed markets' : 'markets';
  const line = `synced ${r.saved} ${what} (${details}) from ${r.gammaUrl} in ${(r.elapsedMs / 1000).toFixed(1)} s`;
  return r.stopped ? `stopped by Ctrl-C: ${line}` : line;
}
