import { describe, expect, it } from 'vitest';
import {
  classifyBatch,
  classifyPost,
  rejectCodeOf,
  type SendResult,
} from '../../../src/execution/live/submit-outcome.ts';

const HASH = `0x${'ab'.repeat(32)}` as const;
const OTHER = `0x${'cd'.repeat(32)}` as const;
const response = (status: number, body: unknown, retryAfterMs?: number): SendResult => ({
  kind: 'response',
  status,
  body,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});
const ok = (over: Record<string, unknown> = {}) => ({
  success: true,
  errorMsg: '',
  orderID: HASH,
  status: 'live',
  takingAmount: '',
  makingAmount: '',
  transactionsHashes: [],
  tradeIDs: [],
  ...over,
});

describe('classifyPost', () => {
  it.each([
    ['success', response(200, ok()), 'accepted'],
    [
      'success=false',
      response(200, { success: false, errorMsg: 'not enough balance / allowance' }),
      'rejected',
    ],
    [
      '400 with the venue message',
      response(400, { error: 'invalid price, price must be greater than 0 and less than 1' }),
      'rejected',
    ],
    ['401', response(401, { error: 'Unauthorized/Invalid api key' }), 'rejected'],
    ['404', response(404, { error: 'No orderbook exists for the requested token id' }), 'rejected'],
    [
      '400 Duplicated: the venue has it',
      response(400, { error: `order ${HASH} is invalid. Duplicated.` }),
      'unknown',
    ],
    ['408', response(408, 'Request Timeout'), 'unknown'],
    ['425 engine restarting', response(425, { error: 'RESTARTING' }), 'unknown'],
    ['500', response(500, { error: 'could not run the execution' }), 'unknown'],
    ['502 HTML from the CDN', response(502, '<html>502 Bad Gateway</html>'), 'unknown'],
    ['503', response(503, { error: 'Trading is currently disabled' }), 'unknown'],
    ['200 we cannot read', response(200, '<html>ok</html>'), 'unknown'],
    ['200 success without an id', response(200, { success: true, orderID: null }), 'unknown'],
    ['timeout', { kind: 'timeout', afterMs: 10_000 }, 'unknown'],
    ['connection lost after sending', { kind: 'lost', error: 'ECONNRESET' }, 'unknown'],
    ['429', response(429, { error: 'Too Many Requests' }, 1000), 'retryable'],
    ['connection refused', { kind: 'unreachable', error: 'ECONNREFUSED' }, 'retryable'],
  ] as [string, SendResult, string][])('%s -> %s', (_, result, kind) => {
    const c = classifyPost(result, HASH);
    expect(c.kind).toBe(kind);
    if (c.kind === 'unknown') expect(c.orderHash).toBe(HASH);
  });

  it('keeps the venue message and status of a refusal', () => {
    expect(
      classifyPost(
        response(400, {
          error:
            'not enough balance / allowance: the balance is not enough -> balance: 0, order amount: 5000000',
        }),
        HASH,
      ),
    ).toEqual({
      kind: 'rejected',
      code: 'INVALID_ORDER_NOT_ENOUGH_BALANCE',
      message:
        'not enough balance / allowance: the balance is not enough -> balance: 0, order amount: 5000000',
      source: 'venue',
      status: 400,
    });
  });

  it('reads the immediate match in micro-units and checks the id against the local hash', () => {
    expect(
      classifyPost(
        response(200, ok({ status: 'matched', makingAmount: '6', takingAmount: '10', tradeIDs: ['t1'] })),
        HASH,
      ),
    ).toEqual({
      kind: 'accepted',
      orderId: HASH,
      orderHash: HASH,
      hashMatches: true,
      status: 'matched',
      makingAmount: 6_000_000,
      takingAmount: 10_000_000,
      tradeIds: ['t1'],
      transactionHashes: [],
    });
    expect(classifyPost(response(200, ok({ orderID: OTHER })), HASH)).toMatchObject({
      kind: 'accepted',
      orderId: OTHER,
      hashMatches: false,
    });
  });

  it('passes Retry-After on', () => {
    expect(classifyPost(response(429, { error: 'Too Many Requests' }, 1000), HASH)).toEqual({
      kind: 'retryable',
      reason: 'rate-limited',
      retryAfterMs: 1000,
      error: '429 Too Many Requests',
    });
  });
});

describe('rejectCodeOf', () => {
  it.each([
    [
      'order 0x1 is invalid. Price (0.555) breaks minimum tick size rule: 0.01',
      'INVALID_ORDER_MIN_TICK_SIZE',
    ],
    ['order 0x1 is invalid. Size (1) lower than the minimum: 5', 'INVALID_ORDER_MIN_SIZE'],
    ["order couldn't be fully filled. FOK orders are fully filled or killed.", 'FOK_ORDER_NOT_FILLED_ERROR'],
    [
      'no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found.',
      'FAK_ORDER_NOT_FILLED_ERROR',
    ],
    ['invalid amount for a marketable BUY order ($0.84), min size: $1', 'INVALID_MARKETABLE_BUY_AMOUNT'],
    [
      'invalid amounts, the market buy orders maker amount supports a max accuracy of 2 decimals',
      'INVALID_AMOUNTS',
    ],
    ['the order signer address has to be the address of the API KEY', 'SIGNER_MISMATCH'],
    ['INVALID_ORDER_EXPIRATION', 'INVALID_ORDER_EXPIRATION'],
    ['the orderbook 123 does not exist', 'MARKET_NOT_FOUND'],
    ['order_version_mismatch', 'ORDER_VERSION_MISMATCH'],
    ['something new', 'VENUE_REJECTED'],
  ])('%s -> %s', (message, code) => {
    expect(rejectCodeOf(message)).toBe(code);
  });
});

describe('classifyBatch', () => {
  it('one outcome per order, in order', () => {
    const out = classifyBatch(
      response(200, [ok(), { success: false, errorMsg: 'invalid expiration', orderID: '' }]),
      [HASH, OTHER],
    );
    expect(Array.isArray(out) && out.map((o) => o.kind)).toEqual(['accepted', 'rejected']);
  });

  it('a 5xx leaves every order unknown on its own hash; a 429 retries the batch', () => {
    const unknown = classifyBatch(response(500, { error: 'x' }), [HASH, OTHER]);
    expect(unknown).toEqual([
      expect.objectContaining({ kind: 'unknown', orderHash: HASH }),
      expect.objectContaining({ kind: 'unknown', orderHash: OTHER }),
    ]);
    expect(classifyBatch(response(429, {}), [HASH, OTHER])).toMatchObject({ kind: 'retryable' });
  });

  it('a reply that does not match the orders sent is unknown for all', () => {
    expect(classifyBatch(response(200, [ok()]), [HASH, OTHER])).toEqual([
      expect.objectContaining({ kind: 'unknown', orderHash: HASH }),
      expect.objectContaining({ kind: 'unknown', orderHash: OTHER }),
    ]);
  });
});
