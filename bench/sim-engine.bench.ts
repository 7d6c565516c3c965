/**
 * Simulator matching engine: the hot paths a busy simulated market exercises, against a book of
 * about 1000 resting orders (10 orders on each of 49 bid and 49 ask levels, half of them mirrored
 * NO orders). Every operation also hashes both tokens' books for its `price_change` event, which
 * is most of its cost. Floors sit about 10x below the lowest of several runs on the 2-core dev
 * machine (node 22): resting GTC ~39-50k ops/s, 31-fill FAK sweep ~13-14k, cancel ~43-55k.
 */
import { type Micro, type Shares, tickSize, type Usdc } from '../src/core/index.ts';
import { MatchingEngine, type OrderRequest, type Side, seededIds } from '../src/sim/engine/index.ts';
import { suite } from './harness.ts';

const CONDITION = '0xbench';
const YES = '101';
const NO = '102';
const MAKER = '0x00000000000000000000000000000000000000aa';
const TAKER = '0x00000000000000000000000000000000000000bb';

let clock = 1_767_225_600_000;
const engine = new MatchingEngine({ now: () => clock, newId: seededIds(42) });
engine.registerMarket({
  conditionId: CONDITION,
  yesTokenId: YES,
  noTokenId: NO,
  tickSize: tickSize(10_000),
  minOrderSize: 5_000_000 as Shares,
  feeRate: 50_000 as Micro,
});
for (const who of [MAKER, TAKER]) {
  engine.deposit(who, 2_000_000_000_000_000 as Usdc);
  engine.split(who, CONDITION, 1_000_000_000_000_000 as Shares);
}

let seq = 0;
function order(
  maker: string,
  side: Side,
  tokenId: string,
  cents: number,
  shares: number,
  type = 'GTC',
): OrderRequest {
  const size = shares * 1_000_000;
  const cash = (size / 100) * cents;
  return {
    id: `0x${(++seq).toString(16).padStart(64, '0')}`,
    owner: 'bench',
    maker,
    tokenId,
    side,
    makerAmount: (side === 'BUY' ? cash : size) as Micro,
    takerAmount: (side === 'BUY' ? size : cash) as Micro,
    orderType: type as OrderRequest['orderType'],
    expiration: 0,
  };
}

// Bids 0.01..0.49 and asks 0.51..0.99, half of them mirrored NO orders, 10 orders of 10 shares each.
for (let cents = 1; cents <= 49; cents++) {
  for (let i = 0; i < 10; i++) {
    const bid = i % 2 === 0 ? order(MAKER, 'BUY', YES, cents, 10) : order(MAKER, 'SELL', NO, 100 - cents, 10);
    const ask = i % 2 === 0 ? order(MAKER, 'SELL', YES, 100 - cents, 10) : order(MAKER, 'BUY', NO, cents, 10);
    engine.submit(bid);
    engine.submit(ask);
  }
}
const resting = engine.openOrders().length;
if (resting < 980) throw new Error(`expected about 1000 resting orders, got ${resting}`);

/** Puts back 10 orders of 10 shares on each of the asks 0.51..0.54 that a sweep took, half as NO BUYs. */
function refillAsks(): void {
  for (const o of engine.openOrders({ owner: 'bench' })) {
    const yesAsk = (o.tokenId === YES) === (o.side === 'SELL');
    const yesPrice = o.tokenId === YES ? o.price : 1_000_000 - o.price;
    if (yesAsk && yesPrice <= 540_000) engine.cancel([o.id]);
  }
  for (let cents = 51; cents <= 54; cents++) {
    for (let i = 0; i < 10; i++) {
      const r = engine.submit(
        i % 2 === 0 ? order(MAKER, 'SELL', YES, cents, 10) : order(MAKER, 'BUY', NO, 100 - cents, 10),
      );
      if (!r.success) throw new Error(r.errorMsg);
    }
  }
}

let lastResting: string | null = null;
let toCancel: string | null = null;
let tick = 0;

await suite('sim engine', [
  {
    name: 'submit a resting GTC into ~1000 orders',
    beforeEach: () => {
      if (lastResting !== null) engine.cancel([lastResting]);
      clock += 1;
    },
    fn: () => {
      // Alternate bid levels and tokens so the insert lands in different places.
      const cents = 2 + (tick++ % 47);
      const r = engine.submit(
        tick % 2 === 0 ? order(TAKER, 'BUY', YES, cents, 7) : order(TAKER, 'SELL', NO, 100 - cents, 7),
      );
      lastResting = r.orderId;
    },
    minOpsPerSec: 4_000,
  },
  {
    name: 'FAK market BUY sweeping 4 ask levels (31 fills)',
    beforeEach: () => {
      refillAsks();
      clock += 1;
    },
    fn: () => {
      // $160: 100 shares at each of 0.51, 0.52, 0.53, then part of 0.54.
      const r = engine.submit({
        ...order(TAKER, 'BUY', YES, 55, 1),
        makerAmount: 160_000_000 as Micro,
        takerAmount: 290_909_000 as Micro,
        orderType: 'FAK',
      });
      if (r.takingAmount < 300_000_000) throw new Error(r.errorMsg || 'the sweep fell short');
    },
    minOpsPerSec: 1_200,
  },
  {
    name: 'cancel one resting order',
    beforeEach: () => {
      clock += 1;
      toCancel = engine.submit(order(TAKER, 'BUY', YES, 2 + (tick++ % 47), 7)).orderId;
    },
    fn: () => {
      const r = engine.cancel([toCancel!]);
      if (r.canceled.length !== 1) throw new Error('not cancelled');
    },
    minOpsPerSec: 4_000,
  },
]);
