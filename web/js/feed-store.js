/**
 * The live feed's model, kept for the whole page (switching pages loses nothing): each leader
 * trade with when each source saw it, and each follow's decision and fill. It starts from the
 * newest trades, decisions and orders in the API, then follows the event stream.
 */
import { apiGet } from './api.js';
import { onStreamEvent } from './stream.js';

export const SOURCES = /** @type {const} */ (['api', 'rtds', 'chain']);
const KEEP = 200;

/**
 * @typedef {object} FeedTrade
 * @property {number} id
 * @property {string} leader
 * @property {string} tokenId
 * @property {string | null} outcome
 * @property {string | null} question
 * @property {'BUY' | 'SELL'} side
 * @property {number} size micro-shares
 * @property {number} price micro-USDC per share
 * @property {number} usdc micro-USDC
 * @property {number} tradeAt epoch ms
 * @property {boolean} isBackfill
 * @property {boolean} retracted
 */

/**
 * @typedef {object} FeedOrder
 * @property {number} id
 * @property {string} status FILLED, PARTIAL, REJECTED, FAILED, SUBMITTED...
 * @property {'BUY' | 'SELL' | null} side
 * @property {number | null} size
 * @property {number | null} limitPrice
 * @property {number | null} filled micro-shares
 * @property {number | null} avgPrice
 * @property {number | null} fees
 * @property {number | null} realized
 * @property {string | null} note
 */

/**
 * @typedef {object} FeedDecision
 * @property {number} followId
 * @property {'copy' | 'skip' | 'refused'} decision
 * @property {string | null} reason reason code
 * @property {string} detail
 * @property {FeedOrder | null} order
 * @property {boolean} live arrived on the stream while the page was open
 * @property {number} at epoch ms
 */

/**
 * @typedef {object} FeedItem
 * @property {FeedTrade} trade
 * @property {Record<'api' | 'rtds' | 'chain', number | null>} lagMs each source's lag behind the fill
 * @property {string | null} firstSource
 * @property {Map<number, FeedDecision>} decisions by follow id
 * @property {boolean} live first seen on the stream while the page was open
 * @property {number} changedAt when it last changed (epoch ms, this browser's clock)
 */

/** @type {Map<number, FeedItem>} */
const items = new Map();
/** @type {Map<number, FeedDecision>} order id -> the decision it belongs to */
const byOrder = new Map();
/** @type {Set<() => void>} */
const listeners = new Set();
let started = false;
let pending = false;

/** Newest first. */
export function feedItems() {
  return [...items.values()].sort((a, b) => b.trade.tradeAt - a.trade.tradeAt || b.trade.id - a.trade.id);
}

/**
 * @param {() => void} listener called (at most once per frame) after a change
 * @returns {() => void} unsubscribe
 */
export function onFeedChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    for (const l of listeners) l();
  });
}

/** Subscribes to the stream and loads the recent history; later calls do nothing. */
export function startFeed() {
  if (started) return;
  started = true;
  onStreamEvent('leader.sighting', onSighting);
  onStreamEvent('copy.decision', onDecision);
  onStreamEvent('order.done', onOrder);
  void loadRecent();
}

/**
 * @param {any} t a trade as the stream or the API sends it
 * @returns {FeedTrade}
 */
function tradeOf(t) {
  return {
    id: t.id,
    leader: t.leader,
    tokenId: t.tokenId,
    outcome: t.outcome ?? null,
    question: t.question ?? null,
    side: t.side,
    size: t.size,
    price: t.price,
    usdc: t.usdc,
    tradeAt: t.tradeAt,
    isBackfill: Boolean(t.isBackfill),
    retracted: Boolean(t.retracted),
  };
}

/**
 * The item of a trade, created when new; the trade's figures are updated (a trade grows as its
 * parts arrive), a known question kept. Only what the stream brings counts as a change worth
 * showing (history loaded from the API does not flash).
 * @param {any} t
 * @param {boolean} live from the stream
 */
function itemFor(t, live) {
  const trade = tradeOf(t);
  let item = items.get(trade.id);
  if (item === undefined) {
    item = {
      trade,
      lagMs: { api: null, rtds: null, chain: null },
      firstSource: null,
      decisions: new Map(),
      live,
      changedAt: live ? Date.now() : 0,
    };
    items.set(trade.id, item);
    trim();
  } else {
    item.trade = { ...trade, question: trade.question ?? item.trade.question };
    if (live) item.changedAt = Date.now();
  }
  return item;
}

function trim() {
  if (items.size <= KEEP) return;
  for (const item of feedItems().slice(KEEP)) {
    items.delete(item.trade.id);
    for (const d of item.decisions.values()) if (d.order) byOrder.delete(d.order.id);
  }
}

/** @param {any} e a leader.sighting event */
function onSighting(e) {
  const { outcome, sighting } = e;
  if (!outcome || !('trade' in outcome)) return;
  const item = itemFor(outcome.trade, true);
  if (outcome.status === 'retracted') item.trade.retracted = outcome.trade.retracted;
  if (sighting?.kind === 'fill') {
    const source = /** @type {'api' | 'rtds' | 'chain'} */ (sighting.source);
    if (item.lagMs[source] === null) item.lagMs[source] = sighting.seenAtMs - outcome.trade.tradeAt;
    if (outcome.status === 'new' && item.firstSource === null) item.firstSource = source;
  }
  if (item.trade.question === null) void fillQuestions();
  changed();
}

