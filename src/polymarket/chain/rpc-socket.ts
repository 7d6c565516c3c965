/**
 * One JSON-RPC websocket connection to a Polygon node, through viem's socket RPC client (request
 * ids, response routing, `eth_subscription` dispatch) over a `ws` socket.
 *
 * What differs from viem's own `webSocket` transport, and why:
 * - no automatic reconnect and no keep-alive: the log subscriber owns the connection's life
 *   (backoff with jitter, a staleness watchdog, a gap fill), so it must see every drop;
 * - a key of its own: viem caches socket clients per URL, so two users of one URL would share (and
 *   close) each other's socket;
 * - every frame is checked before viem sees it: viem treats an unparseable frame as a socket error,
 *   which without reconnect clears all subscriptions; here it is counted and skipped.
 */
import { getSocketRpcClient, type Socket, type SocketRpcClient } from 'viem/utils';
import { type RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { describeError, PolyHunterError } from '../../core/errors.ts';
import { randomToken } from '../../core/ids.ts';

/** The node answered a request with a JSON-RPC error, or did not answer in time. */
export class ChainRpcError extends PolyHunterError {
  constructor(message: string, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super('CHAIN_RPC_ERROR', message, true, options);
  }
}

export interface RpcSocketOptions {
  url: string;
  /** Per request (and per subscribe). Default 10 s. */
  timeoutMs?: number;
  /** Opening handshake. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** A frame that is neither a JSON-RPC response nor a notification (it is skipped). */
  onBadFrame(sample: string, reason: string): void;
  /** Aborting gives up a connection still opening (a stop need not wait for a handshake timeout). */
  signal?: AbortSignal;
}

export interface RpcSocket {
  request<T>(method: string, params: readonly unknown[]): Promise<T>;
  /** `eth_subscribe`; resolves with the subscription id. `onResult` gets each notification's result. */
  subscribe(params: readonly unknown[], onResult: (result: unknown) => void): Promise<string>;
  unsubscribe(id: string): Promise<void>;
  /** True until the socket closes. */
  readonly open: boolean;
  /** Resolves when the socket has closed, for whatever reason. */
  readonly closed: Promise<void>;
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** viem's RpcResponse (not exported by viem): what its socket client hands to callbacks. */
type RpcResponse = Awaited<ReturnType<SocketRpcClient<WebSocket>['requestAsync']>>;

/** What a frame must look like before viem routes it (viem reads these fields unchecked). */
const frameSchema = z.union([
  z.object({
    method: z.literal('eth_subscription'),
    params: z.object({ subscription: z.string(), result: z.unknown() }),
  }),
  z.object({ id: z.union([z.number(), z.string(), z.null()]), result: z.unknown().optional() }),
  z.object({ id: z.union([z.number(), z.string(), z.null()]), error: z.object({}).loose() }),
]);

const rpcErrorSchema = z.object({ code: z.number().optional(), message: z.string() });

export async function openRpcSocket(options: RpcSocketOptions): Promise<RpcSocket> {
  const { url, onBadFrame } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let open = false;
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    markClosed = () => {
      open = false;
      resolve();
    };
  });

  const client = await getSocketRpcClient<WebSocket>({
    key: `polyhunter-chain-${randomToken(8)}`,
    url,
    reconnect: false,
    keepAlive: false,
    async getSocket({ onClose, onOpen, onResponse }) {
      const ws = new WebSocket(url, { handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_TIMEOUT_MS });
      // 'error' is always followed by 'close'; handled there.
      ws.on('error', () => {});
      const abandon = (): void => ws.terminate();
      options.signal?.addEventListener('abort', abandon, { once: true });
      try {
        await new Promise<void>((resolve, reject) => {
          if (options.signal?.aborted) ws.terminate();
          ws.once('open', () => resolve());
          ws.once('close', () => reject(new ChainRpcError(`cannot connect to ${redactUrl(url)}`)));
        });
      } finally {
        options.signal?.removeEventListener('abort', abandon);
      }
      open = true;
      onOpen();
      let closedOnce = false;
      const onClosed = (): void => {
        if (closedOnce) return;
        closedOnce = true;
        markClosed();
        onClose();
      };
      ws.on('close', onClosed);
      ws.on('message', (data: RawData) => {
        const text = rawText(data);
        if (text.trim() === '') return;
        let frame: unknown;
        try {
          frame = JSON.parse(text);
        } catch {
          onBadFrame(text.slice(0, 500), 'not JSON');
          return;
        }
        const checked = frameSchema.safeParse(frame);
        if (!checked.success) {
          onBadFrame(text.slice(0, 500), checked.error.issues[0]?.message ?? 'not a JSON-RPC frame');
          return;
        }
        onResponse(frame as RpcResponse);
      });
      return Object.assign(ws, {
        close() {
          // terminate: do not wait for a close handshake a dead peer will never answer.
          ws.terminate();
          onClosed();
        },
        request({ body }: { body: unknown }) {
          if (ws.readyState !== WebSocket.OPEN) throw new ChainRpcError('the chain socket is closed');
          ws.send(JSON.stringify(body));
        },
      }) as unknown as Socket<WebSocket>;
    },
  });

  const request = async <T>(method: string, params: readonly unknown[]): Promise<T> => {
    let response: RpcResponse;
    try {
      response = await client.requestAsync({ body: { method, params: [...params] }, timeout: timeoutMs });
    } catch (err) {
      throw new ChainRpcError(`${method} failed: ${describeError(err)}`, { cause: err });
    }
    if ('error' in response && response.error != null) throw rpcError(method, response.error);
    return (response as { result: T }).result;
  };

  return {
    request,
    subscribe(params, onResult) {
      return new Promise<string>((resolve, reject) => {
        let settled = false;
        const settle = (fn: () => void): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          fn();
        };
        const timer = setTimeout(
          () => settle(() => reject(new ChainRpcError(`eth_subscribe timed out after ${timeoutMs} ms`))),
          timeoutMs,
        );
        try {
          client.request({
            body: { method: 'eth_subscribe', params: [...params] },
            onError: (err) =>
              settle(() =>
                reject(new ChainRpcError(`eth_subscribe failed: ${describeError(err)}`, { cause: err })),
              ),
            onResponse(message: RpcResponse) {
              const m = message as { method?: string; params?: { result: unknown } };
              if (m.method === 'eth_subscription') {
                onResult(m.params?.result);
                return;
              }
              const r = message as { result?: unknown; error?: unknown };
              if (r.error != null) settle(() => reject(rpcError('eth_subscribe', r.error)));
              else if (typeof r.result === 'string') settle(() => resolve(r.result as string));
              else settle(() => reject(new ChainRpcError('eth_subscribe answered without an id')));
            },
          });
        } catch (err) {
          settle(() => reject(new ChainRpcError(`eth_subscribe failed: ${describeError(err)}`)));
        }
      });
    },
    async unsubscribe(id) {
      await request<boolean>('eth_unsubscribe', [id]);
    },
    get open() {
      return open;
    },
    closed,
    close() {
      // Also drops viem's cache entry for this key.
      client.close();
    },
  };
}

function rpcError(method: string, error: unknown): ChainRpcError {
  const parsed = rpcErrorSchema.safeParse(error);
  const message = parsed.success ? parsed.data.message : describeError(error);
  return new ChainRpcError(`${method}: ${message}`, { context: { error } });
}

/** Node URLs often carry an API key in the path or query: never log more than the origin. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(invalid url)';
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
