/**
 * Latency: how long after a leader's fill each source saw it, and how long each stage of our hot
 * path took, as histograms over the newest 500 trades and orders.
 */
import { apiGet } from '../api.js';
import { histogram } from '../charts.js';
import { fill, h } from '../dom.js';
import { durationMs, durationUs, edgeMs, edgeUs } from '../format.js';
import { errorBox, panel } from '../ui.js';

const SOURCES = ['api', 'rtds', 'chain'];
const STAGES = ['prewrite', 'risk', 'pricing', 'preflight', 'execution', 'persistence'];
const STAGE_NOTES = {
  prewrite: 'intent committed as PENDING',
  risk: 'guardrails',
  pricing: 'limit price from the book',
  preflight: 'balance and allowance checks',
  execution: 'the broker or venue call',
  persistence: 'fills and positions written',
};
/** Bucket edges: source lags in ms, stages in µs. */
const LAG_EDGES_MS = [0, 100, 250, 500, 1000, 2000, 5000, 10_000, 30_000];
const STAGE_EDGES_US = [0, 100, 250, 500, 1000, 2500, 5000, 10_000, 50_000, 250_000];
const REFRESH_MS = 15_000;

/**
 * @param {HTMLElement} root
 * @returns {() => void}
 */
export function render(root) {
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  root.append(h('h1', null, 'Latency'), body);
  let stopped = false;

  async function load() {
    try {
      const [{ trades }, { orders }] = await Promise.all([
        apiGet('/api/trades?limit=500'),
        apiGet('/api/orders?limit=500'),
      ]);
      if (stopped) return;
      const live = trades.filter((/** @type {any} */ t) => !t.isBackfill);
      const copies = orders.filter((/** @type {any} */ o) => o.leaderTrade !== null);
      fill(
        body,
        panel(
          `Detection: each source's lag behind the leader's fill (${live.length} trades)`,
          h(
            'p',
            { class: 'muted' },
            'First to see a trade: ',
            SOURCES.map(
              (s) => `${s} ${live.filter((/** @type {any} */ t) => t.firstSource === s).length}×`,
            ).join(' · '),
          ),
          h(
            'div',
            { class: 'grid' },
            SOURCES.map((s) =>
              h(
                'div',
                { dataset: { source: s } },
                h('h2', null, s),
                histogram(
                  live
                    .map((/** @type {any} */ t) => t.lagMs[s])
                    .filter((/** @type {unknown} */ v) => typeof v === 'number'),
                  LAG_EDGES_MS,
                  {
                    title: `${s} lag`,
                    format: durationMs,
                    edgeFormat: edgeMs,
                    empty: `${s} has not seen a trade yet.`,
                  },
                ),
              ),
            ),
          ),
        ),
        panel(
          `Copy delay (${copies.length} copy orders)`,
          h(
            'div',
            { class: 'grid' },
            h(
              'div',
              null,
              h('h2', null, 'first sighting → order written'),
              histogram(
                copies
                  .map((/** @type {any} */ o) => o.leaderTrade.sinceFirstSeenMs)
                  .filter((/** @type {unknown} */ v) => typeof v === 'number'),
                LAG_EDGES_MS,
                { title: 'first sighting to order', format: durationMs, edgeFormat: edgeMs },
              ),
            ),
            h(
              'div',
              null,
              h('h2', null, "leader's fill → order written"),
              histogram(
                copies.map((/** @type {any} */ o) => o.leaderTrade.sinceFillMs),
                LAG_EDGES_MS,
                { title: 'fill to order', format: durationMs, edgeFormat: edgeMs },
              ),
            ),
          ),
        ),
        panel(
          `Execution stages (${orders.length} orders)`,
          h(
            'div',
            { class: 'grid' },
            STAGES.map((stage) =>
              h(
                'div',
                { dataset: { stage } },
                h(
                  'h2',
                  null,
                  stage,
                  ' ',
                  h(
                    'span',
                    { class: 'muted' },
                    `(${STAGE_NOTES[/** @type {keyof typeof STAGE_NOTES} */ (stage)]})`,
                  ),
                ),
                histogram(
                  orders
                    .map((/** @type {any} */ o) => o.stagesUs[stage])
                    .filter((/** @type {unknown} */ v) => typeof v === 'number'),
                  STAGE_EDGES_US,
                  { title: `${stage} stage`, format: durationUs, edgeFormat: edgeUs, empty: 'Not run yet.' },
                ),
              ),
            ),
          ),
        ),
      );
    } catch (err) {
      if (!stopped) fill(body, errorBox(err, 'Loading latencies'));
    }
  }

  void load();
  const timer = setInterval(load, REFRESH_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
