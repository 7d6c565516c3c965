/**
 * A realized-PnL series per account from the fills (each sell's realized PnL, stamped with its
 * fill time), summed per time bucket and accumulated. Realized PnL from market resolutions is not
 * a fill and is not in it; an equity series needs periodic snapshots, which nothing stores yet.
 *
 * Belongs in src/portfolio/report.ts beside pnlReport; it lives here until it moves.
 */
import { type Kysely, sql } from 'kysely';
import { ValidationError } from '../../../core/errors.ts';
import type { Database } from '../../../store/index.ts';

export interface PnlPoint {
  /** Start of the bucket (epoch ms). */
  at: number;
  /** Realized PnL from fills up to the end of this bucket, since the account began (micro-USDC). */
  realized: number;
}

export interface PnlSeries {
  accountId: number;
  source: 'fills';
  bucketMs: number;
  /** Realized before `since`: where the series starts. */
  startRealized: number;
  points: PnlPoint[];
}

export interface SeriesOptions {
  accountIds: readonly number[];
  since: number;
  until: number;
  bucketMs: number;
}

export async function realizedPnlSeries(db: Kysely<Database>, o: SeriesOptions): Promise<PnlSeries[]> {
  if (!Number.isSafeInteger(o.bucketMs) || o.bucketMs < 1) {
    throw new ValidationError(`bucket must be a whole number of ms, got ${o.bucketMs}`);
  }
  if (o.accountIds.length === 0) return [];
  const ids = [...o.accountIds];
  const before = await db
    .selectFrom('fills')
    .select((eb) => ['account_id', eb.fn.sum<number | string | null>('realized_pnl').as('pnl')])
    .where('account_id', 'in', ids)
    .where('filled_at', '<', o.since)
    .groupBy('account_id')
    .execute();
  // The bucket size is a validated integer, inlined so both engines divide integers.
  const bucket = sql<number>`(${sql.ref('filled_at')} / ${sql.lit(o.bucketMs)}) * ${sql.lit(o.bucketMs)}`;
  const rows = await db
    .selectFrom('fills')
    .select((eb) => [
      'account_id',
      bucket.as('bucket'),
      eb.fn.sum<number | string | null>('realized_pnl').as('pnl'),
    ])
    .where('account_id', 'in', ids)
    .where('filled_at', '>=', o.since)
    .where('filled_at', '<', o.until)
    .groupBy(['account_id', sql`2`])
    .orderBy(sql`2`)
    .execute();

  return ids.map((accountId) => {
    const startRealized = micro(before.find((r) => r.account_id === accountId)?.pnl ?? 0);
    let running = startRealized;
    const points = rows
      .filter((r) => r.account_id === accountId)
      .map((r) => {
        running += micro(r.pnl);
        return { at: Number(r.bucket), realized: running };
      });
    return { accountId, source: 'fills' as const, bucketMs: o.bucketMs, startRealized, points };
  });
}

/** PostgreSQL returns sums of bigint as text, SQLite as numbers. */
function micro(v: number | string | null): number {
  const n = Number(v ?? 0);
  if (!Number.isSafeInteger(n))
    throw new ValidationError(`a realized PnL sum is outside the safe range: ${v}`);
  return n;
}
