/** classifyRtdsFrame: keepalives, data messages and bad frames, on the real samples and the simulator's faults. */
import { describe, expect, it } from 'vitest';
import { classifyRtdsFrame, sampleOf } from '../../../src/polymarket/rtds/index.ts';
import { MALFORMED_FRAMES } from '../../../src/sim/faults.ts';
import { readSample } from '../../support/shape.ts';

const SAMPLE = readSample('rtds_activity_trades.json') as Record<string, unknown>[];
const first = SAMPLE[0]!;

describe('classifyRtdsFrame', () => {
  it.each(['', ' ', 'pong', 'PONG', 'ping', '\n'])('treats %j as a keepalive', (text) => {
    expect(classifyRtdsFrame(text)).toEqual({ kind: 'keepalive' });
  });

  it('validates every real sample as an activity trade, keeping the parsed JSON', () => {
    for (const m of SAMPLE) {
      const f = classifyRtdsFrame(JSON.stringify(m));
      expect(f.kind).toBe('activity_trade');
      if (f.kind !== 'activity_trade') continue;
      expect(f.json).toEqual(m);
      expect(f.message.payload.transactionHash).toBe(
        (m.payload as { transactionHash: string }).transactionHash,
      );
    }
  });

  it('accepts orders_matched with the same payload', () => {
    const f = classifyRtdsFrame(JSON.stringify({ ...first, type: 'orders_matched' }));
    expect(f).toMatchObject({ kind: 'activity_trade', message: { type: 'orders_matched' } });
  });

  it('passes other topics and activity types on as plain data', () => {
    const prices = {
      topic: 'crypto_prices',
      type: 'update',
      timestamp: 1_790_272_257_115,
      payload: { value: 1 },
    };
    expect(classifyRtdsFrame(JSON.stringify(prices))).toMatchObject({ kind: 'data', message: prices });
    const other = { ...first, type: 'something_new', payload: { x: 1 } };
    expect(classifyRtdsFrame(JSON.stringify(other)).kind).toBe('data');
  });

  it.each(MALFORMED_FRAMES.map((f) => [f]))('refuses the simulator malformed frame %s', (text) => {
    expect(classifyRtdsFrame(text).kind).toBe('bad');
  });

  it('refuses frames that break the contract, saying where', () => {
    const payload = first.payload as Record<string, unknown>;
    const cases: [unknown, RegExp][] = [
      [{ ...first, payload: undefined }, /envelope: payload/],
      [{ ...first, timestamp: 1_790_272_257 }, /envelope: timestamp/], // seconds where ms belong
      [
        { ...first, payload: { ...payload, timestamp: 1_790_272_257_115 } },
        /activity\/trades: payload.timestamp/,
      ],
      [{ ...first, payload: { ...payload, proxyWallet: '0xnot' } }, /payload.proxyWallet/],
      [{ ...first, payload: { ...payload, price: 1.5 } }, /payload.price/],
      [{ ...first, payload: { ...payload, side: 'HOLD' } }, /payload.side/],
      [{ ...first, payload: { ...payload, size: -1 } }, /payload.size/],
      [{ message: 'Invalid request body', statusCode: 400 }, /envelope/],
      [[first], /envelope/],
    ];
    for (const [value, reason] of cases) {
      const f = classifyRtdsFrame(JSON.stringify(value));
      expect(f.kind, JSON.stringify(value).slice(0, 80)).toBe('bad');
      if (f.kind === 'bad') expect(f.reason).toMatch(reason);
    }
    expect(classifyRtdsFrame('{"topic":')).toEqual({ kind: 'bad', reason: 'not JSON' });
  });
});

describe('sampleOf', () => {
  it('keeps short frames and cuts long ones, saying how long they were', () => {
    expect(sampleOf('abc')).toBe('abc');
    expect(sampleOf('x'.repeat(300))).toBe(`${'x'.repeat(200)}... (300 chars)`);
    expect(sampleOf('x'.repeat(20), 10)).toBe(`${'x'.repeat(10)}... (20 chars)`);
  });
});
