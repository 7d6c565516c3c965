/**
 * Leaders: add a follow, pause, resume or remove one, and for each leader its copy statistics,
 * its positions and its recent trades with each source's lag (#/leaders?address=0x...).
 */
import { apiGet, apiSend } from '../api.js';
import { append, fill, h } from '../dom.js';
import {
  ago,
  bps,
  dateTime,
  lag,
  parseDollars,
  parsePercentBps,
  price,
  shares,
  shortAddress,
} from '../format.js';
import { refreshNames } from '../names.js';
import { badge, errorBox, money, panel, successBox, table } from '../ui.js';

const SIZING_MODES = {
  fixed_usd: { label: 'fixed $ per trade', unit: '$', hint: 'dollars per copy, e.g. 25' },
  leader_pct: {
    label: "% of the leader's trade",
    unit: '%',
    hint: "percent of the leader's dollars, e.g. 25",
  },
  balance_pct: { label: '% of our balance', unit: '%', hint: 'percent of our cash, e.g. 2' },
  balance_ratio: { label: 'our balance / leader balance', unit: '', hint: 'no amount needed' },
};

/**
 * @param {HTMLElement} root
 * @param {URLSearchParams} params
 * @returns {() => void}
 */
export function render(root, params) {
  const address = params.get('address');
  const message = h('div', { id: 'action-result', 'aria-live': 'polite' });
  const leadersBox = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const followsBox = h('div');
  const detailBox = h('div');
  let stopped = false;

  /** @param {Node} node */
  const say = (node) => fill(message, node);

  /** Follow ids whose Remove is armed: a periodic refresh would redraw the button and disarm it. */
  const armed = new Set();

  /** @param {boolean} [periodic] */
  async function load(periodic = false) {
    if (periodic && armed.size > 0) return;
    try {
      const [{ leaders }, { follows }] = await Promise.all([apiGet('/api/leaders'), apiGet('/api/follows')]);
      if (stopped) return;
      fill(leadersBox, leadersTable(leaders));
      fill(followsBox, followsTable(follows, act, armed));
      if (address !== null) fill(detailBox, await leaderDetail(address));
    } catch (err) {
      if (!stopped) fill(leadersBox, errorBox(err, 'Loading the leaders'));
    }
  }

  /**
   * Runs a write, shows its outcome (the server's refusal as it said it), reloads.
   * @param {string} what
   * @param {() => Promise<string>} write resolves with the success message
   */
  async function act(what, write) {
    try {
      say(successBox(await write()));
      void refreshNames();
      await load();
    } catch (err) {
      say(errorBox(err, what));
    }
  }

  append(root, [
    h(
      'h1',
      null,
      address === null
        ? 'Leaders'
        : h('span', null, h('a', { href: '#/leaders' }, 'Leaders'), ` › ${address}`),
    ),
    message,
    address === null ? null : detailBox,
    panel('Add a follow', addForm(act)),
    panel('Leaders and copy statistics', leadersBox),
    panel('Follows', followsBox),
  ]);
  void load();
  const timer = setInterval(() => load(true), 10_000);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

/**
 * @param {(what: string, write: () => Promise<string>) => Promise<void>} act
 */
function addForm(act) {
  const leader = /** @type {HTMLInputElement} */ (
    h('input', {
      name: 'leader',
      placeholder: '0x… (profile address)',
      size: 44,
    })
  );
  const label = /** @type {HTMLInputElement} */ (
    h('input', { name: 'label', placeholder: 'optional', size: 12 })
  );
  const account = /** @type {HTMLInputElement} */ (h('input', { name: 'account', value: 'paper', size: 10 }));
  const mode = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { name: 'sizing' },
      Object.entries(SIZING_MODES).map(([value, m]) => h('option', { value }, m.label)),
    )
  );
  const amount = /** @type {HTMLInputElement} */ (h('input', { name: 'amount', value: '25', size: 8 }));
  const amountHint = h('span', null, SIZING_MODES.fixed_usd.hint);
  mode.addEventListener('change', () => {
    const m = SIZING_MODES[/** @type {keyof typeof SIZING_MODES} */ (mode.value)];
    amount.disabled = m.unit === '';
    amountHint.textContent = m.hint;
  });
  const direction = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { name: 'direction' },
      h('option', { value: 'copy' }, 'copy'),
      h('option', { value: 'counter' }, 'counter (opposite side)'),
    )
  );
  const slippage = /** @type {HTMLInputElement} */ (
    h('input', { name: 'slippage', placeholder: 'default 2', size: 6 })
  );
  const maxTrade = /** @type {HTMLInputElement} */ (
    h('input', { name: 'maxTrade', placeholder: 'no cap', size: 8 })
  );

  return h(
    'form',
    {
      class: 'inline',
      id: 'add-follow',
      onsubmit: (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        void act('Adding the follow', async () => {
          const body = followBody();
          const change = await apiSend('POST', '/api/follows', body);
          return [`Added follow #${change.follow.id}: ${change.follow.sizingText}.`, ...change.notes].join(
            ' ',
          );
        });
      },
    },
    h('label', null, 'Leader address', leader),
    h('label', null, 'Label', label),
    h('label', null, 'Account', account),
    h('label', null, 'Sizing', mode),
    h('label', null, h('span', null, 'Amount (', amountHint, ')'), amount),
    h('label', null, 'Direction', direction),
    h('label', null, 'Slippage %', slippage),
    h('label', null, 'Max per copy $', maxTrade),
    h('button', { type: 'submit', class: 'primary' }, 'Add follow'),
  );

  /** The request body; amounts typed as dollars and percents become micro-units and basis points. */
  function followBody() {
    /** @type {Record<string, unknown>} */
    const sizing = { mode: mode.value };
    if (mode.value === 'fixed_usd') sizing.amountUsdc = parseDollars(amount.value) ?? amount.value;
    if (mode.value === 'leader_pct' || mode.value === 'balance_pct') {
      sizing.pctBps = parsePercentBps(amount.value) ?? amount.value;
    }
    /** @type {Record<string, unknown>} */
    const body = { leader: leader.value.trim(), sizing, direction: direction.value };
    if (account.value.trim() !== '') body.account = account.value.trim();
    if (label.value.trim() !== '') body.leaderLabel = label.value.trim();
    // A value that does not parse is sent as typed: the server's 400 says what is wrong with it.
    if (slippage.value.trim() !== '') body.slippageBps = parsePercentBps(slippage.value) ?? slippage.value;
    if (maxTrade.value.trim() !== '') body.maxTradeUsdc = parseDollars(maxTrade.value) ?? maxTrade.value;
    return body;
  }
}

