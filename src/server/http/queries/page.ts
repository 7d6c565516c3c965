/**
 * Paging newest first by id: a page holds up to `limit` rows with ids below `before`, and says
 * where the next (older) page starts. Queries fetch one row more than asked to know.
 */

export interface PageOf<T> {
  items: T[];
  /** Pass as `before` for the next, older page; null when this is the last. */
  nextBefore: number | null;
}

export function pageOf<T extends { id: number }>(rows: readonly T[], limit: number): PageOf<T> {
  const items = rows.slice(0, limit);
  return { items, nextBefore: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** JSON text of a stored column, or the text itself when it does not parse (never a 500 for it). */
export function parseStoredJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Epoch ms of the earliest non-null time, or null. */
export function earliest(...times: readonly (number | null)[]): number | null {
  const known = times.filter((t): t is number => t !== null);
  return known.length === 0 ? null : Math.min(...known);
}
