import { describe, expect, it } from 'vitest';
import { RtdsPartTracker } from '../../../../src/copy/sources/rtds/index.ts';

const L1 = '0x1111111111111111111111111111111111111111';
const L2 = '0x2222222222222222222222222222222222222222';
const TX = '0xabc';

describe('RtdsPartTracker', () => {
  it('numbers identical rows of one transaction in order, and distinct rows from 0 each', () => {
    const t = new RtdsPartTracker();
    expect(t.assign('trades', L1, TX, 'A', 0)).toEqual({ ordinal: 0, fresh: true });
    expect(t.assign('trades', L1, TX, 'A', 0)).toEqual({ ordinal: 1, fresh: true });
    expect(t.assign('trades', L1, TX, 'B', 0)).toEqual({ ordinal: 0, fresh: true });
    expect(t.assign('trades', L1, '0xdef', 'A', 0)).toEqual({ ordinal: 0, fresh: true });
    expect(t.assign('trades', L2, TX, 'A', 0)).toEqual({ ordinal: 0, fresh: true });
  });

  it('gives the other stream copy of a row the same part and marks it a repeat', () => {
    const t = new RtdsPartTracker();
    // As the simulator sends a taker's two identical rows: trades, orders_matched, trades, orders_matched.
    expect(t.assign('trades', L1, TX, 'A', 0)).toEqual({ ordinal: 0, fresh: true });
    expect(t.assign('orders_matched', L1, TX, 'A', 0)).toEqual({ ordinal: 0, fresh: false });
    expect(t.assign('trades', L1, TX, 'A', 0)).toEqual({ ordinal: 1, fresh: true });
    expect(t.assign('orders_matched', L1, TX, 'A', 0)).toEqual({ ordinal: 1, fresh: false });
    // Only orders_matched seen first: it is the fresh one, the trades copy the repeat.
    expect(t.assign('orders_matched', L1, '0x1', 'A', 0)).toEqual({ ordinal: 0, fresh: true });
    expect(t.assign('trades', L1, '0x1', 'A', 0)).toEqual({ ordinal: 0, fresh: false });
  });

  it('is case-insensitive on leader and tx hash', () => {
    const t = new RtdsPartTracker();
    t.assign('trades', L1, '0xABC', 'A', 0);
    expect(t.assign('orders_matched', L1.toUpperCase().replace('0X', '0x'), '0xabc', 'A', 0).fresh).toBe(
      false,
    );
  });

  it('forgets a transaction once it has been quiet for the retention time', () => {
    const t = new RtdsPartTracker(60_000);
    t.assign('trades', L1, TX, 'A', 0);
    t.assign('trades', L1, '0xnew', 'A', 50_000);
    expect(t.size).toBe(2);
    t.assign('trades', L1, '0xother', 'A', 60_001 + 15_000);
    expect(t.size).toBe(2); // TX dropped, 0xnew kept
    expect(t.assign('trades', L1, '0xnew', 'A', 75_001)).toEqual({ ordinal: 1, fresh: true });
  });
});
