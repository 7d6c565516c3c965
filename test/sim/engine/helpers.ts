/** Builders for engine tests: a clock, a market, funded accounts and orders from price and size. */
import { type Micro, mulDiv, parseMicro, type Shares, tickSize, type Usdc } from '../../../src/core/index.ts';
import {
  type EngineEvent,
  type MarketSpec,
  MatchingEngine,
  type OrderRequest,
  type OrderType,
  type Side,
  seededIds,
} from '../../../src/sim/engine/index.ts';

export const CONDITION = '0xcond';
export const YES = '1001';
export const NO = '1002';
export const ALICE = '0xaaaa000000000000000000000000000000000001';
export const BOB = '0xbbbb000000000000000000000000000000000002';
export const CAROL = '0xcccc000000000000000000000000000000000003';
/** 2026-01-01T00:00:00Z */
export const T0 = 1_767_225_600_000;

/** Decimal text to micro-units: m('0.57') = 570_000. */
export const m = (text: string): number => parseMicro(text);

export interface Harness {
  engine: MatchingEngine;
  clock: { now: number };
  events: EngineEvent[];
  /** Advance the clock by ms. */
  advance(ms: number): void;
}

export function harness(spec: Partial<MarketSpec> = {}, seed = 1): Harness {
  const clock = { now: T0 };
  const events: EngineEvent[] = [];
  const engine = new MatchingEngine({
    now: () => clock.now,
    newId: seededIds(seed),
    onEvents: (batch) => events.push(...batch),
  });
  engine.registerMarket({
    conditionId: CONDITION,
    yesTokenId: YES,
    noTokenId: NO,
    tickSize: tickSize(10_000),
    minOrderSize: m('5') as Shares,
    ...spec,
  });
  return { engine, clock, events, advance: (ms) => (clock.now += ms) };
}

/** Funds an address with pUSD and, optionally, YES+NO sets split from more pUSD. */
export function fund(engine: MatchingEngine, address: string, usdc: string, sets = '0'): void {
  engine.deposit(address, (m(usdc) + m(sets)) as Usdc);
  if (m(sets) > 0) engine.split(address, CONDITION, m(sets) as Shares);
}

let counter = 0;
export const nextId = (): string => `0x${(++counter).toString(16).padStart(64, '0')}`;

export interface LimitOptions {
  id?: string;
  owner?: string;
  type?: OrderType;
  expiration?: number;
  postOnly?: boolean;
}

/** A limit order as CCv2 builds it: BUY makerAmount = size x price, takerAmount = size; SELL the reverse. */
export function limit(
  maker: string,
  side: Side,
  tokenId: string,
  price: string,
  size: string,
  options: LimitOptions = {},
): OrderRequest {
  const shares = m(size);
  const cash = mulDiv(shares, m(price), 1_000_000, 'floor');
  return {
    id: options.id ?? nextId(),
    owner: options.owner ?? `key-${maker.slice(2, 6)}`,
    maker,
    tokenId,
    side,
    makerAmount: (side === 'BUY' ? cash : shares) as Micro,
    takerAmount: (side === 'BUY' ? shares : cash) as Micro,
    orderType: options.type ?? 'GTC',
    expiration: options.expiration ?? 0,
    postOnly: options.postOnly ?? false,
  };
}

/**
 * A market order as CCv2 builds it: a BUY spends `amount` pUSD with shares = amount / worst price
 * (4 decimals, rounded down so the implied price is no worse); a SELL gives `amount` shares.
 */
export function marketOrder(
  maker: string,
  side: Side,
  tokenId: string,
  amount: string,
  worstPrice: string,
  type: 'FOK' | 'FAK',
  options: { id?: string; owner?: string } = {},
): OrderRequest {
  const given = m(amount);
  const p = m(worstPrice);
  const received =
    side === 'BUY'
      ? mulDiv(mulDiv(given, 1_000_000, p, 'floor'), 1, 100, 'floor') * 100
      : mulDiv(mulDiv(given, p, 1_000_000, 'ceil'), 1, 100, 'ceil') * 100;
  return {
    id: options.id ?? nextId(),
    owner: options.owner ?? `key-${maker.slice(2, 6)}`,
    maker,
    tokenId,
    side,
    makerAmount: given as Micro,
    takerAmount: received as Micro,
    orderType: type,
    expiration: 0,
  };
}

export function ofType<T extends EngineEvent['type']>(
  events: readonly EngineEvent[],
  type: T,
): Extract<EngineEvent, { type: T }>[] {
  return events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
}

/** Checks the ledger's conservation law and the book's shape; returns a list of violations. */
export function violations(engine: MatchingEngine): string[] {
  const out: string[] = [];
  const a = engine.audit();
  if (a.cashBalances + a.feesCollected + a.lockedCollateral !== a.netDeposits) {
    out.push(`conservation: ${JSON.stringify(a)}`);
  }
  if (a.cashReserved > a.cashBalances) out.push('reserved cash exceeds balances');
  for (const mk of a.markets) {
    const info = engine.market(mk.conditionId);
    if (info?.winningTokenId === null && mk.supply[0] !== mk.supply[1]) out.push(`supply ${mk.supply}`);
    if (mk.held[0] !== mk.supply[0] || mk.held[1] !== mk.supply[1])
      out.push(`held ${mk.held} != ${mk.supply}`);
  }
  for (const addr of engine.addresses()) {
    const c = engine.balance(addr);
    if (c.balance < 0 || c.reserved < 0 || c.available < 0) out.push(`cash of ${addr}: ${JSON.stringify(c)}`);
    for (const t of [YES, NO]) {
      const p = engine.position(addr, t);
      if (p.balance < 0 || p.reserved < 0 || p.available < 0)
        out.push(`${t} of ${addr}: ${JSON.stringify(p)}`);
    }
  }
  const top = engine.topOfBook(YES);
  if (top?.bestBid != null && top.bestAsk != null && top.bestBid >= top.bestAsk) {
    out.push(`crossed book: ${top.bestBid} >= ${top.bestAsk}`);
  }
  return out;
}
