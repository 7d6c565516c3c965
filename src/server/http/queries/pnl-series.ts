/**
 * A realized-PnL series per account: each sell's realized PnL at its fill time, and each market
 * resolution's at the time it resolved (a position's realized PnL beyond its fills' is what the
 * resolution realized), summed per time bucket and accumulated, so the line ends where the
 * realized figure of the PnL report stands. An equity series needs periodic snapshots, which
 * nothing stores yet.
 *
 * Belongs in src/portfolio/report.ts beside pnlReport; it lives here until it moves.
 */
import { type Kysely, sql } from 'kysely';
import { ValidationError } from '../../../core/errors.ts';
import type { Database } from '../../../store/index.ts';

export interface PnlPoint {
  /** Start of the bucket (epoch ms). */
  at: number;
  /** Realized PnL (fills and resolutions) up to the end of this bucket, since the account began (micro-USDC). */
  realized: number;
}

export interface PnlSeries {
  accountId: number;
  source: 'fills+resolutions';
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

  const resolutions = await resolutionPnl(db, ids);

  return ids.map((accountId) => {
    let startRealized = micro(before.find((r) => r.account_id === accountId)?.pnl ?? 0);
    const byBucket = new Map<number, number>();
    for (const r of rows) {
      if (r.account_id !== accountId) continue;
      byBucket.set(Number(r.bucket), (byBucket.get(Number(r.bucket)) ?? 0) + micro(r.pnl));
    }
    for (const r of resolutions) {
      if (r.accountId !== accountId || r.at >= o.until) continue;
      if (r.at < o.since) {
        startRealized += r.pnl;
        continue;
      }
      const at = r.at - (r.at % o.bucketMs);
      byBucket.set(at, (byBucket.get(at) ?? 0) + r.pnl);
    }
    let running = startRealized;
    const points = [...byBucket.entries()]
      .sort(([a], [b]) => a - b)
      .map(([at, pnl]) => {
        running += pnl;
        return { at, realized: running };
      });
    return { accountId, source: 'fills+resolutions' as const, bucketMs: o.bucketMs, startRealized, points };
  });
}

/** What each resolved position's resolution realized: its realized PnL beyond its fills'. */
async function resolutionPnl(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<{ accountId: number; at: number; pnl: number }[]> {
  const rows = await db
    .selectFrom('positions as p')
    .select((eb) => [
      'p.account_id',
      'p.resolved_at',
      'p.realized_pnl',
      eb
        .selectFrom('fills as f')
        .select((f) => f.fn.sum<number | string | null>('f.realized_pnl').as('s'))
        .whereRef('f.account_id', '=', 'p.account_id')
        .whereRef('f.token_id', '=', 'p.token_id')
        .as('from_fills'),
    ])
    .where('p.account_id', 'in', [...ids])
    .where('p.resolved_at', 'is not', null)
    .execute();
  return rows.map((r) => ({
    accountId: r.account_id,
    at: r.resolved_at as number,
    pnl: r.realized_pnl - micro(r.from_fills),
  }));
}

/** PostgreSQL returns sums of bigint as text, SQLite as numbers. */
function micro(v: number | string | null): number {
  const n = Number(v ?? 0);
  if (!Number.isSafeInteger(n))
    throw new ValidationError(`a realized PnL sum is outside the safe range: ${v}`);
  return n;
}
