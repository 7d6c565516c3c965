/**
 * `polyhunter status-top`: the markets giving trouble, worst first. Counted from what is stored:
 * orders REJECTED (by the venue or the risk gate) and FAILED, with each market's most frequent
 * error code, from the orders table; book resyncs from what the running process last reported in
 * `market.books` of component_health. That row carries the process's total; per token only when it
 * has a `resyncsByToken` map (the book feed counts per token, see BookFeed.tokenHealth), so without
 * it the ranking is by rejects and errors and the total is shown apart.
 *
 * program.ts imports this module to declare the command, so it loads nothing heavy at the top.
 */
import type { Command } from 'commander';
import type { LoadedConfig } from '../../config/index.ts';
import { ValidationError } from '../../core/errors.ts';
import type { Store } from '../../store/index.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { tableLines } from '../table.ts';

export interface StatusTopOptions {
  limit: string;
  json?: boolean;
}

export interface MarketTrouble {
  /** Null for a token the tokens table does not know (a resync of a market never cataloged). */
  conditionId: string | null;
  question: string | null;
  slug: string | null;
  /** The tokens of this market that had trouble. */
  tokenIds: string[];
  /** Book resyncs of its tokens since the process started; null when not reported per token. */
  resyncs: number | null;
  /** Orders REJECTED. */
  rejects: number;
  /** Orders FAILED. */
  errors: number;
  /** The most frequent error code among its rejected and failed orders. */
  topError: { code: string; count: number } | null;
  /** When the latest of its rejected or failed orders ended (epoch ms). */
  lastAt: number | null;
}

export interface BookResyncs {
  /** `market.books` as last reported: ok/DOWN (a process is running), stale, stopped, or absent. */
  state: 'ok' | 'DOWN' | 'stale' | 'stopped' | 'absent';
  /** All tokens' resyncs since that process started; null when not known. */
  total: number | null;
  /** Whether the report counts resyncs per token (and so per market). */
  perToken: boolean;
  reportedAt: number | null;
}

export interface StatusTopReport {
  at: number;
  books: BookResyncs;
  /** The worst `limit` markets. */
  markets: MarketTrouble[];
  /** How many markets had any trouble at all. */
  marketsWithTrouble: number;
}

/** One group of the orders query: same market, token, status and error text. */
export interface OrderTroubleRow {
  conditionId: string;
  tokenId: string;
  status: 'REJECTED' | 'FAILED';
  error: string | null;
  count: number;
  lastAt: number | null;
}

export interface MarketName {
  question: string;
  slug: string | null;
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function registerStatusTopCommands(
  program: Command,
  globals: () => GlobalOptions,
  output: Output,
): void {
  program
    .command('status-top')
    .description(
      'Markets ranked by trouble: orders rejected (by the venue or the risk gate) and failed, with the most frequent error code, and order-book resyncs as the running PolyHunter reports them. Read from the database.',
    )
    .option('-n, --limit <n>', 'how many markets to list', '10')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      examples(
        'polyhunter status-top',
        'polyhunter status-top -n 3',
        "polyhunter status-top --json | jq '.markets[0]'",
      ),
    )
    .action(async (options: StatusTopOptions) => {
      await runStatusTop(globals(), options, output);
    });
}

export async function runStatusTop(
  global: GlobalOptions,
  options: StatusTopOptions,
  output: Output,
): Promise<void> {
  const limit = parseLimit(options.limit, 1000);
  const report = await withExistingStore(global, output, (store) =>
    statusTop(store, { limit, now: Date.now() }),
  );
  if (options.json) {
    output.out(JSON.stringify(report, null, 2));
    return;
  }
  output.out(formatStatusTop(report));
}

/** `--limit` as an integer from 1 to `max`. */
export function parseLimit(text: string, max: number): number {
  const limit = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(limit) || limit < 1 || limit > max) {
    throw new ValidationError(`--limit must be an integer from 1 to ${max}, got "${text}"`);
  }
  return limit;
}

/**
 * Loads the config and opens the configured database for a read; a SQLite file that does not
 * exist yet is an error (looking does not create it). Belongs in src/cli/with-store.ts beside
 * withStore; it lives here until it moves.
 */
export async function withExistingStore<T>(
  global: GlobalOptions,
  output: Output,
  run: (store: Store, loaded: LoadedConfig) => Promise<T>,
): Promise<T> {
  const { databaseExists, loadFromOptions, printWarnings, resolvedDatabaseUrl } = await import(
    '../context.ts'
  );
  const { migrateToLatest, openStore } = await import('../../store/index.ts');
  const loaded = loadFromOptions(global);
  printWarnings(loaded, output);
  const url = resolvedDatabaseUrl(loaded);
  if (!databaseExists(url)) {
    throw new ValidationError(
      `no database yet at ${url.replace(/^sqlite:/i, '')}: nothing has run with this config (\`polyhunter start\` creates it)`,
    );
  }
  const store = await openStore(url);
  try {
    await migrateToLatest(store);
    return await run(store, loaded);
  } finally {
    await store.close();
  }
}

