/**
 * The simulator's chain: settling matches on the in-process EVM and getting their logs to a
 * websocket subscriber.
 *
 * - submit: one settle transaction into the mempool (encode, sign in EDR, queue).
 * - block of 20: twenty one-maker settles sent, then mined as one block (ops = blocks).
 * - settle round trip: send, mine, wait until the settle's block is recorded.
 * - settle -> subscriber: send, mine, and wait for the match's OrdersMatched log on a raw
 *   websocket `eth_subscribe` (ops/s = 1 / latency).
 * - start + stop: a whole chain with the compiled contract cached.
 * Floors sit about 10x below this 2-core machine (measured over three runs: submit 3.7-5.5k/s,
 * block of 20 ~90-107/s (~2k settles/s), round trip ~710-880/s (mean ~2-2.7 ms), settle ->
 * subscriber ~630-990/s (mean ~2-2.5 ms), start + stop ~215-295/s).
 */
import { type Address, keccak256, toHex } from 'viem';
import { WebSocket } from 'ws';
import { EXCHANGE_TOPICS } from '../src/polymarket/chain/index.ts';
import { type ChainMatch, startChain } from '../src/sim/chain/index.ts';
import { suite } from './harness.ts';

const TAKER: Address = '0x92c9AD93BA0e400FfC8D716eDf70a588D246bdE3';
const MAKER: Address = '0xa253d75C2DfB2C6650291D5E8d54076D2fb40181';
const TOKEN = 0xcd997ada6ab1e2cc68c6566e5142cdc885a275d4fa5a1e13b3fdccf22a3f2340n;

let seq = 0;
function oneMakerMatch(): ChainMatch {
  const n = seq++;
  const fill = (label: string, maker: Address, side: 'BUY' | 'SELL') => ({
    orderHash: keccak256(toHex(`${label}-${n}`)),
    maker,
    side,
    tokenId: TOKEN,
    makerAmountFilled: side === 'BUY' ? 6_000_000n : 10_000_000n,
    takerAmountFilled: side === 'BUY' ? 10_000_000n : 6_000_000n,
  });
  return { exchange: 'standard', taker: fill('t', TAKER, 'BUY'), makers: [fill('m', MAKER, 'SELL')] };
}

const chain = await startChain({ blockTimeMs: 0 });
const ws = new WebSocket(chain.wsUrl);
await new Promise((resolve, reject) => {
  ws.once('open', resolve);
  ws.once('error', reject);
});
let onMatched: ((txHash: string) => void) | null = null;
ws.on('message', (data) => {
  const msg = JSON.parse(String(data)) as {
    method?: string;
    params?: { result: { transactionHash: string } };
  };
  if (msg.method === 'eth_subscription' && msg.params) onMatched?.(msg.params.result.transactionHash);
});
ws.send(
  JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'eth_subscribe',
    params: ['logs', { address: chain.exchanges.standard, topics: [EXCHANGE_TOPICS[2].OrdersMatched] }],
  }),
);
while (chain.subscriptionCount() === 0) await new Promise((resolve) => setTimeout(resolve, 5));

try {
  await suite(
    'sim chain (EDR)',
    [
      {
        name: 'submitMatch (1 maker, to mempool)',
        fn: () => chain.submitMatch(oneMakerMatch()),
        // Mine what the previous run queued, untimed, so the mempool stays small.
        beforeEach: async () => {
          if (seq % 200 === 0) await chain.mineNow();
        },
        minOpsPerSec: 350,
      },
      {
        name: 'block of 20 settles (1 maker each)',
        fn: async () => {
          const sent = Array.from({ length: 20 }, () => chain.settleMatch(oneMakerMatch()));
          await chain.mineNow();
          await Promise.all(sent);
        },
        minOpsPerSec: 10,
      },
      {
        name: 'settle round trip (send, mine, settled)',
        fn: async () => {
          const settled = chain.settleMatch(oneMakerMatch());
          await chain.mineNow();
          await settled;
        },
        minOpsPerSec: 70,
      },
      {
        name: 'settle -> ws subscriber (OrdersMatched)',
        fn: async () => {
          const { txHash } = await chain.submitMatch(oneMakerMatch());
          const received = new Promise<void>((resolve) => {
            onMatched = (hash) => {
              if (hash === txHash) resolve();
            };
          });
          await chain.mineNow();
          await received;
        },
        minOpsPerSec: 60,
      },
      {
        name: 'startChain + stop (cached contract)',
        fn: async () => {
          const c = await startChain({ blockTimeMs: 0 });
          await c.stop();
        },
        minOpsPerSec: 20,
      },
    ],
    1000,
  );
} finally {
  ws.close();
  await chain.stop();
}
