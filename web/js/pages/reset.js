/**
 * Reset paper state: shows what a reset would remove, and does it only with the dashboard token
 * typed here and the word RESET typed as confirmation. Live accounts cannot be reset (the server
 * refuses).
 */
import { apiGet, apiSend, query } from '../api.js';
import { fill, h } from '../dom.js';
import { errorBox, money, panel, successBox } from '../ui.js';

const CONFIRM_WORD = 'RESET';

/**
 * @param {HTMLElement} root
 * @param {URLSearchParams} params
 */
export function render(root, params) {
  const account = params.get('account') ?? 'paper';
  const preview = h('div', { id: 'reset-preview' }, h('p', { class: 'muted' }, 'Loading…'));
  const result = h('div', { id: 'reset-result', 'aria-live': 'polite' });
  const token = /** @type {HTMLInputElement} */ (
    h('input', {
      type: 'password',
      name: 'reset-token',
      autocomplete: 'off',
      placeholder: 'dashboard token',
    })
  );
  const confirm = /** @type {HTMLInputElement} */ (
    h('input', { name: 'reset-confirm', autocomplete: 'off', placeholder: `type ${CONFIRM_WORD}` })
  );
  const button = /** @type {HTMLButtonElement} */ (
    h('button', { type: 'submit', class: 'danger' }, `Reset ${account}`)
  );

  async function showPreview() {
    try {
      const p = await apiGet(`/api/paper/reset${query({ account })}`);
      const r = p.removed;
      fill(
        preview,
        h(
          'p',
          null,
          `A reset of "${p.account}" deletes ${r.fills} fills, ${r.orders} orders, ${r.copyDecisions} copy decisions, `,
          `${r.guardrailEvents} guardrail events and ${r.positions} positions, and sets its cash from `,
          money(p.cashBefore),
          ' to ',
          money(p.cash),
          ' (trading.paper_starting_cash_usd). Leaders, follows, trades and settings stay.',
        ),
      );
    } catch (err) {
      fill(preview, errorBox(err, `Previewing a reset of "${account}"`));
    }
  }

  /** @param {SubmitEvent} e */
  async function submit(e) {
    e.preventDefault();
    if (token.value.trim() === '') {
      fill(
        result,
        h(
          'div',
          { class: 'error', role: 'alert', dataset: { code: 'TOKEN_REQUIRED' } },
          h('strong', null, 'The dashboard token is required to reset paper state.'),
          'Type it in the token field (dashboard.token in secrets.toml); nothing was reset.',
        ),
      );
      token.focus();
      return;
    }
    if (confirm.value.trim() !== CONFIRM_WORD) {
      fill(
        result,
        h(
          'div',
          { class: 'error', role: 'alert', dataset: { code: 'CONFIRMATION_REQUIRED' } },
          h('strong', null, `Type ${CONFIRM_WORD} to confirm.`),
          'Nothing was reset.',
        ),
      );
      confirm.focus();
      return;
    }
    button.disabled = true;
    try {
      const r = await apiSend(
        'POST',
        '/api/paper/reset',
        { confirm: CONFIRM_WORD, account },
        { token: token.value.trim() },
      );
      const n = r.removed;
      fill(
        result,
        successBox([
          `Reset "${r.account}": removed ${n.fills} fills, ${n.orders} orders, ${n.copyDecisions} decisions, `,
          `${n.guardrailEvents} guardrail events, ${n.positions} positions; cash is now `,
          money(r.cash),
          '.',
        ]),
      );
      confirm.value = '';
      await showPreview();
    } catch (err) {
      fill(result, errorBox(err, 'The reset'));
    } finally {
      button.disabled = false;
    }
  }

  root.append(
    h('h1', null, 'Reset paper state'),
    panel('What a reset removes', preview),
    h(
      'section',
      { class: 'panel danger-zone' },
      h('h2', null, `Reset "${account}"`),
      h(
        'form',
        { class: 'stack', id: 'reset-form', onsubmit: submit },
        h('label', null, 'Dashboard token (asked every time)', token),
        h('label', null, `Type ${CONFIRM_WORD} to confirm`, confirm),
        h('div', null, button),
      ),
      result,
    ),
  );
  void showPreview();
}