// --- the query ---------------------------------------------------------------------------------------

/**
 * The code an order's error starts with: "NOT_ENOUGH_BALANCE: ..." gives NOT_ENOUGH_BALANCE (of
 * several refusals "A: ... | B: ...", the first); text without a code gives its head.
 */
export function errorCode(error: string | null): string {
  if (error === null || error.trim() === '') return '(no error text)';
  const first = error.split(' | ')[0]!.trim();
  const code = /^([A-Za-z][\w.-]*):\s/.exec(first);
  if (code !== null) return code[1]!;
  const head = first.split(':')[0]!.trim();
  return head.length > 40 ? `${head.slice(0, 39)}…` : head;
}

interface ResyncsDetail {
  stopped?: boolean;
  resyncs?: number;
  resyncsByToken?: Record<string, number>;
}

/** Ranks markets; `resyncsByToken` null when resyncs are not reported per token. */
export function rankTroubles(
  orders: readonly OrderTroubleRow[],
  resyncsByToken: Readonly<Record<string, number>> | null,
  conditionOfToken: ReadonlyMap<string, string>,
  names: ReadonlyMap<string, MarketName>,
): MarketTrouble[] {
  const byKey = new Map<string, MarketTrouble & { codes: Map<string, number> }>();
  const entry = (conditionId: string | null, tokenId: string) => {
    const key = conditionId ?? `token:${tokenId}`;
    let m = byKey.get(key);
    if (m === undefined) {
      const name = conditionId === null ? undefined : names.get(conditionId);
      m = {
        conditionId,
        question: name?.question ?? null,
        slug: name?.slug ?? null,
        tokenIds: [],
        resyncs: resyncsByToken === null ? null : 0,
        rejects: 0,
        errors: 0,
        topError: null,
        lastAt: null,
        codes: new Map(),
      };
      byKey.set(key, m);
    }
    if (!m.tokenIds.includes(tokenId)) m.tokenIds.push(tokenId);
    return m;
  };
  for (const o of orders) {
    const m = entry(o.conditionId, o.tokenId);
    if (o.status === 'REJECTED') m.rejects += o.count;
    else m.errors += o.count;
    const code = errorCode(o.error);
    m.codes.set(code, (m.codes.get(code) ?? 0) + o.count);
    if (o.lastAt !== null && (m.lastAt === null || o.lastAt > m.lastAt)) m.lastAt = o.lastAt;
  }
  for (const [tokenId, n] of Object.entries(resyncsByToken ?? {})) {
    if (n <= 0) continue;
    const m = entry(conditionOfToken.get(tokenId) ?? null, tokenId);
    m.resyncs = (m.resyncs ?? 0) + n;
  }
  const markets = [...byKey.entries()].map(([key, { codes, ...m }]) => {
    let top: MarketTrouble['topError'] = null;
    for (const [code, count] of [...codes.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (top === null || count > top.count) top = { code, count };
    }
    m.tokenIds.sort();
    return { key, market: { ...m, topError: top } };
  });
  const score = (m: MarketTrouble) => (m.resyncs ?? 0) + m.rejects + m.errors;
  markets.sort(
    (a, b) =>
      score(b.market) - score(a.market) ||
      b.market.errors - a.market.errors ||
      b.market.rejects - a.market.rejects ||
      (b.market.lastAt ?? 0) - (a.market.lastAt ?? 0) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return markets.map((m) => m.market);
}

/** Belongs in src/store/orders.ts (a reader beside ordersIn) once a second face needs it. */
export async function statusTop(
  store: Store,
  options: { limit: number; now: number },
): Promise<StatusTopReport> {
  const { componentHealthRepo } = await import('../../store/index.ts');
  const { stateOf } = await import('./status.ts');
  const { z } = await import('zod');
  const { db } = store;
  const grouped = await db
    .selectFrom('orders')
    .select((eb) => [
      'condition_id',
      'token_id',
      'status',
      'error',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.max<number | string | null>(eb.fn.coalesce('done_at', 'updated_at')).as('last_at'),
    ])
    .where('status', 'in', ['REJECTED', 'FAILED'])
    .groupBy(['condition_id', 'token_id', 'status', 'error'])
    .execute();
  const orders: OrderTroubleRow[] = grouped.map((r) => ({
    conditionId: r.condition_id,
    tokenId: r.token_id,
    status: r.status as OrderTroubleRow['status'],
    error: r.error,
    count: Number(r.n),
    lastAt: r.last_at === null ? null : Number(r.last_at),
  }));

  const booksRow = (await componentHealthRepo(db).list()).find((c) => c.component === 'market.books');
  // The detail is another process's JSON: read only what has the expected shape.
  const detailSchema = z.object({
    stopped: z.boolean().optional(),
    resyncs: z.number().int().nonnegative().optional(),
    resyncsByToken: z.record(z.string(), z.number().int().nonnegative()).optional(),
  });
  const parsed = detailSchema.safeParse(booksRow?.detail);
  const detail: ResyncsDetail = parsed.success ? parsed.data : {};
  const perToken = detail.resyncsByToken !== undefined;
  const books: BookResyncs = {
    state: booksRow === undefined ? 'absent' : stateOf(booksRow, options.now),
    total: detail.resyncs ?? null,
    perToken,
    reportedAt: booksRow?.updatedAt ?? null,
  };

  const resyncTokens = Object.keys(detail.resyncsByToken ?? {});
  const conditionOfToken = new Map<string, string>();
  if (resyncTokens.length > 0) {
    const rows = await db
      .selectFrom('tokens')
      .select(['token_id', 'condition_id'])
      .where('token_id', 'in', resyncTokens)
      .execute();
    for (const r of rows) conditionOfToken.set(r.token_id, r.condition_id);
  }
  const conditions = [...new Set([...orders.map((o) => o.conditionId), ...conditionOfToken.values()])];
  const names = new Map<string, MarketName>();
  if (conditions.length > 0) {
    const rows = await db
      .selectFrom('markets')
      .select(['condition_id', 'question', 'slug'])
      .where('condition_id', 'in', conditions)
      .execute();
    for (const r of rows) names.set(r.condition_id, { question: r.question, slug: r.slug });
  }
  const ranked = rankTroubles(orders, perToken ? detail.resyncsByToken! : null, conditionOfToken, names);
  return {
    at: options.now,
    books,
    markets: ranked.slice(0, options.limit),
    marketsWithTrouble: ranked.length,
  };
}

// --- printing --------------------------------------------------------------------------------------

const MARKET_WIDTH = 48;

function short(id: string): string {
  return id.length > 14 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}

function marketText(m: MarketTrouble): string {
  const name =
    m.question !== null
      ? m.question
      : m.slug !== null
        ? m.slug
        : m.conditionId !== null
          ? `market ${short(m.conditionId)}`
          : `token ${short(m.tokenIds[0] ?? '')}`;
  return name.length > MARKET_WIDTH ? `${name.slice(0, MARKET_WIDTH - 1)}…` : name;
}

function agoText(at: number | null, now: number): string {
  if (at === null) return '-';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.round(s / 60)}m ago`;
  if (s < 172_800) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

function booksLine(b: BookResyncs, now: number): string {
  const total = b.total === null ? null : `${b.total} resync${b.total === 1 ? '' : 's'}`;
  const where = b.perToken ? '' : ', not reported per market: ranked by rejects and errors';
  switch (b.state) {
    case 'absent':
      return 'books: no report (PolyHunter has not run with books here): ranked by rejects and errors';
    case 'stopped':
      return 'books: PolyHunter is stopped; resync counts live in the running process only: ranked by rejects and errors';
    case 'stale':
      return `books: ${total ?? 'resyncs unknown'} as last reported ${agoText(b.reportedAt, now)} (the process is gone)${where}`;
    default:
      return `books: ${total ?? 'resyncs unknown'} since the running process started${where}`;
  }
}

export function formatStatusTop(r: StatusTopReport): string {
  const lines = [booksLine(r.books, r.at)];
  if (r.markets.length === 0) {
    lines.push('no rejected or failed orders and no resyncs: no market is in trouble');
    return lines.join('\n');
  }
  const withResyncs = r.books.perToken;
  const header = [
    '#',
    'MARKET',
    'SLUG',
    ...(withResyncs ? ['RESYNCS'] : []),
    'REJECTS',
    'ERRORS',
    'TOP ERROR',
    'LAST',
  ];
  const rows = r.markets.map((m, i) => [
    String(i + 1),
    marketText(m),
    m.slug ?? '-',
    ...(withResyncs ? [String(m.resyncs ?? 0)] : []),
    String(m.rejects),
    String(m.errors),
    m.topError === null ? '-' : `${m.topError.code} x${m.topError.count}`,
    agoText(m.lastAt, r.at),
  ]);
  const right = new Set(withResyncs ? [3, 4, 5] : [3, 4]);
  lines.push('', ...tableLines(header, rows, right));
  if (r.marketsWithTrouble > r.markets.length) {
    lines.push(`(${r.marketsWithTrouble - r.markets.length} more; --limit shows more)`);
  }
  return lines.join('\n');
}
