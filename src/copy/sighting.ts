/**
 * What every leader-trade source hands to ingest: one sighting of one fill of a leader, in
 * micro-units, with the source's own granularity kept (`part`), so that ingest can collapse the
 * sources' different row shapes into one canonical trade.
 */
import type { Price, Shares, Usdc } from '../core/money.ts';

export const TRADE_SOURCES = ['api', 'rtds', 'chain'] as const;
export type TradeSource = (typeof TRADE_SOURCES)[number];

export interface LeaderFillSighting {
  kind: 'fill';
  source: TradeSource;
  /** The leader's profile (proxy) wallet, lower-case. */
  leader: string;
  /** Lower-case 0x transaction hash. */
  txHash: string;
  /** Outcome token id (decimal uint256). */
  tokenId: string;
  /** Known to the API and RTDS; the chain knows only the token (ingest resolves it). */
  conditionId: string | null;
  outcome: string | null;
  outcomeIndex: number | null;
  /** The leader's side on `tokenId`. */
  side: 'BUY' | 'SELL';
  price: Price;
  size: Shares;
  usdc: Usdc;
  /** The leader's fee, when the source says. */
  fee: Usdc | null;
  /** Whether the leader's order was the match's maker or taker, when the source says. */
  role: 'maker' | 'taker' | null;
  blockNumber: number | null;
  logIndex: number | null;
  /**
   * This row's identity within its source's granularity for the transaction: the chain's order
   * hash, or the API/RTDS row's counterparty-and-amounts, so a repeated row is recognised as such.
   */
  part: string;
  /** When the fill happened (epoch ms; the API and RTDS give seconds). */
  tradeTimeMs: number;
  /** When this source first delivered it (epoch ms). */
  seenAtMs: number;
  /** Seen by a backfill (warm start, gap fill) rather than live. */
  isBackfill: boolean;
  /** The message as received, kept with a new trade. */
  raw: unknown;
}

/** The chain took back a log it had delivered (`removed: true`, a reorg). */
export interface LeaderFillRetraction {
  kind: 'retract';
  source: 'chain';
  leader: string;
  txHash: string;
  logIndex: number;
  part: string;
  seenAtMs: number;
}

export type LeaderSighting = LeaderFillSighting | LeaderFillRetraction;
