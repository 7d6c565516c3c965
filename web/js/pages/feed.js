/**
 * Live feed: each leader trade as it happens, when each source saw it (lag behind the fill), each
 * follow's decision and the fill, from the event stream (see feed-store.js).
 */
import { fill, h } from '../dom.js';
import { feedItems, onFeedChange, SOURCES } from '../feed-store.js';
import { lag, price, shares, time } from '../format.js';
import { followName, leaderName } from '../names.js';
import { onStreamState } from '../stream.js';
import { badge, money } from '../ui.js';

const SHOWN = 60;
/** An item that changed this recently flashes. */
const FRESH_MS = 1500;

/**
 * @param {HTMLElement} root
 * @returns {() => void}
 */
export function render(root) {
  const state = h('span', { class: 'muted' });
  const summary = h('div', { class: 'toolbar', id: 'lag-summary' });
  const list = h('div', { class: 'feed', id: 'feed' });
  root.append(
    h('h1', null, 'Live feed'),
    h(
      'p',
      { class: 'muted' },
      'Each leader trade, when each source saw it (after the fill), what each follow decided, and the fill. ',
      state,
    ),
    summary,
    list,
  );
  const draw = () => {
    const items = feedItems().slice(0, SHOWN);
    fill(summary, lagSummary(items));
    fill(
      list,
      items.length === 0 ? h('p', { class: 'muted' }, 'Waiting for leader trades…') : items.map(feedItem),
    );
  };
  draw();
  const offFeed = onFeedChange(draw);
  const offState = onStreamState((s) => {
    state.textContent =
      s === 'open' ? 'Streaming.' : 'The stream is reconnecting; trades will appear when it is back.';
  });
  return () => {
    offFeed();
    offState();
  };
}

/**
 * Each source's median lag over the trades shown.
 * @param {import('../feed-store.js').FeedItem[]} items
 */
function lagSummary(items) {
  return SOURCES.map((s) => {
    const lags = items
      .map((i) => i.lagMs[s])
      .filter((v) => typeof v === 'number')
      .sort((a, b) => a - b);
    const firsts = items.filter((i) => i.firstSource === s).length;
    const median = lags.length === 0 ? null : lags[Math.floor((lags.length - 1) / 2)];
    return h(
      'span',
      { class: 'badge', dataset: { source: s } },
      `${s}: median ${lag(median)} over ${lags.length} · first ${firsts}×`,
    );
  });
}

/** @param {import('../feed-store.js').FeedItem} item */
function feedItem(item) {
  const t = item.trade;
  const fresh = Date.now() - item.changedAt < FRESH_MS;
  return h(
    'article',
    {
      class: fresh ? 'feed-item fresh' : 'feed-item',
      dataset: { trade: t.id, live: item.live ? 'true' : 'false' },
    },
    h(
      'div',
      { class: 'trade' },
      h('strong', null, time(t.tradeAt)),
      h('span', null, leaderName(t.leader)),
      h('span', { class: `side-${t.side}` }, t.side),
      h('span', null, `${shares(t.size)} shares @ ${price(t.price)}`),
      money(t.usdc),
      h(
        'span',
        null,
        t.question ?? h('code', null, t.tokenId.slice(0, 12), '…'),
        ' ',
        badge(t.outcome ?? '?'),
      ),
      t.isBackfill ? badge('backfill', 'warn') : null,
      t.retracted ? badge('retracted by a reorg', 'bad') : null,
    ),
    h(
      'div',
      { class: 'lags' },
      SOURCES.map((s) =>
        h(
          'span',
          {
            class: item.firstSource === s ? 'badge first' : item.lagMs[s] === null ? 'badge muted' : 'badge',
            dataset: { source: s },
            title: item.firstSource === s ? `${s} saw it first` : `when ${s} saw it, after the fill`,
          },
          `${s} ${item.lagMs[s] === null ? 'not yet' : lag(item.lagMs[s])}`,
        ),
      ),
    ),
    h(
      'ul',
      { class: 'decisions' },
      [...item.decisions.values()].map((d) =>
        h(
          'li',
          {
            dataset: {
              decision: d.decision,
              follow: d.followId,
              live: d.live ? 'true' : 'false',
              fill: d.order?.status ?? null,
            },
          },
          h('strong', null, followName(d.followId)),
          ': ',
          decisionText(d),
        ),
      ),
      item.decisions.size === 0 ? h('li', { class: 'muted' }, 'deciding…') : null,
    ),
  );
}

/** @param {import('../feed-store.js').FeedDecision} d */
function decisionText(d) {
  if (d.decision === 'skip')
    return h('span', null, 'skipped ', h('code', null, d.reason ?? ''), ` ${d.detail}`);
  if (d.decision === 'refused') {
    return h('span', { class: 'neg' }, 'refused ', h('code', null, d.reason ?? ''), ` ${d.detail}`);
  }
  const o = d.order;
  if (o === null) return h('span', null, 'copied');
  const what = `${o.side ?? ''} ${shares(o.size)} ${o.side === 'SELL' ? '≥' : '≤'} ${price(o.limitPrice)}`;
  const filled =
    o.filled !== null && o.filled > 0
      ? h(
          'span',
          null,
          ` → ${o.status} ${shares(o.filled)}`,
          o.avgPrice === null ? '' : ` @ ${price(o.avgPrice)}`,
          o.fees === null ? '' : h('span', null, ', fee ', money(o.fees)),
          o.realized === null || o.realized === 0
            ? ''
            : h('span', null, ', realized ', money(o.realized, { signed: true, colour: true })),
        )
      : ` → ${o.status}${o.note ? `: ${o.note}` : ''}`;
  return h('span', null, 'copied ', h('code', null, what), filled);
}