/** @param {any[]} leaders */
function leadersTable(leaders) {
  const now = Date.now();
  return table(
    [
      'Leader',
      'Watched',
      'Follows',
      { label: 'Trades', num: true },
      'Last trade',
      { label: 'Copied', num: true },
      { label: 'Skipped', num: true },
      { label: 'Refused', num: true },
      { label: 'Copy rate', num: true },
      { label: 'Open positions', num: true },
      '',
    ],
    leaders.map((l) => {
      const decided = l.decisions.copy + l.decisions.skip + l.decisions.refused;
      return [
        h(
          'span',
          null,
          h('strong', null, l.label ?? shortAddress(l.address)),
          ' ',
          h('code', { title: l.address }, shortAddress(l.address)),
        ),
        badge(l.enabled ? `yes (${l.startupMode} start)` : 'no', l.enabled ? 'good' : 'warn'),
        `${l.follows.active} active, ${l.follows.paused} paused${l.follows.disabled ? `, ${l.follows.disabled} off` : ''}`,
        String(l.trades.count),
        l.trades.lastAt === null ? 'never' : ago(l.trades.lastAt, now),
        String(l.decisions.copy),
        String(l.decisions.skip),
        String(l.decisions.refused),
        decided === 0 ? '—' : `${Math.round((100 * l.decisions.copy) / decided)}%`,
        String(l.openPositions),
        h('a', { href: `#/leaders?address=${l.address}` }, 'details'),
      ];
    }),
    'No leaders yet: add a follow above.',
    { id: 'leaders-table' },
  );
}

/**
 * @param {any[]} follows
 * @param {(what: string, write: () => Promise<string>) => Promise<void>} act
 * @param {Set<number>} armed follow ids whose Remove waits for its confirming click
 */
