/**
 * Totals for checking the engine's conservation law: pUSD in accounts + fees collected + pUSD
 * locked behind outstanding shares = pUSD deposited minus withdrawn.
 */
import type { Ledger } from './ledger.ts';
import type { MarketState } from './market.ts';

export interface EngineAudit {
  netDeposits: number;
  cashBalances: number;
  cashReserved: number;
  feesCollected: number;
  /** pUSD backing outstanding shares: one per YES+NO set, or per winning share once resolved. */
  lockedCollateral: number;
  markets: {
    conditionId: string;
    supply: [number, number];
    /** Sum of every address's balance per token. */
    held: [number, number];
  }[];
}

export function auditLedger(ledger: Ledger, markets: Iterable<MarketState>): EngineAudit {
  const addresses = ledger.addresses();
  let cashBalances = 0;
  let cashReserved = 0;
  for (const a of addresses) {
    const h = ledger.cash(a);
    cashBalances += h.balance;
    cashReserved += h.reserved;
  }
  let lockedCollateral = 0;
  const perMarket: EngineAudit['markets'] = [];
  for (const m of markets) {
    const supply = m.tokenIds.map((t) => ledger.supply(t)) as [number, number];
    const held = m.tokenIds.map((t) =>
      addresses.reduce((sum, a) => sum + ledger.shares(a, t).balance, 0),
    ) as [number, number];
    lockedCollateral += m.winner === null ? supply[0] : supply[m.winner];
    perMarket.push({ conditionId: m.conditionId, supply, held });
  }
  return {
    netDeposits: ledger.netDeposits,
    cashBalances,
    cashReserved,
    feesCollected: ledger.feesCollected,
    lockedCollateral,
    markets: perMarket,
  };
}
