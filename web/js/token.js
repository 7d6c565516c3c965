/**
 * The dashboard token, pasted once by the user. Kept in sessionStorage (this tab) unless the user
 * asks to remember it on this computer (localStorage). Reads never need it; writes send it as
 * `Authorization: Bearer <token>`.
 */

const KEY = 'polyhunter.dashboardToken';

/** @type {Set<() => void>} */
const listeners = new Set();

/** @returns {string | null} */
export function getToken() {
  return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
}

/** @returns {boolean} whether the token is kept across browser restarts */
export function isRemembered() {
  return localStorage.getItem(KEY) !== null;
}

/**
 * @param {string} token
 * @param {boolean} remember keep it in localStorage rather than for this tab only
 */
export function setToken(token, remember) {
  forgetToken(false);
  (remember ? localStorage : sessionStorage).setItem(KEY, token.trim());
  notify();
}

export function forgetToken(announce = true) {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
  if (announce) notify();
}

/**
 * @param {() => void} listener called when the token is set or forgotten
 * @returns {() => void} unsubscribe
 */
export function onTokenChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify() {
  for (const l of listeners) l();
}
