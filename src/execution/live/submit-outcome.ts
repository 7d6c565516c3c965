/**
 * What a `POST /order` (or `/orders`) attempt means for the order, as a pure function of what came
 * back. Four answers:
 *
 * - accepted: `success: true` with the order id (its hash);
 * - rejected: the venue said no and kept nothing: `success: false`, or a documented 4xx with its
 *   message (400 order checks, 401 auth, 404, 413...);
 * - unknown: the venue may hold the order and we cannot tell: a timeout, a connection lost after
 *   the request went out, 425 (matching engine restarting), 5xx, a 2xx we cannot read, or a
 *   "Duplicated" refusal (the venue already has this very hash). The order stays SUBMITTED and is
 *   settled by reconciliation on its order hash; it is never blindly resent (design.md §3.3);
 * - retryable: the venue cannot have accepted it, so the identical signed order may go again:
 *   a connection refused or a name that did not resolve (no byte reached the venue), and 429.
 *
 * Why 429 is retryable: the venue's rate limiter (Cloudflare and the per-signer buckets, "batch
 * checks are all-or-nothing", api-reference.md §4.7) answers before the order reaches matching.
 * Belt and braces: a retry resends the same signed bytes, so the same order hash; were the first
 * attempt accepted after all, the venue would refuse the copy as a duplicate, which is classified
 * unknown, so one intent can never become two orders. When the retries run out on 429s the order
 * is left unknown (the rule for 429), and reconciliation finds it absent.
 */
import type { Hex } from 'viem';
import { parseMicro } from '../../core/decimal.ts';
import { describeError } from '../../core/errors.ts';
import type { Micro } from '../../core/money.ts';
import { type PostOrderStatus, postOrderResponseSchema } from '../../polymarket/clob/schemas/orders.ts';

/** One HTTP attempt as the transport saw it. */
export type SendResult =
  | {
      kind: 'response';
      status: number;
      /** Parsed JSON, or the text when the body is not JSON (a CDN's HTML page). */
      body: unknown;
      /** From Retry-After, when present. */
      retryAfterMs?: number;
    }
  /** The connection was never made (refused, DNS): nothing was sent. */
  | { kind: 'unreachable'; error: string }
  /** The request went out (or may have) and no answer came: reset, hang-up, abort. */
  | { kind: 'lost'; error: string }
  | { kind: 'timeout'; afterMs: number };

