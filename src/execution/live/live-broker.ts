/**
 * The live broker of one account on the CLOB, on the official `@polymarket/clob-client-v2`:
 * API keys (create or derive), orders built and signed by the client's OrderBuilder, FOK, FAK, GTC
 * and GTD orders one at a time or in batches of up to 15, cancels (one, many, all), order and trade
 * queries, and the order heartbeat.
 *
 * Rules it keeps (design.md §3, §7):
 * - An order's hash is computed from the signed order before anything is sent; `beforeSend` lets
 *   the caller commit it first, so a submit whose fate is unknown is reconciled on that hash.
 * - A submit ends accepted, rejected or unknown (submit-outcome.ts says which is which). It is
 *   retried only where the venue cannot have taken it (connection refused, 429), with the same
 *   signed bytes, with backoff of 1 s, 2 s, 4 s (at most 3 retries, never over 10 s). A timeout,
 *   425 or 5xx is unknown and is never resent.
 * - One execution at a time per signing wallet (signer-lock.ts), and per-signer token buckets keep
 *   order and cancel rates inside the venue's (signer-limits.ts).
 * - Credentials are returned to the caller to be stored encrypted; they are never logged.
 *
 * Signature types: 0 (EOA) trades from the key's own address; 1 (Polymarket proxy) and 2 (Safe)
 * need the funder wallet. Type 3 (deposit wallet) is refused by default: see DEPOSIT_WALLET_REFUSAL.
 */
import {
  ApiError,
  type Chain,
  type OrderType as ClientOrderType,
  ClobClient,
  createL2Headers,
  orderToJsonV2,
  type SignatureTypeV2,
} from '@polymarket/clob-client-v2';
import { type Address, getAddress, type Hex, isAddressEqual } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { ConfigError, describeError, ValidationError, VenueError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { isClobChainId } from '../../polymarket/clob/addresses.ts';
import type { ApiKeyCreds } from '../../polymarket/clob/auth.ts';
import type { SignatureType } from '../../polymarket/clob/order-v2.ts';
import {
  type CancelOrdersResponse,
  cancelOrdersResponseSchema,
} from '../../polymarket/clob/schemas/orders.ts';
import {
  heartbeatReplySchema,
  type OpenOrder,
  openOrderSchema,
  type Trade,
  tradeSchema,
} from '../../polymarket/clob/schemas/rest-orders.ts';
import { fromClientError, obtainApiCreds, withTimeout } from './api-creds.ts';
import { HeartbeatLoop, type HeartbeatStats } from './heartbeat.ts';
import { type MarketParams, MarketParamsCache } from './market-params.ts';
import { type LiveOrder, OrderSigner, type OrderTerms, type SignedLiveOrder } from './order-signer.ts';
import { defaultSignerRateLimits, monotonicMs, type SignerRateLimits } from './signer-limits.ts';
import { defaultSignerLocks, type SignerLocks } from './signer-lock.ts';
import {
  classifyBatch,
  classifyPost,
  type Rejected,
  type Retryable,
  type SendResult,
  type SubmitOutcome,
  type Unknown,
} from './submit-outcome.ts';
import { type FetchLike, send } from './transport.ts';

/** Orders per `POST /orders` (the venue's batch limit; api-reference.md §4.3). */
export const MAX_BATCH_ORDERS = 15;
/** Ids per `DELETE /orders` the venue takes. */
export const MAX_CANCEL_IDS = 3000;

/**
 * Why signature type 3 is refused. clob-client-v2 1.1.0 creates and derives API keys with L1
 * headers whose POLY_ADDRESS is the signing EOA (`createApiKey` does not pass the funder to
 * `createL1Headers`), so the key belongs to the EOA, while a type 3 order's signer is the deposit
 * wallet; the CLOB then refuses every order with "the order signer address has to be the address
 * of the API KEY" (Polymarket/clob-client-v2#66, #73; py-clob-client-v2#64, #70, #77). Passing
 * the wallet as POLY_ADDRESS does not help: the EOA's ECDSA signature does not recover to it and
 * the CLOB answers 401 "Invalid L1 Request headers" (py-clob-client-v2#58); no ERC-1271 L1 flow is
 * published. There is nothing the broker can sign that fixes it.
 */
export const DEPOSIT_WALLET_REFUSAL =
  'signature type 3 (deposit wallet) is refused: the official client registers the API key to the ' +
  'signing EOA, but a deposit-wallet order is signed for the wallet, so Polymarket rejects every ' +
  'order with "the order signer address has to be the address of the API KEY" ' +
  '(clob-client-v2#66, #73), and registering the key to the wallet fails L1 auth. Trade this ' +
  'account with signature type 1 or 2 if it has a proxy or Safe, or set ' +
  'allowDepositWalletWithEoaKey only for a venue known to accept EOA-bound keys for deposit ' +
  'wallets (the simulator; accounts Polymarket has enabled).';

export interface RetryPolicy {
  /** First delay, ms. */
  initialMs: number;
  /** No delay is longer, ms. */
  maxMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialMs: 1_000, maxMs: 10_000, maxRetries: 3 };

/** The delay before retry `attempt` (0-based): initial x 2^attempt, at least Retry-After, capped. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const exponential = policy.initialMs * 2 ** Math.min(attempt, 30);
  return Math.min(policy.maxMs, Math.max(exponential, retryAfterMs ?? 0));
}

export interface LiveBrokerOptions {
  clobUrl: string;
  chainId: number;
  privateKey: Hex;
  signatureType: SignatureType;
  /** The wallet holding the funds: required for types 1, 2 and 3; for type 0 it must be the EOA. */
  funder?: Address;
  /** Stored credentials; without them ensureApiCreds() derives or creates a key. */
  apiCreds?: ApiKeyCreds;
  clock: Clock;
  logger: Logger;
  /** Accept type 3 with an EOA-bound API key (see DEPOSIT_WALLET_REFUSAL). Default false. */
  allowDepositWalletWithEoaKey?: boolean;
  /** Per request, ms; default 10 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  rateLimits?: SignerRateLimits;
  locks?: SignerLocks;
  /** Order posting goes through this (default global fetch). */
  fetch?: FetchLike;
  heartbeatIntervalMs?: number;
  /** Beats between re-reads of our open orders (default 6: every 30 s). */
  heartbeatRefreshEvery?: number;
  marketParamsTtlMs?: number;
  /** The API key nonce (default 0). */
  apiKeyNonce?: number;
}

