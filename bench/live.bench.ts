/**
 * The live broker: orders built and signed per second by the official client's OrderBuilder (no
 * network; the market's tick and neg risk cached), and the submit round trip against an
 * in-process simulator (sign, HMAC, POST /order, the simulator's signature and HMAC checks,
 * matching, the reply classified), for an order that rests and for a FOK that fills. The p50/p99
 * columns of the round-trip cases are the submit latency.
 *
 * The per-signer rate limiter is opened wide here: it would otherwise measure the venue's tier.
 */
import { keccak256, toHex } from 'viem';
import { systemClock } from '../src/core/clock.ts';
import { createLogger } from '../src/core/logger.ts';
import { MICRO, type Price, type Shares, shares, usdc } from '../src/core/money.ts';
import { LiveBroker } from '../src/execution/live/live-broker.ts';
import { SignerRateLimits } from '../src/execution/live/signer-limits.ts';
import { SignerLocks } from '../src/execution/live/signer-lock.ts';
import { startSimulator } from '../src/sim/simulator.ts';
import { suite } from './harness.ts';

const sim = await startSimulator({ seed: 21, chain: false, traders: false });
const market = sim.venue.catalog.markets.find((m) => !m.negRisk && m.tickSize === 10_000 && m.active)!;
const yes = market.tokens[0].tokenId;
const no = market.tokens[1].tokenId;
const MAKER = '0x00000000000000000000000000000000000be4c4';
const wide = { capacity: 1_000_000, refillPerSec: 1_000_000 };

const broker = new LiveBroker({
  clobUrl: sim.urls.clob,
  chainId: 137,
  privateKey: keccak256(toHex('polyhunter bench: live broker')),
  signatureType: 0,
  clock: systemClock,
  logger: createLogger({ level: 'silent', format: 'json' }),
  locks: new SignerLocks(),
  rateLimits: new SignerRateLimits({ order: wide, cancel: wide }),
});
sim.venue.engine.deposit(broker.funder, usdc(100_000_000 * MICRO));
sim.venue.engine.deposit(MAKER, usdc(100_000_000 * MICRO));
sim.venue.engine.split(MAKER, market.conditionId, shares(10_000_000 * MICRO));
await broker.ensureApiCreds();
await broker.marketParams(yes);
await broker.marketParams(no);

const px = (n: number) => Math.round(n * MICRO) as Price;
const sh = (n: number) => Math.round(n * MICRO) as Shares;
let n = 0;
/** Resting BUYs on NO spread over 0.01..0.20, never crossing. */
const restingPrice = () => px(0.01 + (n++ % 20) / 100);
let makerSeq = 0;

const fail = (what: string, out: unknown) => {
  throw new Error(`${what}: ${JSON.stringify(out)}`);
};

try {
  await suite('live broker: build and sign (official OrderBuilder, no network)', [
    {
      name: 'GTC limit order built + signed + hashed',
      minOpsPerSec: 150,
      fn: () =>
        broker.buildSigned(
          { tokenId: yes, side: 'BUY', price: px(0.42), size: sh(10) },
          { orderType: 'GTC' },
        ),
    },
    {
      name: 'FOK market order built + signed + hashed',
      minOpsPerSec: 150,
      fn: () =>
        broker.buildSigned({ tokenId: yes, side: 'BUY', price: px(0.6), size: sh(10) }, { orderType: 'FOK' }),
    },
  ]);
  await suite(
    'live broker: submit round trip on the in-process simulator',
    [
      {
        name: 'GTC that rests (sign + POST /order + accept)',
        minOpsPerSec: 15,
        fn: async () => {
          const out = await broker.submit(
            { tokenId: no, side: 'BUY', price: restingPrice(), size: sh(5) },
            { orderType: 'GTC' },
          );
          if (out.kind !== 'accepted') fail('GTC', out);
        },
      },
      {
        name: 'FOK that fills a resting ask (+ match, settle)',
        minOpsPerSec: 12,
        beforeEach: async () => {
          const { result } = await sim.venue.submit({
            id: keccak256(toHex(`bench maker ${makerSeq++}`)),
            owner: 'bench-maker',
            maker: MAKER,
            tokenId: yes,
            side: 'SELL',
            makerAmount: sh(10),
            takerAmount: px(6) as never,
            orderType: 'GTC',
            expiration: 0,
          });
          if (!result.success) fail('maker', result);
        },
        fn: async () => {
          const out = await broker.submit(
            { tokenId: yes, side: 'BUY', price: px(0.6), size: sh(10) },
            { orderType: 'FOK' },
          );
          if (out.kind !== 'accepted') fail('FOK', out);
        },
      },
    ],
    1_000,
  );
} finally {
  await broker.cancelAll().catch(() => undefined);
  await sim.stop();
}
