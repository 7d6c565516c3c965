/**
 * Settings: every effective setting with its source. Runtime settings (trading.*, risk.*) are
 * edited here: saved with PUT /api/settings/:key, validated by the server (its 400 message is
 * shown under the row), stored in the database and picked up by the running process within
 * seconds. The others come from the config file or the environment and need a restart.
 */
import { apiGet, apiSend } from '../api.js';
import { fill, h } from '../dom.js';
import { onStreamEvent } from '../stream.js';
import { badge, errorBox, panel, successBox } from '../ui.js';

/**
 * @typedef {object} Setting
 * @property {string} key
 * @property {unknown} value
 * @property {string} source
 * @property {boolean} secret
 * @property {boolean} runtime
 * @property {boolean} fromEnv
 */

/**
 * @param {HTMLElement} root
 * @param {URLSearchParams} params
 * @returns {() => void}
 */
export function render(root, params) {
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const filter = /** @type {HTMLInputElement} */ (
    h('input', {
      type: 'search',
      placeholder: 'filter, e.g. risk.max',
      'aria-label': 'Filter settings',
      value: params.get('q') ?? '',
    })
  );
  const onlyEditable = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox' }));
  root.append(
    h('h1', null, 'Settings'),
    h(
      'p',
      { class: 'muted' },
      'Editable settings are stored in the database; a change made here applies to the next trade at once (one made with `polyhunter config set` within 5 s); the rest come from polyhunter.toml or the environment and need a restart. Money settings are in dollars.',
    ),
    h('div', { class: 'toolbar' }, filter, h('label', null, onlyEditable, ' only editable')),
    body,
  );
  /** @type {Map<string, { row: HTMLElement, update: (s: Setting) => void, dirty: () => boolean }>} */
  const rows = new Map();

  const applyFilter = () => {
    const text = filter.value.trim().toLowerCase();
    for (const [key, r] of rows) {
      const editable = r.row.dataset.runtime === 'true';
      r.row.hidden = (text !== '' && !key.includes(text)) || (onlyEditable.checked && !editable);
    }
  };
  filter.addEventListener('input', applyFilter);
  onlyEditable.addEventListener('change', applyFilter);

  void (async () => {
    try {
      const { settings } = await apiGet('/api/settings');
      /** @type {Map<string, Setting[]>} */
      const sections = new Map();
      for (const s of settings) {
        const section = s.key.split('.', 1)[0];
        sections.set(section, [...(sections.get(section) ?? []), s]);
      }
      fill(
        body,
        [...sections].map(([section, list]) =>
          panel(
            section,
            h(
              'table',
              { class: 'settings' },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  h('th', null, 'Setting'),
                  h('th', null, 'Value'),
                  h('th', null, 'Source'),
                  h('th', null, ''),
                ),
              ),
              h(
                'tbody',
                null,
                list.map((s) => {
                  const r = settingRow(s);
                  rows.set(s.key, r);
                  return r.row;
                }),
              ),
            ),
          ),
        ),
      );
      applyFilter();
    } catch (err) {
      fill(body, errorBox(err, 'Loading the settings'));
    }
  })();

  // A change made elsewhere (the CLI, another tab) shows here unless the row is being edited.
  const off = onStreamEvent('settings.changed', async (e) => {
    const r = rows.get(e.key);
    if (r === undefined || r.dirty()) return;
    try {
      r.update(await apiGet(`/api/settings/${encodeURIComponent(e.key)}`));
    } catch {
      // The next visit shows it.
    }
  });
  return off;
}

/**
 * One setting: its value (an editor when it is a runtime one), its source and a Save button.
 * @param {Setting} initial
 */
function settingRow(initial) {
  let setting = initial;
  const row = h('tr', { dataset: { key: setting.key, runtime: String(setting.runtime) } });
  const message = h('div', { class: 'row-message' });
  /** @type {HTMLInputElement | HTMLSelectElement | null} */
  let editor = null;
  let dirty = false;

  const draw = () => {
    editor = setting.runtime ? editorFor(setting) : null;
    editor?.addEventListener('input', () => {
      dirty = true;
    });
    const save = setting.runtime
      ? h('button', { type: 'submit', class: 'primary', dataset: { action: 'save' } }, 'Save')
      : null;
    const valueCell = setting.runtime
      ? h(
          'form',
          {
            class: 'inline',
            onsubmit: (/** @type {SubmitEvent} */ e) => {
              e.preventDefault();
              void submit();
            },
          },
          editor,
          save,
        )
      : h('code', null, setting.secret ? String(setting.value) : JSON.stringify(setting.value));
    fill(
      row,
      h('td', null, h('code', null, setting.key)),
      h('td', null, valueCell, message),
      h('td', { class: 'source' }, setting.source),
      h(
        'td',
        null,
        setting.runtime ? badge('editable', 'good') : badge(setting.secret ? 'secret' : 'boot'),
        setting.fromEnv ? [' ', badge('env overrides', 'warn')] : null,
      ),
    );
  };

  async function submit() {
    if (editor === null) return;
    const value = editedValue(editor, setting.value);
    try {
      const r = await apiSend('PUT', `/api/settings/${encodeURIComponent(setting.key)}`, { value });
      setting = r.setting;
      dirty = false;
      draw();
      fill(
        message,
        successBox([
          `Saved: ${JSON.stringify(r.previous)} → ${JSON.stringify(r.value)}; it applies to the next trade.`,
          r.warning ? ` ${r.warning}.` : '',
        ]),
      );
    } catch (err) {
      fill(message, errorBox(err, `Saving ${setting.key}`));
    }
  }

  draw();
  return {
    row,
    dirty: () => dirty,
    /** @param {Setting} next */
    update(next) {
      setting = next;
      draw();
    },
  };
}

/**
 * @param {Setting} s
 * @returns {HTMLInputElement | HTMLSelectElement}
 */
function editorFor(s) {
  const label = `Value of ${s.key}`;
  if (typeof s.value === 'boolean') {
    return /** @type {HTMLSelectElement} */ (
      h(
        'select',
        { name: s.key, 'aria-label': label },
        h('option', { value: 'true', selected: s.value === true }, 'true'),
        h('option', { value: 'false', selected: s.value === false }, 'false'),
      )
    );
  }
  const text = typeof s.value === 'string' ? s.value : JSON.stringify(s.value);
  return /** @type {HTMLInputElement} */ (
    h('input', { class: 'value-editor', name: s.key, value: text, 'aria-label': label, spellcheck: 'false' })
  );
}

/**
 * What the editor holds, as the JSON value to send: text for a text setting; otherwise the text
 * parsed as JSON (25, null, ["api","rtds"]), or the raw text when it does not parse, so that the
 * server's validation says what is wrong with it.
 * @param {HTMLInputElement | HTMLSelectElement} editor
 * @param {unknown} current
 */
function editedValue(editor, current) {
  const text = editor.value.trim();
  if (editor instanceof HTMLSelectElement) return text === 'true';
  if (typeof current === 'string' && text !== 'null') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
