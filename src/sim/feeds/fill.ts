/**
 * What the matching engine (and later the chain) reports to the trade feeds: one record per
 * participant per match. A match between a taker and two makers is three fills sharing one
 * transaction hash; a MINT match shows two BUYs, a MERGE match two SELLs.
 *
 * Activity types other than trades (REDEEM today; SPLIT, MERGE... later) are further members of
 * the `ParticipantFill` union, so every consumer's `switch (fill.type)` names what it handles.
 */
import { ValidationError } from '../../core/errors.ts';
import { MICRO, type Price, type Shares, type Usdc } from '../../core/money.ts';
import { DATA_API_ACTIVITY_TYPES, type DataApiActivityType } from '../../polymarket/data-api/trade-row.ts';
import type { Hex } from '../catalog/model.ts';

/**
 * The activity types v1 `/activity` filters on: the Data API's documented list less `MIGRATION` and
 * `TIP`, which only v2 knows (`TIP` is opt-in there).
 */
export const ACTIVITY_TYPES = DATA_API_ACTIVITY_TYPES.filter((t) => t !== 'MIGRATION' && t !== 'TIP') as [
  V1ActivityType,
  ...V1ActivityType[],
];
type V1ActivityType = Exclude<DataApiActivityType, 'MIGRATION' | 'TIP'>;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export type Side = 'BUY' | 'SELL';

interface FillBase {
  /** Strictly increasing across every fill the hub receives; the tie-break of every ordering. */
  seq: number;
  /** The participant's proxy (profile) wallet, any letter case. */
  proxyWallet: Hex;
  conditionId: Hex;
  transactionHash: Hex;
  /** When it happened, epoch ms: the match time of a trade, the transaction time of a redeem. */
  timeMs: number;
}

/** One participant's side of a match. */
export interface TradeFill extends FillBase {
  type: 'TRADE';
  side: Side;
  /** The outcome token traded (uint256 as a decimal string). */
  tokenId: string;
  size: Shares;
  price: Price;
  /** Cash paid (BUY) or received (SELL), before fees. */
  usdcSize: Usdc;
  /** Fee charged to this participant (V2: the taker only); omitted or 0 when none. */
  fee?: Usdc;
  /** Whether this participant's order was the taker of the match. */
  isTaker: boolean;
}

/** Redemption of one outcome of a resolved market (one row per outcome, as the Data API shows). */
export interface RedeemFill extends FillBase {
  type: 'REDEEM';
  /** The outcome token burned. */
  tokenId: string;
  /** Tokens burned. */
  size: Shares;
  /** Collateral paid out for this outcome: 0 for a losing outcome. */
  usdcSize: Usdc;
}

export type ParticipantFill = TradeFill | RedeemFill;

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX_32 = /^0x[0-9a-fA-F]{64}$/;
const TOKEN_ID = /^[0-9]{1,78}$/;

function problemsOf(fill: ParticipantFill): string[] {
  const problems: string[] = [];
  const safe = (name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      problems.push(`${name} must be a safe integer in ${min}..${max}, got ${String(v)}`);
    }
  };
  safe('seq', fill.seq, 0);
  safe('timeMs', fill.timeMs, 0);
  if (!HEX_ADDRESS.test(fill.proxyWallet))
    problems.push(`proxyWallet is not an address: ${fill.proxyWallet}`);
  if (!HEX_32.test(fill.conditionId))
    problems.push(`conditionId is not 32 bytes of hex: ${fill.conditionId}`);
  if (!HEX_32.test(fill.transactionHash)) problems.push('transactionHash is not 32 bytes of hex');
  if (!TOKEN_ID.test(fill.tokenId)) problems.push(`tokenId is not a decimal uint256: ${fill.tokenId}`);
  safe('size', fill.size, 1);
  safe('usdcSize', fill.usdcSize, 0);
  switch (fill.type) {
    case 'TRADE':
      if (fill.side !== 'BUY' && fill.side !== 'SELL') problems.push(`side must be BUY or SELL`);
      safe('price', fill.price, 0, MICRO);
      if (fill.fee !== undefined) safe('fee', fill.fee, 0);
      if (typeof fill.isTaker !== 'boolean') problems.push('isTaker must be a boolean');
      break;
    case 'REDEEM':
      break;
    default:
      problems.push(`unknown fill type ${JSON.stringify((fill as { type: unknown }).type)}`);
  }
  return problems;
}

/**
 * Checks a batch before any of it is applied: well-formed fields and sequence numbers above
 * `lastSeq` and increasing within the batch. Throws ValidationError naming every problem.
 */
export function validateFills(fills: readonly ParticipantFill[], lastSeq: number): void {
  const problems: string[] = [];
  let previous = lastSeq;
  for (const [i, fill] of fills.entries()) {
    for (const p of problemsOf(fill)) problems.push(`fill ${i}: ${p}`);
    if (typeof fill.seq === 'number' && fill.seq <= previous) {
      problems.push(`fill ${i}: seq ${fill.seq} is not above the previous ${previous}`);
    }
    if (typeof fill.seq === 'number') previous = Math.max(previous, fill.seq);
  }
  if (problems.length > 0) {
    throw new ValidationError(`invalid fills: ${problems.join('; ')}`, { context: { problems } });
  }
}
