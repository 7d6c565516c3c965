/**
 * The JSON-RPC endpoint in front of EDR, spoken to raw (fetch and ws): envelopes, batches,
 * malformed input, refused dev methods, subscriptions split one message per log.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { addressTopic, EXCHANGE_TOPICS } from '../../../src/polymarket/chain/index.ts';
import { type Chain, startChain } from '../../../src/sim/chain/index.ts';
import { ALICE, BOB, fill, LEADER, match, waitFor, YES } from './support.ts';

let chain: Chain;
beforeAll(async () => {
  chain = await startChain({ blockTimeMs: 0 });
});
afterAll(async () => {
  await chain.stop();
});

async function post(body: string | object): Promise<{ status: number; json: unknown }> {
  const res = await fetch(chain.httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
}

/** A raw websocket client that records every message it receives. */
async function connect(): Promise<{
  ws: WebSocket;
  messages: Record<string, unknown>[];
  close(): Promise<void>;
}> {
  const ws = new WebSocket(chain.wsUrl);
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

describe('HTTP JSON-RPC', () => {
  it('adds jsonrpc and echoes the id, and accepts a request without params', async () => {
    expect((await post({ jsonrpc: '2.0', id: 'abc', method: 'eth_chainId' })).json).toEqual({
      jsonrpc: '2.0',
      id: 'abc',
      result: '0x89',
    });
    expect((await post({ jsonrpc: '2.0', id: 7, method: 'net_version', params: [] })).json).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: '137',
    });
  });

  it('answers a batch element by element, errors included', async () => {
    const { json } = await post([
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
      { jsonrpc: '2.0', id: 2, method: 'nope_method' },
      { jsonrpc: '2.0', method: 'eth_blockNumber' },
      { jsonrpc: '2.0', id: 3, method: 'eth_blockNumber', params: [] },
      17,
    ]);
    expect(json).toEqual([
      { jsonrpc: '2.0', id: 1, result: '0x89' },
      { jsonrpc: '2.0', id: 2, error: { code: -32601, message: expect.stringContaining('nope_method') } },
      { jsonrpc: '2.0', id: 3, result: expect.stringMatching(/^0x/) },
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.any(String) } },
    ]);
  });

  it.each([
    ['malformed JSON', '{"jsonrpc": "2.0", "id": 1, "method": ', -32700],
    ['an empty batch', '[]', -32600],
    ['a string', '"eth_chainId"', -32600],
    ['a missing method', '{"jsonrpc":"2.0","id":1}', -32600],
    ['an object id', '{"jsonrpc":"2.0","id":{},"method":"eth_chainId"}', -32600],
    ['params as an object', '{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":{"a":1}}', -32602],
    ['bad params for EDR', '{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["nope"]}', -32602],
  ])('answers %s with a JSON-RPC error', async (_name, body, code) => {
    const { status, json } = await post(body);
    expect(status).toBe(200);
    expect(json).toMatchObject({ jsonrpc: '2.0', error: { code } });
  });

  it('answers a lone notification with 204 and no body', async () => {
    const { status, json } = await post({ jsonrpc: '2.0', method: 'eth_chainId' });
    expect(status).toBe(204);
    expect(json).toBeUndefined();
  });

  it.each([
    'evm_mine',
    'evm_snapshot',
    'evm_revert',
    'hardhat_setBalance',
    'hardhat_setCode',
    'eth_sendTransaction',
    'eth_sign',
    'debug_traceTransaction',
  ])('refuses the dev or signing method %s', async (method) => {
    const { json } = await post({ jsonrpc: '2.0', id: 1, method, params: [] });
    expect(json).toMatchObject({ error: { code: -32601 } });
  });

  it('offers no accounts and no subscriptions over HTTP', async () => {
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'eth_accounts' })).json).toMatchObject({
      result: [],
    });
    expect(
      (await post({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newHeads'] })).json,
    ).toMatchObject({
      error: { code: -32601, message: 'notifications not supported' },
    });
  });

  it('refuses GET and oversized bodies at the HTTP level', async () => {
    expect((await fetch(chain.httpUrl)).status).toBe(405);
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_chainId',
      params: ['x'.repeat(6 * 1024 * 1024)],
    });
    expect((await post(huge)).status).toBe(413);
  });

  it('binds 127.0.0.1', () => {
    expect(new URL(chain.httpUrl).hostname).toBe('127.0.0.1');
    expect(new URL(chain.wsUrl).hostname).toBe('127.0.0.1');
  });
});

