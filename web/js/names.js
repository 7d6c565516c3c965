/**
 * Names for ids the events carry: a leader's label for its address, a follow's description for
 * its id. Read from the API, refreshed when an unknown one shows up.
 */
import { apiGet } from './api.js';
import { shortAddress } from './format.js';

/** @type {Map<string, string>} */
const leaders = new Map();
/** @type {Map<number, { leader: string, sizing: string, account: string }>} */
const follows = new Map();
/** @type {Promise<void> | null} */
let loading = null;
/** Follow ids a refresh was already asked for, so an unknown one is looked up once. */
const asked = new Set();

/** Re-reads leaders and follows (at most one read at a time). */
export function refreshNames() {
  loading ??= (async () => {
    try {
      const [l, f] = await Promise.all([apiGet('/api/leaders'), apiGet('/api/follows')]);
      for (const leader of l.leaders) if (leader.label) leaders.set(leader.address, leader.label);
      for (const follow of f.follows) {
        follows.set(follow.id, {
          leader: follow.leaderLabel ?? shortAddress(follow.leaderAddress),
          sizing: follow.sizingText,
          account: follow.accountName,
        });
      }
    } catch {
      // Names are a nicety: ids and addresses stand in.
    } finally {
      loading = null;
    }
  })();
  return loading;
}

/**
 * @param {string} address
 * @returns {string}
 */
export function leaderName(address) {
  return leaders.get(address) ?? shortAddress(address);
}

/**
 * "follow #2 (shark, 25% of leader)"
 * @param {number} id
 * @returns {string}
 */
export function followName(id) {
  const f = follows.get(id);
  if (f === undefined) {
    if (!asked.has(id)) {
      asked.add(id);
      void refreshNames();
    }
    return `follow #${id}`;
  }
  return `follow #${id} (${f.leader}, ${f.sizing})`;
}
