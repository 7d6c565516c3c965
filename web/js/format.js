/**
 * Display formats. Money, prices and shares arrive as integer micro-units (1e-6); they are turned
 * into text with integer arithmetic (no float round-trip), rounded half up for display only.
 */

const MICRO = 1_000_000;

/**
 * A micro-unit integer as a decimal with `decimals` places (0-6) and thousands separators.
 * @param {number} micro
 * @param {number} decimals
 * @returns {string}
 */
export function decimal(micro, decimals) {
  if (typeof micro !== 'number' || !Number.isFinite(micro)) return '—';
  const abs = Math.abs(Math.trunc(micro));
  const step = 10 ** (6 - decimals);
  const rest = abs % step;
  const units = (abs - rest) / step + (rest * 2 >= step ? 1 : 0);
  const scale = 10 ** decimals;
  const frac = units % scale;
  const whole = (units - frac) / scale;
  const sign = micro < 0 && units > 0 ? '-' : '';
  const wholeText = whole.toLocaleString('en-US');
  return decimals === 0
    ? `${sign}${wholeText}`
    : `${sign}${wholeText}.${String(frac).padStart(decimals, '0')}`;
}

/**
 * Dollars to the cent: 12_345_678 -> "$12.35", -5_000_000 -> "-$5.00".
 * @param {number | null | undefined} micro
 * @param {{ signed?: boolean }} [options] `signed`: "+" before a gain
 */
export function usd(micro, options = {}) {
  if (typeof micro !== 'number' || !Number.isFinite(micro)) return '—';
  const text = decimal(Math.abs(micro), 2);
  const sign = micro < 0 && text !== '0.00' ? '-' : options.signed && micro > 0 ? '+' : '';
  return `${sign}$${text}`;
}

/**
 * Dollars to the micro, trailing zeros dropped: the exact value behind a rounded one.
 * @param {number | null | undefined} micro
 */
export function usdExact(micro) {
  if (typeof micro !== 'number' || !Number.isFinite(micro)) return '';
  const text = decimal(Math.abs(micro), 6).replace(/0+$/, '').replace(/\.$/, '');
  return `${micro < 0 ? '-' : ''}$${text}`;
}

/**
 * Shares to 0.01.
 * @param {number | null | undefined} micro
 */
export function shares(micro) {
  return typeof micro === 'number' ? decimal(micro, 2) : '—';
}

/**
 * A price (0 to 1 USDC per share) with up to 4 places, at least 2: 266_000 -> "0.266".
 * @param {number | null | undefined} micro
 */
export function price(micro) {
  if (typeof micro !== 'number' || !Number.isFinite(micro)) return '—';
  return decimal(micro, 4)
    .replace(/(\.\d\d\d?)0$/, '$1')
    .replace(/(\.\d\d)0$/, '$1');
}

/**
 * Basis points as a percent: 250 -> "2.5%".
 * @param {number | null | undefined} bps
 */
export function bps(bps) {
  if (typeof bps !== 'number' || !Number.isFinite(bps)) return '—';
  return `${Number((bps / 100).toFixed(2))}%`;
}

/**
 * A lag in ms: "+370 ms", "+2.10 s".
 * @param {number | null | undefined} ms
 */
export function lag(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '-' : '+';
  const abs = Math.abs(ms);
  return abs < 1000 ? `${sign}${Math.round(abs)} ms` : `${sign}${(abs / 1000).toFixed(2)} s`;
}

/**
 * A duration in ms: "370 ms", "2.10 s".
 * @param {number | null | undefined} ms
 */
export function durationMs(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/**
 * A duration in microseconds: "850 µs", "1.2 ms".
 * @param {number | null | undefined} us
 */
export function durationUs(us) {
  if (typeof us !== 'number' || !Number.isFinite(us)) return '—';
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(1)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

/**
 * A bucket edge in ms, short: "250ms", "2s".
 * @param {number} ms
 */
export function edgeMs(ms) {
  return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}

/**
 * A bucket edge in µs, short: "250µs", "2.5ms".
 * @param {number} us
 */
export function edgeUs(us) {
  return us < 1000 ? `${us}µs` : `${us / 1000}ms`;
}

/**
 * Local wall-clock time of an epoch ms: "14:05:09".
 * @param {number | null | undefined} ms
 */
export function time(ms) {
  if (typeof ms !== 'number') return '—';
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

/**
 * Local date and time of an epoch ms: "2026-11-22 14:05:09".
 * @param {number | null | undefined} ms
 */
export function dateTime(ms) {
  if (typeof ms !== 'number') return '—';
  const d = new Date(ms);
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time(ms)}`;
}

/**
 * How long ago: "4 s ago", "12 min ago".
 * @param {number | null | undefined} ms
 * @param {number} now
 */
export function ago(ms, now) {
  if (typeof ms !== 'number') return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/**
 * 0x3a1e…0a11
 * @param {string | null | undefined} address
 */
export function shortAddress(address) {
  if (typeof address !== 'string') return '—';
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/**
 * A token id (a long decimal number), shortened.
 * @param {string | null | undefined} id
 */
export function shortId(id) {
  if (typeof id !== 'string') return '—';
  return id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}

/**
 * A number from a refusal's or decision's numbers, formatted by its name: `*Usdc` money,
 * `*Bps` percent, `*Price`/`price` a price, `*Ms` a duration, `*At`/`now` a time.
 * @param {string} key
 * @param {unknown} value
 * @returns {string}
 */
export function namedNumber(key, value) {
  if (typeof value !== 'number') return value === null ? 'none' : String(value);
  if (/Usdc$/.test(key)) return usd(value);
  if (/Bps$/.test(key)) return bps(value);
  if (/(^p|P)rice$/.test(key)) return price(value);
  if (/Ms$/.test(key)) return durationMs(value);
  if (/At$/.test(key) || key === 'now') return time(value);
  if (key === 'size' || /Shares$/.test(key)) return shares(value);
  return String(value);
}

/**
 * Dollars typed by a user ("25", "1,000.5") as micro-units, exactly; null when it is not a amount.
 * @param {string} text
 * @returns {number | null}
 */
export function parseDollars(text) {
  return parseDecimal(text.replace(/^\$/, ''), 6);
}

/**
 * A percent typed by a user ("25", "2.5") as basis points; null when it is not one.
 * @param {string} text
 * @returns {number | null}
 */
export function parsePercentBps(text) {
  return parseDecimal(text.replace(/%$/, ''), 2);
}

/**
 * A non-negative decimal with at most `places` decimals as an integer scaled by 10^places.
 * @param {string} text
 * @param {number} places
 * @returns {number | null}
 */
function parseDecimal(text, places) {
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (m === null) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > places) return null;
  const whole = Number((m[1] ?? '0').replaceAll(',', ''));
  const value = whole * 10 ** places + Number(fraction.padEnd(places, '0') || '0');
  return Number.isSafeInteger(value) ? value : null;
}

export { MICRO };
