/**
 * What the chain's JSON-RPC endpoint answers: the read side of a Polygon node, forwarded to EDR,
 * plus `eth_subscribe`/`eth_unsubscribe` served from the simulator's own subscription hub.
 *
 * Only listed methods are forwarded. EDR holds the operator's key and accepts dev methods
 * (`evm_*`, `hardhat_*`, `eth_sendTransaction`); a client reaching those could forge fills or
 * rewrite the chain behind the simulator's back, so they answer "method not found" like a real node.
 */
import { describeError } from '../../core/index.ts';
import type { EdrRpc } from './edr.ts';
import {
  errorResponse,
  type JsonRpcId,
  type JsonRpcRequest,
  type JsonRpcResponse,
  RPC_ERROR,
  RpcRequestError,
  resultResponse,
  toRequest,
} from './jsonrpc.ts';
import { parseLogFilter } from './log-filter.ts';
import type { NotificationSink, SubscriptionHub, SubscriptionKind } from './subscriptions.ts';

const FORWARDED = new Set([
  'eth_blockNumber',
  'eth_call',
  'eth_chainId',
  'eth_estimateGas',
  'eth_feeHistory',
  'eth_gasPrice',
  'eth_getBalance',
  'eth_getBlockByHash',
  'eth_getBlockByNumber',
  'eth_getBlockTransactionCountByHash',
  'eth_getBlockTransactionCountByNumber',
  'eth_getCode',
  'eth_getFilterChanges',
  'eth_getFilterLogs',
  'eth_getLogs',
  'eth_getStorageAt',
  'eth_getTransactionByBlockHashAndIndex',
  'eth_getTransactionByBlockNumberAndIndex',
  'eth_getTransactionByHash',
  'eth_getTransactionCount',
  'eth_getTransactionReceipt',
  'eth_maxPriorityFeePerGas',
  'eth_newBlockFilter',
  'eth_newFilter',
  'eth_sendRawTransaction',
  'eth_syncing',
  'eth_uninstallFilter',
  'net_listening',
  'net_version',
  'web3_clientVersion',
  'web3_sha3',
]);

/** Batches larger than this are refused whole (geth's default limit is 1000). */
export const MAX_BATCH = 1000;

/** A reply to one message, and what to do once it has been written. */
export interface HandledMessage {
  /** null when nothing is due (only notifications). */
  reply: JsonRpcResponse | JsonRpcResponse[] | null;
  /** Subscriptions to start after the reply is written. */
  afterReply: (() => void)[];
}

export class RpcHandler {
  readonly #edr: EdrRpc;
  readonly #hub: SubscriptionHub;

  constructor(edr: EdrRpc, hub: SubscriptionHub) {
    this.#edr = edr;
    this.#hub = hub;
  }

  /**
   * Answers one raw message (text). `sink` is the websocket connection, or null over HTTP where
   * subscriptions are not available.
   */
  async handleText(text: string, sink: NotificationSink | null): Promise<HandledMessage> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return {
        reply: errorResponse(null, { code: RPC_ERROR.parse, message: 'parse error' }),
        afterReply: [],
      };
    }
    return this.handleBody(body, sink);
  }

  async handleBody(body: unknown, sink: NotificationSink | null): Promise<HandledMessage> {
    const afterReply: (() => void)[] = [];
    if (!Array.isArray(body)) return { reply: await this.#handleOne(body, sink, afterReply), afterReply };
    if (body.length === 0) {
      return {
        reply: errorResponse(null, { code: RPC_ERROR.invalidRequest, message: 'empty batch' }),
        afterReply,
      };
    }
    if (body.length > MAX_BATCH) {
      return {
        reply: errorResponse(null, { code: RPC_ERROR.server, message: `batch too large (max ${MAX_BATCH})` }),
        afterReply,
      };
    }
    const replies = await Promise.all(body.map((item) => this.#handleOne(item, sink, afterReply)));
    const due = replies.filter((r): r is JsonRpcResponse => r !== null);
    return { reply: due.length === 0 ? null : due, afterReply };
  }

  async #handleOne(
    value: unknown,
    sink: NotificationSink | null,
    afterReply: (() => void)[],
  ): Promise<JsonRpcResponse | null> {
    const parsed = toRequest(value);
    if ('invalid' in parsed) return parsed.invalid;
    const { request } = parsed;
    const id: JsonRpcId = request.id ?? null;
    let response: JsonRpcResponse;
    try {
      response = await this.#dispatch(request, id, sink, afterReply);
    } catch (err) {
      const error =
        err instanceof RpcRequestError
          ? { code: err.code, message: err.message }
          : { code: RPC_ERROR.internal, message: `internal error: ${describeError(err)}` };
      response = errorResponse(id, error);
    }
    return request.id === undefined ? null : response;
  }

  async #dispatch(
    request: JsonRpcRequest,
    id: JsonRpcId,
    sink: NotificationSink | null,
    afterReply: (() => void)[],
  ): Promise<JsonRpcResponse> {
    const { method, params } = request;
    switch (method) {
      case 'eth_subscribe':
        return resultResponse(id, this.#subscribe(params, sink, afterReply));
      case 'eth_unsubscribe':
        return resultResponse(id, this.#unsubscribe(params, sink));
      // The node holds the simulator's key but offers no account to clients, like a public RPC.
      case 'eth_accounts':
        return resultResponse(id, []);
    }
    if (!FORWARDED.has(method)) {
      throw new RpcRequestError(
        RPC_ERROR.methodNotFound,
        `the method ${method} does not exist/is not available`,
      );
    }
    const outcome = await this.#edr.request(method, params);
    return 'error' in outcome ? errorResponse(id, outcome.error) : resultResponse(id, outcome.result);
  }

  #subscribe(params: unknown[], sink: NotificationSink | null, afterReply: (() => void)[]): string {
    if (sink === null) throw new RpcRequestError(RPC_ERROR.methodNotFound, 'notifications not supported');
    const [type, filter] = params;
    let kind: SubscriptionKind;
    if (type === 'newHeads') kind = { type: 'newHeads' };
    else if (type === 'logs') kind = { type: 'logs', filter: parseLogFilter(filter) };
    else
      throw new RpcRequestError(
        RPC_ERROR.invalidParams,
        `unsupported subscription type ${JSON.stringify(type)}`,
      );
    const subscriptionId = this.#hub.newId();
    afterReply.push(() => this.#hub.activate(subscriptionId, sink, kind));
    return subscriptionId;
  }

  #unsubscribe(params: unknown[], sink: NotificationSink | null): boolean {
    if (sink === null) throw new RpcRequestError(RPC_ERROR.methodNotFound, 'notifications not supported');
    const [subscriptionId] = params;
    if (typeof subscriptionId !== 'string') {
      throw new RpcRequestError(RPC_ERROR.invalidParams, 'expected a subscription id');
    }
    return this.#hub.remove(subscriptionId, sink);
  }
}