/** @param {any} e a copy.decision event */
function onDecision(e) {
  const item = itemFor(e.trade, true);
  /** @type {FeedDecision} */
  const d = {
    followId: e.follow.id,
    decision: 'copy',
    reason: null,
    detail: '',
    order: null,
    live: true,
    at: e.at,
  };
  if (e.decision === 'skip') {
    d.decision = 'skip';
    d.reason = e.reason;
    d.detail = e.detail;
  } else {
    const o = e.outcome;
    const plan = e.plan;
    d.detail = plan.reason ?? '';
    /** @type {FeedOrder} */
    const order = {
      id: o.orderId ?? 0,
      status: '',
      side: plan.side,
      size: plan.size,
      limitPrice: plan.limitPrice,
      filled: null,
      avgPrice: null,
      fees: null,
      realized: null,
      note: null,
    };
    switch (o.kind) {
      case 'executed':
        Object.assign(order, {
          status: o.status,
          filled: o.filledShares,
          avgPrice: o.avgPrice,
          fees: o.fees,
          realized: o.realized,
          note: o.note,
        });
        break;
      case 'refused':
        d.decision = 'refused';
        d.reason = o.refusals[0]?.code ?? 'REFUSED';
        d.detail = o.refusals.map((/** @type {any} */ r) => r.message).join(' ');
        order.status = 'REFUSED';
        break;
      case 'rejected':
        Object.assign(order, { status: 'REJECTED', note: `${o.code}: ${o.reason}` });
        break;
      case 'failed':
        Object.assign(order, { status: 'FAILED', note: o.error });
        break;
      case 'submitted':
        Object.assign(order, { status: 'SUBMITTED', note: `venue: ${o.venueStatus}` });
        break;
      case 'unknown':
        Object.assign(order, { status: 'SUBMITTED', note: `fate unknown (${o.error}); reconciling` });
        break;
      case 'duplicate':
        d.decision = 'skip';
        d.reason = 'DUPLICATE';
        d.detail = 'already copied';
        break;
    }
    if (d.decision !== 'skip' && order.id > 0) {
      d.order = order;
      byOrder.set(order.id, d);
    }
  }
  item.decisions.set(d.followId, d);
  changed();
}

/** @param {any} e an order.done event: a later fate of an order (a live order's fills) */
function onOrder(e) {
  const d = byOrder.get(e.orderId);
  if (d?.order == null) return;
  const o = e.outcome;
  if (o.kind === 'executed') {
    Object.assign(d.order, {
      status: o.status,
      filled: o.filledShares,
      avgPrice: o.avgPrice,
      fees: o.fees,
      realized: o.realized,
      note: o.note,
    });
    changed();
  }
}

/** The newest trades, decisions and orders from the API, merged under what the stream brought. */
export async function loadRecent() {
  const [t, d, o] = await Promise.all([
    apiGet('/api/trades?limit=40'),
    apiGet('/api/decisions?limit=200'),
    apiGet('/api/orders?limit=200'),
  ]).catch(() => [null, null, null]);
  if (t === null) return;
  const orders = new Map(o.orders.map((/** @type {any} */ x) => [x.id, x]));
  for (const trade of t.trades) {
    const item = itemFor(trade, false);
    for (const s of SOURCES) if (item.lagMs[s] === null) item.lagMs[s] = trade.lagMs[s];
    item.firstSource ??= trade.firstSource;
  }
  for (const decision of d.decisions) {
    const item = items.get(decision.trade.id);
    if (item === undefined || item.decisions.has(decision.followId)) continue;
    const order = decision.orderId === null ? undefined : orders.get(decision.orderId);
    /** @type {FeedDecision} */
    const fd = {
      followId: decision.followId,
      decision: decision.decision,
      reason: decision.reasonCode,
      detail: decision.detail,
      live: false,
      at: decision.decidedAt,
      order:
        order === undefined
          ? null
          : {
              id: order.id,
              status: order.status,
              side: order.side,
              size: order.size,
              limitPrice: order.limitPrice,
              filled: order.filledSize,
              avgPrice: null,
              fees: null,
              realized: null,
              note: order.error,
            },
    };
    item.decisions.set(fd.followId, fd);
    if (fd.order) byOrder.set(fd.order.id, fd);
  }
  changed();
}

let questionsPending = false;

/** Market questions are not in the stream's trades: the API's trade list has them. */
async function fillQuestions() {
  if (questionsPending) return;
  questionsPending = true;
  await new Promise((r) => setTimeout(r, 400));
  try {
    const { trades } = await apiGet('/api/trades?limit=40');
    for (const t of trades) {
      const item = items.get(t.id);
      if (item && item.trade.question === null) item.trade.question = t.question;
    }
    changed();
  } catch {
    // The next new trade asks again.
  } finally {
    questionsPending = false;
  }
}
