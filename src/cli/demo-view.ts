/**
 * What `polyhunter demo` prints: each leader trade with when each source saw it, each follow's
 * decision (copied, or skipped with its reason), the fill, and a running PnL. Pure formatting of
 * the app's events; the command wires them to the terminal.
 */
import type { CopyDecisionEvent } from '../copy/copier.ts';
import type { IngestOutcome } from '../copy/ingest/index.ts';
import type { LeaderSighting } from '../copy/sighting.ts';
import { formatMicro } from '../core/decimal.ts';
import type { OrderEvent } from '../execution/order-manager.ts';

export interface DemoNames {
  /** Leader address -> name. */
  leader(address: string): string;
  /** Token id -> "Yes · Will it rain?" */
  token(tokenId: string): string;
}

// Display only: amounts shown to the cent, shares to 0.01, prices to 0.0001.
const usd = (micro: number, sign = false) =>
  `${sign && micro > 0 ? '+' : micro < 0 ? '-' : ''}$${formatMicro(Math.abs(micro), { decimals: 2, rounding: 'halfEven' })}`;
const sh = (micro: number) => formatMicro(micro, { decimals: 2, rounding: 'floor' });
const px = (micro: number) => formatMicro(micro, { decimals: 4, rounding: 'halfEven' });
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
const lag = (seenAt: number, tradeAt: number) => `+${((seenAt - tradeAt) / 1000).toFixed(2)}s`;

/** A new leader trade, or a later source seeing it; null for what the demo does not show. */
export function sightingLine(
  e: { outcome: IngestOutcome; sighting: LeaderSighting },
  names: DemoNames,
): string | null {
  const { outcome, sighting } = e;
  if (sighting.kind !== 'fill') return null;
  if (outcome.status === 'new') {
    const t = outcome.trade;
    return [
      '',
      `${clock(t.tradeAt)}  ${names.leader(t.leader).padEnd(6)} ${t.side.padEnd(4)} ${sh(t.size)} ${names.token(t.tokenId)} @ ${px(t.price)} (${usd(t.usdc)})${t.isBackfill ? '  [backfill]' : ''}`,
      `          seen first by ${sighting.source} ${lag(sighting.seenAtMs, t.tradeAt)}`,
    ].join('\n');
  }
  if (outcome.status === 'seen' && outcome.firstForSource) {
    return `          seen by ${sighting.source} ${lag(sighting.seenAtMs, outcome.trade.tradeAt)}`;
  }
  if (outcome.status === 'retracted')
    return `          RETRACTED by a chain reorg (${sh(outcome.sizeDelta)} shares)`;
  return null;
}

/** When more parts of an order arrived after its first line: the whole order as copied. */
export function wholeOrderLine(trade: CopyDecisionEvent['trade']): string {
  return `          whole order: ${sh(trade.size)} @ ${px(trade.price)} (${usd(trade.usdc)}), reported in parts`;
}

export function decisionLine(e: CopyDecisionEvent, followName: string): string {
  if (e.decision === 'skip') return `   ${followName}: skipped (${e.reason}) ${e.detail}`;
  const p = e.plan;
  const o = e.outcome;
  const what = `${p.side} ${sh(p.size)} ${p.side === 'BUY' ? '≤' : '≥'} ${px(p.limitPrice)}${p.catchUp ? ' (catch-up)' : ''}`;
  switch (o.kind) {
    case 'executed': {
      const fill =
        o.filledShares > 0
          ? `${o.status} ${sh(o.filledShares)} @ ${px(o.avgPrice ?? 0)}, fee ${usd(o.fees)}${o.priceSource === 'leader_fallback' ? ' (no book: leader’s price)' : ''}${o.realized !== 0 ? `, realized ${usd(o.realized, true)}` : ''}`
          : `${o.status}: ${o.note ?? 'nothing filled'}`;
      return `   ${followName}: copied ${what} -> ${fill}`;
    }
    case 'refused':
      return `   ${followName}: refused ${what}: ${o.refusals.map((r) => `${r.code} (${r.message})`).join('; ')}`;
    case 'rejected':
      return `   ${followName}: rejected ${what}: ${o.code} (${o.reason})`;
    case 'failed':
      return `   ${followName}: FAILED ${what}: ${o.error}`;
    case 'duplicate':
      return `   ${followName}: already copied`;
    case 'submitted':
      return `   ${followName}: sent ${what} -> venue says ${o.venueStatus}`;
    case 'unknown':
      return `   ${followName}: sent ${what} -> fate unknown (${o.error}); reconciling by its hash`;
  }
}

/** Per-stage latency of an order, e.g. "prewrite 0.4ms · risk 1.2ms · ...". */
export function stagesLine(stages: Record<string, number | null>): string {
  return Object.entries(stages)
    .filter(([, us]) => us !== null)
    .map(([k, us]) => `${k} ${((us ?? 0) / 1000).toFixed(1)}ms`)
    .join(' · ');
}

export interface PnlView {
  cash: number;
  equity: number;
  realized: number;
  unrealized: number;
  total: number;
  positions: number;
}

export function pnlLine(p: PnlView): string {
  return `   PnL ${usd(p.total, true)} (realized ${usd(p.realized, true)}, unrealized ${usd(p.unrealized, true)}) · cash ${usd(p.cash)} · equity ${usd(p.equity)} · ${p.positions} open position${p.positions === 1 ? '' : 's'}`;
}

export type { OrderEvent };
