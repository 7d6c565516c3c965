/**
 * The simulated venue: the matching engine with the catalog's markets, API keys and funder
 * wallets, and the settlement of every trade. Each trade is sent to the chain (or, without one, to
 * a timer-driven stand-in) for its transaction hash, published to the Data API and RTDS feeds, and
 * followed through MATCHED -> MINED -> CONFIRMED. The REST and websocket layers read and listen
 * here; nothing else talks to the engine.
 */
import { type Hex, keccak256, toHex } from 'viem';
import type { Clock } from '../../core/clock.ts';
import { describeError } from '../../core/errors.ts';
import type { Catalog, SimMarket } from '../catalog/model.ts';
import type { Chain } from '../chain/index.ts';
import { ApiKeyRegistry, FunderWalletRegistry } from '../clob/auth/index.ts';
import {
  type EngineEvent,
  MatchingEngine,
  type OrderRequest,
  type SubmitResult,
  seededIds,
  type Trade,
} from '../engine/index.ts';
import type { FeedsHub } from '../feeds/index.ts';
import { toChainMatch, toParticipantFills, toRedeemFills } from './settlement.ts';

export type TradeStatus = 'MATCHED' | 'MINED' | 'CONFIRMED' | 'FAILED';

export interface VenueTrade {
  trade: Trade;
  txHash: Hex;
  status: TradeStatus;
  /** Epoch ms of the last status change. */
  updatedAt: number;
  blockNumber: number | null;
}

export type VenueEvent = { kind: 'engine'; event: EngineEvent } | { kind: 'trade_status'; trade: VenueTrade };

export interface SimVenueOptions {
  seed: number;
  catalog: Catalog;
  clock: Clock;
  /** Settles trades on chain when given; otherwise a stand-in mines after `blockTimeMs`. */
  chain?: Chain;
  feeds?: FeedsHub;
  /** Block time of the stand-in settlement (no chain), default 2000. */
  blockTimeMs?: number;
  /** From MINED to CONFIRMED, default 2000 ms. */
  confirmDelayMs?: number;
  /** Settlement failures no caller awaits; default a process warning. */
  onError?: (error: unknown) => void;
}

export class SimVenue {
  readonly engine: MatchingEngine;
  readonly apiKeys: ApiKeyRegistry;
  readonly wallets = new FunderWalletRegistry();
  readonly catalog: Catalog;
  private readonly options: SimVenueOptions;
  private readonly listeners = new Set<(event: VenueEvent) => void>();
  private readonly trades = new Map<string, VenueTrade>();
  private readonly settling = new Map<string, Promise<VenueTrade>>();
  private readonly timers = new Set<() => void>();
  private feedSeq = 0;
  private closed = false;

  constructor(options: SimVenueOptions) {
    this.options = options;
    this.catalog = options.catalog;
    this.apiKeys = new ApiKeyRegistry(`sim-${options.seed}`);
    this.engine = new MatchingEngine({
      now: () => options.clock.now(),
      newId: seededIds(options.seed),
      onEvents: (events) => this.onEngineEvents(events),
    });
    for (const m of options.catalog.markets) this.engine.registerMarket(marketSpec(m));
  }

  /** Every engine event and trade status change, in order; returns an unsubscribe function. */
  on(listener: (event: VenueEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  marketOfToken(tokenId: string): SimMarket | undefined {
    return this.catalog.markets.find((m) => m.tokens.some((t) => t.tokenId === tokenId));
  }

  /** Submits an order and waits until its immediate trades have transaction hashes. */
  async submit(request: OrderRequest): Promise<{ result: SubmitResult; trades: VenueTrade[] }> {
    const result = this.engine.submit(request);
    const trades = await Promise.all(result.tradeIds.map((id) => this.settlement(id)));
    return { result, trades };
  }

  /** A trade's settlement, once its transaction hash is known. */
  settlement(tradeId: string): Promise<VenueTrade> {
    const pending = this.settling.get(tradeId);
    if (pending) return pending;
    const done = this.trades.get(tradeId);
    if (done) return Promise.resolve(done);
    return Promise.reject(new Error(`unknown trade ${tradeId}`));
  }

  trade(tradeId: string): VenueTrade | undefined {
    return this.trades.get(tradeId);
  }

  allTrades(): VenueTrade[] {
    return [...this.trades.values()];
  }

  /** Stops the stand-in settlement's timers; the chain and feeds are stopped by their owner. */
  close(): void {
    // Settlements still pending fail when the chain stops after this; that is the stop, not news.
    this.closed = true;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.listeners.clear();
  }

  private emit(event: VenueEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.reportError(err);
      }
    }
  }

