/**
 * What the source asks a node for, and what it does with what comes back, against a scripted node:
 * every message validated (bad ones counted and skipped, the socket kept), block times fetched
 * once per block, repeats collapsed, removed logs retracted.
 */
import { type Address, keccak256, toHex } from 'viem';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeaderFillSighting } from '../../../../src/copy/sighting.ts';
import { badMessagesTotal } from '../../../../src/core/metrics.ts';
import { addressTopic, EXCHANGE_ADDRESSES, EXCHANGE_TOPICS } from '../../../../src/polymarket/chain/index.ts';
import { ALICE, BOB, LEADER, waitFor, YES } from '../../../sim/chain/support.ts';
import { readSample } from '../../../support/shape.ts';
import { FakeNode, fakeBlock } from './fake-node.ts';
import { counterValue, orderFilledLog, type Recorder, record } from './support.ts';

const P = 1_000_000n;

let node: FakeNode;
let r: Recorder | undefined;

beforeEach(async () => {
  node = await FakeNode.start();
  node.addBlock(fakeBlock(10));
});
afterEach(async () => {
  await r?.source.stop();
  r = undefined;
  await node.close();
});

async function connect(leaders: readonly Address[] = [LEADER]): Promise<Recorder> {
  r = record(node.url, leaders);
  await r.source.whenOpen();
  return r;
}

/** A good leader maker row in block `n` (the node knows the block; the log carries no time). */
function leaderLog(n: number, logIndex: number, extra: Partial<Parameters<typeof orderFilledLog>[0]> = {}) {
  const block = node.blocks.get(n) ?? fakeBlock(n);
  node.addBlock(block);
  return orderFilledLog({
    maker: LEADER,
    taker: ALICE,
    side: 'BUY',
    tokenId: YES,
    makerAmountFilled: P,
    takerAmountFilled: 2n * P,
    blockNumber: n,
    blockHash: block.hash,
    transactionHash: keccak256(toHex(`tx-${n}`)),
    logIndex,
    orderHash: keccak256(toHex(`order-${n}-${logIndex}`)),
    ...extra,
  });
}

describe('subscriptions', () => {
  it('subscribes newHeads and one logs filter per exchange: OrderFilled, maker = the leaders', async () => {
    await connect([LEADER, BOB]);
    const subs = node.subscriptions.map((s) => s.params);
    expect(subs[0]).toEqual(['newHeads']);
    const makers = [BOB, LEADER]
      .map((a) => a.toLowerCase() as Address)
      .sort()
      .map(addressTopic);
    expect(subs.slice(1)).toEqual(
      (
        [
          [2, 'standard'],
          [2, 'negRisk'],
          [1, 'standard'],
          [1, 'negRisk'],
        ] as const
      ).map(([v, kind]) => [
        'logs',
        { address: EXCHANGE_ADDRESSES[v][kind], topics: [EXCHANGE_TOPICS[v].OrderFilled, null, makers] },
      ]),
    );
    expect(node.count('eth_getLogs')).toBe(0);
  });
});

describe('validation', () => {
  it('counts, logs and skips every bad frame and log, and keeps the socket', async () => {
    await connect();
    const bad0 = await counterValue(badMessagesTotal, 'chain');
    const good = leaderLog(10, 0);
    node.sendRaw('this is not json');
    node.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: null }));
    node.pushLog({ ...good, data: '0x1234' }, { once: true });
    node.pushLog(
      { ...good, topics: [keccak256(toHex('Other()')), ...(good.topics as string[]).slice(1)] },
      { once: true },
    );
    node.pushLog({ ...good, address: `0x${'12'.repeat(20)}` }, { once: true });
    node.pushLog({ ...good, blockHash: null }, { once: true });
    node.pushLog('not a log', { once: true });
    node.pushHead({ number: 'eleven', hash: fakeBlock(11).hash, timestamp: '0x1' });
    // Amounts no trade can have: 3 pUSD for 2 shares (a price above 1).
    node.pushLog(leaderLog(10, 5, { makerAmountFilled: 3n * P, takerAmountFilled: 2n * P }), { once: true });
    node.pushLog(good, { once: true });
    await waitFor('the good log', () => r!.all.length === 1);
    expect((await counterValue(badMessagesTotal, 'chain')) - bad0).toBe(9);
    expect(r!.fills()[0]).toMatchObject({ logIndex: 0, blockNumber: 10 });
    expect(r!.source.health()).toMatchObject({ state: 'open', reconnects: 0 });
  });

  it('drops, without counting, a log of a wallet it does not follow (a node ignoring the filter)', async () => {
    await connect();
    const bad0 = await counterValue(badMessagesTotal, 'chain');
    node.pushLog(leaderLog(10, 1, { maker: BOB }), { once: true });
    node.pushLog(leaderLog(10, 2), { once: true });
    await waitFor('the leader log', () => r!.all.length === 1);
    expect(r!.all[0]!.leader).toBe(LEADER.toLowerCase());
    expect((await counterValue(badMessagesTotal, 'chain')) - bad0).toBe(0);
  });
});

