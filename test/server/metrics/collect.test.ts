/**
 * The families read at scrape time: component health, PnL per account, the adapters' wire
 * counters; and what happens when one of those reads throws, rejects or hangs: its family is
 * empty, the error is counted in the same scrape, and everything else is served.
 */
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/events.ts';
import { createLogger } from '../../../src/core/logger.ts';
import { reportBadMessage } from '../../../src/polymarket/data-api/activity-row.ts';
import { BadMessageLog } from '../../../src/polymarket/ws/bad-messages.ts';
import {
  type AccountPnlSample,
  createMetrics,
  type HealthSample,
  type Metrics,
  type MetricsEvents,
  type MetricsOptions,
} from '../../../src/server/metrics/index.ts';
import { type Exposition, parseExposition, samplesOf, sampleValue } from './exposition.ts';

const silent = createLogger({ level: 'silent', format: 'json' });

let metrics: Metrics | undefined;
afterEach(() => metrics?.stop());

function start(options: Omit<MetricsOptions, 'bus'> = {}): Metrics {
  metrics = createMetrics({ bus: new EventBus<MetricsEvents>(), ...options });
  return metrics;
}
const scrape = async (m: Metrics): Promise<Exposition> => parseExposition(await m.text());

const account = (name: string, over: Partial<AccountPnlSample> = {}): AccountPnlSample => ({
  name,
  mode: 'paper',
  realized: 0,
  unrealized: 0,
  cash: 0,
  ...over,
});

/** Counters in a registry of their own, standing in for the adapters' process-wide ones. */
function wireCounters() {
  const registers = [new Registry()];
  return {
    badMessages: new Counter({ name: 'bad', help: 'h', labelNames: ['source'] as const, registers }),
    reconnects: new Counter({ name: 'reconnects', help: 'h', labelNames: ['source'] as const, registers }),
  };
}

describe('component health', () => {
  it('is 1 or 0 per component, read at every scrape (components that went away go too)', async () => {
    let rows: HealthSample[] = [
      { component: 'market.books', healthy: true },
      { component: 'detection.rtds', healthy: false },
      { component: 'trading.gate', healthy: true },
    ];
    const m = start({ health: () => rows });
    let e = await scrape(m);
    expect(sampleValue(e, 'polyhunter_component_healthy', { component: 'market.books' })).toBe(1);
    expect(sampleValue(e, 'polyhunter_component_healthy', { component: 'detection.rtds' })).toBe(0);
    expect(sampleValue(e, 'polyhunter_component_healthy', { component: 'trading.gate' })).toBe(1);

    rows = [{ component: 'detection.rtds', healthy: true }];
    e = await scrape(m);
    expect(samplesOf(e, 'polyhunter_component_healthy')).toEqual([
      { name: 'polyhunter_component_healthy', labels: { component: 'detection.rtds' }, value: 1 },
    ]);
  });

  it('takes an async read too', async () => {
    const m = start({ health: async () => [{ component: 'trading.orders', healthy: true }] });
    expect(
      sampleValue(await scrape(m), 'polyhunter_component_healthy', { component: 'trading.orders' }),
    ).toBe(1);
  });
});

describe('PnL', () => {
  it('exports realized, unrealized and cash per account in USDC, from one read per scrape', async () => {
    let reads = 0;
    const m = start({
      pnl: async () => {
        reads++;
        return [
          account('paper', { realized: 1_500_000, unrealized: -250_000, cash: 98_765_432 }),
          account('main', { mode: 'live', realized: -3_000_000, unrealized: 10, cash: 0 }),
        ];
      },
    });
    const e = await scrape(m);
    expect(reads).toBe(1);
    const paper = { account: 'paper', mode: 'paper' };
    const main = { account: 'main', mode: 'live' };
    expect(sampleValue(e, 'polyhunter_pnl_realized_usdc', paper)).toBe(1.5);
    expect(sampleValue(e, 'polyhunter_pnl_unrealized_usdc', paper)).toBe(-0.25);
    expect(sampleValue(e, 'polyhunter_cash_usdc', paper)).toBe(98.765432);
    expect(sampleValue(e, 'polyhunter_pnl_realized_usdc', main)).toBe(-3);
    expect(sampleValue(e, 'polyhunter_pnl_unrealized_usdc', main)).toBe(0.00001);
    expect(sampleValue(e, 'polyhunter_cash_usdc', main)).toBe(0);

    await scrape(m);
    expect(reads).toBe(2);
  });

  it('keeps an address out of the account label', async () => {
    const m = start({ pnl: async () => [account(`0x${'12'.repeat(20)}`, { cash: 1_000_000 })] });
    expect(samplesOf(await scrape(m), 'polyhunter_cash_usdc')).toEqual([
      { name: 'polyhunter_cash_usdc', labels: { account: 'other', mode: 'paper' }, value: 1 },
    ]);
  });
});

