/**
 * Overview: the trading mode, each component's health, PnL with a chart, open positions, and
 * today's copies and refusals. Refreshes every few seconds and after each copy decision.
 */
import { apiGet, query } from '../api.js';
import { lineChart } from '../charts.js';
import { fill, h } from '../dom.js';
import { ago, dateTime, price, shares, time, usd } from '../format.js';
import { followName } from '../names.js';
import { onStreamEvent } from '../stream.js';
import { badge, card, errorBox, money, panel, table } from '../ui.js';

const REFRESH_MS = 5000;
/** Chart ranges and their bucket sizes (about 60-120 points each). */
const RANGES = {
  '1h': { ms: 3_600_000, bucket: 60_000 },
  '24h': { ms: 86_400_000, bucket: 900_000 },
  '7d': { ms: 7 * 86_400_000, bucket: 7_200_000 },
  '30d': { ms: 30 * 86_400_000, bucket: 21_600_000 },
};

/**
 * @param {HTMLElement} root
 * @returns {() => void}
 */
export function render(root) {
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  root.append(h('h1', null, 'Overview'), body);
  /** @type {keyof typeof RANGES} */
  let range = '24h';
  let stopped = false;
  let busy = false;
  /** A reload asked for while one runs (a new range, a decision) runs after it. */
  let again = false;

  async function load() {
    if (stopped) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    again = false;
    try {
      const r = RANGES[range];
      const now = Date.now();
      const [status, pnl, positions] = await Promise.all([
        apiGet('/api/status'),
        apiGet(`/api/pnl${query({ since: now - r.ms, bucket: r.bucket })}`),
        apiGet('/api/positions'),
      ]);
      const [decisions, guardrails] = await Promise.all([
        apiGet(`/api/decisions${query({ since: pnl.dayStart, limit: 500 })}`),
        apiGet(`/api/guardrails${query({ since: pnl.dayStart, limit: 20 })}`),
      ]);
      if (stopped) return;
      fill(
        body,
        modeCard(status),
        healthPanel(status),
        pnlPanel(pnl, range, (next) => {
          range = next;
          void load();
        }),
        h(
          'div',
          { class: 'grid' },
          positionsPanel(positions),
          todayPanel(decisions, guardrails, pnl.dayStart),
        ),
      );
    } catch (err) {
      if (!stopped) fill(body, errorBox(err, 'Loading the overview'));
    } finally {
      busy = false;
      if (again) void load();
    }
  }

  void load();
  const timer = setInterval(load, REFRESH_MS);
  let soon = 0;
  const offDecision = onStreamEvent('copy.decision', () => {
    clearTimeout(soon);
    soon = window.setTimeout(load, 300);
  });
  return () => {
    stopped = true;
    clearInterval(timer);
    clearTimeout(soon);
    offDecision();
  };
}

/** @param {any} status */
function modeCard(status) {
  const live = status.mode === 'live';
  return h(
    'div',
    { class: `mode-card ${live ? 'live' : 'paper'}`, id: 'mode-card', dataset: { mode: status.mode } },
    live ? 'LIVE TRADING' : 'PAPER TRADING',
    h(
      'small',
      null,
      live ? 'Orders are real and spend real money.' : 'Fills are simulated; no money moves.',
      ` Up ${ago(status.startedAt, status.now).replace(' ago', '')} · database ${status.database.engine}`,
      status.writesEnabled ? '' : ' · changes disabled (no dashboard token configured)',
    ),
  );
}

/** @param {any} status */
function healthPanel(status) {
  return panel(
    status.healthy ? 'Health: every component is healthy' : 'Health: a component is unhealthy',
    h(
      'div',
      { class: 'health' },
      status.components.map((/** @type {any} */ c) =>
        h(
          'div',
          { class: c.healthy ? 'component' : 'component unhealthy', dataset: { component: c.component } },
          h(
            'div',
            { class: 'name' },
            c.component,
            ' ',
            badge(c.healthy ? 'ok' : 'unhealthy', c.healthy ? 'good' : 'bad'),
          ),
          h('div', { class: 'detail' }, componentSummary(c.detail, status.now)),
        ),
      ),
      status.components.length === 0 ? h('p', { class: 'muted' }, 'No components report yet.') : null,
    ),
  );
}

/**
 * A line from a component's detail: its state, when it last heard anything, its troubles.
 * @param {any} d
 * @param {number} now
 */
function componentSummary(d, now) {
  if (d === null || typeof d !== 'object') return d === null || d === undefined ? '' : String(d);
  /** @type {string[]} */
  const parts = [];
  if (typeof d.mode === 'string') parts.push(`mode ${d.mode}`);
  if (typeof d.state === 'string') parts.push(d.state);
  if (typeof d.running === 'boolean') parts.push(d.running ? 'running' : 'stopped');
  if (typeof d.open === 'boolean') parts.push(d.open ? 'copying allowed' : 'copying closed');
  const last = d.lastMessageAtMs ?? d.lastSuccessAt ?? d.lastLogAtMs ?? d.lastHeadAtMs ?? null;
  if (typeof last === 'number') parts.push(`last heard ${ago(last, now)}`);
  if (typeof d.syncedTokens === 'number') parts.push(`${d.syncedTokens}/${d.tokens} books synced`);
  if (typeof d.orders === 'number') parts.push(`${d.orders} orders, ${d.failures ?? 0} failures`);
  for (const key of [
    'reconnects',
    'badMessages',
    'consecutiveFailures',
    'gaps',
    'uncoveredGaps',
    'resyncs',
  ]) {
    if (typeof d[key] === 'number' && d[key] > 0) parts.push(`${key} ${d[key]}`);
  }
  if (Array.isArray(d.degraded) && d.degraded.length > 0) parts.push(`degraded: ${d.degraded.join(', ')}`);
  if (typeof d.lastError === 'string' && d.lastError) parts.push(`last error: ${d.lastError}`);
  return parts.join(' · ');
}

