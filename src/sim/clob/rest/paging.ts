/**
 * The CLOB's cursor paging: `next_cursor` is base64 of the next offset, so the first page is
 * "MA==" (base64 "0") and the end marker "LTE=" (base64 "-1"), the constants the official clients
 * loop on. A page is `{data, next_cursor, limit, count}`.
 */
export const INITIAL_CURSOR = 'MA==';
export const END_CURSOR = 'LTE=';

export interface Page<T> {
  data: T[];
  next_cursor: string;
  limit: number;
  count: number;
}

export function encodeCursor(offset: number): string {
  return Buffer.from(String(offset), 'utf8').toString('base64');
}

/** The offset a cursor names; undefined for garbage. No cursor, "" and "MA==" are the start. */
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === '') return 0;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!/^(0|[1-9][0-9]{0,14}|-1)$/.test(text)) return undefined;
  return Number(text);
}

/** One page of `items` starting at the cursor's offset; END_CURSOR once nothing follows. */
export function pageOf<T>(items: readonly T[], offset: number, limit: number): Page<T> {
  if (offset < 0) return { data: [], next_cursor: END_CURSOR, limit, count: 0 };
  const data = items.slice(offset, offset + limit);
  const next = offset + data.length;
  return {
    data,
    next_cursor: next < items.length ? encodeCursor(next) : END_CURSOR,
    limit,
    count: data.length,
  };
}
