/**
 * The log subscriber's pure parts: backoff, the subscription filters, the per-block time cache
 * and the delivered-log record.
 */
import { type Hex, keccak256, pad, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src/core/errors.ts';
import { type BlockStamp, BlockTimes } from '../../../../src/polymarket/chain/block-times.ts';
import { DeliveredLogs } from '../../../../src/polymarket/chain/delivered-logs.ts';
import {
  addressTopic,
  EXCHANGE_ADDRESSES,
  EXCHANGE_TOPICS,
  normalizeLeaders,
  ORDER_FILLED_EMITTERS,
  orderFilledBlockFilter,
  orderFilledSubscriptions,
} from '../../../../src/polymarket/chain/index.ts';
import { ALICE, BOB, LEADER } from '../../../sim/chain/support.ts';

describe('subscription filters', () => {
  it('normalizes leaders: lower case, unique, sorted; refuses a non-address', () => {
    expect(normalizeLeaders([LEADER, ALICE, LEADER.toLowerCase()])).toEqual(
      [ALICE.toLowerCase(), LEADER.toLowerCase()].sort(),
    );
    expect(() => normalizeLeaders(['0x1234'])).toThrow(ValidationError);
  });

  it('subscribes each of the four exchanges once, on OrderFilled and maker = any leader', () => {
    const leaders = normalizeLeaders([LEADER, BOB]);
    const filters = orderFilledSubscriptions(leaders);
    expect(filters.map((f) => f.address.toLowerCase()).sort()).toEqual(
      [
        EXCHANGE_ADDRESSES[2].standard,
        EXCHANGE_ADDRESSES[2].negRisk,
        EXCHANGE_ADDRESSES[1].standard,
        EXCHANGE_ADDRESSES[1].negRisk,
      ]
        .map((a) => a.toLowerCase())
        .sort(),
    );
    for (const f of filters) {
      const emitter = ORDER_FILLED_EMITTERS.find((e) => e.address === f.address)!;
      expect(f.topics).toEqual([
        EXCHANGE_TOPICS[emitter.version].OrderFilled,
        null,
        leaders.map(addressTopic),
      ]);
    }
    // Topic 2 is the maker, left-padded.
    expect(filters[0]!.topics[2]).toContain(pad(BOB.toLowerCase() as Hex, { size: 32 }));
  });

  it('subscribes nothing for no leaders (an empty OR list would match every fill)', () => {
    expect(orderFilledSubscriptions([])).toEqual([]);
    expect(orderFilledBlockFilter(keccak256(toHex('b')), [])).toBeNull();
  });

  it('asks for one block by hash, never a range, in the gap fill', () => {
    const hash = keccak256(toHex('b'));
    const f = orderFilledBlockFilter(hash, normalizeLeaders([LEADER]))!;
    expect(f).toEqual({
      blockHash: hash,
      address: ORDER_FILLED_EMITTERS.map((e) => e.address),
      topics: [
        [EXCHANGE_TOPICS[2].OrderFilled, EXCHANGE_TOPICS[1].OrderFilled],
        null,
        [addressTopic(LEADER)],
      ],
    });
    expect(f).not.toHaveProperty('fromBlock');
    expect(f).not.toHaveProperty('toBlock');
  });
});

describe('BlockTimes', () => {
  const block = (n: number, label = 'a'): BlockStamp => ({
    number: n,
    hash: keccak256(toHex(`${label}-${n}`)),
    timestamp: 1_790_000_000 + n * 2,
  });

  function fetcher(chain: Map<number, BlockStamp>, byHash: Map<Hex, BlockStamp> = new Map()) {
    const calls: string[] = [];
    return {
      calls,
      byNumber: async (n: number) => {
        calls.push(`number:${n}`);
        await new Promise((r) => setTimeout(r, 5));
        return chain.get(n) ?? null;
      },
      byHash: async (h: Hex) => {
        calls.push(`hash:${h}`);
        return byHash.get(h) ?? null;
      },
    };
  }

  it('fetches a block once however many logs ask for it at once, and not again after', async () => {
    const b = block(7);
    const f = fetcher(new Map([[7, b]]));
    const times = new BlockTimes();
    const got = await Promise.all([1, 2, 3].map(() => times.timeOf(7, b.hash, f)));
    expect(got).toEqual([b.timestamp, b.timestamp, b.timestamp]);
    expect(await times.timeOf(7, b.hash, f)).toBe(b.timestamp);
    expect(f.calls).toEqual(['number:7']);
    expect(times.fetches).toBe(1);
  });

  it('needs no fetch for a block it was told about (a head)', async () => {
    const b = block(9);
    const times = new BlockTimes();
    times.remember(b);
    const f = fetcher(new Map());
    expect(await times.timeOf(9, b.hash, f)).toBe(b.timestamp);
    expect(f.calls).toEqual([]);
  });

  it('asks by hash when the height now holds another block (a reorg since the log)', async () => {
    const old = block(5, 'old');
    const f = fetcher(new Map([[5, block(5, 'new')]]), new Map([[old.hash, old]]));
    expect(await new BlockTimes().timeOf(5, old.hash, f)).toBe(old.timestamp);
    expect(f.calls).toEqual(['number:5', `hash:${old.hash}`]);
  });

  it('rejects when the node has the block under neither, and tries again next time', async () => {
    const b = block(3);
    const chain = new Map<number, BlockStamp>();
    const f = fetcher(chain);
    const times = new BlockTimes();
    await expect(times.timeOf(3, b.hash, f)).rejects.toThrow(/not found/);
    chain.set(3, b);
    expect(await times.timeOf(3, b.hash, f)).toBe(b.timestamp);
  });

  it('forgets blocks far below the newest', async () => {
    const times = new BlockTimes(10);
    for (let n = 1; n <= 30; n++) times.remember(block(n));
    expect(times.known(block(1).hash)).toBeUndefined();
    expect(times.known(block(30).hash)).toBe(block(30).timestamp);
  });
});

describe('DeliveredLogs', () => {
  const h1 = keccak256(toHex('block-1'));
  const h1b = keccak256(toHex('block-1-other-branch'));

  it('delivers a fill once, a retraction once, and the fill again after it was retracted', () => {
    const d = new DeliveredLogs<string>();
    expect(d.recordFill(1, h1, 0, 'a')).toBe(true);
    expect(d.recordFill(1, h1.toUpperCase().replace('0X', '0x') as Hex, 0, 'a')).toBe(false);
    expect(d.recordRetraction(1, h1, 0)).toBe(true);
    expect(d.recordRetraction(1, h1, 0)).toBe(false);
    expect(d.recordFill(1, h1, 0, 'a')).toBe(true);
    expect(d.state(h1, 0)).toBe('fill');
    // The same height on another branch is another block.
    expect(d.recordFill(1, h1b, 0, 'b')).toBe(true);
  });

  it('lists the blocks of a height range holding fills not retracted, for the reconnect reorg check', () => {
    const d = new DeliveredLogs<string>();
    d.recordFill(1, h1, 0, 'a');
    d.recordFill(1, h1, 1, 'b');
    d.recordFill(2, keccak256(toHex('block-2')), 0, 'c');
    d.recordRetraction(1, h1, 1);
    expect(d.blocksWithFills(1, 1)).toEqual([{ number: 1, hash: h1, fills: ['a'] }]);
    expect(d.blocksWithFills(0, 10).map((b) => b.number)).toEqual([1, 2]);
  });

  it('forgets blocks far below the newest', () => {
    const d = new DeliveredLogs<string>(10);
    d.recordFill(1, h1, 0, 'a');
    d.recordFill(50, keccak256(toHex('block-50')), 0, 'z');
    expect(d.state(h1, 0)).toBeUndefined();
  });
});
