/**
 * `polyhunter status`: what the running PolyHunter last reported (each trigger source, the trading
 * gate), read from the database, so it works from any shell and against a PostgreSQL shared by
 * several processes. A report older than a few intervals means the process is not running.
 */
import {
  type ComponentHealth,
  componentHealthRepo,
  type JsonValue,
  leadersRepo,
  loadRuntimeSettings,
} from '../../store/index.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { HEALTH_REPORT_INTERVAL_MS } from '../health-reporter.ts';
import { withStore } from '../with-store.ts';

export interface StatusOptions {
  json?: boolean;
  /** Also print each component's whole reported detail, indented under its line. */
  verbose?: boolean;
}

/** Missing three reports in a row: the process is gone (crashed or killed). */
const STALE_AFTER_MS = 3 * HEALTH_REPORT_INTERVAL_MS;

export type ComponentState = 'ok' | 'DOWN' | 'stopped' | 'stale';

export function stateOf(c: ComponentHealth, now: number): ComponentState {
  const detail = c.detail as Record<string, unknown> | null;
  if (detail !== null && typeof detail === 'object' && detail.stopped === true) return 'stopped';
  if (now - c.updatedAt > STALE_AFTER_MS) return 'stale';
  return c.healthy ? 'ok' : 'DOWN';
}

export function ago(ms: number | null | undefined, now: number): string {
  if (ms === null || ms === undefined) return 'never';
  const s = Math.max(0, (now - ms) / 1000);
  return s < 120
    ? `${s.toFixed(1)}s ago`
    : s < 7200
      ? `${Math.round(s / 60)}m ago`
      : `${Math.round(s / 3600)}h ago`;
}

/** A number under a key like `lastMessageAtMs` that is an epoch-ms time, shown as a date too. */
const TIME_KEY = /(^at|At|AtMs|Since|SinceMs)$/;
const EPOCH_MS_MIN = 1e12;
const EPOCH_MS_MAX = 1e14;

function scalarText(key: string, value: JsonScalar, now: number): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number' && TIME_KEY.test(key) && value >= EPOCH_MS_MIN && value < EPOCH_MS_MAX) {
    return `${value} (${new Date(value).toISOString()}, ${ago(value, now)})`;
  }
  return String(value);
}

type JsonScalar = string | number | boolean | null;

function isScalar(v: JsonValue): v is JsonScalar {
  return v === null || typeof v !== 'object';
}

/**
 * A component's detail as indented `key: value` lines, nested objects and lists of objects one
 * level deeper (a list item starts with "- "), lists of plain values on one line.
 */
export function detailLines(detail: JsonValue, now: number, indent = ''): string[] {
  if (isScalar(detail)) return [`${indent}${scalarText('', detail, now)}`];
  if (Array.isArray(detail)) {
    if (detail.length === 0) return [`${indent}[]`];
    if (detail.every(isScalar)) return [`${indent}${detail.map((v) => scalarText('', v, now)).join(', ')}`];
    return detail.flatMap((item) => {
      const sub = detailLines(item, now, `${indent}  `);
      if (sub.length > 0) sub[0] = `${indent}- ${sub[0]!.trimStart()}`;
      return sub;
    });
  }
  const entries = Object.entries(detail);
  if (entries.length === 0) return [`${indent}{}`];
  return entries.flatMap(([key, value]): string[] => {
    if (isScalar(value)) return [`${indent}${key}: ${scalarText(key, value, now)}`];
    if (Array.isArray(value) && value.every(isScalar)) {
      return [
        `${indent}${key}: ${value.length === 0 ? '[]' : value.map((v) => scalarText(key, v, now)).join(', ')}`,
      ];
    }
    if (!Array.isArray(value) && Object.keys(value).length === 0) return [`${indent}${key}: {}`];
    return [`${indent}${key}:`, ...detailLines(value, now, `${indent}  `)];
  });
}

