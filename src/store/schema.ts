/**
 * Row types for every table, as Kysely sees them. Storage conventions (see
 * migrations/0001_initial.ts): money, prices, sizes and durations are integer numbers (micro-units
 * for money, 1e-6); times are epoch milliseconds in `*_at` columns; booleans are 0 | 1; JSON is text;
 * token ids, condition ids and addresses are text, addresses lower-case.
 *
 * The `as const` lists below match the check constraints in the migrations; a test inserts every
 * value, so the two cannot drift apart silently.
 */
import type { Generated } from 'kysely';

/** 0 or 1: both engines store booleans as integers. */
export type Flag = 0 | 1;

export const SIDES = ['BUY', 'SELL'] as const;
export type Side = (typeof SIDES)[number];

export const STARTUP_MODES = ['flat', 'warm'] as const;
export type StartupMode = (typeof STARTUP_MODES)[number];

export const TRADE_SOURCES = ['api', 'rtds', 'chain'] as const;
export type TradeSource = (typeof TRADE_SOURCES)[number];

export const LEADER_ROLES = ['maker', 'taker'] as const;
export type LeaderRole = (typeof LEADER_ROLES)[number];

export const ACCOUNT_MODES = ['paper', 'live'] as const;
export type AccountMode = (typeof ACCOUNT_MODES)[number];

/** 0 EOA, 1 proxy, 2 Safe, 3 deposit wallet (CLOB V2). */
export const SIGNATURE_TYPES = [0, 1, 2, 3] as const;
export type SignatureType = (typeof SIGNATURE_TYPES)[number];

export const FOLLOW_DIRECTIONS = ['copy', 'counter'] as const;
export type FollowDirection = (typeof FOLLOW_DIRECTIONS)[number];

