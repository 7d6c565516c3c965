/**
 * One follow configuration (an account copying one leader) and the zod schemas for the parts a
 * user edits. The sizing is stored as JSON (`follow_configs.sizing_mode` + `sizing_params`) and
 * typed in from the CLI, so the schemas speak to a person: every message names the unit.
 *
 * Units: USDC amounts are integer micro-USDC (1_000_000 = $1), like every money value in the
 * system; percents and multipliers are integer basis points (10_000 = 100% = 1x), never floats.
 */
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import type { Usdc } from '../../core/money.ts';

/** 100% (or 1x) in basis points. */
export const BPS_ONE = 10_000;

/** The default allowance over the leader's price for a live copy (see limit-price.ts). */
export const DEFAULT_SLIPPAGE_BPS = 200;

export const FOLLOW_DIRECTIONS = ['copy', 'counter'] as const;
export type FollowDirection = (typeof FOLLOW_DIRECTIONS)[number];

export const SIZING_MODES = ['fixed_usd', 'leader_pct', 'balance_pct', 'balance_ratio'] as const;
export type SizingMode = (typeof SIZING_MODES)[number];

/** From a leader trade of `minLeaderUsdc` up (to the next tier), our size is multiplied. */
export interface SizingTier {
  minLeaderUsdc: Usdc;
  /** 10_000 = 1x; 0 ignores trades in this band. */
  multiplierBps: number;
}

interface Tiered {
  /** The highest tier whose minimum the leader's trade reaches applies; below all tiers, 1x. */
  tiers?: readonly SizingTier[] | undefined;
}

export type Sizing =
  /** The same amount every time. */
  | ({ mode: 'fixed_usd'; amountUsdc: Usdc } & Tiered)
  /** A share of the leader's trade. */
  | ({ mode: 'leader_pct'; pctBps: number } & Tiered)
  /** A share of our own cash balance. */
  | ({ mode: 'balance_pct'; pctBps: number } & Tiered)
  /** Our balance / the leader's portfolio value x the leader's trade: the leader's bet, scaled to us. */
  | ({ mode: 'balance_ratio' } & Tiered);

/** What a user tunes for one follow. */
export interface FollowSettings {
  direction: FollowDirection;
  sizing: Sizing;
  /** A buy sized below this is skipped (not rounded up). */
  minTradeUsdc: Usdc | null;
  /** A buy sized above this is cut to it. */
  maxTradeUsdc: Usdc | null;
  /** When the leader's sell leaves them holding nothing, sell all we hold of the token. */
  fullCloseOnLeaderExit: boolean;
  /** How far past the leader's price a live copy's limit may go, in basis points of that price. */
  slippageBps: number;
}

export interface FollowConfig extends FollowSettings {
  id: number;
  accountId: number;
  /** Lower-case 0x address. */
  leaderAddress: string;
  /** Off: the follow is retired (kept for history). */
  enabled: boolean;
  /** On: a temporary stop (e.g. by a breaker or the user); the follow stays configured. */
  paused: boolean;
}

// --- schemas ---------------------------------------------------------------------------------------

const MAX_BPS = 1_000_000; // 100x: far past any sane setting, low enough to catch a typo.

function usdcAmount(min: 0 | 1) {
  const unit = 'an integer number of micro-USDC (1_000_000 = $1)';
  return z
    .int({ error: (iss) => (iss.input === undefined ? `is required: ${unit}` : `must be ${unit}`) })
    .min(min, { error: min === 0 ? `must be ${unit}, 0 or more` : `must be ${unit}, above 0` })
    .transform((n) => n as Usdc);
}

function bps(min: number, max: number, what: 'a percent' | 'a multiplier') {
  const one = what === 'a percent' ? '100%' : '1x';
  return z
    .int({
      error: (iss) =>
        `${iss.input === undefined ? 'is required' : 'must be'} ${what} as integer basis points (10_000 = ${one})`,
    })
    .min(min, { error: `must be at least ${min} basis points` })
    .max(max, { error: `must be at most ${max} basis points` });
}

const tierSchema = z.strictObject({
  minLeaderUsdc: usdcAmount(0),
  multiplierBps: bps(0, MAX_BPS, 'a multiplier'),
});

const tiersSchema = z
  .array(tierSchema)
  .min(1, { error: 'give at least one tier, or leave tiers out' })
  .max(20, { error: 'at most 20 tiers' })
  .refine((ts) => ts.every((t, i) => i === 0 || t.minLeaderUsdc > ts[i - 1]!.minLeaderUsdc), {
    error: 'tiers must be listed by rising minLeaderUsdc, each minimum different',
  })
  .optional();

export const sizingSchema: z.ZodType<Sizing, unknown> = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('fixed_usd'), amountUsdc: usdcAmount(1), tiers: tiersSchema }),
    z.strictObject({
      mode: z.literal('leader_pct'),
      pctBps: bps(1, MAX_BPS, 'a percent'),
      tiers: tiersSchema,
    }),
    // More than all of our balance cannot be spent.
    z.strictObject({
      mode: z.literal('balance_pct'),
      pctBps: bps(1, BPS_ONE, 'a percent'),
      tiers: tiersSchema,
    }),
    z.strictObject({ mode: z.literal('balance_ratio'), tiers: tiersSchema }),
  ],
  { error: `mode must be one of ${SIZING_MODES.join(', ')}` },
);

export const followSettingsSchema: z.ZodType<FollowSettings, unknown> = z
  .strictObject({
    direction: z.enum(FOLLOW_DIRECTIONS, { error: 'direction must be "copy" or "counter"' }).default('copy'),
    sizing: sizingSchema,
    minTradeUsdc: usdcAmount(0).nullable().default(null),
    maxTradeUsdc: usdcAmount(1).nullable().default(null),
    fullCloseOnLeaderExit: z.boolean({ error: 'must be true or false' }).default(true),
    slippageBps: bps(0, BPS_ONE / 2, 'a percent').default(DEFAULT_SLIPPAGE_BPS),
  })
  .refine((s) => s.minTradeUsdc === null || s.maxTradeUsdc === null || s.minTradeUsdc <= s.maxTradeUsdc, {
    error: 'must not be above maxTradeUsdc',
    path: ['minTradeUsdc'],
  });

/** Validates sizing typed by a person; throws a ValidationError listing every problem. */
export function parseSizing(input: unknown): Sizing {
  return parseWith(sizingSchema, input, 'sizing');
}

/** Validates a follow's settings; throws a ValidationError listing every problem. */
export function parseFollowSettings(input: unknown): FollowSettings {
  return parseWith(followSettingsSchema, input, 'follow settings');
}

/** Sizing from its two stored columns: the mode and the JSON object of its parameters. */
export function sizingFromColumns(mode: string, params: unknown): Sizing {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new ValidationError(`sizing params for mode ${mode} must be a JSON object`);
  }
  return parseSizing({ ...params, mode });
}

/** The two stored columns of a sizing. */
export function sizingToColumns(sizing: Sizing): { mode: SizingMode; params: Record<string, unknown> } {
  const { mode, ...params } = sizing;
  if (params.tiers === undefined) delete params.tiers;
  return { mode, params };
}

function parseWith<T>(schema: z.ZodType<T, unknown>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
  throw new ValidationError(`invalid ${what}: ${lines.join('; ')}`, { context: { issues: lines } });
}