/**
 * @param {any} pnl
 * @param {keyof typeof RANGES} range
 * @param {(range: keyof typeof RANGES) => void} onRange
 */
function pnlPanel(pnl, range, onRange) {
  const select = h(
    'select',
    {
      'aria-label': 'Chart range',
      onchange: (/** @type {Event} */ e) =>
        onRange(/** @type {keyof typeof RANGES} */ (/** @type {HTMLSelectElement} */ (e.target).value)),
    },
    Object.keys(RANGES).map((k) => h('option', { value: k, selected: k === range }, `last ${k}`)),
  );
  const since = pnl.at - RANGES[range].ms;
  return panel(
    'Profit and loss',
    pnl.accounts.map((/** @type {any} */ a) => {
      const series = pnl.series.find((/** @type {any} */ s) => s.accountId === a.id);
      const points = series
        ? [
            { x: since, y: series.startRealized },
            ...series.points.map((/** @type {any} */ p) => ({ x: p.at, y: p.realized })),
            { x: pnl.at, y: series.points.at(-1)?.realized ?? series.startRealized },
          ]
        : [];
      return h(
        'div',
        { class: 'account-pnl', dataset: { account: a.name } },
        h('div', { class: 'toolbar' }, h('strong', null, `${a.name} (${a.mode})`), select),
        h(
          'div',
          { class: 'cards' },
          card('Total PnL', money(a.total, { signed: true, colour: true })),
          card('Realized', money(a.realized, { signed: true, colour: true })),
          card('Unrealized', money(a.unrealized, { signed: true, colour: true })),
          card('Realized today', money(a.realizedToday, { signed: true, colour: true })),
          card('Equity', money(a.equity)),
          card('Cash', money(a.cash)),
          card('Exposure', money(a.exposure)),
          card('Fees paid', money(a.feesPaid)),
        ),
        h('p', { class: 'muted' }, `Realized PnL over the last ${range} (sells and market resolutions):`),
        lineChart(points, {
          title: `Realized PnL of ${a.name}, last ${range}`,
          yFormat: (y) => usd(y),
          xFormat: (x) => (RANGES[range].ms >= 86_400_000 ? dateTime(x).slice(5, 16) : time(x)),
          minSpan: 1_000_000,
          empty: 'No fills yet.',
        }),
      );
    }),
    pnl.accounts.length === 0
      ? h('p', { class: 'muted' }, 'No accounts yet: add a follow on the Leaders page.')
      : null,
  );
}

/** @param {any} report */
function positionsPanel(report) {
  const open = report.positions.filter((/** @type {any} */ p) => p.status === 'open' && p.shares > 0);
  return panel(
    `Open positions (${open.length})`,
    table(
      [
        'Market',
        'Account',
        { label: 'Shares', num: true },
        { label: 'Avg cost', num: true },
        { label: 'Mark', num: true },
        { label: 'Value', num: true },
        { label: 'Unrealized', num: true },
      ],
      open.map((/** @type {any} */ p) => [
        h('span', null, p.question ?? p.tokenId, ' ', badge(p.outcome ?? '?')),
        p.account,
        shares(p.shares),
        price(p.avgCost),
        p.mark === null ? h('span', { class: 'muted' }, 'no mark') : price(p.mark),
        money(p.marketValue),
        money(p.unrealized, { signed: true, colour: true }),
      ]),
      'No open positions.',
      { id: 'positions' },
    ),
  );
}

/**
 * @param {any} decisions
 * @param {any} guardrails
 * @param {number} dayStart
 */
function todayPanel(decisions, guardrails, dayStart) {
  const list = decisions.decisions;
  const count = (/** @type {string} */ d) => list.filter((/** @type {any} */ x) => x.decision === d).length;
  const notCopied = list.filter((/** @type {any} */ x) => x.decision !== 'copy').slice(0, 10);
  const reasons = Object.entries(guardrails.reasons);
  return panel(
    `Today (since ${dateTime(dayStart)})`,
    h(
      'div',
      { class: 'cards', id: 'today' },
      card('Copies', String(count('copy')), { dataset: { count: 'copy' } }),
      card('Skips', String(count('skip')), { dataset: { count: 'skip' } }),
      card('Refusals', String(count('refused')), { dataset: { count: 'refused' } }),
    ),
    decisions.nextBefore === null
      ? null
      : h('p', { class: 'muted' }, 'Counts cover the newest 500 decisions.'),
    reasons.length === 0
      ? null
      : h(
          'p',
          null,
          'Guardrail refusals by reason: ',
          reasons.map(([reason, n]) =>
            h(
              'a',
              { href: `#/guardrails?reason=${encodeURIComponent(reason)}` },
              badge(`${reason} ${n}`, 'bad'),
              ' ',
            ),
          ),
        ),
    h('h2', null, 'Latest skips and refusals'),
    table(
      ['Time', 'Follow', 'Decision', 'Why'],
      notCopied.map((/** @type {any} */ d) => [
        time(d.decidedAt),
        followName(d.followId),
        badge(d.decision, d.decision === 'refused' ? 'bad' : 'warn'),
        h('span', null, d.reasonCode ? h('code', null, d.reasonCode) : null, ' ', d.detail),
      ]),
      'Nothing skipped or refused today.',
    ),
  );
}