/** Machine codes of refusals: the venue's legacy codes where its message maps to one, else ours. */
export const REJECT_CODES = [
  'INVALID_ORDER_MIN_TICK_SIZE',
  'INVALID_ORDER_MIN_SIZE',
  'INVALID_ORDER_NOT_ENOUGH_BALANCE',
  'INVALID_ORDER_EXPIRATION',
  'INVALID_ORDER_PAYLOAD',
  'INVALID_PRICE',
  'INVALID_AMOUNTS',
  'INVALID_MARKETABLE_BUY_AMOUNT',
  'INVALID_POST_ONLY',
  'FOK_ORDER_NOT_FILLED_ERROR',
  'FAK_ORDER_NOT_FILLED_ERROR',
  'MARKET_NOT_READY',
  'MARKET_NOT_FOUND',
  'SIGNER_MISMATCH',
  'OWNER_MISMATCH',
  'INVALID_SIGNATURE',
  'UNAUTHORIZED',
  'ORDER_VERSION_MISMATCH',
  'TOO_MANY_ORDERS',
  /** Ours: the venue could not be reached, so nothing was sent. */
  'UNREACHABLE',
  /** Ours: the order failed a check before signing or sending (tick, size, expiration...). */
  'LOCAL_CHECK',
  /** Ours: something failed here before the order was sent (signing, headers). */
  'LOCAL_ERROR',
  /** Ours: tick size / neg risk could not be fetched, so the order could not be signed. */
  'MARKET_PARAMS_UNAVAILABLE',
  /** Ours: API credentials could not be created or derived. */
  'NO_API_KEY',
  /** A refusal whose text we do not recognise. */
  'VENUE_REJECTED',
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

export interface Accepted {
  kind: 'accepted';
  /** The venue's order id. */
  orderId: string;
  /** The hash we computed before sending; equal to orderId unless something is badly wrong. */
  orderHash: Hex;
  hashMatches: boolean;
  status: PostOrderStatus;
  /** What the order gave and got in its immediate match (BUY: pUSD then shares), when it matched. */
  makingAmount?: Micro;
  takingAmount?: Micro;
  tradeIds: string[];
  transactionHashes: string[];
}

export interface Rejected {
  kind: 'rejected';
  code: RejectCode;
  /** The venue's own words, or ours for a local refusal. */
  message: string;
  /** Refused here before anything was sent, or by the venue. */
  source: 'local' | 'venue';
  /** The HTTP status of a venue refusal. */
  status?: number;
}

export interface Unknown {
  kind: 'unknown';
  /** Reconcile on this: `/data/order/<hash>`, open orders, trades. */
  orderHash: Hex;
  error: string;
}

export type SubmitOutcome = Accepted | Rejected | Unknown;

export interface Retryable {
  kind: 'retryable';
  reason: 'rate-limited' | 'unreachable';
  retryAfterMs?: number;
  error: string;
}

export type Classified = SubmitOutcome | Retryable;

const KNOWN_CODES = new Set<string>(REJECT_CODES);

/** Message patterns of the venue's refusals (api-reference.md §4.3; the simulator uses the same texts). */
const MESSAGE_CODES: readonly (readonly [RegExp, RejectCode])[] = [
  [/breaks minimum tick size/i, 'INVALID_ORDER_MIN_TICK_SIZE'],
  [/lower than the minimum/i, 'INVALID_ORDER_MIN_SIZE'],
  [/not enough balance/i, 'INVALID_ORDER_NOT_ENOUGH_BALANCE'],
  [/invalid expiration/i, 'INVALID_ORDER_EXPIRATION'],
  [/invalid order payload/i, 'INVALID_ORDER_PAYLOAD'],
  [/marketable BUY/i, 'INVALID_MARKETABLE_BUY_AMOUNT'],
  [/invalid price/i, 'INVALID_PRICE'],
  [/invalid amounts/i, 'INVALID_AMOUNTS'],
  [/post-only/i, 'INVALID_POST_ONLY'],
  [/FOK orders are fully filled or killed/i, 'FOK_ORDER_NOT_FILLED_ERROR'],
  [/FAK orders are partially filled or killed/i, 'FAK_ORDER_NOT_FILLED_ERROR'],
  [/not yet ready/i, 'MARKET_NOT_READY'],
  [/orderbook .* does not exist|no orderbook exists/i, 'MARKET_NOT_FOUND'],
  [/signer address has to be/i, 'SIGNER_MISMATCH'],
  [/owner has to be the owner/i, 'OWNER_MISMATCH'],
  [/invalid signature/i, 'INVALID_SIGNATURE'],
  [/unauthorized|invalid api key/i, 'UNAUTHORIZED'],
  [/order_version_mismatch/i, 'ORDER_VERSION_MISMATCH'],
  [/too many orders/i, 'TOO_MANY_ORDERS'],
];

/** "Duplicated" means the venue already holds this hash: never a clean refusal. */
const DUPLICATED = /duplicated|INVALID_ORDER_DUPLICATED/i;

/** The code of a venue refusal: a legacy code named in the text, else the text's pattern. */
export function rejectCodeOf(message: string): RejectCode {
  const named = /\b[A-Z][A-Z_]{6,}\b/.exec(message)?.[0];
  if (named !== undefined && KNOWN_CODES.has(named)) return named as RejectCode;
  for (const [pattern, code] of MESSAGE_CODES) if (pattern.test(message)) return code;
  return 'VENUE_REJECTED';
}

/** The error text of a refusal body: `{"error": "..."}`, `{"errorMsg": "..."}`, or the text itself. */
export function errorTextOf(body: unknown): string {
  if (typeof body === 'string') return body.trim().slice(0, 500);
  if (body !== null && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of ['error', 'errorMsg', 'message']) {
      const value = record[key];
      if (typeof value === 'string' && value !== '') return value;
      if (value !== undefined && value !== null && typeof value !== 'string') return describeError(value);
    }
  }
  return describeError(body);
}

function amount(text: string | null | undefined): Micro | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    return parseMicro(text);
  } catch {
    return undefined;
  }
}

function unknown(orderHash: Hex, error: string): Unknown {
  return { kind: 'unknown', orderHash, error };
}