describe('wire counters', () => {
  it("mirrors the adapters' own bad-message counter by default", async () => {
    const m = start();
    const before = sampleValue(await scrape(m), 'polyhunter_bad_messages_total', { source: 'api' }) ?? 0;
    // The Data API's row validation and a stream's bad-message log, as the adapters call them.
    reportBadMessage(silent, 'activity row', { nonsense: true });
    reportBadMessage(silent, 'activity row', 42);
    const log = new BadMessageLog({
      logger: silent,
      name: 'test',
      source: 'clob_user_ws',
      intervalMs: 60_000,
      monoMs: () => 0,
    });
    log.record('not JSON', '{');
    const e = await scrape(m);
    expect(sampleValue(e, 'polyhunter_bad_messages_total', { source: 'api' })).toBe(before + 2);
    expect(
      sampleValue(e, 'polyhunter_bad_messages_total', { source: 'clob_user_ws' }),
    ).toBeGreaterThanOrEqual(1);
    expect(e.types.get('polyhunter_bad_messages_total')).toBe('counter');
  });

  it('mirrors given counters: bad messages and reconnects per socket', async () => {
    const wire = wireCounters();
    const m = start({ wire });
    wire.reconnects.inc({ source: 'rtds' }, 3);
    wire.reconnects.inc({ source: 'clob_market_ws' });
    wire.badMessages.inc({ source: 'chain' }, 2);
    let e = await scrape(m);
    expect(sampleValue(e, 'polyhunter_reconnects_total', { source: 'rtds' })).toBe(3);
    expect(sampleValue(e, 'polyhunter_reconnects_total', { source: 'clob_market_ws' })).toBe(1);
    expect(sampleValue(e, 'polyhunter_bad_messages_total', { source: 'chain' })).toBe(2);
    expect(samplesOf(e, 'polyhunter_bad_messages_total')).toHaveLength(1);

    wire.reconnects.inc({ source: 'rtds' });
    e = await scrape(m);
    expect(sampleValue(e, 'polyhunter_reconnects_total', { source: 'rtds' })).toBe(4);
  });
});

describe('a failing read', () => {
  it('leaves its family empty, counts the error in the same scrape and serves the rest', async () => {
    const wire = wireCounters();
    wire.reconnects.inc({ source: 'rtds' }, 2);
    const errors: string[] = [];
    const m = start({
      wire: {
        badMessages: { get: () => Promise.reject(new Error('counter gone')) },
        reconnects: wire.reconnects,
      },
      health: () => {
        throw new Error('health exploded');
      },
      pnl: async () => {
        throw new Error('database is locked');
      },
      onCollectError: (collector, error) => errors.push(`${collector}: ${error}`),
    });
    const text = await m.text();
    const e = parseExposition(text);
    expect(samplesOf(e, 'polyhunter_component_healthy')).toEqual([]);
    expect(samplesOf(e, 'polyhunter_pnl_realized_usdc')).toEqual([]);
    expect(samplesOf(e, 'polyhunter_cash_usdc')).toEqual([]);
    expect(samplesOf(e, 'polyhunter_bad_messages_total')).toEqual([]);
    // The families are still announced, and the others are served.
    expect(text).toContain('# TYPE polyhunter_component_healthy gauge');
    expect(sampleValue(e, 'polyhunter_reconnects_total', { source: 'rtds' })).toBe(2);
    expect(sampleValue(e, 'polyhunter_copy_decisions_total', { decision: 'copy' })).toBe(0);
    expect(sampleValue(e, 'polyhunter_metrics_collect_errors_total', { collector: 'health' })).toBe(1);
    // Three PnL gauges, one read, one error.
    expect(sampleValue(e, 'polyhunter_metrics_collect_errors_total', { collector: 'pnl' })).toBe(1);
    expect(sampleValue(e, 'polyhunter_metrics_collect_errors_total', { collector: 'bad_messages' })).toBe(1);
    expect(errors.sort()).toEqual([
      'bad_messages: counter gone',
      'health: health exploded',
      'pnl: database is locked',
    ]);
  });

  it('is abandoned when it hangs past the timeout', async () => {
    const m = start({
      collectTimeoutMs: 50,
      pnl: () => new Promise(() => {}),
      health: () => [{ component: 'market.books', healthy: true }],
    });
    const started = performance.now();
    const e = await scrape(m);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(samplesOf(e, 'polyhunter_cash_usdc')).toEqual([]);
    expect(sampleValue(e, 'polyhunter_component_healthy', { component: 'market.books' })).toBe(1);
    expect(sampleValue(e, 'polyhunter_metrics_collect_errors_total', { collector: 'pnl' })).toBe(1);
  });

  it('recovers on the next scrape once the read works again', async () => {
    let fail = true;
    const m = start({
      health: () => {
        if (fail) throw new Error('not yet');
        return [{ component: 'trading.gate', healthy: true }];
      },
    });
    await scrape(m);
    fail = false;
    const e = await scrape(m);
    expect(sampleValue(e, 'polyhunter_component_healthy', { component: 'trading.gate' })).toBe(1);
    expect(sampleValue(e, 'polyhunter_metrics_collect_errors_total', { collector: 'health' })).toBe(1);
  });
});

describe('process metrics', () => {
  it('are off by default and prefixed when on', async () => {
    expect((await start().text()).includes('process_cpu')).toBe(false);
    metrics?.stop();
    const e = await scrape(start({ processMetrics: true }));
    expect(e.types.get('polyhunter_process_cpu_seconds_total')).toBe('counter');
    expect(e.types.has('polyhunter_nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });
});
