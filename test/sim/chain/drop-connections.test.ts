/**
 * The chain's drop fault: every websocket connection cut without a close frame, its subscriptions
 * gone, and the endpoint still serving new connections.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type Chain, startChain } from '../../../src/sim/chain/index.ts';
import { waitFor } from './support.ts';

let chain: Chain;
beforeAll(async () => {
  chain = await startChain({ blockTimeMs: 0 });
});
afterAll(async () => {
  await chain.stop();
});

async function subscribed(): Promise<{ ws: WebSocket; closeCode: Promise<number> }> {
  const ws = new WebSocket(chain.wsUrl);
  const closeCode = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newHeads'] }));
  return { ws, closeCode };
}

it('cuts every connection (abnormal close 1006), ends their subscriptions, and accepts new ones', async () => {
  const a = await subscribed();
  const b = await subscribed();
  await waitFor('two subscriptions', () => chain.subscriptionCount() === 2);

  expect(chain.dropConnections()).toBe(2);
  expect(await a.closeCode).toBe(1006);
  expect(await b.closeCode).toBe(1006);
  await waitFor('no subscriptions', () => chain.subscriptionCount() === 0);
  expect(chain.dropConnections()).toBe(0);

  const c = await subscribed();
  await waitFor('a new subscription', () => chain.subscriptionCount() === 1);
  const head = new Promise<unknown>((resolve) =>
    c.ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { method?: string; params?: { result: unknown } };
      if (msg.method === 'eth_subscription') resolve(msg.params?.result);
    }),
  );
  await chain.mineNow();
  expect(await head).toMatchObject({ number: expect.stringMatching(/^0x/) });
  c.ws.close();
  await c.closeCode;
});
