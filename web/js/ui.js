/**
 * Small pieces every page uses: panels, tables, badges, money cells, and the error box that shows
 * a refusal exactly as the server worded it.
 */
import { ApiError } from './api.js';
import { h } from './dom.js';
import { usd, usdExact } from './format.js';

/** @typedef {import('./dom.js').Children} Children */

/**
 * An error as the user should read it: the server's status, code and message, and what to do for
 * a missing or wrong token.
 * @param {unknown} err
 * @param {string} [what] the action that failed, e.g. "Pausing follow #2"
 * @returns {HTMLElement}
 */
export function errorBox(err, what = 'The request') {
  if (!(err instanceof ApiError)) {
    const message = err instanceof Error ? err.message : String(err);
    return h('div', { class: 'error', role: 'alert' }, h('strong', null, `${what} failed`), message);
  }
  let title;
  let hint = null;
  if (err.status === 0) {
    title = `${what} failed: the server did not answer`;
  } else if (err.status === 401) {
    title = `${what} was refused by the server (401 ${err.code})`;
    hint =
      'Paste the dashboard token with “Set token” at the top right (it is dashboard.token in secrets.toml, made by `polyhunter init`).';
  } else if (err.status === 403) {
    title = `${what} was refused by the server (403 ${err.code})`;
  } else if (err.status === 400) {
    title = `${what} was refused: the server says the input is invalid (400 ${err.code})`;
  } else {
    title = `${what} failed (${err.status} ${err.code})`;
  }
  return h(
    'div',
    { class: 'error', role: 'alert', dataset: { status: err.status, code: err.code } },
    h('strong', null, title),
    h('span', { class: 'server-message' }, err.message),
    hint === null ? null : h('div', { class: 'hint' }, hint),
  );
}

/**
 * @param {Children} text
 * @returns {HTMLElement}
 */
export function successBox(text) {
  return h('div', { class: 'success', role: 'status' }, text);
}

/**
 * A money amount to the cent, the exact value on hover; gains green and losses red when `colour`.
 * @param {number | null | undefined} micro
 * @param {{ signed?: boolean, colour?: boolean }} [options]
 */
export function money(micro, options = {}) {
  const text = usd(micro, options);
  // Colour follows what is shown: a loss that rounds to $0.00 is not painted red.
  const cls = options.colour && /[1-9]/.test(text) ? (text.startsWith('-') ? 'neg' : 'pos') : '';
  return h('span', { class: cls || null, title: usdExact(micro) || null }, text);
}

/**
 * @param {Children} text
 * @param {'good' | 'bad' | 'warn' | 'first' | ''} [kind]
 */
export function badge(text, kind = '') {
  return h('span', { class: kind ? `badge ${kind}` : 'badge' }, text);
}

/**
 * @param {string} title
 * @param {...Children} children
 */
export function panel(title, ...children) {
  return h('section', { class: 'panel' }, h('h2', null, title), ...children);
}

/**
 * @param {string} label
 * @param {Children} value
 * @param {Attrs} [attrs]
 */
export function card(label, value, attrs = {}) {
  return h(
    'div',
    { class: 'card', ...attrs },
    h('div', { class: 'label' }, label),
    h('div', { class: 'value' }, value),
  );
}

/** @typedef {import('./dom.js').Attrs} Attrs */
/** @typedef {{ label: string, num?: boolean }} Column */

/**
 * A table; `num` columns are right-aligned. With no rows it says `empty`.
 * @param {(string | Column)[]} columns
 * @param {Children[][]} rows
 * @param {string} [empty]
 * @param {Attrs} [attrs]
 */
export function table(columns, rows, empty = 'Nothing yet.', attrs = {}) {
  const cols = columns.map((c) => (typeof c === 'string' ? { label: c } : c));
  return h(
    'table',
    attrs,
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        cols.map((c) => h('th', { class: c.num ? 'num' : null }, c.label)),
      ),
    ),
    h(
      'tbody',
      null,
      rows.length === 0
        ? h('tr', null, h('td', { class: 'empty', colspan: cols.length }, empty))
        : rows.map((cells) =>
            h(
              'tr',
              null,
              cells.map((cell, i) => h('td', { class: cols[i]?.num ? 'num' : null }, cell)),
            ),
          ),
    ),
  );
}

/** @returns {HTMLElement} */
export function loading() {
  return h('p', { class: 'muted' }, 'Loading…');
}
