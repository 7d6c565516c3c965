import { describe, expect, it } from 'vitest';
import { parseMarketFrame } from '../../src/market-data/book/index.ts';
import { MALFORMED_FRAMES } from '../../src/sim/faults.ts';
import { readSample } from '../support/shape.ts';

const kinds = (text: string) => {
  const f = parseMarketFrame(text);
  return f.kind === 'keepalive' ? 'keepalive' : f.items.map((i) => i.kind);
};

describe('parseMarketFrame', () => {
  it('treats PONG and empty frames as keepalives', () => {
    expect(kinds('PONG')).toBe('keepalive');
    expect(kinds('')).toBe('keepalive');
  });

  it.each([
    'ws_market_book.json',
    'ws_market_price_change.json',
    'ws_market_price_change_legacy.json',
    'ws_market_last_trade_price.json',
    'ws_market_tick_size_change.json',
  ])('accepts the captured %s', (name) => {
    expect(kinds(JSON.stringify(readSample(name)))).toEqual(['message']);
  });

  it('judges each element of an array frame on its own, and ignores unknown event types', () => {
    const book = readSample('ws_market_book.json');
    const frame = JSON.stringify([
      book,
      { event_type: 'something_new' },
      { event_type: 'book', asset_id: '1' },
      7,
    ]);
    expect(kinds(frame)).toEqual(['message', 'ignored', 'bad', 'bad']);
  });

  it('refuses every frame of the malformed fault except the unknown event type, naming tokens where it can', () => {
    const all = MALFORMED_FRAMES.map(kinds);
    expect(all).toEqual([['bad'], ['bad'], ['bad'], ['bad'], ['ignored'], ['bad']]);
    const named = parseMarketFrame(
      '{"event_type":"price_change","market":"0x01","timestamp":"1","price_changes":[{"asset_id":"42","price":"2"}]}',
    );
    expect(named.kind === 'items' && named.items[0]).toMatchObject({ kind: 'bad', assetIds: ['42'] });
  });
});
