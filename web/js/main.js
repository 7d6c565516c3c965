/**
 * The dashboard's shell: the mode banner (PAPER or LIVE, on every page), the token control, the
 * stream indicator and a hash router (#/overview, #/leaders?address=0x..., ...). Each page module
 * exports `render(root, params)` and may return a cleanup function, called when the page is left.
 */
import { apiGet } from './api.js';
import { fill, h } from './dom.js';
import { startFeed } from './feed-store.js';
import { refreshNames } from './names.js';
import * as feed from './pages/feed.js';
import * as guardrails from './pages/guardrails.js';
import * as latency from './pages/latency.js';
import * as leaders from './pages/leaders.js';
import * as overview from './pages/overview.js';
import * as reset from './pages/reset.js';
import * as settings from './pages/settings.js';
import { connectStream, onStreamEvent, onStreamState } from './stream.js';
import { forgetToken, getToken, isRemembered, onTokenChange, setToken } from './token.js';
import { errorBox } from './ui.js';

/** @typedef {(root: HTMLElement, params: URLSearchParams) => (void | (() => void))} Render */

/** @type {Record<string, { title: string, render: Render }>} */
const PAGES = {
  overview: { title: 'Overview', render: overview.render },
  leaders: { title: 'Leaders', render: leaders.render },
  feed: { title: 'Live feed', render: feed.render },
  settings: { title: 'Settings', render: settings.render },
  guardrails: { title: 'Guardrails', render: guardrails.render },
  latency: { title: 'Latency', render: latency.render },
  reset: { title: 'Reset paper state', render: reset.render },
};

const STATUS_REFRESH_MS = 5000;

/** @type {(() => void) | void} */
let leavePage;

function route() {
  const root = /** @type {HTMLElement} */ (document.getElementById('page'));
  const hash = location.hash.replace(/^#\/?/, '');
  const [name = '', queryText = ''] = hash.split('?', 2);
  const page = PAGES[name];
  if (page === undefined) {
    location.replace('#/overview');
    return;
  }
  if (typeof leavePage === 'function') leavePage();
  leavePage = undefined;
  for (const a of document.querySelectorAll('#nav a')) {
    if (/** @type {HTMLElement} */ (a).dataset.page === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${page.title} · PolyHunter`;
  root.replaceChildren();
  root.dataset.page = name;
  try {
    leavePage = page.render(root, new URLSearchParams(queryText));
  } catch (err) {
    fill(root, errorBox(err, `Showing ${page.title}`));
  }
}

/** The mode on every screen: PAPER in blue, LIVE in red stripes, unknown when unreachable. */
async function refreshMode() {
  const banner = /** @type {HTMLElement} */ (document.getElementById('mode-banner'));
  try {
    const status = await apiGet('/api/status');
    const live = status.mode === 'live';
    document.body.dataset.mode = live ? 'live' : 'paper';
    fill(
      banner,
      status.modeLabel,
      ' ',
      h(
        'small',
        null,
        live
          ? 'REAL MONEY: orders go to Polymarket with your wallet'
          : 'simulated fills against the live books; no real money moves',
      ),
      status.healthy ? null : [' ', h('small', null, '· a component is unhealthy (see Overview)')],
    );
  } catch {
    document.body.dataset.mode = 'unreachable';
    fill(banner, 'SERVER UNREACHABLE', ' ', h('small', null, 'the mode is unknown until the server answers'));
  }
}

function renderTokenControl() {
  const box = /** @type {HTMLElement} */ (document.getElementById('token-control'));
  const token = getToken();
  if (token !== null) {
    fill(
      box,
      h(
        'span',
        { class: 'badge good', id: 'token-state' },
        isRemembered() ? 'token set (remembered)' : 'token set',
      ),
      h('button', { type: 'button', onclick: () => forgetToken() }, 'Forget token'),
    );
    return;
  }
  const input = /** @type {HTMLInputElement} */ (
    h('input', {
      type: 'password',
      name: 'token',
      placeholder: 'dashboard token',
      autocomplete: 'off',
      'aria-label': 'Dashboard token',
      size: 22,
    })
  );
  const remember = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', name: 'remember' }));
  const form = h(
    'form',
    {
      id: 'token-form',
      onsubmit: (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        if (input.value.trim() !== '') setToken(input.value, remember.checked);
      },
    },
    input,
    h('label', { class: 'muted', title: 'Keep it in this browser after it closes' }, remember, ' remember'),
    h('button', { type: 'submit' }, 'Set token'),
  );
  fill(box, h('span', { class: 'badge warn', id: 'token-state' }, 'read-only: no token'), form);
}

function renderStreamState() {
  const el = /** @type {HTMLElement} */ (document.getElementById('stream-state'));
  onStreamState((state) => {
    el.className = `stream-state ${state}`;
    el.textContent =
      state === 'open' ? 'live' : state === 'closed' ? 'stream reconnecting…' : 'stream connecting…';
  });
}

renderTokenControl();
onTokenChange(renderTokenControl);
renderStreamState();
connectStream();
startFeed();
void refreshNames();
void refreshMode();
setInterval(refreshMode, STATUS_REFRESH_MS);
onStreamEvent('app.started', refreshMode);
onStreamEvent('app.stopping', refreshMode);
window.addEventListener('hashchange', route);
route();
