/**
 * RTDS `activity` trade rows -> LeaderFillSighting, as pure functions.
 *
 * Wire numbers are doubles that render a decimal: the nearest micro-unit (`halfEven`) is the value
 * meant, so observed sizes, prices and fees round to nearest. The USDC a row moved is not on the
 * wire (RTDS has no `usdcSize`); it is size x price, also to nearest.
 */
import { microFromNumber } from '../../../core/decimal.ts';
import { notional, type Price, price, type Shares, shares, type Usdc, usdc } from '../../../core/money.ts';
import type { RoundingMode } from '../../../core/rounding.ts';
import { UNKNOWN_OUTCOME_INDEX } from '../../../polymarket/clob/schemas/scalars.ts';
import type { RtdsActivityTrade, RtdsActivityTradeMessage } from '../../../polymarket/rtds/index.ts';
import type { LeaderFillSighting } from '../../sighting.ts';

/** Observed wire values: nearest micro-unit (see the module comment). */
const OBSERVED: RoundingMode = 'halfEven';

export interface RtdsAmounts {
  size: Shares;
  price: Price;
  usdc: Usdc;
  fee: Usdc | null;
}

export function rtdsAmounts(p: RtdsActivityTrade): RtdsAmounts {
  const size = shares(microFromNumber(p.size, OBSERVED));
  const px = price(microFromNumber(p.price, OBSERVED));
  return {
    size,
    price: px,
    usdc: notional(size, px, OBSERVED),
    fee: p.fee === undefined ? null : usdc(microFromNumber(p.fee, OBSERVED)),
  };
}

/**
 * What tells a row apart from the leader's other rows of the same transaction:
 * `<side>:<asset>:<size micro>:<price micro>`. RTDS rows carry no counterparty or order id, so the
 * amounts are all there is; micro integers make it independent of how the number was printed.
 */
export function rtdsRowIdentity(p: RtdsActivityTrade): string {
  const { size, price: px } = rtdsAmounts(p);
  return `${p.side}:${p.asset}:${size}:${px}`;
}

/** The part of the `ordinal`-th (0-based) row with this identity in its transaction. */
export function rtdsPart(identity: string, ordinal: number): string {
  return `${identity}:${ordinal}`;
}

export interface RtdsSightingContext {
  /** From rtdsPart. */
  part: string;
  /** When this client received the message (epoch ms). */
  seenAtMs: number;
  /** The frame as parsed JSON, kept with a new trade. */
  raw: unknown;
}

/** One leader's row as a sighting. The caller has already matched `proxyWallet` to a leader. */
export function sightingFromRtds(
  message: RtdsActivityTradeMessage,
  ctx: RtdsSightingContext,
): LeaderFillSighting {
  const p = message.payload;
  const amounts = rtdsAmounts(p);
  return {
    kind: 'fill',
    source: 'rtds',
    leader: p.proxyWallet.toLowerCase(),
    txHash: p.transactionHash.toLowerCase(),
    tokenId: p.asset,
    conditionId: p.conditionId.toLowerCase(),
    outcome: p.outcome === undefined || p.outcome === '' ? null : p.outcome,
    outcomeIndex: p.outcomeIndex === UNKNOWN_OUTCOME_INDEX ? null : p.outcomeIndex,
    side: p.side,
    price: amounts.price,
    size: amounts.size,
    usdc: amounts.usdc,
    // Present on some rows only, apparently the taker's fee (UNCONFIRMED): passed on as the source says.
    fee: amounts.fee,
    // RTDS does not say; a fee hints at the taker but is not confirmed to mean it.
    role: null,
    blockNumber: null,
    logIndex: null,
    part: ctx.part,
    // The payload's timestamp is the trade's, in seconds (the envelope's is the send time, in ms).
    tradeTimeMs: p.timestamp * 1000,
    seenAtMs: ctx.seenAtMs,
    isBackfill: false,
    raw: ctx.raw,
  };
}
