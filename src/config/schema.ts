/**
 * The configuration schema: the one source of every key, its type, its default and its
 * documentation. `polyhunter init` writes its starter file from this, `config show` lists it, and
 * the loader validates against it, so the three never drift apart.
 *
 * Keys are snake_case as TOML files usually are. Every object is strict: an unknown key is an
 * error, so a typo never passes silently.
 */
import { z } from 'zod';

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

/** An EVM address, stored lower-case. */
export const address = () =>
  z
    .string({ error: 'a 0x-prefixed 40-hex-digit address' })
    .regex(ADDRESS_RE, { error: 'a 0x-prefixed 40-hex-digit address' })
    .transform((s) => s.toLowerCase());

const httpUrl = () => z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });
const wsUrl = () => z.url({ protocol: /^wss?$/, error: 'a ws:// or wss:// URL' });

export const TRIGGER_SOURCES = ['api', 'rtds', 'chain'] as const;
export type TriggerSource = (typeof TRIGGER_SOURCES)[number];

const databaseSection = z
  .strictObject({
    url: z
      .string()
      .min(1)
      .default('sqlite:./data/polyhunter.db')
      .describe(
        'Where PolyHunter keeps its state. "sqlite:<path>" (relative to this file) or ' +
          '"postgres://user@host:5432/db". Put a password in POLYHUNTER_DATABASE__URL rather than here.',
      ),
  })
  .describe('Storage. SQLite by default; PostgreSQL when one machine is not enough.');

const serverSection = z
  .strictObject({
    host: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('Address the dashboard and API bind to. Keep 127.0.0.1 unless a proxy guards it.'),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(7420)
      .describe('HTTP port of the dashboard, API and /metrics; 0 picks a free one (printed at start).'),
  })
  .describe('The dashboard, REST API and /metrics server.');

const logSection = z
  .strictObject({
    level: z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal'])
      .default('info')
      .describe('Least severe level written.'),
    format: z
      .enum(['auto', 'json', 'pretty'])
      .default('auto')
      .describe('"pretty" on a terminal and JSON lines otherwise when "auto".'),
  })
  .describe('Logging.');

const venueSection = z
  .strictObject({
    gamma_url: httpUrl().default('https://gamma-api.polymarket.com').describe('Gamma market catalog REST.'),
    clob_url: httpUrl().default('https://clob.polymarket.com').describe('CLOB REST (orders, books).'),
    data_api_url: httpUrl()
      .default('https://data-api.polymarket.com')
      .describe('Data API (activity, positions).'),
    data_api_activity: z
      .enum(['v1', 'v2'])
      .default('v1')
      .describe(
        'Data API activity route the poller reads: "v1" (/activity, offset pages) or "v2" (/v2/activity, cursor pages).',
      ),
    clob_ws_url: wsUrl()
      .default('wss://ws-subscriptions-clob.polymarket.com/ws')
      .describe('CLOB websocket base; "/market" and "/user" are appended.'),
    rtds_url: wsUrl()
      .default('wss://ws-live-data.polymarket.com')
      .describe('Real-time data socket (activity).'),
    polygon_ws_url: z
      .union([wsUrl(), z.literal('')], { error: 'a ws:// or wss:// URL, or "" to disable' })
      .default('')
      .describe('Polygon JSON-RPC websocket for OrderFilled logs; empty disables the chain source.'),
    chain_id: z
      .union([z.literal(137), z.literal(80002)], { error: '137 (Polygon) or 80002 (Amoy)' })
      .default(137)
      .describe('Chain id orders are signed for: 137 (Polygon) or 80002 (Amoy).'),
  })
  .describe('Polymarket endpoints. Point them at `polyhunter sim` to run offline.');

/**
 * Trading settings. Unlike the rest they live in the database once seeded, so the dashboard, the
 * CLI and Telegram can change them while PolyHunter runs; this file only seeds them the first time.
 */
const tradingSection = z
  .strictObject({
    mode: z
      .enum(['paper', 'live'])
      .default('paper')
      .describe('"paper" simulates fills against real books; "live" signs and posts real orders.'),
    trigger_sources: z
      .array(z.enum(TRIGGER_SOURCES))
      .min(1)
      .default(['api', 'rtds'])
      .describe('How leader fills are detected: any of "api", "rtds", "chain".'),
    strict_sources: z
      .boolean()
      .default(false)
      .describe('When true, a failed trigger source stops copying instead of degrading to the others.'),
    startup_mode: z
      .enum(['flat', 'warm'])
      .default('flat')
      .describe('"flat" ignores history at start; "warm" ingests the last warm_start_seconds as backfill.'),
    warm_start_seconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86400)
      .default(3600)
      .describe('How far back a warm start reads.'),
    max_live_lag_sec: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('A leader trade older than this when processed is a catch-up trade.'),
    catch_up_buy_max_age_sec: z
      .number()
      .int()
      .min(0)
      .default(120)
      .describe('Catch-up buys are copied only when younger than this (0 never copies them).'),
    catch_up_buy_require_better_price: z
      .boolean()
      .default(true)
      .describe(
        'Catch-up buys need a price no worse than the leader’s by more than catch_up_buy_max_worse_bps.',
      ),
    catch_up_buy_max_worse_bps: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(50)
      .describe('How much worse than the leader’s price a catch-up buy may be, in basis points.'),
    coalesce_ms: z
      .number()
      .int()
      .min(0)
      .max(5000)
      .default(250)
      .describe(
        'Wait this long after a leader trade is first seen before copying it, so the parts of one order (reported per matched maker) are copied as one. 0 copies at once.',
      ),
    order_type: z
      .enum(['FAK', 'FOK', 'GTC'])
      .default('FAK')
      .describe(
        'Copy orders: "FAK" takes what the book offers up to the limit, "FOK" all or nothing, "GTC" rests the rest for gtc_ttl_sec.',
      ),
    gtc_ttl_sec: z
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(60)
      .describe('How long the unfilled rest of a GTC copy order rests before it expires.'),
    paper_starting_cash_usd: z
      .number()
      .int()
      .min(0)
      .max(1_000_000_000)
      .default(1000)
      .describe(
        'Cash the paper account starts with (and gets back on `polyhunter reset-paper`), in dollars.',
      ),
  })
  .describe(
    'Trading settings: seeded into the database once, then edited with `polyhunter config set` or the dashboard.',
  );