describe('websocket JSON-RPC', () => {
  it('survives malformed input and keeps answering', async () => {
    const c = await connect();
    try {
      c.ws.send('not json');
      c.ws.send(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'eth_chainId' })), {
        binary: true,
      });
      c.ws.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 3,
          method: 'eth_subscribe',
          params: ['logs', { address: 'x' }],
        }),
      );
      c.ws.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 4,
          method: 'eth_subscribe',
          params: ['newPendingTransactions'],
        }),
      );
      c.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'eth_unsubscribe', params: [42] }));
      await waitFor('five replies', () => c.messages.length === 5);
      const byId = new Map(c.messages.map((m) => [m.id, m]));
      expect(byId.get(null)).toMatchObject({ error: { code: -32700 } });
      expect(byId.get(2)).toMatchObject({ result: '0x89' });
      expect(byId.get(3)).toMatchObject({
        error: { code: -32602, message: expect.stringContaining('address') },
      });
      expect(byId.get(4)).toMatchObject({ error: { code: -32602 } });
      expect(byId.get(5)).toMatchObject({ error: { code: -32602 } });
      expect(chain.subscriptionCount()).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('sends one eth_subscription message per log, filtered by topics, after the subscribe reply', async () => {
    const c = await connect();
    try {
      const filter = { topics: [EXCHANGE_TOPICS[2].OrderFilled, null, addressTopic(LEADER)] };
      // In a batch with another request: the reply comes first, then notifications.
      c.ws.send(
        JSON.stringify([
          { jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['logs', filter] },
          { jsonrpc: '2.0', id: 2, method: 'eth_subscribe', params: ['newHeads'] },
        ]),
      );
      await waitFor('subscribed', () => c.messages.length === 1 && chain.subscriptionCount() === 2);
      const [logsSub, headsSub] = (c.messages[0] as unknown as { result: string }[]).map((r) => r.result);
      expect(logsSub).toMatch(/^0x[0-9a-f]{32}$/);

      const pending = chain.settleMatch(
        match('standard', fill('t', ALICE, 'BUY', YES, 4_000_000n, 500_000n), [
          fill('m1', LEADER, 'SELL', YES, 1_000_000n, 500_000n),
          fill('m2', BOB, 'SELL', YES, 1_000_000n, 500_000n),
          fill('m3', LEADER, 'SELL', YES, 2_000_000n, 500_000n),
        ]),
      );
      await chain.mineNow();
      const settled = await pending;
      await waitFor('a head and two logs', () => c.messages.length === 4);
      const notes = c.messages.slice(1) as {
        method: string;
        params: { subscription: string; result: Record<string, unknown> };
      }[];
      expect(notes.every((n) => n.method === 'eth_subscription')).toBe(true);
      expect(notes[0]!.params).toMatchObject({
        subscription: headsSub,
        result: { number: '0x1', hash: settled.blockHash },
      });
      expect(notes[0]!.params.result.transactions).toBeUndefined();
      expect(notes.slice(1).map((n) => [n.params.subscription, n.params.result.logIndex])).toEqual([
        [logsSub, '0x0'],
        [logsSub, '0x2'],
      ]);
      expect(notes[1]!.params.result).toMatchObject({
        removed: false,
        blockTimestamp: `0x${settled.blockTimestamp.toString(16)}`,
        transactionHash: settled.txHash,
      });

      c.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'eth_unsubscribe', params: [logsSub] }));
      c.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'eth_unsubscribe', params: [logsSub] }));
      await waitFor('unsubscribed', () => c.messages.length === 6);
      expect(c.messages.slice(4).map((m) => m.result)).toEqual([true, false]);
      expect(chain.subscriptionCount()).toBe(1);
    } finally {
      await c.close();
    }
    await waitFor('subscriptions of the closed connection dropped', () => chain.subscriptionCount() === 0);
  });

  it("does not let one connection cancel another's subscription", async () => {
    const [c1, c2] = [await connect(), await connect()];
    try {
      c1.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newHeads'] }));
      await waitFor('subscribed', () => c1.messages.length === 1);
      const id = c1.messages[0]!.result;
      c2.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_unsubscribe', params: [id] }));
      await waitFor('answered', () => c2.messages.length === 1);
      expect(c2.messages[0]!.result).toBe(false);
      expect(chain.subscriptionCount()).toBe(1);
    } finally {
      await c1.close();
      await c2.close();
    }
  });
});
