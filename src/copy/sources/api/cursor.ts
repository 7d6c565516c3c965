/**
 * The Data API poller's cursor, as pure functions.
 *
 * The API stamps rows in whole seconds, many rows can share a second (and a transaction hash), and
 * its `start` filter is inclusive. So the cursor is a second plus the keys of the rows already
 * taken in that second; each poll re-reads from the start of that second, in the API's stable
 * ascending order, and takes the rows it has no key for.
 *
 * A row's key is what tells it apart from the other rows of its transaction: tx hash, token, side,
 * size and price, plus its ordinal among identical rows of that tx (two fills of the same size at
 * the same price in one tx are two rows, and the API gives nothing else to tell them apart). A tx
 * has one block time, so identical rows share a second, and the ordinal is counted from the start
 * of that second: reading a second from its start always numbers its rows the same way. A scan
 * that resumes mid-second (a stored v2 cursor) carries the counts it had reached (`ResumePoint`).
 */

export interface ApiCursor {
  /**
   * Epoch ms: the second being read (a whole second once a row has been taken; the start time,
   * not necessarily whole, before that).
   */
  ts: number;
  /** Keys of the rows taken in the second of `ts`. */
  keys: readonly string[];
}

/** Ordinals among identical rows of the second being read, carried from page to page of a scan. */
export interface Ordinals {
  sec: number | null;
  counts: ReadonlyMap<string, number>;
}

/** What the cursor needs of a row: its second and its identity without the ordinal. */
export interface CursorRow<T> {
  sec: number;
  base: string;
  row: T;
}

export interface Keyed<T> {
  key: string;
  row: T;
}

export interface PageOutcome<T> {
  /** The page's rows the cursor had not taken, oldest first, keyed. */
  fresh: Keyed<T>[];
  cursor: ApiCursor;
  ordinals: Ordinals;
}

const SEPARATOR = '|';

export const secondOf = (ms: number): number => Math.floor(ms / 1000);

/** A row's identity without its ordinal: tx hash, token, side, size and price (micro-units). */
export function rowBase(fields: {
  txHash: string;
  tokenId: string;
  side: string;
  size: number;
  price: number;
}): string {
  return [fields.txHash.toLowerCase(), fields.tokenId, fields.side, fields.size, fields.price].join(
    SEPARATOR,
  );
}

export const rowKey = (base: string, ordinal: number): string => `${base}${SEPARATOR}${ordinal}`;

/** The base of a key made by `rowKey`. */
export const baseOfKey = (key: string): string => key.slice(0, key.lastIndexOf(SEPARATOR));

/** For a scan that reads the cursor's second from its start (every v1 scan, a fresh v2 scan). */
export function freshOrdinals(): Ordinals {
  return { sec: null, counts: new Map() };
}

/**
 * Where a v2 scan stopped: the API's `next_cursor`, the `start` the scan sent (v2 wants the same
 * filters on every page) and the ordinals at that row, stored together (as JSON in the leader's
 * `api_cursor_v2`) so that a scan resumed after a restart numbers the rest of that second exactly
 * as an unbroken scan would. The keys alone cannot say this: they may hold rows of the second
 * beyond the point a later, interrupted scan reached.
 */
export interface ResumePoint {
  next: string;
  startSec: number;
  ordinals: Ordinals;
}

export function encodeResume(point: ResumePoint): string {
  return JSON.stringify({
    next: point.next,
    start: point.startSec,
    sec: point.ordinals.sec,
    counts: [...point.ordinals.counts],
  });
}

/** The resume point, or undefined for text that is not one (the scan then starts afresh). */
export function decodeResume(text: string): ResumePoint | undefined {
  try {
    const value = JSON.parse(text) as { next?: unknown; start?: unknown; sec?: unknown; counts?: unknown };
    if (typeof value.next !== 'string' || value.next === '') return undefined;
    if (!Number.isSafeInteger(value.start) || (value.start as number) < 0) return undefined;
    if (value.sec !== null && !Number.isSafeInteger(value.sec)) return undefined;
    if (!Array.isArray(value.counts)) return undefined;
    const counts = new Map<string, number>();
    for (const entry of value.counts) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Number.isSafeInteger(entry[1]))
        return undefined;
      counts.set(entry[0], entry[1] as number);
    }
    return {
      next: value.next,
      startSec: value.start as number,
      ordinals: { sec: value.sec as number | null, counts },
    };
  } catch {
    return undefined;
  }
}

/**
 * Keys a page (rows in the API's ascending order), picks the rows the cursor has not taken, and
 * moves the cursor past them. Rows before the cursor's second are old and dropped. The cursor
 * returned is the one to store once the fresh rows are safely ingested.
 */
export function applyPage<T>(
  cursor: ApiCursor,
  ordinals: Ordinals,
  rows: readonly CursorRow<T>[],
): PageOutcome<T> {
  const cursorSec = secondOf(cursor.ts);
  const taken = new Set(cursor.keys);
  let sec = ordinals.sec;
  let counts = new Map(ordinals.counts);
  let newestSec = cursorSec;
  const keyed: { sec: number; key: string; row: T }[] = [];
  const fresh: Keyed<T>[] = [];
  for (const r of rows) {
    if (r.sec !== sec) {
      sec = r.sec;
      counts = new Map();
    }
    const ordinal = counts.get(r.base) ?? 0;
    counts.set(r.base, ordinal + 1);
    const key = rowKey(r.base, ordinal);
    if (r.sec < cursorSec) continue;
    keyed.push({ sec: r.sec, key, row: r.row });
    if (r.sec > cursorSec || !taken.has(key)) fresh.push({ key, row: r.row });
    newestSec = Math.max(newestSec, r.sec);
  }
  const next: ApiCursor =
    newestSec === cursorSec
      ? {
          ts: cursor.ts,
          keys: union(
            cursor.keys,
            keyed.map((k) => k.key),
          ),
        }
      : {
          ts: newestSec * 1000,
          keys: union(
            [],
            keyed.filter((k) => k.sec === newestSec).map((k) => k.key),
          ),
        };
  return { fresh, cursor: next, ordinals: { sec, counts } };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  const seen = new Set(a);
  const out = [...a];
  for (const k of b) {
    if (!seen.has(k)) {
      seen.add(k);
      out.push(k);
    }
  }
  return out;
}

export function sameCursor(a: ApiCursor, b: ApiCursor): boolean {
  return a.ts === b.ts && a.keys.length === b.keys.length && a.keys.every((k, i) => k === b.keys[i]);
}
