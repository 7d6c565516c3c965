/** Helpers that put orders straight into a simulated venue, for tests below the REST layer. */
import { expect } from 'vitest';
import { shares, usdc } from '../../src/core/money.ts';
import type { SimMarket } from '../../src/sim/catalog/model.ts';
import { createRandom } from '../../src/sim/random.ts';
import type { SimVenue } from '../../src/sim/venue/index.ts';

export function orderId(n: number): string {
  return `0x${createRandom(n).hex(32)}`;
}

/** `seller` rests a SELL of 10 YES at 0.60; `buyer` takes it with a FOK BUY of $6. */
export async function crossOnce(venue: SimVenue, seller: string, buyer: string, market?: SimMarket) {
  const m = market ?? venue.catalog.markets.find((x) => !x.negRisk)!;
  const yes = m.tokens[0].tokenId;
  venue.engine.deposit(seller, usdc(100_000_000));
  venue.engine.split(seller, m.conditionId, shares(50_000_000));
  venue.engine.deposit(buyer, usdc(100_000_000));
  const rest = await venue.submit({
    id: orderId(1),
    owner: 'key-seller',
    maker: seller,
    tokenId: yes,
    side: 'SELL',
    makerAmount: 10_000_000 as never,
    takerAmount: 6_000_000 as never,
    orderType: 'GTC',
    expiration: 0,
  });
  expect(rest.result).toMatchObject({ success: true, status: 'live' });
  const take = await venue.submit({
    id: orderId(2),
    owner: 'key-buyer',
    maker: buyer,
    tokenId: yes,
    side: 'BUY',
    makerAmount: 6_000_000 as never,
    takerAmount: 10_000_000 as never,
    orderType: 'FOK',
    expiration: 0,
  });
  expect(take.result).toMatchObject({ success: true, status: 'matched' });
  return { market: m, take };
}