/** A venue refusal, unless it says the venue has the order already. */
function refusal(orderHash: Hex, message: string, status: number | undefined): Rejected | Unknown {
  if (DUPLICATED.test(message)) {
    return unknown(orderHash, `the venue already holds this order hash: ${message}`);
  }
  return {
    kind: 'rejected',
    code: rejectCodeOf(message),
    message,
    source: 'venue',
    ...(status === undefined ? {} : { status }),
  };
}

/** One entry of a post reply (the whole body of `/order`, an element of `/orders`). */
export function classifyEntry(entry: unknown, orderHash: Hex, status: number): SubmitOutcome {
  // A refusal needs only its flag and text: its other fields are often "" (status included), which
  // the full reply schema does not take.
  if (entry !== null && typeof entry === 'object' && (entry as { success?: unknown }).success === false) {
    const text = errorTextOf(entry);
    return refusal(orderHash, text === '{}' || text === '' ? 'refused without a reason' : text, status);
  }
  const parsed = postOrderResponseSchema.safeParse(entry);
  if (!parsed.success) {
    return unknown(orderHash, `a ${status} reply we cannot read: ${describeError(entry).slice(0, 200)}`);
  }
  const r = parsed.data;
  if (!r.success) return refusal(orderHash, r.errorMsg || 'refused without a reason', status);
  const orderId = r.orderID as string;
  const making = amount(r.makingAmount);
  const taking = amount(r.takingAmount);
  return {
    kind: 'accepted',
    orderId,
    orderHash,
    hashMatches: orderId.toLowerCase() === orderHash.toLowerCase(),
    // A success without a status is read as resting; reconciliation reads the real state.
    status: r.status ?? 'live',
    ...(making === undefined ? {} : { makingAmount: making }),
    ...(taking === undefined ? {} : { takingAmount: taking }),
    tradeIds: r.tradeIDs ?? [],
    transactionHashes: r.transactionsHashes ?? [],
  };
}

/** What a non-2xx status or a failed exchange means, whatever the body. Undefined for 2xx. */
function classifyFailure(result: SendResult, orderHash: Hex): Classified | undefined {
  switch (result.kind) {
    case 'unreachable':
      return { kind: 'retryable', reason: 'unreachable', error: result.error };
    case 'lost':
      return unknown(orderHash, `no reply after sending: ${result.error}`);
    case 'timeout':
      return unknown(orderHash, `no reply within ${result.afterMs} ms`);
    case 'response':
      break;
  }
  const { status, body } = result;
  if (status >= 200 && status < 300) return undefined;
  const text = errorTextOf(body);
  if (status === 429) {
    return {
      kind: 'retryable',
      reason: 'rate-limited',
      error: `429 ${text}`,
      ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }),
    };
  }
  // 408: the server gave up reading the request, 425: the engine restarts; neither says "not taken".
  if (status === 408 || status === 425 || status >= 500) return unknown(orderHash, `${status} ${text}`);
  if (status >= 400) return refusal(orderHash, text, status);
  // 1xx/3xx never answer a POST here; nothing can be concluded.
  return unknown(orderHash, `unexpected status ${status}: ${text}`);
}

/** A `POST /order` attempt. */
export function classifyPost(result: SendResult, orderHash: Hex): Classified {
  const failure = classifyFailure(result, orderHash);
  if (failure !== undefined) return failure;
  const { status, body } = result as Extract<SendResult, { kind: 'response' }>;
  return classifyEntry(body, orderHash, status);
}

/**
 * A `POST /orders` attempt: one outcome per order, in the order sent, or one retryable verdict for
 * the whole batch (the rate check is all-or-nothing, and so is a refused connection).
 */
export function classifyBatch(result: SendResult, orderHashes: readonly Hex[]): SubmitOutcome[] | Retryable {
  const first = orderHashes[0];
  if (first === undefined) return [];
  const failure = classifyFailure(result, first);
  if (failure?.kind === 'retryable') return failure;
  if (failure !== undefined) {
    // One verdict for every order: the same refusal, or unknown for each on its own hash.
    return orderHashes.map((hash) =>
      failure.kind === 'unknown' ? { ...failure, orderHash: hash } : failure,
    );
  }
  const { status, body } = result as Extract<SendResult, { kind: 'response' }>;
  if (!Array.isArray(body) || body.length !== orderHashes.length) {
    const error = `a ${status} batch reply that is not one entry per order`;
    return orderHashes.map((hash) => unknown(hash, error));
  }
  return orderHashes.map((hash, i) => classifyEntry(body[i], hash, status));
}
