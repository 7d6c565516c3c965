/**
 * End to end: a viem websocket client watches one maker's OrderFilled logs (topic 2) on the
 * simulator's chain while matches involving that maker and others settle.
 */
import {
  createPublicClient,
  decodeErrorResult,
  type Hex,
  http,
  keccak256,
  type Log,
  type PublicClient,
  toHex,
  webSocket,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/index.ts';
import {
  decodeOrderFilled,
  decodeOrdersMatched,
  EXCHANGE_ADDRESSES,
  EXCHANGE_TOPICS,
  exchangeEventOf,
  exchangeV2EventsAbi,
  type OrderFilledEvent,
} from '../../../src/polymarket/chain/index.ts';
import { simExchangeAbi } from '../../../src/sim/chain/contract/abi.ts';
import {
  type Chain,
  type ChainMatch,
  MAX_MAKER_FILLS,
  type SettledMatch,
  startChain,
} from '../../../src/sim/chain/index.ts';
import { ALICE, BOB, CAROL, fill, LEADER, match, NO, orderHash, waitFor, YES } from './support.ts';

const P = 1_000_000n;

/** The matches of the scenario, with how many OrderFilled rows each gives LEADER. */
const matches: { name: string; m: ChainMatch; leaderRows: number }[] = [
  {
    name: 'LEADER rests a SELL, ALICE takes it with BOB',
    m: match('standard', fill('m1-taker', ALICE, 'BUY', YES, 10n * P, 600_000n, 120_000n), [
      fill('m1-leader', LEADER, 'SELL', YES, 6n * P, 600_000n),
      fill('m1-bob', BOB, 'SELL', YES, 4n * P, 600_000n),
    ]),
    leaderRows: 1,
  },
  {
    name: 'LEADER takes: a BUY against BOB',
    m: match('standard', fill('m2-leader', LEADER, 'BUY', YES, 5n * P, 610_000n, 59_470n), [
      fill('m2-bob', BOB, 'SELL', YES, 5n * P, 610_000n),
    ]),
    leaderRows: 1,
  },
  {
    name: 'neg-risk: three resting BUYs of LEADER and one of CAROL filled by one SELL',
    m: match('negRisk', fill('m3-taker', ALICE, 'SELL', NO, 9n * P, 300_000n, 94_500n), [
      fill('m3-leader-a', LEADER, 'BUY', NO, 2n * P, 300_000n),
      fill('m3-leader-b', LEADER, 'BUY', NO, 3n * P, 300_000n),
      fill('m3-carol', CAROL, 'BUY', NO, 1n * P, 300_000n),
      fill('m3-leader-c', LEADER, 'BUY', NO, 3n * P, 300_000n),
    ]),
    leaderRows: 3,
  },
  {
    name: 'a match without LEADER',
    m: match('standard', fill('m4-carol', CAROL, 'SELL', YES, 1n * P, 620_000n, 16_490n), [
      fill('m4-bob', BOB, 'BUY', YES, 1n * P, 620_000n),
    ]),
    leaderRows: 0,
  },
  {
    name: 'a MINT: LEADER buys YES against BOB buying NO',
    m: match('standard', fill('m5-leader', LEADER, 'BUY', YES, 2n * P, 700_000n, 29_400n), [
      fill('m5-bob', BOB, 'BUY', NO, 2n * P, 300_000n),
    ]),
    leaderRows: 1,
  },
];

describe('simulator chain, one wallet watched over a viem websocket', () => {
  let chain: Chain;
  let ws: PublicClient;
  let rpc: PublicClient;
  const leaderLogs: Log[] = [];
  const allLogs: Log[] = [];
  const unwatch: (() => void)[] = [];
  const settled: SettledMatch[] = [];

  beforeAll(async () => {
    chain = await startChain({ port: 0, blockTimeMs: 0 });
    ws = createPublicClient({ transport: webSocket(chain.wsUrl) });
    rpc = createPublicClient({ transport: http(chain.httpUrl) });
    const exchanges = [chain.exchanges.standard, chain.exchanges.negRisk];
    unwatch.push(
      ws.watchContractEvent({
        abi: exchangeV2EventsAbi,
        address: exchanges,
        eventName: 'OrderFilled',
        args: { maker: LEADER },
        onLogs: (logs) => leaderLogs.push(...logs),
      }),
      ws.watchContractEvent({
        abi: exchangeV2EventsAbi,
        address: exchanges,
        onLogs: (logs) => allLogs.push(...logs),
      }),
    );
    // watchContractEvent subscribes asynchronously: wait until both subscriptions are live.
    await waitUntilSubscribed(chain, 2);

    // Matches 1-3 share a block, 4 and 5 are mined separately.
    const firstBlock = matches.slice(0, 3).map(({ m }) => chain.settleMatch(m));
    await chain.mineNow();
    settled.push(...(await Promise.all(firstBlock)));
    for (const { m } of matches.slice(3)) {
      const pending = chain.settleMatch(m);
      await chain.mineNow();
      settled.push(await pending);
    }
    const expected = matches.reduce((n, x) => n + x.m.makers.length + 2, 0);
    await waitFor('every log', () => allLogs.length === expected && leaderLogs.length === 6);
  });

  afterAll(async () => {
    for (const stop of unwatch) stop();
    await (await ws.transport.getRpcClient()).close();
    await chain.stop();
  });

  it('runs as chain 137 with SimExchange at both real V2 exchange addresses', async () => {
    expect(await ws.getChainId()).toBe(137);
    expect(chain.exchanges).toEqual({
      standard: EXCHANGE_ADDRESSES[2].standard,
      negRisk: EXCHANGE_ADDRESSES[2].negRisk,
    });
    for (const address of Object.values(chain.exchanges)) {
      expect((await rpc.getCode({ address }))?.length).toBeGreaterThan(100);
    }
  });

  it("delivers exactly the watched wallet's fills, decoded with the right amounts, sides and tokens", () => {
    const rows = leaderLogs.map((log) => decodeOrderFilled(log));
    expect(rows.every((r) => r.maker === LEADER)).toBe(true);
    const expected = matches.flatMap(({ m }) => [...m.makers, m.taker].filter((f) => f.maker === LEADER));
    expect(rows.map(summary)).toEqual(
      expected.map((f) => ({
        orderHash: f.orderHash,
        side: f.side,
        tokenId: f.tokenId,
        makerAmountFilled: f.makerAmountFilled,
        takerAmountFilled: f.takerAmountFilled,
        fee: f.fee ?? 0n,
      })),
    );
    expect(rows).toHaveLength(matches.reduce((n, x) => n + x.leaderRows, 0));
  });

  it('gives maker rows taker = the taker order maker, and taker rows taker = the exchange', () => {
    const rows = leaderLogs.map((log) => decodeOrderFilled(log));
    const byHash = new Map(rows.map((r) => [r.orderHash, r]));
    expect(byHash.get(orderHash('m1-leader'))).toMatchObject({
      role: 'MAKER',
      taker: ALICE,
      exchangeKind: 'standard',
    });
    expect(byHash.get(orderHash('m2-leader'))).toMatchObject({
      role: 'TAKER',
      taker: EXCHANGE_ADDRESSES[2].standard,
      fee: 59_470n,
    });
    expect(byHash.get(orderHash('m3-leader-b'))).toMatchObject({
      role: 'MAKER',
      exchangeKind: 'negRisk',
      taker: ALICE,
    });
    // MINT: the taker row trades YES, the maker's row NO.
    expect(byHash.get(orderHash('m5-leader'))).toMatchObject({ role: 'TAKER', side: 'BUY', tokenId: YES });
  });

  it('writes each match as maker rows, the taker row, then OrdersMatched, in one transaction', () => {
    for (const [i, { m }] of matches.entries()) {
      const s = settled[i]!;
      const logs = allLogs
        .filter((l) => l.transactionHash === s.txHash)
        .sort((a, b) => Number(a.logIndex) - Number(b.logIndex));
      expect(logs.map((l) => exchangeEventOf(l.topics[0])?.name)).toEqual([
        ...m.makers.map(() => 'OrderFilled'),
        'OrderFilled',
        'OrdersMatched',
      ]);
      const exchange = chain.exchanges[m.exchange];
      const fills = logs.slice(0, -1).map((l) => decodeOrderFilled(l));
      expect(fills.slice(0, -1).map((f) => [f.orderHash, f.taker])).toEqual(
        m.makers.map((f) => [f.orderHash, m.taker.maker]),
      );
      expect(fills.at(-1)).toMatchObject({ orderHash: m.taker.orderHash, taker: exchange, role: 'TAKER' });
      expect(decodeOrdersMatched(logs.at(-1))).toMatchObject({
        takerOrderHash: m.taker.orderHash,
        takerOrderMaker: m.taker.maker,
        side: m.taker.side,
        tokenId: m.taker.tokenId,
        makerAmountFilled: m.taker.makerAmountFilled,
        takerAmountFilled: m.taker.takerAmountFilled,
        exchange,
      });
      expect(logs.every((l) => l.address.toLowerCase() === exchange.toLowerCase())).toBe(true);
    }
  });

  it("reports each settlement's block and log indexes as the subscription and eth_getLogs see them", async () => {
    expect(new Set(settled.slice(0, 3).map((s) => s.blockNumber)).size).toBe(1);
    expect(settled[3]!.blockNumber).toBe(settled[0]!.blockNumber + 1);
    for (const s of settled) {
      const fromWs = allLogs.filter((l) => l.transactionHash === s.txHash);
      expect(fromWs.map((l) => l.logIndex).sort((a, b) => a! - b!)).toEqual(s.logIndexes);
      for (const l of fromWs) {
        expect(l).toMatchObject({
          blockNumber: BigInt(s.blockNumber),
          blockHash: s.blockHash,
          removed: false,
        });
        expect(l.blockTimestamp).toBe(BigInt(s.blockTimestamp));
      }
      const fromHttp = await rpc.getLogs({ blockHash: s.blockHash });
      const mine = fromHttp.filter((l) => l.transactionHash === s.txHash);
      expect(mine.map((l) => [l.logIndex, l.topics, l.data])).toEqual(
        fromWs.sort((a, b) => a.logIndex! - b.logIndex!).map((l) => [l.logIndex, l.topics, l.data]),
      );
      const receipt = await rpc.getTransactionReceipt({ hash: s.txHash });
      expect(receipt).toMatchObject({
        status: 'success',
        blockNumber: BigInt(s.blockNumber),
        to: expect.any(String),
      });
    }
    // Log indexes are block-wide: the three transactions of the first block continue each other.
    expect(settled.slice(0, 3).flatMap((s) => s.logIndexes)).toEqual(
      Array.from({ length: 4 + 3 + 6 }, (_, i) => i),
    );
  });

  it('a raw eth_subscribe on OrderFilled topic0 and maker topic sees the same rows', async () => {
    const logs = await rpc.getLogs({
      address: [chain.exchanges.standard, chain.exchanges.negRisk],
      event: exchangeV2EventsAbi[0],
      args: { maker: LEADER },
      fromBlock: 0n,
    });
    expect(logs.map((l) => l.args.orderHash)).toEqual(leaderLogs.map((l) => decodeOrderFilled(l).orderHash));
    expect(leaderLogs.every((l) => l.topics[0] === EXCHANGE_TOPICS[2].OrderFilled)).toBe(true);
  });

  it('accepts fills only from the operator: anyone else calling the exchange reverts', async () => {
    const { encodeSettleCall } = await import('../../../src/sim/chain/match.ts');
    const data = encodeSettleCall(matches[0]!.m);
    const refused = rpc.call({ account: ALICE, to: chain.exchanges.standard, data });
    await expect(refused).rejects.toThrow(/revert/i);
    // The revert data is NotOperator(caller), decodable by the client.
    const error = await refused.catch((e: unknown) => e);
    const raw = (error as { walk: (f: (e: unknown) => boolean) => { data?: Hex } }).walk(
      (e) => typeof (e as { data?: unknown }).data === 'string',
    );
    expect(decodeErrorResult({ abi: simExchangeAbi, data: raw.data! })).toMatchObject({
      errorName: 'NotOperator',
      args: [ALICE],
    });
    await expect(
      rpc.call({ account: chain.operator, to: chain.exchanges.standard, data }),
    ).resolves.toBeDefined();
  });
});

describe('interval mining', () => {
  it('mines every blockTimeMs: matches sent within one interval share a block, one tx each', async () => {
    const clock = new ManualClock(Date.UTC(2026, 6, 1, 12, 0, 0));
    const chain = await startChain({ blockTimeMs: 2000, clock });
    try {
      // Sends and mining share one queue, so these reach the mempool before any tick mines.
      const pending = matches.slice(0, 3).map(({ m }) => chain.settleMatch(m));
      await clock.advance(1999);
      expect(chain.head().number).toBe(0);
      await clock.advance(1);
      const results = await Promise.all(pending);
      expect(results.map((r) => r.blockNumber)).toEqual([1, 1, 1]);
      expect(new Set(results.map((r) => r.txHash)).size).toBe(3);
      expect(results[0]!.blockTimestamp).toBe(Date.UTC(2026, 6, 1, 12, 0, 2) / 1000);
      for (const n of [2, 3]) {
        await clock.advance(2000);
        await waitFor(`block ${n}`, () => chain.head().number === n);
      }
      expect(chain.head()).toMatchObject({
        transactionCount: 0,
        timestamp: Date.UTC(2026, 6, 1, 12, 0, 6) / 1000,
      });
    } finally {
      await chain.stop();
    }
  });

  it('settles on its own with real time', async () => {
    const chain = await startChain({ blockTimeMs: 30 });
    try {
      const s = await chain.settleMatch(matches[1]!.m);
      expect(s.logIndexes).toEqual([0, 1, 2]);
    } finally {
      await chain.stop();
    }
  });
});

function summary(r: OrderFilledEvent) {
  return {
    orderHash: r.orderHash,
    side: r.side,
    tokenId: r.tokenId,
    makerAmountFilled: r.makerAmountFilled,
    takerAmountFilled: r.takerAmountFilled,
    fee: r.fee,
  };
}

/** Waits until the chain serves `count` subscriptions (viem subscribes in the background). */
function waitUntilSubscribed(chain: Chain, count: number): Promise<void> {
  return waitFor(`${count} subscriptions`, () => chain.subscriptionCount() === count);
}

describe('large matches', () => {
  it(`settles a match with the maximum ${MAX_MAKER_FILLS} maker fills and all-nonzero words within its gas budget`, async () => {
    const chain = await startChain({ blockTimeMs: 0 });
    try {
      const word = (label: string) => keccak256(toHex(label));
      const dense = (label: string, side: 'BUY' | 'SELL') => ({
        ...fill(label, BOB, side, BigInt(word(`${label}-token`)), 0xffff_ffff_ffffn, 999_999n, 0xffff_ffffn),
        builder: word(`${label}-builder`),
        metadata: word(`${label}-metadata`),
      });
      const m = match(
        'negRisk',
        dense('taker', 'BUY'),
        Array.from({ length: MAX_MAKER_FILLS }, (_, i) => dense(`maker-${i}`, 'SELL')),
      );
      const pending = chain.settleMatch(m);
      await chain.mineNow();
      const s = await pending;
      expect(s.logIndexes).toHaveLength(MAX_MAKER_FILLS + 2);
      const logs = await createPublicClient({ transport: http(chain.httpUrl) }).getLogs({
        blockHash: s.blockHash,
      });
      expect(decodeOrderFilled(logs[7])).toMatchObject({
        orderHash: m.makers[7]!.orderHash,
        builder: m.makers[7]!.builder,
        metadata: m.makers[7]!.metadata,
        fee: 0xffff_ffffn,
      });
    } finally {
      await chain.stop();
    }
  });
});