export interface SubmitHooks {
  /**
   * Called with the signed order and its hash before the first byte is sent, under the signer's
   * lock: persist the hash here. If it throws, nothing is sent and the outcome is a local refusal.
   */
  beforeSend?: (signed: SignedLiveOrder) => void | Promise<void>;
}

export interface BatchItem {
  order: LiveOrder;
  terms: OrderTerms;
}

export interface CancelResult {
  canceled: string[];
  /** Order id -> the venue's reason ("already canceled or matched"). */
  notCanceled: Record<string, string>;
}

export interface TradeQuery {
  /** Epoch ms; trades matched at or after it (the venue filters in whole seconds). */
  afterMs?: number;
  market?: string;
  tokenId?: string;
  id?: string;
}

function parseAll<T extends z.ZodType>(schema: T, rows: unknown, what: string): z.output<T>[] {
  if (!Array.isArray(rows)) throw new VenueError(`${what}: expected a list`, 200);
  return rows.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new VenueError(`${what}: row ${i} unreadable: ${parsed.error.message}`, 200);
    return parsed.data;
  });
}

function checkAccount(options: LiveBrokerOptions, eoa: Address): Address {
  if (!isClobChainId(options.chainId)) {
    throw new ConfigError(`the CLOB runs on chain 137 or 80002, not ${options.chainId}`);
  }
  const { signatureType, funder } = options;
  if (signatureType === 3 && options.allowDepositWalletWithEoaKey !== true) {
    throw new ConfigError(DEPOSIT_WALLET_REFUSAL);
  }
  if (signatureType === 0) {
    if (funder !== undefined && !isAddressEqual(funder, eoa)) {
      throw new ConfigError(
        `signature type 0 (EOA) trades from the key's own address ${eoa}; funder ${funder} needs type 1, 2 or 3`,
      );
    }
    return eoa;
  }
  if (funder === undefined) {
    throw new ConfigError(
      `signature type ${signatureType} needs the funder address (the ${
        signatureType === 1 ? 'proxy' : signatureType === 2 ? 'Safe' : 'deposit'
      } wallet that holds the funds)`,
    );
  }
  if (isAddressEqual(funder, eoa)) {
    throw new ConfigError(
      `signature type ${signatureType} needs a funder wallet distinct from the EOA ${eoa}`,
    );
  }
  return getAddress(funder);
}

