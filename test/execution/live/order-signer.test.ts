/**
 * Signing without a network: the client's OrderBuilder does the work, and the hash computed here
 * must be the one the client itself (its ExchangeOrderBuilderV2.buildOrderHash) gives.
 */
import { hashTypedData, recoverTypedDataAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import type { Micro, Shares } from '../../../src/core/money.ts';
import { tickSize } from '../../../src/core/tick.ts';
import type { MarketParams } from '../../../src/execution/live/market-params.ts';
import { checkOrder, type LiveOrder, OrderSigner } from '../../../src/execution/live/order-signer.ts';
import { exchangeV2Address } from '../../../src/polymarket/clob/addresses.ts';
import { orderV2TypedData } from '../../../src/polymarket/clob/order-v2.ts';
import { clientOrderHash, TOKEN_ID, testWallet } from '../../polymarket/clob/official-client.ts';
import { px, sh, usd } from './support.ts';

const wallet = testWallet('live broker: signer');
const params = (over: Partial<MarketParams> = {}): MarketParams => ({
  tokenId: TOKEN_ID,
  conditionId: `0x${'cd'.repeat(32)}`,
  tickSize: tickSize(10_000),
  negRisk: false,
  feeRate: 0 as Micro,
  feeExponent: 1,
  takerOnly: true,
  minOrderSize: sh(5),
  acceptingOrders: true,
  fetchedAt: 0,
  ...over,
});
const NOW = 1_800_000_000;
const signer = new OrderSigner({ chainId: 137, privateKey: wallet.privateKey, signatureType: 0 });
const order = (over: Partial<LiveOrder> = {}): LiveOrder => ({
  tokenId: TOKEN_ID,
  side: 'BUY',
  price: px(0.56),
  size: sh(21.04),
  ...over,
});

describe('OrderSigner', () => {
  it.each([false, true])(
    "the local hash is the client's own, and the EOA signed it (negRisk %s)",
    async (negRisk) => {
      const r = await signer.sign(order(), { orderType: 'GTC' }, params({ negRisk }), NOW);
      if (!r.ok) throw new Error(r.rejected.message);
      const { signed } = r;
      expect(signed.orderHash).toBe(
        await clientOrderHash(signed.clientOrder, exchangeV2Address(137, negRisk), 137),
      );
      const typed = orderV2TypedData(signed.order, { chainId: 137, negRisk });
      expect(hashTypedData(typed)).toBe(signed.orderHash);
      expect(await recoverTypedDataAddress({ ...typed, signature: signed.order.signature })).toBe(
        wallet.address,
      );
      expect(signed.order).toMatchObject({ maker: wallet.address, signer: wallet.address, signatureType: 0 });
    },
  );

  it('the same order on the neg-risk exchange has another hash', async () => {
    const r = await signer.sign(order(), { orderType: 'GTC' }, params(), NOW);
    if (!r.ok) throw new Error(r.rejected.message);
    const asNegRisk = hashTypedData(orderV2TypedData(r.signed.order, { chainId: 137, negRisk: true }));
    expect(asNegRisk).not.toBe(r.signed.orderHash);
  });

  it.each([
    // [side, type, price, size, spend, makerAmount, takerAmount] (the client's documented vectors first)
    ['BUY', 'GTC', 0.56, 21.04, undefined, 11_782_400, 21_040_000],
    ['SELL', 'GTC', 0.56, 21.04, undefined, 21_040_000, 11_782_400],
    ['BUY', 'GTD', 0.5, 10, undefined, 5_000_000, 10_000_000],
    // a market BUY spends whole cents: 21.04 x 0.56 = 11.7824 -> $11.78
    ['BUY', 'FOK', 0.56, 21.04, undefined, 11_780_000, 21_035_700],
    ['BUY', 'FAK', 0.6, 10, 3, 3_000_000, 5_000_000],
    ['SELL', 'FOK', 0.6, 10, undefined, 10_000_000, 6_000_000],
  ] as const)('%s %s at %s x %s: amounts %s / %s', async (side, orderType, p, size, spend, maker, taker) => {
    const terms = orderType === 'GTD' ? { orderType, expiration: NOW + 3600 } : { orderType };
    const r = await signer.sign(
      order({ side, price: px(p), size: sh(size), ...(spend === undefined ? {} : { spend: usd(spend) }) }),
      terms,
      params(),
      NOW,
    );
    if (!r.ok) throw new Error(r.rejected.message);
    expect([r.signed.makerAmount, r.signed.takerAmount]).toEqual([maker, taker]);
    expect(r.signed.order.expiration).toBe(orderType === 'GTD' ? String(NOW + 3600) : '0');
  });

  it('signs type 1 and 2 for the funder, and type 3 with the wallet as signer (ERC-7739 envelope)', async () => {
    const funder = '0x000000000000000000000000000000000000f00d';
    for (const signatureType of [1, 2, 3] as const) {
      const s = new OrderSigner({ chainId: 137, privateKey: wallet.privateKey, signatureType, funder });
      const r = await s.sign(order(), { orderType: 'GTC' }, params(), NOW);
      if (!r.ok) throw new Error(r.rejected.message);
      expect(r.signed.order).toMatchObject({
        maker: funder,
        signer: signatureType === 3 ? funder : wallet.address,
        signatureType,
      });
      expect((r.signed.order.signature.length - 2) / 2).toBe(signatureType === 3 ? 65 + 64 + 186 + 2 : 65);
    }
  });
});

describe('checkOrder (nothing is signed or sent when it objects)', () => {
  it.each([
    ['price off the tick', order({ price: px(0.555) }), { orderType: 'GTC' }, /not on the 0.01 tick/],
    ['price 0', order({ price: px(0) }), { orderType: 'GTC' }, /outside/],
    ['price 1 - tick is fine, 1 is not', order({ price: px(1) }), { orderType: 'GTC' }, /outside/],
    ['size of 0.001 share', order({ size: 1_000 as Shares }), { orderType: 'GTC' }, /0\.01 share/],
    ['GTD without expiration', order(), { orderType: 'GTD' }, /needs an expiration/],
    ['GTD under a minute ahead', order(), { orderType: 'GTD', expiration: NOW + 59 }, /at least 60 s ahead/],
    ['GTC with expiration', order(), { orderType: 'GTC', expiration: NOW + 600 }, /only GTD orders expire/],
    ['post-only FOK', order(), { orderType: 'FOK', postOnly: true }, /post-only/],
    [
      'spend on a SELL',
      order({ side: 'SELL', spend: usd(1) }),
      { orderType: 'FOK' },
      /only for FOK\/FAK BUY/,
    ],
    [
      'spend in fractions of a cent',
      order({ spend: 1_234_567 as never }),
      { orderType: 'FAK' },
      /whole cents/,
    ],
    ['another token', order({ tokenId: '1' }), { orderType: 'GTC' }, /market params are for/],
  ] as const)('%s', (_, o, terms, message) => {
    expect(checkOrder(o, terms, params(), NOW)).toMatch(message);
  });

  it('accepts the bounds of the grid and a GTD exactly a minute ahead', () => {
    expect(checkOrder(order({ price: px(0.99) }), { orderType: 'GTC' }, params(), NOW)).toBeUndefined();
    expect(
      checkOrder(order({ price: px(0.01) }), { orderType: 'GTD', expiration: NOW + 60 }, params(), NOW),
    ).toBeUndefined();
  });

  it('a refused order comes back as a local rejection', async () => {
    expect(await signer.sign(order({ price: px(0.555) }), { orderType: 'GTC' }, params(), NOW)).toEqual({
      ok: false,
      rejected: {
        kind: 'rejected',
        code: 'LOCAL_CHECK',
        message: 'price 0.555 is not on the 0.01 tick',
        source: 'local',
      },
    });
  });
});
