/**
 * A Data API activity row of type TRADE as a leader-fill sighting: micro-units, trade time from
 * the row's seconds, and `part` = the row key (cursor.ts), which is this source's granularity.
 */
import { microFromNumber } from '../../../core/decimal.ts';
import { MICRO, type Price, type Shares, type Usdc } from '../../../core/money.ts';
import type { ActivityRow } from '../../../polymarket/data-api/index.ts';
import type { LeaderFillSighting } from '../../sighting.ts';
import { rowBase } from './cursor.ts';

/** Polymarket's "outcome unknown" index. */
const UNKNOWN_OUTCOME_INDEX = 999;

/** A trade row, checked and in micro-units, before it is keyed. */
export interface TradeRow {
  sec: number;
  base: string;
  leader: string;
  txHash: string;
  tokenId: string;
  conditionId: string;
  outcome: string | null;
  outcomeIndex: number | null;
  side: 'BUY' | 'SELL';
  price: Price;
  size: Shares;
  usdc: Usdc;
  raw: unknown;
}

/**
 * The row as a TradeRow, or why it cannot be one. Wire numbers are exact to 6 decimals in practice;
 * anything finer is rounded half-even, the same way every time, so a row keeps one key.
 */
export function tradeRowOf(row: ActivityRow, leader: string): TradeRow | { skip: string } {
  if (row.type !== 'TRADE') return { skip: `type ${row.type} is not a trade` };
  if (row.proxyWallet !== leader) return { skip: `the row is for ${row.proxyWallet}, not ${leader}` };
  const { asset, conditionId, transactionHash: txHash, side } = row;
  // The schema already refuses a TRADE row without these; this narrows the types.
  if (asset === null || conditionId === null || txHash === null || (side !== 'BUY' && side !== 'SELL')) {
    return { skip: 'a trade field is missing' };
  }
  let size: number;
  let price: number;
  let usdc: number;
  try {
    size = microFromNumber(row.size, 'halfEven');
    price = microFromNumber(row.price, 'halfEven');
    usdc = microFromNumber(row.usdcSize, 'halfEven');
  } catch {
    return { skip: 'an amount is out of range' };
  }
  if (size <= 0) return { skip: 'size is 0' };
  if (price <= 0 || price > MICRO) return { skip: 'price is outside (0, 1]' };
  return {
    sec: row.timestampSec,
    base: rowBase({ txHash, tokenId: asset, side, size, price }),
    leader,
    txHash,
    tokenId: asset,
    conditionId,
    outcome: row.outcome,
    outcomeIndex: row.outcomeIndex === UNKNOWN_OUTCOME_INDEX ? null : row.outcomeIndex,
    side,
    price: price as Price,
    size: size as Shares,
    usdc: usdc as Usdc,
    raw: row.raw,
  };
}

export function toSighting(
  trade: TradeRow,
  part: string,
  seenAtMs: number,
  isBackfill: boolean,
): LeaderFillSighting {
  return {
    kind: 'fill',
    source: 'api',
    leader: trade.leader,
    txHash: trade.txHash,
    tokenId: trade.tokenId,
    conditionId: trade.conditionId,
    outcome: trade.outcome,
    outcomeIndex: trade.outcomeIndex,
    side: trade.side,
    price: trade.price,
    size: trade.size,
    usdc: trade.usdc,
    fee: null,
    role: null,
    blockNumber: null,
    logIndex: null,
    part,
    tradeTimeMs: trade.sec * 1000,
    seenAtMs,
    isBackfill,
    raw: trade.raw,
  };
}
