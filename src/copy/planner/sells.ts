/**
 * How many shares a copy SELL sells: the same fraction of our holding as the leader sold of
 * theirs, floored to the lot, never more than we hold.
 */

import { roundToLot, type Shares } from '../../core/money.ts';
import { mulDiv } from '../../core/rounding.ts';
import { dec } from './format.ts';
import { type Skip, skip } from './skip.ts';

export interface SellSizingInput {
  /** What we hold of the token we would sell. */
  ourShares: Shares;
  /** How much the leader sold. */
  leaderSellShares: Shares;
  /** What the leader held before the sale; null (or 0) when unknown, e.g. bought before we watched. */
  leaderPreSellShares: Shares | null;
  /** The venue's size step (SHARE_LOT). */
  lot: Shares;
  /** The follow's `fullCloseOnLeaderExit`. */
  fullClose: boolean;
}

export interface SellSize {
  kind: 'size';
  shares: Shares;
  /** The leader sold out: everything they held (or all we know of). */
  leaderExit: boolean;
  note: string;
}

export function sizeSell(input: SellSizingInput): SellSize | Skip {
  const { ourShares: ours, leaderSellShares: sold, lot } = input;
  const pre = input.leaderPreSellShares;
  const numbers = {
    ourShares: ours,
    leaderSellShares: sold,
    leaderPreSellShares: pre,
    lot,
    fullClose: String(input.fullClose),
  };
  if (ours <= 0) return skip('NOTHING_HELD', `we hold no shares of the token (${dec(ours)})`, numbers);
  if (sold <= 0) return skip('ZERO_SIZE', `the leader sold ${dec(sold)} shares`, numbers);

  // Unknown or zero pre-sale holdings mean we never saw the position being built (flat start, or a
  // transfer in): the only reading that cannot leave us holding what the leader dropped is a full exit.
  const known = pre !== null && pre > 0;
  const remaining = known ? Math.max(0, pre - sold) : 0;
  // A remainder under one lot cannot be sold on the venue either: the leader is out.
  const leaderExit = !known || remaining < lot;

  let want: number;
  let note: string;
  if (leaderExit && input.fullClose) {
    // Close the whole position. Selling up to all we hold is safe because our own ledger is exact
    // (it counts our fills, unlike the leader's position, which we infer). It is still floored to
    // the lot: the venue rejects sizes finer than 0.01 share, so a sub-lot remainder cannot be sold
    // and stays to be redeemed when the market resolves.
    want = ours;
    note = `the leader sold out, so we close all ${dec(ours)} we hold`;
  } else {
    // ours x min(sold, pre) / pre, floored: rounding never takes us past the leader's fraction.
    want = known ? mulDiv(ours, Math.min(sold, pre), pre, 'floor') : ours;
    note = known
      ? `the leader sold ${dec(sold)} of ${dec(pre)}, so we sell that fraction of our ${dec(ours)}`
      : `the leader sold ${dec(sold)} with no known holding (a full exit), so we sell our ${dec(ours)}`;
  }
  const lots = roundToLot(Math.min(want, ours) as Shares, lot, 'floor');
  if (lots <= 0) {
    return skip('ZERO_SIZE', `${note}: ${dec(want)} is less than one lot of ${dec(lot)}`, numbers);
  }
  return { kind: 'size', shares: lots, leaderExit, note: `${note}: ${dec(lots)}` };
}