function followsTable(follows, act, armed) {
  return table(
    ['#', 'Leader', 'Account', 'Sizing', 'Direction', 'Slippage', 'Max per copy', 'State', 'Actions'],
    follows.map((f) => [
      String(f.id),
      h(
        'span',
        null,
        f.leaderLabel ?? '',
        ' ',
        h('code', { title: f.leaderAddress }, shortAddress(f.leaderAddress)),
      ),
      f.accountName,
      f.problem ? h('span', { class: 'neg' }, f.problem) : f.sizingText,
      f.direction,
      bps(f.slippageBps),
      f.maxTradeUsdc === null ? 'no cap' : money(f.maxTradeUsdc),
      badge(f.state, f.state === 'active' ? 'good' : f.state === 'paused' ? 'warn' : 'bad'),
      h(
        'span',
        { class: 'actions', dataset: { follow: f.id } },
        f.enabled
          ? h(
              'button',
              {
                type: 'button',
                dataset: { action: f.paused ? 'resume' : 'pause' },
                onclick: () =>
                  act(`${f.paused ? 'Resuming' : 'Pausing'} follow #${f.id}`, async () => {
                    await apiSend('PATCH', `/api/follows/${f.id}`, { paused: !f.paused });
                    return `Follow #${f.id} ${f.paused ? 'resumed' : 'paused'}.`;
                  }),
              },
              f.paused ? 'Resume' : 'Pause',
            )
          : null,
        ' ',
        f.enabled ? removeButton(f, act, armed) : null,
      ),
    ]),
    'No follows yet.',
    { id: 'follows-table' },
  );
}

/**
 * Remove asks twice: the first click arms it for a few seconds.
 * @param {any} f
 * @param {(what: string, write: () => Promise<string>) => Promise<void>} act
 * @param {Set<number>} armedIds
 */
function removeButton(f, act, armedIds) {
  let armed = false;
  /** @type {number} */
  let disarm = 0;
  const button = /** @type {HTMLButtonElement} */ (
    h(
      'button',
      {
        type: 'button',
        dataset: { action: 'remove' },
        onclick: () => {
          if (!armed) {
            armed = true;
            armedIds.add(f.id);
            button.textContent = 'Confirm remove';
            button.classList.add('danger');
            disarm = window.setTimeout(() => {
              armed = false;
              armedIds.delete(f.id);
              button.textContent = 'Remove';
              button.classList.remove('danger');
            }, 5000);
            return;
          }
          clearTimeout(disarm);
          armedIds.delete(f.id);
          void act(`Removing follow #${f.id}`, async () => {
            const r = await apiSend('DELETE', `/api/follows/${f.id}`);
            return r.outcome === 'deleted'
              ? `Follow #${f.id} removed.`
              : `Follow #${f.id} turned off and kept for its history (${r.decisions} decisions, ${r.orders} orders).`;
          });
        },
      },
      'Remove',
    )
  );
  return button;
}

/** @param {string} address */
async function leaderDetail(address) {
  const d = await apiGet(`/api/leaders/${encodeURIComponent(address)}`);
  const l = d.leader;
  return h(
    'div',
    { id: 'leader-detail' },
    panel(
      `${l.label ?? shortAddress(l.address)}: positions (${d.positions.length})`,
      h(
        'p',
        { class: 'muted' },
        `Watched since ${dateTime(l.createdAt)} · ${l.trades.count} trades seen · ${l.decisions.copy} copied, ${l.decisions.skip} skipped, ${l.decisions.refused} refused`,
      ),
      table(
        ['Market', 'Outcome', { label: 'Shares', num: true }, 'Updated'],
        d.positions.map((/** @type {any} */ p) => [
          p.question ?? p.tokenId,
          p.outcome ?? '?',
          shares(p.shares),
          dateTime(p.updatedAt),
        ]),
        'The leader holds nothing we know of.',
      ),
    ),
    panel(
      'Recent trades',
      table(
        [
          'Time',
          'Side',
          'Market',
          { label: 'Shares', num: true },
          { label: 'Price', num: true },
          { label: 'USDC', num: true },
          'First seen by',
          'api',
          'rtds',
          'chain',
        ],
        d.recentTrades.map((/** @type {any} */ t) => [
          dateTime(t.tradeAt),
          t.side,
          h('span', null, t.question ?? t.tokenId, ' ', badge(t.outcome ?? '?')),
          shares(t.size),
          price(t.price),
          money(t.usdc),
          t.firstSource ?? '—',
          lag(t.lagMs.api),
          lag(t.lagMs.rtds),
          lag(t.lagMs.chain),
        ]),
        'No trades seen yet.',
      ),
    ),
  );
}
