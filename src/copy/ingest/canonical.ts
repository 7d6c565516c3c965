/**
 * The canonical key of a leader trade: the same whichever source saw the fill.
 *
 *     <tx hash>:<leader>:<token id>:<side>        (all lower-case)
 *
 * The unit is **the leader's fill on one outcome token and side within one transaction**. Why this
 * unit, and why it is unique:
 *
 * - Every source knows these four facts of a fill: the chain from the log (its maker is the
 *   leader, the token and side are decoded), the Data API and RTDS from each row (`proxyWallet`,
 *   `asset`, `side`, `transactionHash`). No source-specific id (order hash, row position) is in
 *   it, so the three produce the same key for the same fill.
 * - Granularity differs, and this unit absorbs it. When the leader's order takes liquidity from
 *   several makers in one transaction, the chain logs one OrderFilled row for the taker order (its
 *   totals), while the Data API and RTDS give the leader one row per matched maker order. When the
 *   leader's resting orders are hit, every source gives one row per order. Either way each row is
 *   a *part* of the same (tx, leader, token, side) trade, and ingest keeps the parts per source
 *   (their own identity inside the transaction) and takes the trade's size as the largest total
 *   any single source has reported, so the chain's one row and the API's three rows agree.
 * - A transaction can hold several fills of one leader: on different tokens (a mint pairs BUY YES
 *   with BUY NO, each its own key) or sides (its own key each). Several of the leader's orders on
 *   the same token and side in one transaction are one trade: copying their sum is copying them.
 * - A fill happens once: a transaction hash names one executed transaction on one chain, so the
 *   key never names two different events. A reorg that drops the transaction retracts its chain
 *   parts; one that re-includes it yields the same hash and the same key.
 */
export interface CanonicalFill {
  txHash: string;
  leader: string;
  tokenId: string;
  side: 'BUY' | 'SELL';
}

export function canonicalKey(fill: CanonicalFill): string {
  return `${fill.txHash.toLowerCase()}:${fill.leader.toLowerCase()}:${fill.tokenId}:${fill.side}`;
}