  private reportError(err: unknown): void {
    if (this.closed) return;
    if (this.options.onError) this.options.onError(err);
    else process.emitWarning(`simulator venue: ${describeError(err)}`);
  }

  private onEngineEvents(events: readonly EngineEvent[]): void {
    for (const event of events) {
      this.emit({ kind: 'engine', event });
      if (event.type === 'trade') this.settle(event.trade);
      if (event.type === 'positions_redeemed') this.publishRedemption(event);
    }
  }

  private settle(trade: Trade): void {
    const market = this.catalog.markets.find((m) => m.conditionId === trade.market);
    const settled = (async (): Promise<VenueTrade> => {
      let txHash: Hex;
      let mined: Promise<{ blockNumber: number | bigint }>;
      const chain = this.options.chain;
      if (chain) {
        const submitted = await chain.submitMatch(toChainMatch(trade, market?.negRisk ?? false));
        txHash = submitted.txHash;
        mined = submitted.mined;
      } else {
        txHash = keccak256(toHex(`sim-trade:${trade.id}`));
        mined = this.after(this.options.blockTimeMs ?? 2000).then(() => ({ blockNumber: 0 }));
      }
      const record: VenueTrade = {
        trade,
        txHash,
        status: 'MATCHED',
        updatedAt: this.options.clock.now(),
        blockNumber: null,
      };
      this.trades.set(trade.id, record);
      this.options.feeds?.publish(toParticipantFills(trade, txHash, () => ++this.feedSeq));
      this.emit({ kind: 'trade_status', trade: record });
      mined.then(
        (block) => {
          this.update(record, 'MINED', Number(block.blockNumber));
          this.after(this.options.confirmDelayMs ?? 2000).then(() =>
            this.update(record, 'CONFIRMED', record.blockNumber),
          );
        },
        (err: unknown) => {
          this.update(record, 'FAILED', null);
          this.reportError(err);
        },
      );
      return record;
    })();
    this.settling.set(trade.id, settled);
    settled.then(
      () => this.settling.delete(trade.id),
      (err: unknown) => {
        this.settling.delete(trade.id);
        this.reportError(err);
      },
    );
  }

  /** Redemptions go to the feeds at once; the chain has no redeem contract, so the hash is derived. */
  private publishRedemption(event: Extract<EngineEvent, { type: 'positions_redeemed' }>): void {
    const market = this.engine.market(event.market);
    if (!market?.winningTokenId || !this.options.feeds) return;
    const txHash = keccak256(toHex(`sim-redeem:${event.seq}:${event.address}`));
    const rows = toRedeemFills(event, market.tokenIds, market.winningTokenId, txHash, () => ++this.feedSeq);
    if (rows.length > 0) this.options.feeds.publish(rows);
  }

  private update(record: VenueTrade, status: TradeStatus, blockNumber: number | null): void {
    if (record.status === 'FAILED' || record.status === status) return;
    record.status = status;
    record.blockNumber = blockNumber;
    record.updatedAt = this.options.clock.now();
    this.emit({ kind: 'trade_status', trade: { ...record } });
  }

  /** A promise resolved after `ms` on the venue's clock; cancelled (never resolved) by close(). */
  private after(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.options.clock.setTimer(ms, () => {
        this.timers.delete(cancel);
        resolve();
      });
      this.timers.add(cancel);
    });
  }
}

function marketSpec(m: SimMarket) {
  return {
    conditionId: m.conditionId,
    yesTokenId: m.tokens[0].tokenId,
    noTokenId: m.tokens[1].tokenId,
    outcomes: [m.tokens[0].outcome, m.tokens[1].outcome] as const,
    tickSize: m.tickSize,
    minOrderSize: m.minSize,
    negRisk: m.negRisk,
    feeRate: m.feeSchedule.rate as never,
    acceptingOrders: m.active && !m.closed,
  };
}
