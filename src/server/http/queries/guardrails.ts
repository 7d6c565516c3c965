/**
 * Guardrail events for the API, newest first: each refusal's reason code and the numbers the gate
 * saw (in `context`), filterable by reason, account, leader and time.
 *
 * Belongs in src/store/orders.ts (a reader beside insertGuardrailEvents); it lives here until it moves.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.ts';
import { type PageOf, pageOf, parseStoredJson } from './page.ts';

export interface GuardrailFilter {
  limit: number;
  before?: number | undefined;
  reasons?: readonly string[] | undefined;
  account?: string | undefined;
  leader?: string | undefined;
  /** At or after this (epoch ms). */
  since?: number | undefined;
  /** Before this (epoch ms). */
  until?: number | undefined;
}

export interface GuardrailLine {
  id: number;
  at: number;
  reasonCode: string;
  accountId: number | null;
  account: string | null;
  leader: string | null;
  tokenId: string | null;
  idempotencyKey: string | null;
  /** The refusal's message and numbers (money in micro-units). */
  context: unknown;
}

export async function guardrailEventsPage(
  db: Kysely<Database>,
  f: GuardrailFilter,
): Promise<PageOf<GuardrailLine>> {
  let q = db
    .selectFrom('guardrail_events as g')
    .leftJoin('accounts as a', 'a.id', 'g.account_id')
    .selectAll('g')
    .select('a.name as account_name')
    .orderBy('g.id', 'desc')
    .limit(f.limit + 1);
  if (f.before !== undefined) q = q.where('g.id', '<', f.before);
  if (f.reasons !== undefined) q = q.where('g.reason_code', 'in', [...f.reasons]);
  if (f.account !== undefined) q = q.where('a.name', '=', f.account);
  if (f.leader !== undefined) q = q.where('g.leader_address', '=', f.leader);
  if (f.since !== undefined) q = q.where('g.created_at', '>=', f.since);
  if (f.until !== undefined) q = q.where('g.created_at', '<', f.until);
  const rows = await q.execute();
  return pageOf(
    rows.map((r) => ({
      id: r.id,
      at: r.created_at,
      reasonCode: r.reason_code,
      accountId: r.account_id,
      account: r.account_name,
      leader: r.leader_address,
      tokenId: r.token_id,
      idempotencyKey: r.idempotency_key,
      context: parseStoredJson(r.context),
    })),
    f.limit,
  );
}

/** How many refusals of each reason, within the same filters (no paging): the dashboard's facets. */
export async function guardrailReasonCounts(
  db: Kysely<Database>,
  f: Omit<GuardrailFilter, 'limit' | 'before' | 'reasons'>,
): Promise<Record<string, number>> {
  let q = db
    .selectFrom('guardrail_events as g')
    .leftJoin('accounts as a', 'a.id', 'g.account_id')
    .select((eb) => ['g.reason_code', eb.fn.countAll<number | string>().as('n')])
    .groupBy('g.reason_code')
    .orderBy('g.reason_code');
  if (f.account !== undefined) q = q.where('a.name', '=', f.account);
  if (f.leader !== undefined) q = q.where('g.leader_address', '=', f.leader);
  if (f.since !== undefined) q = q.where('g.created_at', '>=', f.since);
  if (f.until !== undefined) q = q.where('g.created_at', '<', f.until);
  const rows = await q.execute();
  return Object.fromEntries(rows.map((r) => [r.reason_code, Number(r.n)]));
}
