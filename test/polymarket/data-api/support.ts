/**
 * Helpers for Data API tests: fills published straight into a simulator's feeds (any time, any
 * shape: many rows in one tx, identical rows), a clock whose sleeps return at once but are
 * recorded, and the bad-message counter.
 */
import type { Clock } from '../../../src/core/clock.ts';
import { badMessagesTotal } from '../../../src/core/metrics.ts';
import { MICRO, notional, type Price, price, type Shares, shares } from '../../../src/core/money.ts';
import type { Hex } from '../../../src/sim/catalog/model.ts';
import type { TradeFill } from '../../../src/sim/feeds/index.ts';
import type { Simulator } from '../../../src/sim/simulator.ts';

export interface FillSpec {
  wallet: string;
  side?: 'BUY' | 'SELL';
  /** Micro-shares; default 10 shares. */
  size?: number;
  /** Micro; default 0.5. */
  price?: number;
  market?: number;
  outcome?: 0 | 1;
  /** Default a new hash per call of `publishFills` (all its fills share it). */
  tx?: string;
  /** Default the simulator's now. */
  timeMs?: number;
}

let txCounter = 0;
/** A fresh 32-byte transaction hash. */
export function txHash(): Hex {
  txCounter++;
  return `0x${txCounter.toString(16).padStart(8, '0')}${'c0ffee'.repeat(9)}fe` as Hex;
}

/**
 * Publishes fills into the simulator's Data API and RTDS feeds as the matching engine would. Only
 * for a simulator whose venue trades nothing itself (traders off), since the feeds take sequence
 * numbers in order.
 */
export function publishFills(sim: Simulator, specs: readonly FillSpec[]): TradeFill[] {
  const tx = txHash();
  let seq = sim.feeds.all().reduce((m, r) => Math.max(m, r.seq), 0);
  const fills = specs.map((s): TradeFill => {
    const market = sim.venue.catalog.markets[s.market ?? 0]!;
    const size = shares(s.size ?? 10 * MICRO) as Shares;
    const p = price(s.price ?? 500_000) as Price;
    return {
      type: 'TRADE',
      seq: ++seq,
      proxyWallet: s.wallet.toLowerCase() as Hex,
      side: s.side ?? 'BUY',
      tokenId: market.tokens[s.outcome ?? 0].tokenId,
      conditionId: market.conditionId,
      size,
      price: p,
      usdcSize: notional(size, p, 'halfEven'),
      isTaker: true,
      transactionHash: (s.tx ?? tx) as Hex,
      timeMs: s.timeMs ?? sim.clock.now(),
    };
  });
  sim.feeds.publish(fills);
  return fills;
}

/** `base`'s time, with sleeps that return at once and are recorded in `sleeps`. */
export function instantSleeps(base: Clock): { clock: Clock; sleeps: number[] } {
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => base.now(),
    monotonicNs: () => base.monotonicNs(),
    setTimer: (ms, cb) => base.setTimer(ms, cb),
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      sleeps.push(ms);
    },
  };
  return { clock, sleeps };
}

/** bad_messages_total{source="api"} now. */
export async function badApiMessages(): Promise<number> {
  const metric = await badMessagesTotal.get();
  return metric.values.find((v) => v.labels.source === 'api')?.value ?? 0;
}

/** A fetch that counts the calls it passes on. */
export function countingFetch(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    },
  };
}

/** A logger that keeps what it is told. */
export function memoryLogger() {
  const lines: { level: string; fields: object; message: string }[] = [];
  const at =
    (level: string) =>
    (fields: object, message: string): void => {
      lines.push({ level, fields, message });
    };
  return { lines, logger: { warn: at('warn'), info: at('info'), debug: at('debug') } };
}