export const ORDER_TYPES = ['GTC', 'GTD', 'FOK', 'FAK'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const ORDER_STATUSES = [
  'PENDING',
  'SUBMITTED',
  'LIVE',
  'PARTIAL',
  'FILLED',
  'CANCELLED',
  'REJECTED',
  'FAILED',
  'EXPIRED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const FILL_PRICE_SOURCES = ['book', 'leader_fallback', 'venue'] as const;
export type FillPriceSource = (typeof FILL_PRICE_SOURCES)[number];

export const FILL_STATUSES = ['MATCHED', 'MINED', 'CONFIRMED', 'FAILED'] as const;
export type FillStatus = (typeof FILL_STATUSES)[number];

export interface MarketsTable {
  condition_id: string;
  question: string;
  slug: string | null;
  neg_risk: Generated<Flag>;
  neg_risk_market_id: string | null;
  /** Micro-units of price, e.g. 10000 for a 0.01 tick. */
  tick_size: number;
  /** Micro-shares. */
  min_size: number;
  /** Gamma's market `version`; 2 for Protocol V2 markets. */
  protocol_version: Generated<number>;
  active: Generated<Flag>;
  closed: Generated<Flag>;
  end_at: number | null;
  created_at: number;
  /** Taker fee rate in micro-units (0.04 -> 40_000): fee = shares x rate x p(1 - p). */
  fee_rate: Generated<number>;
  accepting_orders: Generated<Flag>;
  updated_at: number;
}

export interface TokensTable {
  token_id: string;
  condition_id: string;
  outcome: string;
  outcome_index: number;
  /** Null until the market resolves. */
  winner: Flag | null;
  updated_at: number;
}

export interface LeadersTable {
  id: Generated<number>;
  address: string;
  label: string | null;
  enabled: Generated<Flag>;
  startup_mode: Generated<StartupMode>;
  warm_start_seconds: Generated<number>;
  /** Data API cursor: timestamp of the newest trade seen, epoch milliseconds. */
  api_cursor_ts: number | null;
  /** JSON array of the canonical keys already seen at `api_cursor_ts`. */
  api_cursor_keys: Generated<string>;
  /** Opaque cursor for a paginated (v2) endpoint, when the source provides one. */
  api_cursor_v2: string | null;
  created_at: number;
  updated_at: number;
}

export interface LeaderTradesTable {
  id: Generated<number>;
  canonical_key: string;
  leader_address: string;
  condition_id: string;
  token_id: string;
  outcome: string | null;
  side: Side;
  price: number;
  size: number;
  usdc_size: number;
  fee: number | null;
  leader_role: LeaderRole | null;
  tx_hash: string | null;
  block_number: number | null;
  log_index: number | null;
  trade_at: number;
  first_source: TradeSource;
  first_seen_api_at: number | null;
  first_seen_rtds_at: number | null;
  first_seen_chain_at: number | null;
  is_backfill: Generated<Flag>;
  created_at: number;
  /** Micro-shares of this trade already applied to the leader's position. */
  applied_size: Generated<number>;
  /** The leader's shares of the token before this trade (the pre-sell shares of a SELL). */
  pre_trade_shares: number | null;
  /** When a reorg removed every sighting of it (epoch ms). */
  retracted_at: number | null;
}

/** One source's row of a leader trade; see migrations/0002_leader_trade_parts.ts. */
export interface LeaderTradePartsTable {
  id: Generated<number>;
  leader_trade_id: number;
  source: TradeSource;
  part: string;
  price: number;
  size: number;
  usdc_size: number;
  fee: number | null;
  block_number: number | null;
  log_index: number | null;
  seen_at: number;
  removed: Generated<Flag>;
}

export interface TradeRawTable {
  leader_trade_id: number;
  source: TradeSource;
  payload: string;
  received_at: number;
}

export interface LeaderPositionsTable {
  id: Generated<number>;
  leader_address: string;
  token_id: string;
  /** Micro-shares, never below 0 (ingest floors a sell of more than is known at 0). */
  shares: number;
  last_trade_id: number | null;
  updated_at: number;
}

export interface AccountsTable {
  id: Generated<number>;
  name: string;
  address: string;
  signature_type: SignatureType;
  funder_address: string | null;
  mode: Generated<AccountMode>;
  /** Micro-USDC. Paper accounts keep their own balance here. */
  cash: Generated<number>;
  starting_cash: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface FollowConfigsTable {
  id: Generated<number>;
  account_id: number;
  leader_address: string;
  enabled: Generated<Flag>;
  sizing_mode: string;
  /** JSON object; its shape belongs to the sizing mode. */
  sizing_params: Generated<string>;
  direction: Generated<FollowDirection>;
  min_trade_usdc: number | null;
  max_trade_usdc: number | null;
  /** Kept but not copying. */
  paused: Generated<Flag>;
  /** Close the whole position when the leader's sell takes them to zero. */
  full_close: Generated<Flag>;
  /** Basis points of the leader's price a copy's limit may go past it. */
  slippage_bps: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface SettingsTable {
  key: string;
  /** JSON text. */
  value: string;
  updated_at: number;
  /** Where the value came from: 'default', 'toml', 'dashboard', 'cli', 'telegram'... */
  source: string;
}

export interface OrdersTable {
  id: Generated<number>;
  idempotency_key: string;
  account_id: number;
  follow_config_id: number | null;
  leader_trade_id: number | null;
  /** What produced the order: 'copy', 'dutch_book', 'spread', 'manual'... */
  origin: string;
  condition_id: string;
  token_id: string;
  side: Side;
  order_type: OrderType;
  /** Null until the pricing stage sets it (the intent is written first). */
  limit_price: number | null;
  size: number;
  filled_size: Generated<number>;
  status: Generated<OrderStatus>;
  is_paper: Flag;
  locked_at: number | null;
  locked_by: string | null;
  venue_order_id: string | null;
  order_hash: string | null;
  /** The signed order as posted (JSON), stored with its hash before it is sent (0004). */
  signed_order: string | null;
  error: string | null;
  created_at: number;
  submitted_at: number | null;
  acked_at: number | null;
  first_fill_at: number | null;
  done_at: number | null;
  updated_at: number;
  /** Stage durations in microseconds. */
  prewrite_us: number | null;
  risk_us: number | null;
  pricing_us: number | null;
  preflight_us: number | null;
  execution_us: number | null;
  persistence_us: number | null;
  /** The leader's price the copy was priced from. */
  leader_price: number | null;
  catch_up: Generated<Flag>;
  /** When a resting paper order (GTC with a TTL) expires. */
  expires_at: number | null;
}

export interface FillsTable {
  id: Generated<number>;
  order_id: number;
  account_id: number;
  venue_trade_id: string;
  token_id: string;
  side: Side;
  price: number;
  size: number;
  fee: Generated<number>;
  price_source: FillPriceSource;
  status: FillStatus;
  is_paper: Flag;
  tx_hash: string | null;
  filled_at: number;
  created_at: number;
  updated_at: number;
  /** Micro-USDC, signed: the PnL this fill realized (sells). */
  realized_pnl: Generated<number>;
}

export interface PositionsTable {
  id: Generated<number>;
  account_id: number;
  token_id: string;
  shares: number;
  /** Micro-USDC paid for the shares held. */
  cost: number;
  /** Micro-USDC, signed. */
  realized_pnl: Generated<number>;
  updated_at: number;
  /** When the market resolved: the PnL is realized then, the shares stay until redeemed. */
  resolved_at: number | null;
  /** Micro-USDC per share the market resolved at (1_000_000 won, 0 lost). */
  resolved_payout: number | null;
  redeemed_at: number | null;
}

export interface GuardrailEventsTable {
  id: Generated<number>;
  created_at: number;
  reason_code: string;
  account_id: number | null;
  leader_address: string | null;
  token_id: string | null;
  idempotency_key: string | null;
  /** JSON object. */
  context: Generated<string>;
}

export const COPY_DECISIONS = ['copy', 'skip', 'refused'] as const;
export type CopyDecision = (typeof COPY_DECISIONS)[number];

export interface CopyDecisionsTable {
  id: Generated<number>;
  follow_config_id: number;
  leader_trade_id: number;
  account_id: number;
  decision: CopyDecision;
  /** The planner's skip reason or the risk gate's first refusal code; null for a copy. */
  reason_code: string | null;
  /** One sentence a user can read. */
  detail: Generated<string>;
  /** JSON object: the numbers behind the decision. */
  numbers: Generated<string>;
  catch_up: Generated<Flag>;
  order_id: number | null;
  created_at: number;
}

export interface ComponentHealthTable {
  /** 'detection.api', 'detection.rtds', 'books'... */
  component: string;
  healthy: Generated<Flag>;
  /** JSON object. */
  detail: Generated<string>;
  pid: number | null;
  host: string | null;
  updated_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  /** Who did it: 'cli', 'dashboard', 'telegram:<chat>', 'system'... */
  actor: string;
  action: string;
  subject: string | null;
  /** JSON object. */
  details: Generated<string>;
}

export interface Database {
  markets: MarketsTable;
  tokens: TokensTable;
  leaders: LeadersTable;
  leader_trades: LeaderTradesTable;
  leader_trade_parts: LeaderTradePartsTable;
  trade_raw: TradeRawTable;
  leader_positions: LeaderPositionsTable;
  accounts: AccountsTable;
  follow_configs: FollowConfigsTable;
  settings: SettingsTable;
  orders: OrdersTable;
  fills: FillsTable;
  positions: PositionsTable;
  guardrail_events: GuardrailEventsTable;
  audit_log: AuditLogTable;
  copy_decisions: CopyDecisionsTable;
  component_health: ComponentHealthTable;
}
