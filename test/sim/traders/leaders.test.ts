import { afterEach, describe, expect, it } from 'vitest';
import { MICRO, type Micro } from '../../../src/core/index.ts';
import { TraderError } from '../../../src/sim/traders/index.ts';
import { px, sh, usd, type World, world } from './helpers.ts';

let w: World | undefined;
afterEach(() => w?.close());

const half = 500_000 as Micro;
const all = MICRO as Micro;

function setup(seed: number): World & { yes: string; no: string } {
  w = world(seed, { leaders: [{ name: 'whale', usdc: usd(5000) }] });
  return Object.assign(w, { yes: w.binary.tokens[0].tokenId, no: w.binary.tokens[1].tokenId });
}

describe('scripted leaders', () => {
  it('a market buy that outsizes the best order fills several maker orders in one transaction', async () => {
    const s = setup(21);
    const top = s.venue.engine.levelsFor(s.yes)!.asks.at(-1)!;
    // More than the whole best level (two makers' orders) costs at that price.
    const spend = Math.ceil((top.size * top.price) / MICRO / 10_000 + 2000) * 10_000;
    const r = await s.traders.leaders.takeTrade('whale', {
      tokenId: s.yes,
      side: 'BUY',
      usdc: spend as never,
    });
    expect(r.result).toMatchObject({ success: true, status: 'matched' });
    expect(r.trades).toHaveLength(1);
    const { trade, txHash } = r.trades[0]!;
    expect(r.txHashes).toEqual([txHash]);
    expect(txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(trade.taker.maker).toBe(r.leader.address);
    expect(trade.taker.side).toBe('BUY');
    expect(trade.makers.length).toBeGreaterThanOrEqual(3);
    expect(new Set(trade.makers.map((m) => m.orderId)).size).toBe(trade.makers.length);
    expect(new Set(trade.makers.map((m) => m.maker))).toEqual(
      new Set(s.traders.makers!.wallets(s.binary.conditionId)),
    );
    // Fills walk up from the best ask: the first at the best price, prices never falling.
    expect(trade.makers[0]!.price).toBe(top.price);
    const prices = trade.makers.map((m) => m.price);
    expect([...prices].sort((a, b) => a - b)).toEqual(prices);
    // The shares the fills add up to are exactly what the leader now holds, for exactly the pUSD spent.
    const shares = trade.makers.reduce((a, m) => a + m.shares, 0);
    expect(r.positionAfter - r.positionBefore).toBe(shares);
    expect(trade.taker.shares).toBe(shares);
    expect(trade.makers.reduce((a, m) => a + m.usdc, 0)).toBe(trade.taker.usdc);
    expect(trade.taker.usdc).toBeLessThanOrEqual(spend);
    expect(s.venue.allTrades().map((t) => t.txHash)).toContain(txHash);
  });

  it('a sweep of the best N levels takes every maker order on them', async () => {
    const s = setup(22);
    const asks = s.venue.engine.openOrders({ tokenId: s.yes }).filter((o) => o.side === 'SELL');
    const levelPrices = [...new Set(asks.map((o) => o.price))].sort((a, b) => a - b).slice(0, 2);
    const onThem = asks.filter((o) => levelPrices.includes(o.price));
    const r = await s.traders.leaders.takeTrade('whale', { tokenId: s.yes, side: 'BUY', levels: 2 });
    const makers = r.trades[0]!.trade.makers;
    expect(makers.map((m) => m.orderId)).toEqual(onThem.sort((a, b) => a.price - b.price).map((o) => o.id));
  });

  it('partial and full sells reduce the position exactly by what was sold', async () => {
    const s = setup(23);
    const leaders = s.traders.leaders;
    await leaders.takeTrade('whale', { tokenId: s.yes, side: 'BUY', usdc: usd(60) });
    await leaders.takeTrade('whale', { tokenId: s.yes, side: 'BUY', usdc: usd(25) });
    const position = () => s.venue.engine.position(s.traders.leaders.get('whale')!.address, s.yes).balance;
    const held = position();
    expect(held).toBeGreaterThan(0);

    const partial = await leaders.takeTrade('whale', { tokenId: s.yes, side: 'SELL', fraction: half });
    const sold = Math.floor(held / 2 / 10_000) * 10_000;
    expect(partial.order.makerAmount).toBe(sold);
    expect(partial.result.makingAmount).toBe(sold);
    expect(partial.trades[0]!.trade.taker.shares).toBe(sold);
    expect(position()).toBe(held - sold);

    const exit = await leaders.takeTrade('whale', { tokenId: s.yes, side: 'SELL', fraction: all });
    const rest = held - sold;
    const exitSize = rest - (rest % 10_000);
    expect(exit.result.makingAmount).toBe(exitSize);
    // A sell is whole hundredths of a share: only dust under 0.01 can stay.
    expect(position()).toBe(rest - exitSize);
    expect(position()).toBeLessThan(10_000);
    // Proceeds: what the bids paid for the shares, less the taker fee.
    const t = exit.trades[0]!.trade;
    expect(t.taker.usdc).toBe(t.makers.reduce((a, m) => a + m.usdc, 0));
  });

  it('buys N shares at market (at least N, within a cent), buys NO against YES bids, and sells for a pUSD amount', async () => {
    const s = setup(24);
    const leaders = s.traders.leaders;
    const byShares = await leaders.takeTrade('whale', { tokenId: s.yes, side: 'BUY', shares: sh(120) });
    const got = byShares.positionAfter - byShares.positionBefore;
    expect(got).toBeGreaterThanOrEqual(sh(120));
    const worstPrice = Math.max(...byShares.trades[0]!.trade.makers.map((m) => m.price));
    expect(got - sh(120)).toBeLessThanOrEqual(Math.ceil((10_000 * MICRO) / worstPrice));

    const no = await leaders.takeTrade('whale', { tokenId: s.no, side: 'BUY', usdc: usd(20) });
    expect(no.result.success).toBe(true);
    // A NO buyer meets YES bids: both sides pay for new shares.
    expect(no.trades[0]!.trade.makers.every((m) => m.matchType === 'MINT' && m.side === 'BUY')).toBe(true);
    expect(no.positionAfter).toBeGreaterThan(0);

    const raise = await leaders.takeTrade('whale', { tokenId: s.yes, side: 'SELL', usdc: usd(15) });
    const proceeds = raise.trades[0]!.trade.taker.usdc;
    expect(Math.abs(proceeds - usd(15))).toBeLessThan(10_000);
  });

  it('a GTC limit buy below the book rests, and a FOK larger than the book is refused by the venue', async () => {
    const s = setup(25);
    const bestBid = s.venue.engine.topOfBook(s.yes)!.bestBid!;
    const limit = px(bestBid / MICRO - 0.05);
    const rest = await s.traders.leaders.takeTrade('whale', {
      tokenId: s.yes,
      side: 'BUY',
      shares: sh(10),
      orderType: 'GTC',
      limit,
    });
    expect(rest.result).toMatchObject({ success: true, status: 'live' });
    expect(rest.trades).toEqual([]);
    expect(s.venue.engine.order(rest.result.orderId)).toMatchObject({ price: limit, originalSize: sh(10) });

    const fok = await s.traders.leaders.takeTrade('whale', {
      tokenId: s.yes,
      side: 'BUY',
      usdc: usd(4000),
      orderType: 'FOK',
    });
    expect(fok.result.success).toBe(false);
    expect(fok.result.errorCode).toBe('FOK_ORDER_NOT_FILLED_ERROR');
    expect(fok.positionAfter).toBe(fok.positionBefore);
  });

  it('refuses requests that cannot become an order, saying why', async () => {
    const s = setup(26);
    const leaders = s.traders.leaders;
    await expect(leaders.takeTrade('whale', { tokenId: s.yes, side: 'SELL', fraction: all })).rejects.toThrow(
      /nothing to sell/,
    );
    await expect(leaders.takeTrade('nobody', { tokenId: s.yes, side: 'BUY', usdc: usd(5) })).rejects.toThrow(
      TraderError,
    );
    await expect(
      leaders.takeTrade('whale', { tokenId: s.yes, side: 'BUY', usdc: usd(5), shares: sh(5) }),
    ).rejects.toThrow(/exactly one of usdc, shares, fraction, levels/);
    await expect(leaders.takeTrade('whale', { tokenId: s.yes, side: 'BUY', fraction: half })).rejects.toThrow(
      /SELL/,
    );
    await expect(
      leaders.takeTrade('whale', { tokenId: s.yes, side: 'BUY', shares: sh(5), orderType: 'GTC' }),
    ).rejects.toThrow(/limit/);
  });

  it('leaders are found by name or address, with the address drawn from the seed unless given', () => {
    const s = setup(27);
    const whale = s.traders.leaders.get('whale')!;
    expect(whale.address).toMatch(/^0x[0-9a-f]{40}$/);
    expect(s.traders.leaders.get(whale.address.toUpperCase().replace('0X', '0x'))).toEqual(whale);
    const fixed = s.traders.leaders.add({
      name: 'fixed',
      address: '0x00000000000000000000000000000000000000AA',
    });
    expect(fixed.address).toBe('0x00000000000000000000000000000000000000aa');
    expect(() => s.traders.leaders.add({ name: 'other', address: fixed.address })).toThrow(/another leader/);
    // The same seed draws the same address.
    const again = world(27, { leaders: [{ name: 'whale' }] });
    expect(again.traders.leaders.get('whale')!.address).toBe(whale.address);
    again.close();
  });
});
