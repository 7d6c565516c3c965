/**
 * Guardrails on the order book and the price we expect to get. `quote === null` means no book
 * exists: the checks that need one stay off and NO_BOOK speaks for them once. A stale quote is
 * refused, and the other checks still run on it so every reason is reported.
 *
 * When the book cannot fill our size (`expectedAvgPrice` null, or no book) the limit price stands
 * in for the average: whatever fills does so at the limit or better, so it bounds the worst case.
 */
import { checkBps } from '../bps.ts';
import { refusal } from '../decision.ts';
import { bpsText, dollars, priceText, seconds } from '../format.ts';
import type { RiskIntent, RiskQuote } from '../intent.ts';
import { quoteAgeLimit } from '../limits.ts';
import type { Check } from './check.ts';

export const bookDepth: Check = {
  code: 'BOOK_TOO_THIN',
  run: ({ snapshot, limits }) => {
    const min = limits.minBookDepthUsdc;
    const quote = snapshot.quote;
    if (min === undefined || quote === null) return 'off';
    if (quote.depthUsdc >= min) return 'pass';
    return refusal(
      'BOOK_TOO_THIN',
      `Only ${dollars(quote.depthUsdc)} is available within the limit price, below the ${dollars(min)} minimum depth.`,
      { depthUsdc: quote.depthUsdc, minBookDepthUsdc: min },
    );
  },
};

export const spread: Check = {
  code: 'SPREAD_TOO_WIDE',
  run: ({ snapshot, limits }) => {
    const max = limits.maxSpreadBps;
    const quote = snapshot.quote;
    if (max === undefined || quote === null) return 'off';
    const { bestBid, bestAsk } = quote;
    if (bestBid === null || bestAsk === null) {
      // A one-sided book has no spread to speak of: treat it as unbounded.
      return refusal(
        'SPREAD_TOO_WIDE',
        `The book is one-sided (bid ${showPrice(bestBid)}, ask ${showPrice(bestAsk)}), so its spread is unbounded, above the ${max} bps limit.`,
        { bestBid, bestAsk, spreadBps: null, maxSpreadBps: max },
      );
    }
    // spread / mid = (ask - bid) / ((ask + bid) / 2) = 2 (ask - bid) / (ask + bid).
    const width = bestAsk - bestBid;
    const { bps, exceeds } = checkBps(2 * width, bestAsk + bestBid, max);
    if (!exceeds) return 'pass';
    return refusal(
      'SPREAD_TOO_WIDE',
      `The spread of ${priceText(width)} (bid ${priceText(bestBid)}, ask ${priceText(bestAsk)}) is ${bpsText(bps)} of the mid, above the ${max} bps limit.`,
      { bestBid, bestAsk, spreadBps: bps, maxSpreadBps: max },
    );
  },
};

export const quoteFresh: Check = {
  code: 'QUOTE_STALE',
  run: ({ snapshot, limits }) => {
    const max = quoteAgeLimit(limits);
    const quote = snapshot.quote;
    if (max === null || quote === null) return 'off';
    const ageMs = snapshot.now - quote.receivedAt;
    if (ageMs <= max) return 'pass';
    return refusal(
      'QUOTE_STALE',
      `The quote is ${seconds(ageMs)} old, older than the ${seconds(max)} limit.`,
      { receivedAt: quote.receivedAt, now: snapshot.now, ageMs, maxQuoteAgeMs: max },
    );
  },
};

const BOOK_LIMITS = ['minBookDepthUsdc', 'maxSpreadBps', 'maxSlippageBps'] as const;

export const bookExists: Check = {
  code: 'NO_BOOK',
  run: ({ snapshot, limits }) => {
    const needing = BOOK_LIMITS.filter((name) => limits[name] !== undefined);
    if (needing.length === 0) return 'off';
    if (snapshot.quote !== null) return 'pass';
    return refusal('NO_BOOK', `There is no order book for this token, and ${needing.join(', ')} need one.`, {
      limits: needing.join(','),
    });
  },
};

export const leaderDeviation: Check = {
  code: 'PRICE_DEVIATION',
  run: ({ intent, snapshot, limits }) => {
    const max = limits.maxDeviationBps;
    const leader = intent.leaderPrice;
    if (max === undefined || leader === null) return 'off';
    const { price: expected, basis } = expectedPrice(intent, snapshot.quote);
    const { bps, exceeds } = checkBps(worseBy(intent, expected, leader), leader, max);
    if (!exceeds) return 'pass';
    return refusal(
      'PRICE_DEVIATION',
      `Our ${basis === 'book' ? 'expected average' : 'limit'} price ${priceText(expected)} is ${worseThan(bps, `the leader's ${priceText(leader)}`)}, above the ${max} bps limit.`,
      { expectedPrice: expected, basis, leaderPrice: leader, deviationBps: bps, maxDeviationBps: max },
    );
  },
};

export const slippage: Check = {
  code: 'SLIPPAGE',
  run: ({ intent, snapshot, limits }) => {
    const max = limits.maxSlippageBps;
    const quote = snapshot.quote;
    if (max === undefined || quote === null) return 'off';
    const sideName = intent.side === 'BUY' ? 'ask' : 'bid';
    const best = intent.side === 'BUY' ? quote.bestAsk : quote.bestBid;
    const { price: expected, basis } = expectedPrice(intent, quote);
    if (best === null) {
      return refusal(
        'SLIPPAGE',
        `There is no ${sideName} to measure slippage from, so it is unbounded, above the ${max} bps limit.`,
        { expectedPrice: expected, basis, bestPrice: null, slippageBps: null, maxSlippageBps: max },
      );
    }
    const { bps, exceeds } = checkBps(worseBy(intent, expected, best), best, max);
    if (!exceeds) return 'pass';
    return refusal(
      'SLIPPAGE',
      `Our ${basis === 'book' ? 'expected average' : 'limit'} price ${priceText(expected)} is ${worseThan(bps, `the best ${sideName} ${priceText(best)}`)}, above the ${max} bps limit.`,
      { expectedPrice: expected, basis, bestPrice: best, slippageBps: bps, maxSlippageBps: max },
    );
  },
};

function expectedPrice(
  intent: RiskIntent,
  quote: RiskQuote | null,
): { price: number; basis: 'book' | 'limit' } {
  const walked = quote?.expectedAvgPrice ?? null;
  return walked === null ? { price: intent.limitPrice, basis: 'limit' } : { price: walked, basis: 'book' };
}

/** How much worse `ours` is than `reference` for our side: paying more, or receiving less. */
function worseBy(intent: RiskIntent, ours: number, reference: number): number {
  return intent.side === 'BUY' ? ours - reference : reference - ours;
}

/** "400 bps worse than X"; against a reference of 0 the ratio has no bound. */
function worseThan(bps: number | null, reference: string): string {
  return bps === null ? `worse than ${reference}, unbounded in bps` : `${bps} bps worse than ${reference}`;
}

function showPrice(p: number | null): string {
  return p === null ? 'none' : priceText(p);
}
