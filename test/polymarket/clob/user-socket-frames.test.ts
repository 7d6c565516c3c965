/** The user channel's frames as pure functions: parsing, the subscribe request, our side of a trade. */
import { describe, expect, it } from 'vitest';
import { wsUserTradeMessageSchema } from '../../../src/polymarket/clob/index.ts';
import {
  ourTradePart,
  parseUserFrame,
  userAddMarketsRequest,
  userSubscribeRequest,
} from '../../../src/polymarket/clob/user-socket-frames.ts';
import { readSample } from '../../support/shape.ts';

const order = readSample('ws_user_order_docs.json') as Record<string, unknown>;
const trade = readSample('ws_user_trade_docs.json') as Record<string, unknown>;

describe('parseUserFrame', () => {
  it.each(['PONG', 'pong', '', '  '])('%j is a keepalive', (text) => {
    expect(parseUserFrame(text)).toEqual({ kind: 'keepalive' });
  });

  it('reads an object or an array of them, judging each on its own', () => {
    const frame = parseUserFrame(JSON.stringify([order, { ...trade, status: 'SETTLED' }, trade]));
    expect(frame.kind).toBe('items');
    const items = frame.kind === 'items' ? frame.items : [];
    expect(items.map((i) => i.kind)).toEqual(['message', 'bad', 'message']);
    expect(items[1]).toMatchObject({ reason: expect.stringMatching(/^trade: status/) });
  });

  it.each([
    ['not JSON', 'not json at all', /not JSON/],
    ['a number', '42', /not a JSON object/],
    ['no event_type', '{"topic":"activity"}', /no event_type/],
    [
      'an unknown event_type',
      '{"event_type":"price_change","price_changes":[]}',
      /unknown event_type price_change/,
    ],
    ['an order with a bad field', JSON.stringify({ ...order, side: 'HOLD' }), /^order: side/],
  ])('%s is bad', (_name, text, reason) => {
    const frame = parseUserFrame(text);
    expect(frame).toEqual({
      kind: 'items',
      items: [{ kind: 'bad', reason: expect.stringMatching(reason), sample: expect.any(String) }],
    });
  });

  it('scrubs the sample and keeps it short', () => {
    const frame = parseUserFrame(`{"event_type":"oops","secret":"s3cr3t","pad":"${'x'.repeat(500)}"}`, (t) =>
      t.replaceAll('s3cr3t', '[secret]'),
    );
    const sample = frame.kind === 'items' && frame.items[0]?.kind === 'bad' ? frame.items[0].sample : '';
    expect(sample).toContain('[secret]');
    expect(sample).not.toContain('s3cr3t');
    expect(sample.length).toBeLessThan(260);
  });
});

describe('requests', () => {
  it('subscribes with the credentials themselves and the markets (none: all)', () => {
    const creds = { key: 'k', secret: 's', passphrase: 'p' };
    expect(JSON.parse(userSubscribeRequest(creds, ['0x01']))).toEqual({
      auth: { apiKey: 'k', secret: 's', passphrase: 'p' },
      markets: ['0x01'],
      assets_ids: [],
      type: 'user',
    });
    expect(JSON.parse(userSubscribeRequest(creds, []))).toMatchObject({ markets: [] });
    expect(JSON.parse(userAddMarketsRequest(['0x02']))).toEqual({
      operation: 'subscribe',
      markets: ['0x02'],
    });
  });
});

describe('ourTradePart', () => {
  const docs = wsUserTradeMessageSchema.parse(trade);
  const me = '9180014b-33c8-9240-a14b-bdca11c0a465';

  it('without trader_side, owning a maker order makes us the maker (the docs sample)', () => {
    expect(ourTradePart(docs, me)).toEqual({
      role: 'MAKER',
      takerOrderId: null,
      makerOrders: [docs.maker_orders[0]],
    });
  });

  it('as taker: our taker order, and only the maker orders we own', () => {
    const asTaker = { ...docs, trader_side: 'TAKER' as const };
    expect(ourTradePart(asTaker, 'someone-else')).toEqual({
      role: 'TAKER',
      takerOrderId: docs.taker_order_id,
      makerOrders: [],
    });
    // A self-trade: we took, and one of the makers was ours too.
    expect(ourTradePart(asTaker, me)).toMatchObject({ role: 'TAKER', makerOrders: [docs.maker_orders[0]] });
  });
});
