/**
 * Guardrails: every refusal with its reason code, its message and the numbers the gate saw,
 * newest first, filterable by reason (#/guardrails?reason=TRADE_CAP), paged with "Older".
 */
import { apiGet, query } from '../api.js';
import { fill, h } from '../dom.js';
import { dateTime, namedNumber, shortAddress, shortId } from '../format.js';
import { leaderName } from '../names.js';
import { onStreamEvent } from '../stream.js';
import { badge, errorBox, table } from '../ui.js';

const PAGE = 50;

/**
 * @param {HTMLElement} root
 * @param {URLSearchParams} params
 * @returns {() => void}
 */
export function render(root, params) {
  const reason = params.get('reason');
  const chips = h('div', { class: 'chips', id: 'reason-filter' });
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const more = h('div');
  root.append(
    h('h1', null, 'Guardrails'),
    h('p', { class: 'muted' }, 'Orders the risk gate refused, with the reason and the numbers it saw.'),
    chips,
    body,
    more,
  );
  /** @type {any[]} */
  let events = [];
  let stopped = false;

  /** @param {number | null} before */
  async function load(before) {
    try {
      const page = await apiGet(`/api/guardrails${query({ reason, limit: PAGE, before })}`);
      if (stopped) return;
      events = before === null ? page.events : [...events, ...page.events];
      fill(chips, reasonChips(page.reasons, reason));
      fill(body, eventsTable(events));
      fill(
        more,
        page.nextBefore === null
          ? null
          : h('button', { type: 'button', onclick: () => load(page.nextBefore) }, 'Older refusals'),
      );
    } catch (err) {
      if (!stopped) fill(body, errorBox(err, 'Loading the refusals'));
    }
  }

  void load(null);
  // A refused copy shows up at once.
  const off = onStreamEvent('copy.decision', (e) => {
    if (e.decision === 'copy' && e.outcome?.kind === 'refused') void load(null);
  });
  return () => {
    stopped = true;
    off();
  };
}

/**
 * @param {Record<string, number>} reasons refusals per reason (all of them, not only this page)
 * @param {string | null} current
 */
function reasonChips(reasons, current) {
  const total = Object.values(reasons).reduce((a, b) => a + b, 0);
  return [
    h('a', { href: '#/guardrails', 'aria-current': current === null ? 'true' : null }, badge(`all ${total}`)),
    Object.entries(reasons).map(([code, n]) =>
      h(
        'a',
        {
          href: `#/guardrails?reason=${encodeURIComponent(code)}`,
          'aria-current': code === current ? 'true' : null,
          dataset: { reason: code },
        },
        badge(`${code} ${n}`, 'bad'),
      ),
    ),
    current !== null && !(current in reasons) ? badge(`${current} 0`, 'bad') : null,
  ];
}

/** @param {any[]} events */
function eventsTable(events) {
  return table(
    ['Time', 'Reason', 'Account', 'Leader', 'Token', 'What the gate saw'],
    events.map((e) => {
      const context =
        e.context !== null && typeof e.context === 'object' ? e.context : { message: String(e.context) };
      const { message, ...numbers } = context;
      return [
        dateTime(e.at),
        h('code', null, e.reasonCode),
        e.account ?? '—',
        e.leader === null
          ? '—'
          : h('span', { title: e.leader }, leaderName(e.leader) || shortAddress(e.leader)),
        h('code', { title: e.tokenId ?? '' }, shortId(e.tokenId)),
        h(
          'div',
          null,
          typeof message === 'string' ? h('div', null, message) : null,
          h(
            'div',
            { class: 'muted' },
            Object.entries(numbers)
              .map(([k, v]) => `${k} ${namedNumber(k, v)}`)
              .join(' · '),
          ),
        ),
      ];
    }),
    'No refusals.',
    { id: 'guardrail-events' },
  );
}