/** A limit that is off until set: null. */
const off = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);
const usd = () => z.number().min(0).max(1_000_000_000);
const bps = () => z.number().int().min(0).max(10_000);

/**
 * The risk gate's limits (src/risk): one gate for every order. Null switches a limit off. Dollar
 * amounts are plain numbers here and exact micro-units inside.
 */
const riskSection = z
  .strictObject({
    sides: z
      .array(z.enum(['BUY', 'SELL']))
      .default(['BUY', 'SELL'])
      .describe('Sides allowed at all.'),
    min_leader_trade_usd: off(usd()).describe('Ignore leader trades smaller than this.'),
    max_leader_trade_usd: off(usd()).describe('Ignore leader trades larger than this.'),
    min_price: off(z.number().min(0).max(1)).describe('Refuse orders whose limit price is below this.'),
    max_price: off(z.number().min(0).max(1)).describe('Refuse orders whose limit price is above this.'),
    min_book_depth_usd: off(usd()).describe(
      'Refuse when the side we take holds less than this within our limit.',
    ),
    max_spread_bps: off(bps()).describe('Refuse when the spread is wider than this, relative to the mid.'),
    min_time_to_resolution_sec: off(z.number().int().min(0)).describe(
      'Refuse markets that end sooner than this.',
    ),
    market_allow: off(z.array(z.string().min(1))).describe('Only these markets (condition ids or slugs).'),
    market_deny: z
      .array(z.string().min(1))
      .default([])
      .describe('Never these markets (condition ids or slugs).'),
    max_per_trade_usd: off(usd()).describe('Largest single buy.'),
    max_per_market_usd: off(usd()).describe('Most held (at cost) in one market.'),
    max_per_leader_usd: off(usd()).describe('Most held (at cost) copying one leader.'),
    max_total_usd: off(usd()).describe('Most held (at cost) in total.'),
    daily_loss_limit_usd: off(usd()).describe('Stop buying for the day once today’s PnL reaches minus this.'),
    breaker_failures: off(z.number().int().min(1))
      .default(5)
      .describe('Open the circuit breaker after this many failed orders in a row.'),
    breaker_cooldown_sec: z
      .number()
      .int()
      .min(1)
      .default(300)
      .describe('How long an open breaker blocks orders before letting one through.'),
    max_quote_age_ms: z
      .number()
      .int()
      .min(100)
      .default(5000)
      .describe('Refuse to price from a book older than this.'),
    max_deviation_bps: off(bps())
      .default(500)
      .describe('Refuse when our expected price is worse than the leader’s by more than this.'),
    max_slippage_bps: off(bps())
      .default(300)
      .describe('Refuse when walking the book costs more than this past the best price.'),
  })
  .describe('Risk limits, applied to every order; seeded into the database once like trading.*.');

const accountEntry = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, { error: 'a short lower-case name ([a-z0-9_-])' }),
  signature_type: z
    .union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], {
      error: '0 (EOA), 1 (proxy), 2 (Safe) or 3 (deposit wallet)',
    })
    .default(0),
  address: address().optional(),
  funder: address().optional(),
});

const leaderEntry = z.strictObject({
  address: address(),
  label: z.string().max(64).optional(),
  startup_mode: z.enum(['flat', 'warm']).optional(),
});

export const configSchema = z.strictObject({
  database: databaseSection.prefault({}),
  server: serverSection.prefault({}),
  log: logSection.prefault({}),
  venue: venueSection.prefault({}),
  trading: tradingSection.prefault({}),
  risk: riskSection.prefault({}),
  accounts: z
    .array(accountEntry)
    .default([])
    .describe('Trading accounts. Keys are kept in the encrypted keystore, never here.'),
  leaders: z
    .array(leaderEntry)
    .default([])
    .describe('Leader wallets to follow (their profile/proxy address).'),
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Secrets: read only from secrets.toml or POLYHUNTER_* variables, never printed. */
export const secretsSchema = z.strictObject({
  dashboard: z
    .strictObject({
      token: z.string().min(16, { error: 'at least 16 characters' }).optional(),
    })
    .prefault({}),
  keystore: z.strictObject({ passphrase: z.string().min(1).optional() }).prefault({}),
  telegram: z.strictObject({ bot_token: z.string().min(1).optional() }).prefault({}),
});

export type Secrets = z.output<typeof secretsSchema>;

/** The sections whose values live in the database once seeded (see tradingSection). */
export const RUNTIME_SECTIONS = ['trading', 'risk'] as const;

/** Keys of those sections that stay in the file: real money is switched on there, not remotely. */
const FILE_ONLY_KEYS = new Set(['trading.mode']);

export function isRuntimeKey(path: string): boolean {
  return !FILE_ONLY_KEYS.has(path) && RUNTIME_SECTIONS.some((s) => path.startsWith(`${s}.`));
}
