/**
 * The Grafana dashboard in grafana/ cannot drift from the code: every metric and label its
 * queries name is one this registry exports, every family has a panel, and every panel reads
 * from the `${DS_PROMETHEUS}` datasource variable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/events.ts';
import { createMetrics, type MetricsEvents } from '../../../src/server/metrics/index.ts';

const DASHBOARD = join(import.meta.dirname, '../../../grafana/polyhunter-dashboard.json');
/** Grafana's datasource variable, written as Grafana writes it (not a JavaScript template). */
const DS_VARIABLE = '$' + '{DS_PROMETHEUS}';
const DATASOURCE = { type: 'prometheus', uid: DS_VARIABLE };
/** Labels Prometheus adds to every series it scrapes, and the histogram bucket label. */
const SCRAPE_LABELS = new Set(['instance', 'job', 'le']);
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

interface Target {
  expr?: string;
  datasource?: unknown;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: unknown;
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query?: unknown;
  definition?: string;
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
};
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const queries: { where: string; expr: string }[] = [
  ...panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr ?? '' }))),
  ...dashboard.templating.list
    .filter((v) => v.type === 'query')
    .map((v) => ({ where: `variable ${v.name}`, expr: v.definition ?? '' })),
];

// Process metrics on, as the app runs it: the dashboard shows event-loop lag and memory.
const metrics = createMetrics({ bus: new EventBus<MetricsEvents>(), processMetrics: true });
afterAll(() => metrics.stop());

/** Exported family -> its type and label names, from the registry itself. */
const families = new Map(
  metrics.registry.getMetricsAsArray().map((m) => {
    const metric = m as unknown as { name: string; type: string; labelNames: string[] };
    return [metric.name, { type: metric.type, labels: new Set(metric.labelNames) }];
  }),
);

/** The family a sample name belongs to: itself, or a histogram's _bucket/_sum/_count. */
function familyOf(name: string): string | undefined {
  if (families.has(name)) return name;
  const suffix = HISTOGRAM_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix === undefined) return undefined;
  const base = name.slice(0, -suffix.length);
  return families.get(base)?.type === 'histogram' ? base : undefined;
}

const metricNamesIn = (expr: string) => [...new Set(expr.match(/\bpolyhunter_[a-z0-9_]+\b/g) ?? [])];

/** Label names an expression uses: in `by (...)`/`without (...)` and in `{...}` selectors. */
function labelNamesIn(expr: string): string[] {
  const names = new Set<string>();
  for (const m of expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
    for (const n of m[1]!.split(',')) if (n.trim()) names.add(n.trim());
  }
  for (const m of expr.matchAll(/\{([^}]*)\}/g)) {
    for (const l of m[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) names.add(l[1]!);
  }
  // label_values(metric, label)
  for (const m of expr.matchAll(/label_values\([^,]+,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)/g)) names.add(m[1]!);
  return [...names];
}

describe('the Grafana dashboard', () => {
  it('is valid JSON with a uid, unique panel ids and queries on every panel', () => {
    expect(dashboard.uid).toBe('polyhunter-main');
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels.filter((x) => x.type !== 'row')) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.expr, p.title).toMatch(/\S/);
    }
  });

  it('reads from the DS_PROMETHEUS datasource variable everywhere', () => {
    const ds = dashboard.templating.list.find((v) => v.name === 'DS_PROMETHEUS');
    expect(ds).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const p of panels.filter((x) => x.type !== 'row')) {
      expect(p.datasource, p.title).toEqual(DATASOURCE);
      for (const t of p.targets ?? []) expect(t.datasource, p.title).toEqual(DATASOURCE);
    }
    // No datasource uid of somebody's own Grafana slipped in.
    const text = readFileSync(DASHBOARD, 'utf8');
    for (const uid of text.matchAll(/"uid":\s*"([^"]*)"/g)) {
      expect([DS_VARIABLE, '-- Grafana --', 'polyhunter-main']).toContain(uid[1]);
    }
  });

  it('names only metrics the registry exports, with their own labels', () => {
    expect(queries.length).toBeGreaterThan(20);
    for (const { where, expr } of queries) {
      const names = metricNamesIn(expr);
      expect(names.length, `${where}: ${expr}`).toBeGreaterThan(0);
      const labels = new Set(SCRAPE_LABELS);
      for (const name of names) {
        const family = familyOf(name);
        expect(family, `${where}: ${name} is not exported`).toBeDefined();
        for (const l of families.get(family!)!.labels) labels.add(l);
      }
      for (const label of labelNamesIn(expr)) {
        expect(labels.has(label), `${where}: label ${label} is not on ${names.join(', ')}`).toBe(true);
      }
    }
  });

  it('has a panel for every PolyHunter metric family', () => {
    const used = new Set(queries.flatMap(({ expr }) => metricNamesIn(expr).map(familyOf)));
    // Node's process metrics are there to pick from; the dashboard shows a few.
    const own = [...families.keys()].filter((n) => !/^polyhunter_(process_|nodejs_)/.test(n));
    expect(own.sort()).toEqual([
      'polyhunter_bad_messages_total',
      'polyhunter_cash_usdc',
      'polyhunter_component_healthy',
      'polyhunter_copy_decisions_total',
      'polyhunter_leader_sightings_total',
      'polyhunter_leader_trades_seen_total',
      'polyhunter_metrics_collect_errors_total',
      'polyhunter_order_stage_seconds',
      'polyhunter_orders_total',
      'polyhunter_pnl_realized_usdc',
      'polyhunter_pnl_unrealized_usdc',
      'polyhunter_reconnects_total',
      'polyhunter_refusals_total',
      'polyhunter_source_lag_seconds',
    ]);
    for (const name of own) expect(used.has(name), `${name} has no panel`).toBe(true);
  });

  it('fails on a name the registry does not export (the check can fail)', () => {
    expect(familyOf('polyhunter_orders_total')).toBe('polyhunter_orders_total');
    expect(familyOf('polyhunter_source_lag_seconds_bucket')).toBe('polyhunter_source_lag_seconds');
    expect(familyOf('polyhunter_orders_total_bucket')).toBeUndefined();
    expect(familyOf('polyhunter_order_total')).toBeUndefined();
  });
});
