/**
 * Selecting, ordering and paging feed records, shared by the v1 and v2 routes. Every order ends
 * with the sequence number, so it is total and stable: offset pages and cursor pages compose
 * without gaps or repeats even when many rows share a timestamp and a transaction hash.
 */
import { z } from 'zod';
import type { ActivityType, Side } from './fill.ts';
import type { FeedRecord } from './record.ts';
import { toSeconds } from './wire.ts';

export type RecordSort = 'TIMESTAMP' | 'TOKENS' | 'CASH';
export type Direction = 'ASC' | 'DESC';

export interface RecordFilter {
  types?: ReadonlySet<ActivityType>;
  /** Lower-case condition ids. */
  conditionIds?: ReadonlySet<string>;
  side?: Side;
  /** v1 `/activity`: the side filter leaves rows that are not trades alone. */
  sideOnTradesOnly?: boolean;
  /** Epoch seconds, inclusive. */
  startSec?: number;
  endSec?: number;
  takerOnly?: boolean;
  /** Dust floors in micro-units: rows below are left out. */
  minSize?: number;
  minCash?: number;
}

export function matchesFilter(r: FeedRecord, f: RecordFilter): boolean {
  if (f.types && !f.types.has(r.type)) return false;
  if (f.conditionIds && !f.conditionIds.has(r.conditionId)) return false;
  if (f.side && r.side !== f.side && !(f.sideOnTradesOnly && r.type !== 'TRADE')) return false;
  const t = toSeconds(r.timeMs);
  if (f.startSec !== undefined && t < f.startSec) return false;
  if (f.endSec !== undefined && t > f.endSec) return false;
  if (f.takerOnly && r.type === 'TRADE' && !r.isTaker) return false;
  if (f.minSize !== undefined && r.size < f.minSize) return false;
  if (f.minCash !== undefined && r.usdcSize < f.minCash) return false;
  return true;
}

export function sortValue(r: FeedRecord, by: RecordSort): number {
  switch (by) {
    case 'TIMESTAMP':
      return toSeconds(r.timeMs);
    case 'TOKENS':
      return r.size;
    case 'CASH':
      return r.usdcSize;
  }
}

/** A position in an order: the sort value and the sequence number of a row. */
export interface Anchor {
  value: number;
  seq: number;
}

function compareAnchors(a: Anchor, b: Anchor): number {
  return a.value !== b.value ? a.value - b.value : a.seq - b.seq;
}

export function anchorOf(r: FeedRecord, by: RecordSort): Anchor {
  return { value: sortValue(r, by), seq: r.seq };
}

export function sortRecords(
  records: readonly FeedRecord[],
  by: RecordSort,
  direction: Direction,
): FeedRecord[] {
  const sign = direction === 'ASC' ? 1 : -1;
  return records
    .map((r) => ({ r, a: anchorOf(r, by) }))
    .sort((x, y) => sign * compareAnchors(x.a, y.a))
    .map((x) => x.r);
}

/** The rows of a sorted list that come strictly after `anchor` in that order. */
export function after(
  sorted: readonly FeedRecord[],
  anchor: Anchor,
  by: RecordSort,
  direction: Direction,
): FeedRecord[] {
  const sign = direction === 'ASC' ? 1 : -1;
  return sorted.filter((r) => sign * compareAnchors(anchorOf(r, by), anchor) > 0);
}

/** Opaque v2 cursors: base64url JSON of the seek anchor, page size, direction and running offset. */
const cursorSchema = z.object({
  v: z.number().int().safe(),
  s: z.number().int().min(0).safe(),
  l: z.number().int().min(1).max(1_000_000),
  o: z.number().int().min(0).safe(),
  d: z.enum(['ASC', 'DESC']).optional(),
});
export type Cursor = z.output<typeof cursorSchema>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor, or undefined when the text is not one of ours. */
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
