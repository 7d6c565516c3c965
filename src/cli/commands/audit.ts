/**
 * `polyhunter audit-tail`: who changed what (the audit_log table), newest last; `-f` keeps
 * printing new entries until Ctrl-C. `--actor` and `--action` narrow it: `--actor telegram`
 * matches "telegram" and every "telegram:<chat>", `--action follow` matches "follow" and every
 * "follow.<verb>".
 *
 * program.ts imports this module to declare the command, so it loads nothing heavy at the top.
 */
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { ValidationError } from '../../core/errors.ts';
import type { AuditEntry, Database } from '../../store/index.ts';
import type { GlobalOptions, Output } from '../context.ts';

export interface AuditTailOptions {
  limit: string;
  follow?: boolean;
  json?: boolean;
  actor?: string;
  action?: string;
}

/** How often `-f` looks for new entries. */
export const AUDIT_POLL_MS = 500;

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function registerAuditCommands(program: Command, globals: () => GlobalOptions, output: Output): void {
  program
    .command('audit-tail')
    .description(
      'Print the latest audit log entries (who changed what: settings, follows, paper resets, starts and stops), newest last; -f keeps printing new ones until Ctrl-C.',
    )
    .option('-n, --limit <n>', 'how many of the latest entries to print first', '20')
    .option('-f, --follow', 'keep printing entries as they are written, until Ctrl-C')
    .option(
      '--actor <actor>',
      'only this actor: cli, dashboard, system, telegram (any chat) or telegram:<chat>',
    )
    .option('--action <action>', 'only this action or family: settings.set, or follow for every follow.*')
    .option('--json', 'one JSON object per line')
    .addHelpText(
      'after',
      examples(
        'polyhunter audit-tail',
        'polyhunter audit-tail -f',
        'polyhunter audit-tail --action follow --actor dashboard',
        'polyhunter audit-tail -n 200 --json | jq -c .details',
      ),
    )
    .action(async (options: AuditTailOptions) => {
      await runAuditTail(globals(), options, output);
    });
}

/**
 * Prints the tail; with `follow`, polls until SIGINT or SIGTERM (or `stop`, for tests) and then
 * returns normally, the database closed.
 */
export async function runAuditTail(
  global: GlobalOptions,
  options: AuditTailOptions,
  output: Output,
  stop?: AbortSignal,
): Promise<void> {
  const { parseLimit, withExistingStore } = await import('./status-top.ts');
  const limit = parseLimit(options.limit, 10_000);
  const filter: AuditFilter = {
    ...(options.actor !== undefined ? { actor: nonEmpty(options.actor, '--actor') } : {}),
    ...(options.action !== undefined ? { action: nonEmpty(options.action, '--action') } : {}),
  };
  // Columns as wide as the widest actor and action printed so far, so a tail reads as a table.
  const widths = { ...AUDIT_WIDTHS };
  const print = (e: AuditEntry) => {
    if (options.json) return output.out(JSON.stringify(e));
    widths.actor = Math.max(widths.actor, e.actor.length);
    widths.action = Math.max(widths.action, e.action.length);
    output.out(formatAuditLine(e, widths));
  };
  await withExistingStore(global, output, async (store) => {
    const first = await auditTail(store.db, { ...filter, limit });
    for (const e of first) {
      widths.actor = Math.max(widths.actor, e.actor.length);
      widths.action = Math.max(widths.action, e.action.length);
    }
    for (const e of first) print(e);
    if (first.length === 0 && !options.json) output.out(emptyText(filter, options.follow === true));
    if (!options.follow) return;

    const stopping = new AbortController();
    const onSignal = () => stopping.abort();
    const onStop = () => stopping.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    stop?.addEventListener('abort', onStop);
    if (stop?.aborted) stopping.abort();
    try {
      let last = first.at(-1)?.id ?? (await lastAuditId(store.db));
      while (!stopping.signal.aborted) {
        await pause(AUDIT_POLL_MS, stopping.signal);
        if (stopping.signal.aborted) break;
        // Page forward so a burst larger than one page is printed whole, in order.
        for (;;) {
          const next = await auditTail(store.db, { ...filter, limit: 1000, afterId: last });
          for (const e of next) print(e);
          last = next.at(-1)?.id ?? last;
          if (next.length < 1000) break;
        }
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stop?.removeEventListener('abort', onStop);
    }
  });
}

function nonEmpty(text: string, option: string): string {
  const t = text.trim();
  if (t === '') throw new ValidationError(`${option} needs a value`);
  return t;
}

function emptyText(filter: AuditFilter, following: boolean): string {
  const what =
    filter.actor === undefined && filter.action === undefined
      ? 'no audit entries yet'
      : `no audit entries${filter.actor !== undefined ? ` by ${filter.actor}` : ''}${filter.action !== undefined ? ` for ${filter.action}` : ''}`;
  return following ? `${what}; waiting for new ones (Ctrl-C stops)` : what;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

// --- the query ---------------------------------------------------------------------------------------

export interface AuditFilter {
  /** Exactly this actor, or this actor and a ":<who>" suffix. */
  actor?: string;
  /** Exactly this action, or this action and a ".<verb>" suffix. */
  action?: string;
}

/**
 * Entries oldest first: the last `limit` matching ones, or with `afterId` the first `limit`
 * matching ones after it. Belongs in src/store/audit.ts (its `tail` with a filter); it lives here
 * until it moves.
 */
export async function auditTail(
  db: Kysely<Database>,
  options: AuditFilter & { limit: number; afterId?: number },
): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  const { actor, action } = options;
  // substr, not LIKE: a user's "_" or "%" is not a wildcard, and both engines compare case-sensitively.
  if (actor !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('actor', '=', actor),
        eb(eb.fn<string>('substr', ['actor', eb.val(1), eb.val(actor.length + 1)]), '=', `${actor}:`),
      ]),
    );
  }
  if (action !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('action', '=', action),
        eb(eb.fn<string>('substr', ['action', eb.val(1), eb.val(action.length + 1)]), '=', `${action}.`),
      ]),
    );
  }
  const rows =
    options.afterId !== undefined
      ? await q.where('id', '>', options.afterId).orderBy('id', 'asc').limit(options.limit).execute()
      : (await q.orderBy('id', 'desc').limit(options.limit).execute()).reverse();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    details: parseDetails(r.details),
  }));
}

/** The newest id, so `-f` on an empty match starts after what exists now. */
async function lastAuditId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max<number | string | null>('id').as('id'))
    .executeTakeFirst();
  return row?.id == null ? 0 : Number(row.id);
}

/** A corrupt details column is shown as its text: a tail never stops on one bad row. */
function parseDetails(text: string): AuditEntry['details'] {
  try {
    return JSON.parse(text) as AuditEntry['details'];
  } catch {
    return text;
  }
}

// --- printing --------------------------------------------------------------------------------------

/** The narrowest actor and action columns ("dashboard", "settings.seed" fit). */
export const AUDIT_WIDTHS = { actor: 9, action: 15 };

export function formatAuditLine(
  e: AuditEntry,
  widths: { actor: number; action: number } = AUDIT_WIDTHS,
): string {
  const details =
    e.details === null ||
    (typeof e.details === 'object' && !Array.isArray(e.details) && Object.keys(e.details).length === 0)
      ? ''
      : typeof e.details === 'string'
        ? e.details
        : JSON.stringify(e.details);
  return [
    new Date(e.at).toISOString().replace('T', ' ').slice(0, 19),
    e.actor.padEnd(widths.actor),
    e.action.padEnd(widths.action),
    e.subject ?? '-',
    details,
  ]
    .join('  ')
    .trimEnd();
}