describe('block times', () => {
  it('fetches a block once (eth_getBlockByNumber) for all its logs, and never for a block it heard of', async () => {
    await connect();
    const b12 = fakeBlock(12);
    node.addBlock(b12);
    node.pushLog(leaderLog(12, 0), { once: true });
    node.pushLog(leaderLog(12, 1), { once: true });
    node.pushLog(leaderLog(12, 2), { once: true });
    await waitFor('three fills', () => r!.all.length === 3);
    expect(node.count('eth_getBlockByNumber', '0xc')).toBe(1);
    expect(r!.fills().map((s) => s.tradeTimeMs)).toEqual([1, 2, 3].map(() => b12.timestamp * 1000));

    // A head first: no fetch at all.
    const b13 = fakeBlock(13);
    node.addBlock(b13);
    node.pushHead({ number: '0xd', hash: b13.hash, timestamp: `0x${b13.timestamp.toString(16)}` });
    node.pushLog(leaderLog(13, 0), { once: true });
    await waitFor('the fill of block 13', () => r!.all.length === 4);
    expect(node.count('eth_getBlockByNumber', '0xd')).toBe(0);
    expect(r!.fills()[3]!.tradeTimeMs).toBe(b13.timestamp * 1000);
  });

  it("uses the log's own blockTimestamp when the node sends one", async () => {
    await connect();
    node.pushLog(leaderLog(14, 0, { blockTimestamp: 1_700_000_000 }), { once: true });
    await waitFor('the fill', () => r!.all.length === 1);
    expect(r!.fills()[0]!.tradeTimeMs).toBe(1_700_000_000_000);
    expect(node.count('eth_getBlockByNumber', '0xe')).toBe(0);
  });

  it('falls back to the time of receipt when the node cannot say, rather than lose the fill', async () => {
    await connect();
    const log = leaderLog(15, 0);
    node.blocks.delete(15);
    node.pushLog(log, { once: true });
    await waitFor('the fill', () => r!.all.length === 1);
    const s = r!.fills()[0] as LeaderFillSighting;
    expect(s.tradeTimeMs).toBe(s.seenAtMs);
  });
});

describe('repeats and removed logs', () => {
  it('reports a repeated log once, a removed one as one retraction, and the log again once re-added', async () => {
    await connect();
    const log = leaderLog(16, 3);
    node.pushLog(log);
    node.pushLog(log, { once: true });
    node.pushLog({ ...log, removed: true });
    node.pushLog({ ...log, removed: true }, { once: true });
    node.pushLog(log, { once: true });
    await waitFor('fill, retraction, fill', () => r!.all.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(r!.all.map((s) => s.kind)).toEqual(['fill', 'retract', 'fill']);
    expect(r!.retractions()[0]).toMatchObject({
      leader: LEADER.toLowerCase(),
      txHash: keccak256(toHex('tx-16')),
      logIndex: 3,
      part: keccak256(toHex('order-16-3')),
    });
  });
});

describe('real samples through the live path', () => {
  it('turns the real V1 and V2 logs, pushed by a node, into the sightings the mapping gives', async () => {
    const v1 = readSample('order_filled_v1_log.json') as Record<string, unknown>;
    const v2 = readSample('order_filled_v2_log.json') as Record<string, unknown>;
    const v1Maker = '0x00000003A358014C7C0e227483dbe01619871000';
    await connect([v1Maker, LEADER]);
    node.pushLog(v1, { once: true });
    node.pushLog(v2, { once: true });
    await waitFor('both samples', () => r!.all.length === 2);
    const [a, b] = r!.fills();
    expect(a).toMatchObject({
      leader: v1Maker.toLowerCase(),
      side: 'BUY',
      price: 420_000,
      size: 17_700_000,
      usdc: 7_434_000,
      fee: 743_400,
      role: 'maker',
      tradeTimeMs: 0x695e9f3d * 1000,
      isBackfill: false,
      raw: v1,
    });
    expect(b).toMatchObject({
      leader: LEADER.toLowerCase(),
      side: 'SELL',
      price: 940_000,
      tradeTimeMs: 0x6a64696e * 1000,
    });
    // Both carried their block time: nothing fetched.
    expect(node.count('eth_getBlockByNumber')).toBe(1);
  });
});
