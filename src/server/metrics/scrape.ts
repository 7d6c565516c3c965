/**
 * The metric families read at scrape time: component health, PnL per account, and the wire
 * counters (bad messages, reconnects) that the adapters keep in src/core/metrics.ts, mirrored
 * here under the polyhunter_ prefix without touching the adapters. Each read goes through the
 * guard, so one that fails or hangs leaves its family empty and the rest of /metrics intact.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { MICRO } from '../../core/money.ts';
import type { ReadGuard } from './collect.ts';
import { singleFlight } from './collect.ts';
import { MODES } from './families.ts';
import { BoundedLabel, OTHER, oneOf } from './labels.ts';

/** One component's health, as the health reporter collects it (HealthRow has these and more). */
export interface HealthSample {
  component: string;
  healthy: boolean;
}

/** One account's money in micro-USDC (AccountPnl from src/portfolio/report.ts has these and more). */
export interface AccountPnlSample {
  /** The account's name: the only identity allowed in a label. */
  name: string;
  mode: string;
  realized: number;
  unrealized: number;
  cash: number;
}

/** What the mirrored counters need of a prom-client counter labelled by `source`. */
export interface SourceCounter {
  get(): Promise<{ values: readonly { labels: Partial<Record<string, string | number>>; value: number }[] }>;
}

export interface ScrapeSources {
  health?: (() => readonly HealthSample[] | Promise<readonly HealthSample[]>) | undefined;
  pnl?: (() => Promise<readonly AccountPnlSample[]>) | undefined;
  badMessages: SourceCounter;
  reconnects: SourceCounter;
}

const MAX_COMPONENTS = 64;
const MAX_ACCOUNTS = 32;
const MAX_SOCKET_SOURCES = 32;

export function scrapeFamilies(registry: Registry, sources: ScrapeSources, read: ReadGuard): void {
  const registers = [registry];

  const components = new BoundedLabel(MAX_COMPONENTS);
  const healthy: Gauge<'component'> = new Gauge({
    name: 'polyhunter_component_healthy',
    help: 'Whether each component of this process is healthy (1) or not (0)',
    labelNames: ['component'] as const,
    registers,
    collect: async () => {
      const { health } = sources;
      const rows = health ? await read('health', health) : undefined;
      healthy.reset();
      // Components folded into "other" are healthy only if all of them are.
      const byLabel = new Map<string, number>();
      for (const r of rows ?? []) {
        const label = components.of(r.component);
        byLabel.set(label, Math.min(byLabel.get(label) ?? 1, r.healthy ? 1 : 0));
      }
      for (const [component, value] of byLabel) healthy.set({ component }, value);
    },
  });

  const accounts = new BoundedLabel(MAX_ACCOUNTS);
  const pnlRows = singleFlight(async () => {
    const { pnl } = sources;
    return pnl ? read('pnl', pnl) : undefined;
  });
  const pnlGauge = (name: string, help: string, pick: (a: AccountPnlSample) => number) => {
    const gauge: Gauge<'account' | 'mode'> = new Gauge({
      name,
      help,
      labelNames: ['account', 'mode'] as const,
      registers,
      collect: async () => {
        const rows = await pnlRows();
        gauge.reset();
        for (const a of rows ?? []) {
          const value = pick(a);
          if (!Number.isFinite(value)) continue;
          // Accounts folded into "other" add up: money is additive.
          gauge.inc({ account: accounts.of(a.name), mode: oneOf(MODES, a.mode) }, value / MICRO);
        }
      },
    });
  };
  pnlGauge(
    'polyhunter_pnl_realized_usdc',
    'Realized PnL of each account in USDC (sells and resolutions, closed positions included)',
    (a) => a.realized,
  );
  pnlGauge(
    'polyhunter_pnl_unrealized_usdc',
    'Unrealized PnL of each account in USDC: open positions at their current mark minus cost',
    (a) => a.unrealized,
  );
  pnlGauge('polyhunter_cash_usdc', 'Cash of each account in USDC', (a) => a.cash);

  mirror(registry, sources.badMessages, read, {
    name: 'polyhunter_bad_messages_total',
    help: 'Wire messages that failed validation and were skipped, by source (api, rtds, chain, clob sockets)',
    collector: 'bad_messages',
  });
  mirror(registry, sources.reconnects, read, {
    name: 'polyhunter_reconnects_total',
    help: 'Reconnections of each streaming socket, by source',
    collector: 'reconnects',
  });
}

/** A counter whose values are another counter's, read at scrape time. */
function mirror(
  registry: Registry,
  from: SourceCounter,
  read: ReadGuard,
  spec: { name: string; help: string; collector: string },
): void {
  const labels = new BoundedLabel(MAX_SOCKET_SOURCES);
  const counter: Counter<'source'> = new Counter({
    name: spec.name,
    help: spec.help,
    labelNames: ['source'] as const,
    registers: [registry],
    collect: async () => {
      const metric = await read(spec.collector, () => from.get());
      counter.reset();
      for (const v of metric?.values ?? []) {
        const source = v.labels.source;
        const label = source === undefined ? OTHER : labels.of(String(source));
        if (Number.isFinite(v.value) && v.value >= 0) counter.inc({ source: label }, v.value);
      }
    },
  });
}