export class LiveBroker {
  /** The signing EOA: the API key's owner. */
  readonly address: Address;
  /** The wallet that holds the funds (the maker of our orders). */
  readonly funder: Address;
  readonly signatureType: SignatureType;

  readonly #options: LiveBrokerOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #signer: OrderSigner;
  readonly #params: MarketParamsCache;
  readonly #limits: SignerRateLimits;
  readonly #locks: SignerLocks;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #heartbeat: HeartbeatLoop;
  readonly #refreshEvery: number;
  /** Ids of our orders that may rest on the book: the heartbeat runs while there are any. */
  readonly #resting = new Set<string>();
  #creds: ApiKeyCreds | undefined;
  #credsPending: Promise<ApiKeyCreds> | undefined;
  #l2: ClobClient | undefined;
  #beatsSinceRefresh = 0;

  constructor(options: LiveBrokerOptions) {
    this.#options = options;
    this.address = privateKeyToAccount(options.privateKey).address;
    this.funder = checkAccount(options, this.address);
    this.signatureType = options.signatureType;
    this.#signer = new OrderSigner({
      chainId: options.chainId as 137 | 80002,
      privateKey: options.privateKey,
      signatureType: options.signatureType,
      // Type 0 orders are made by the EOA itself: the builder must not be given a funder.
      ...(options.signatureType === 0 ? {} : { funder: this.funder }),
    });
    this.#clock = options.clock;
    this.#log = options.logger.child({ component: 'live-broker', signer: this.address });
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#limits = options.rateLimits ?? defaultSignerRateLimits;
    this.#locks = options.locks ?? defaultSignerLocks;
    this.#creds = options.apiCreds;
    this.#refreshEvery = options.heartbeatRefreshEvery ?? 6;
    this.#params = new MarketParamsCache({
      clobUrl: options.clobUrl,
      fetch: this.#fetch,
      now: () => monotonicMs(this.#clock),
      wallNow: () => this.#clock.now(),
      timeoutMs: this.#timeoutMs,
      ...(options.marketParamsTtlMs === undefined ? {} : { ttlMs: options.marketParamsTtlMs }),
    });
    this.#heartbeat = new HeartbeatLoop({
      clock: this.#clock,
      ...(options.heartbeatIntervalMs === undefined ? {} : { intervalMs: options.heartbeatIntervalMs }),
      beat: (id) => this.#beat(id),
      hasResting: () => this.#hasResting(),
      onError: (err) => this.#log.warn({ err: describeError(err) }, 'order heartbeat failed'),
    });
  }

  // ------------------------------------------------------------------ credentials

  /**
   * The account's L2 credentials: the stored ones, else derived (an existing key), else created.
   * The caller stores them encrypted; they are never logged here.
   */
  ensureApiCreds(): Promise<ApiKeyCreds> {
    if (this.#creds !== undefined) return Promise.resolve(this.#creds);
    this.#credsPending ??= this.#obtainCreds().finally(() => {
      this.#credsPending = undefined;
    });
    return this.#credsPending;
  }

  async #obtainCreds(): Promise<ApiKeyCreds> {
    const { creds, how } = await obtainApiCreds(
      this.#newClient(undefined),
      this.#options.apiKeyNonce ?? 0,
      this.#timeoutMs,
    );
    this.#creds = creds;
    this.#l2 = undefined;
    this.#log.info({ how }, 'API credentials ready');
    return this.#creds;
  }

  #newClient(creds: ApiKeyCreds | undefined): ClobClient {
    return new ClobClient({
      host: this.#options.clobUrl,
      chain: this.#options.chainId as Chain,
      signer: this.#signer.walletClient,
      signatureType: this.signatureType as SignatureTypeV2,
      ...(this.signatureType === 0 ? {} : { funderAddress: this.funder }),
      ...(creds === undefined ? {} : { creds }),
      throwOnError: true,
      // Never: the client would resend a POST after a 5xx or a lost connection.
      retryOnError: false,
    });
  }

  async #client(): Promise<ClobClient> {
    const creds = await this.ensureApiCreds();
    this.#l2 ??= this.#newClient(creds);
    return this.#l2;
  }

  async #call<T>(what: string, fn: (client: ClobClient) => Promise<T>): Promise<T> {
    const client = await this.#client();
    try {
      return await withTimeout(fn(client), this.#timeoutMs, what);
    } catch (err) {
      throw fromClientError(err, what);
    }
  }

  // ------------------------------------------------------------------ orders

  /** Tick size, neg risk and fees of a token (cached). */
  marketParams(tokenId: string): Promise<MarketParams> {
    return this.#params.get(tokenId);
  }

  /** Drops a token's cached params, e.g. on a `tick_size_change` message. */
  invalidateMarketParams(tokenId: string): void {
    this.#params.invalidate(tokenId);
  }

  /**
   * Builds and signs an order without sending it; its `orderHash` is the id the venue will give it.
   * Throws ValidationError when the order fails a local check, and the market-params errors.
   */
  async buildSigned(order: LiveOrder, terms: OrderTerms): Promise<SignedLiveOrder> {
    const params = await this.#params.get(order.tokenId);
    const result = await this.#signer.sign(order, terms, params, Math.floor(this.#clock.now() / 1000));
    if (!result.ok) throw new ValidationError(result.rejected.message);
    return result.signed;
  }

  /** Signs and posts one order. Never throws: every failure is an outcome. */
  submit(order: LiveOrder, terms: OrderTerms, hooks: SubmitHooks = {}): Promise<SubmitOutcome> {
    return this.#locks.run(this.address, async () => {
      const signed = await this.#signLocally(order, terms);
      if ('kind' in signed) return signed;
      const refused = await this.#runBeforeSend(hooks, signed);
      if (refused !== undefined) return refused;
      return this.#postOne(signed);
    });
  }

  /** Posts an order signed earlier by buildSigned (whose hash the caller has stored). */
  submitSigned(signed: SignedLiveOrder): Promise<SubmitOutcome> {
    return this.#locks.run(this.address, () => this.#postOne(signed));
  }

  /**
   * Signs and posts up to 15 orders in one `POST /orders`; one outcome per item, in order. Items
   * that fail a local check are refused without being sent. More than 15 throws before anything
   * is signed. `beforeSend` is called once per signed order.
   */
  postBatch(items: readonly BatchItem[], hooks: SubmitHooks = {}): Promise<SubmitOutcome[]> {
    if (items.length > MAX_BATCH_ORDERS) {
      return Promise.reject(
        new ValidationError(`a batch holds at most ${MAX_BATCH_ORDERS} orders, got ${items.length}`),
      );
    }
    if (items.length === 0) return Promise.resolve([]);
    return this.#locks.run(this.address, async () => {
      const outcomes: (SubmitOutcome | undefined)[] = [];
      const toSend: { index: number; signed: SignedLiveOrder }[] = [];
      for (const [index, item] of items.entries()) {
        const signed = await this.#signLocally(item.order, item.terms);
        if ('kind' in signed) {
          outcomes[index] = signed;
          continue;
        }
        const refused = await this.#runBeforeSend(hooks, signed);
        if (refused !== undefined) outcomes[index] = refused;
        else toSend.push({ index, signed });
      }
      if (toSend.length > 0) {
        const sent = await this.#postMany(toSend.map((s) => s.signed));
        toSend.forEach((s, i) => {
          outcomes[s.index] = sent[i];
        });
      }
      return outcomes as SubmitOutcome[];
    });
  }

  async #signLocally(order: LiveOrder, terms: OrderTerms): Promise<SignedLiveOrder | Rejected> {
    let params: MarketParams;
    try {
      params = await this.#params.get(order.tokenId);
    } catch (err) {
      return {
        kind: 'rejected',
        code: 'MARKET_PARAMS_UNAVAILABLE',
        message: `tick size and neg risk of ${order.tokenId} unavailable: ${describeError(err)}`,
        source: 'local',
      };
    }
    try {
      const result = await this.#signer.sign(order, terms, params, Math.floor(this.#clock.now() / 1000));
      return result.ok ? result.signed : result.rejected;
    } catch (err) {
      return {
        kind: 'rejected',
        code: 'LOCAL_ERROR',
        message: `not signed: ${describeError(err)}`,
        source: 'local',
      };
    }
  }

  async #runBeforeSend(hooks: SubmitHooks, signed: SignedLiveOrder): Promise<Rejected | undefined> {
    if (hooks.beforeSend === undefined) return undefined;
    try {
      await hooks.beforeSend(signed);
      return undefined;
    } catch (err) {
      return {
        kind: 'rejected',
        code: 'LOCAL_CHECK',
        message: `not sent: beforeSend failed: ${describeError(err)}`,
        source: 'local',
      };
    }
  }

  async #postOne(signed: SignedLiveOrder): Promise<SubmitOutcome> {
    let creds: ApiKeyCreds;
    try {
      creds = await this.ensureApiCreds();
    } catch (err) {
      return { kind: 'rejected', code: 'NO_API_KEY', message: describeError(err), source: 'local' };
    }
    const body = JSON.stringify(
      orderToJsonV2(signed.clientOrder, creds.key, signed.orderType as ClientOrderType, signed.postOnly),
    );
    const result = await this.#postWithRetry('/order', body, 1, creds, (r) =>
      classifyPost(r, signed.orderHash),
    );
    const outcome = this.#settleRetry(result, signed.orderHash);
    this.#afterOutcome(signed, outcome);
    return outcome;
  }

  async #postMany(signed: readonly SignedLiveOrder[]): Promise<SubmitOutcome[]> {
    let creds: ApiKeyCreds;
    try {
      creds = await this.ensureApiCreds();
    } catch (err) {
      const refused: Rejected = {
        kind: 'rejected',
        code: 'NO_API_KEY',
        message: describeError(err),
        source: 'local',
      };
      return signed.map(() => refused);
    }
    const body = JSON.stringify(
      signed.map((s) => orderToJsonV2(s.clientOrder, creds.key, s.orderType as ClientOrderType, s.postOnly)),
    );
    const hashes = signed.map((s) => s.orderHash);
    const result = await this.#postWithRetry('/orders', body, signed.length, creds, (r) =>
      classifyBatch(r, hashes),
    );
    const outcomes = Array.isArray(result) ? result : hashes.map((hash) => this.#settleRetry(result, hash));
    for (const [i, outcome] of outcomes.entries()) this.#afterOutcome(signed[i]!, outcome);
    return outcomes;
  }

  /** Posts `body`, retrying only verdicts where the venue cannot have taken the order(s). */
  async #postWithRetry<T>(
    path: '/order' | '/orders',
    body: string,
    orders: number,
    creds: ApiKeyCreds,
    classify: (result: SendResult) => T | Retryable,
  ): Promise<T | Retryable | Rejected> {
    const url = `${this.#options.clobUrl.replace(/\/$/, '')}${path}`;
    for (let attempt = 0; ; attempt++) {
      let headers: Record<string, string>;
      try {
        await this.#limits.acquire(this.address, 'order', orders, this.#clock);
        // Fresh headers each attempt (the HMAC covers the timestamp); the body never changes.
        headers = (await createL2Headers(this.#signer.walletClient, creds, {
          method: 'POST',
          requestPath: path,
          body,
        })) as unknown as Record<string, string>;
      } catch (err) {
        // Before this attempt's first byte, and any earlier attempt was one the venue did not take.
        return {
          kind: 'rejected',
          code: 'LOCAL_ERROR',
          message: `not sent: ${describeError(err)}`,
          source: 'local',
        };
      }
      const result = await send({
        url,
        method: 'POST',
        headers,
        body,
        timeoutMs: this.#timeoutMs,
        fetch: this.#fetch,
        now: () => this.#clock.now(),
      });
      const verdict = classify(result);
      const retryable = (verdict as Retryable).kind === 'retryable' ? (verdict as Retryable) : undefined;
      if (retryable === undefined || attempt >= this.#retry.maxRetries) return verdict;
      const delay = retryDelayMs(this.#retry, attempt, retryable.retryAfterMs);
      this.#log.warn(
        { path, attempt: attempt + 1, delayMs: delay, reason: retryable.reason, error: retryable.error },
        'order post not taken by the venue; retrying the same signed order',
      );
      await this.#clock.sleep(delay);
    }
  }

  /** A verdict still retryable after the last retry: 429 stays unknown, unreachable is refused. */
  #settleRetry(verdict: SubmitOutcome | Retryable, orderHash: Hex): SubmitOutcome {
    if (verdict.kind !== 'retryable') return verdict;
    if (verdict.reason === 'unreachable') {
      return {
        kind: 'rejected',
        code: 'UNREACHABLE',
        message: `the venue could not be reached, nothing was sent: ${verdict.error}`,
        source: 'local',
      };
    }
    const unknown: Unknown = {
      kind: 'unknown',
      orderHash,
      error: `still rate limited after ${this.#retry.maxRetries} retries: ${verdict.error}`,
    };
    return unknown;
  }

  #afterOutcome(signed: SignedLiveOrder, outcome: SubmitOutcome): void {
    const fields = {
      orderHash: signed.orderHash,
      orderType: signed.orderType,
      tokenId: signed.order.tokenId,
    };
    switch (outcome.kind) {
      case 'accepted': {
        if (!outcome.hashMatches) {
          this.#log.error(
            { ...fields, orderId: outcome.orderId },
            'the venue reports another order id than the hash computed before sending',
          );
        }
        this.#log.info({ ...fields, status: outcome.status }, 'order accepted');
        if (mayRest(signed, outcome)) this.#noteResting(outcome.orderId);
        break;
      }
      case 'rejected':
        this.#log.info({ ...fields, code: outcome.code, message: outcome.message }, 'order rejected');
        // The venue's tick moved: the next order must be built on the new one.
        if (outcome.code === 'INVALID_ORDER_MIN_TICK_SIZE') this.#params.invalidate(signed.order.tokenId);
        break;
      case 'unknown':
        this.#log.warn({ ...fields, error: outcome.error }, 'order fate unknown; reconcile on its hash');
        // It may rest: keep the heartbeat going until a refresh of open orders says otherwise.
        if (signed.orderType === 'GTC' || signed.orderType === 'GTD') this.#noteResting(outcome.orderHash);
        break;
    }
  }

  #noteResting(orderId: string): void {
    this.#resting.add(orderId.toLowerCase());
    this.#heartbeat.wake();
  }

  // ------------------------------------------------------------------ cancels

  /** Cancels one order. Throws on failure (a cancel may be retried: it is idempotent). */
  async cancel(orderId: string): Promise<CancelResult> {
    await this.#limits.acquire(this.address, 'cancel', 1, this.#clock);
    return this.#cancelled(await this.#call('cancel order', (c) => c.cancelOrder({ orderID: orderId })));
  }

  /** Cancels many orders (in requests of up to 3000 ids). */
  async cancelMany(orderIds: readonly string[]): Promise<CancelResult> {
    const merged: CancelResult = { canceled: [], notCanceled: {} };
    const ids = [...new Set(orderIds)];
    for (let i = 0; i < ids.length; i += MAX_CANCEL_IDS) {
      const chunk = ids.slice(i, i + MAX_CANCEL_IDS);
      await this.#limits.acquire(this.address, 'cancel', chunk.length, this.#clock);
      const result = this.#cancelled(await this.#call('cancel orders', (c) => c.cancelOrders(chunk)));
      merged.canceled.push(...result.canceled);
      Object.assign(merged.notCanceled, result.notCanceled);
    }
    return merged;
  }

  /** Cancels every open order of this account's API key. */
  async cancelAll(): Promise<CancelResult> {
    await this.#limits.acquire(this.address, 'cancel', 1, this.#clock);
    const result = this.#cancelled(await this.#call('cancel all', (c) => c.cancelAll()));
    this.#resting.clear();
    return result;
  }

  #cancelled(reply: unknown): CancelResult {
    const parsed = cancelOrdersResponseSchema.safeParse(reply);
    if (!parsed.success) throw new VenueError(`cancel: unreadable reply: ${parsed.error.message}`, 200);
    const r: CancelOrdersResponse = parsed.data;
    // Canceled or not (already matched, cancelled, unknown), none of these rests any more.
    for (const id of [...r.canceled, ...Object.keys(r.not_canceled)]) this.#resting.delete(id.toLowerCase());
    return { canceled: r.canceled, notCanceled: r.not_canceled };
  }

  // ------------------------------------------------------------------ queries

  /** Our open orders (resting or delayed), every page. */
  async openOrders(filter: { market?: string; tokenId?: string } = {}): Promise<OpenOrder[]> {
    const params = {
      ...(filter.market === undefined ? {} : { market: filter.market }),
      ...(filter.tokenId === undefined ? {} : { asset_id: filter.tokenId }),
    };
    const rows = await this.#call('open orders', (c) => c.getOpenOrders(params));
    return parseAll(openOrderSchema, rows, 'open orders');
  }

  /** One of our orders in any state, or null when the venue does not know it (reconciliation). */
  async order(orderId: string): Promise<OpenOrder | null> {
    try {
      const row = await this.#call('order', (c) => c.getOrder(orderId));
      // An unknown id: the simulator answers 404; an empty 200 body (UNCONFIRMED on Polymarket) counts too.
      if (row === null || row === undefined || (row as unknown) === '') return null;
      const parsed = openOrderSchema.safeParse(row);
      if (!parsed.success) throw new VenueError(`order ${orderId}: unreadable reply`, 200);
      return parsed.data;
    } catch (err) {
      if (err instanceof VenueError && err.status === 404) return null;
      throw err;
    }
  }

  /** Our trades, newest first, every page. */
  async trades(query: TradeQuery = {}): Promise<Trade[]> {
    const params = {
      ...(query.afterMs === undefined ? {} : { after: String(Math.floor(query.afterMs / 1000)) }),
      ...(query.market === undefined ? {} : { market: query.market }),
      ...(query.tokenId === undefined ? {} : { asset_id: query.tokenId }),
      ...(query.id === undefined ? {} : { id: query.id }),
    };
    const rows = await this.#call('trades', (c) => c.getTrades(params));
    return parseAll(tradeSchema, rows, 'trades');
  }

  // ------------------------------------------------------------------ heartbeat and stop

  /** Beats every 5 s while our orders rest (and wakes up when one starts resting). */
  startHeartbeat(): void {
    this.#heartbeat.start();
  }

  stopHeartbeat(): void {
    this.#heartbeat.stop();
  }

  get heartbeat(): HeartbeatStats {
    return this.#heartbeat.stats;
  }

  /** Ids of our orders that may rest, as far as this broker knows. */
  restingOrderIds(): string[] {
    return [...this.#resting];
  }

  /** Stops the heartbeat and cancels every resting order of the account: the stop of a run. */
  async shutdown(): Promise<CancelResult> {
    this.#heartbeat.stop();
    return this.cancelAll();
  }

  /** Whether to beat: our resting set, re-read from the venue every few beats. */
  async #hasResting(): Promise<boolean> {
    if (this.#resting.size === 0) return false;
    if (++this.#beatsSinceRefresh >= this.#refreshEvery) {
      this.#beatsSinceRefresh = 0;
      await this.#refreshResting();
    }
    return this.#resting.size > 0;
  }

  async #beat(id: string): Promise<string> {
    const client = await this.#client();
    try {
      return await this.#postBeat(client, id);
    } catch (err) {
      // A stale or wrong id: the venue names the current one; carry on with it at once.
      const current = err instanceof ApiError ? heartbeatReplySchema.safeParse(err.data) : undefined;
      if (current?.success) return this.#postBeat(client, current.data.heartbeat_id);
      throw fromClientError(err, 'heartbeat');
    }
  }

  async #postBeat(client: ClobClient, id: string): Promise<string> {
    const reply = await withTimeout(client.postHeartbeat(id), this.#timeoutMs, 'heartbeat');
    const parsed = heartbeatReplySchema.safeParse(reply);
    if (!parsed.success) throw new VenueError('heartbeat: unreadable reply', 200);
    return parsed.data.heartbeat_id;
  }

  /** Our resting set from the venue: fills, expiries and lapses happen without telling us. */
  async #refreshResting(): Promise<void> {
    try {
      const open = await this.openOrders();
      this.#resting.clear();
      for (const o of open) this.#resting.add(o.id.toLowerCase());
    } catch (err) {
      this.#log.warn({ err: describeError(err) }, 'could not refresh open orders for the heartbeat');
    }
  }
}

/** Whether an accepted order may now rest: a limit order that did not fill at once in full. */
function mayRest(signed: SignedLiveOrder, outcome: Extract<SubmitOutcome, { kind: 'accepted' }>): boolean {
  if (outcome.status === 'delayed') return true;
  if (signed.orderType !== 'GTC' && signed.orderType !== 'GTD') return false;
  if (outcome.status === 'live' || outcome.status === 'unmatched') return true;
  // matched: rests only if it gave less than all it offered.
  return outcome.makingAmount === undefined || outcome.makingAmount < signed.makerAmount;
}