/** One line about a component, from the fields its detail is known to carry. */
function summary(c: ComponentHealth, now: number): string {
  const d = (c.detail ?? {}) as Record<string, unknown>;
  if (d.stopped === true) return 'stopped cleanly';
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : null);
  switch (c.component) {
    case 'detection.api':
      return `polling every ${((num('intervalMs') ?? 0) / 1000).toFixed(1)}s, last success ${ago(num('lastSuccessAt'), now)}, ${num('consecutiveFailures') ?? 0} failures in a row`;
    case 'detection.rtds':
      return `${String(d.state ?? 'unknown')}, last message ${ago(num('lastMessageAtMs'), now)}, ${num('reconnects') ?? 0} reconnects, ${num('gaps') ?? 0} gaps filled`;
    case 'detection.chain':
      return `${String(d.state ?? 'unknown')}${d.stale === true ? ' (stale)' : ''}, head #${num('lastHeadNumber') ?? '-'} ${ago(num('lastHeadAtMs'), now)}, ${num('reconnects') ?? 0} reconnects`;
    case 'trading.gate':
      if (d.open === true) {
        const degraded = (d.degraded as string[] | undefined) ?? [];
        return degraded.length > 0 ? `open, degraded: ${degraded.join(', ')} down` : 'open';
      }
      return `CLOSED: ${String(d.reason ?? '')}`;
    case 'market.books':
      return `${String(d.state ?? 'unknown')}, ${num('syncedTokens') ?? 0}/${num('tokens') ?? 0} books in sync, ${num('resyncs') ?? 0} resyncs, ${num('badMessages') ?? 0} bad messages`;
    case 'trading.orders': {
      const breakers = Object.values((d.breakers ?? {}) as Record<string, { openedAt: number | null }>);
      const open = breakers.filter((b) => b.openedAt !== null).length;
      return `${num('orders') ?? 0} orders, ${num('failures') ?? 0} failed${open > 0 ? `, circuit breaker OPEN on ${open} account(s)` : ''}`;
    }
    default:
      return '';
  }
}

export async function runStatus(
  global: GlobalOptions,
  options: StatusOptions,
  output: Output,
): Promise<void> {
  await withStore(global, output, async (store, fileConfig) => {
    const now = Date.now();
    const loaded = await loadRuntimeSettings(store, fileConfig, now);
    const { trading } = loaded.config;
    const components = await componentHealthRepo(store.db).list();
    const leaders = await leadersRepo(store.db).list();
    const newest = components.reduce((m, c) => Math.max(m, c.updatedAt), 0);
    const running = components.some((c) => stateOf(c, now) === 'ok' || stateOf(c, now) === 'DOWN');
    const rows = components.map((c) => ({ ...c, state: stateOf(c, now), summary: summary(c, now) }));

    if (options.json) {
      output.out(
        JSON.stringify(
          {
            database: store.displayUrl,
            mode: trading.mode,
            triggerSources: trading.trigger_sources,
            strictSources: trading.strict_sources,
            running,
            lastReportAt: newest || null,
            components: rows,
            leaders: leaders.map((l) => ({
              address: l.address,
              label: l.label,
              enabled: l.enabled,
              cursor: l.cursor,
            })),
          },
          null,
          2,
        ),
      );
      return;
    }
    output.out(`database  ${store.displayUrl}`);
    output.out(
      `mode      ${trading.mode}   trigger sources ${trading.trigger_sources.join(' + ')} (${trading.strict_sources ? 'strict: a failed source stops copying' : 'a failed source degrades to the others'})`,
    );
    const pid = components[0]?.pid;
    output.out(
      components.length === 0
        ? 'process   never started against this database'
        : running
          ? `process   running (pid ${pid} on ${components[0]?.host}, reported ${ago(newest, now)})`
          : `process   not running (last report ${ago(newest, now)})`,
    );
    if (rows.length > 0) {
      output.out('');
      const width = Math.max(...rows.map((r) => r.component.length));
      for (const r of rows) {
        output.out(`${r.component.padEnd(width)}  ${r.state.padEnd(7)}  ${r.summary}`.trimEnd());
        if (!options.verbose) continue;
        output.out(`    reported ${ago(r.updatedAt, now)} by pid ${r.pid ?? '-'} on ${r.host ?? '-'}`);
        for (const line of detailLines(r.detail, now, '    ')) output.out(line);
      }
    }
    output.out('');
    output.out(`leaders   ${leaders.length === 0 ? 'none (add [[leaders]] to the config)' : ''}`);
    for (const l of leaders) {
      output.out(
        `  ${l.label ?? l.address}  ${l.enabled ? '' : '(disabled) '}${l.startupMode} start, API cursor ${l.cursor.ts === null ? 'none' : new Date(l.cursor.ts).toISOString()}`,
      );
    }
  });
}
