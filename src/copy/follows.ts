/**
 * Follow configurations as every face sees them: the CLI, the dashboard and Telegram list, add,
 * change and remove follows through these functions and never touch `follow_configs` themselves,
 * so validation, the audit record and the history rules live in one place.
 *
 * A follow is one account copying one leader. Adding one:
 * - creates the account when it is missing: live when the face says it is a configured
 *   `[[accounts]]` entry (`liveAccount`), else paper with the configured starting cash;
 * - adds the leader to the `leaders` table when it is missing, because `start` watches every
 *   enabled leader there: a follow of an unwatched leader would silently copy nothing;
 * - validates the settings with the planner's schemas, so a stored follow always plans.
 *
 * Every change is audited in the same transaction as the change itself.
 */
import type { Kysely } from 'kysely';
import { formatMicro } from '../core/decimal.ts';
import { ValidationError } from '../core/errors.ts';
import {
  type Account,
  type AccountMode,
  accountsRepo,
  auditRepo,
  type Database,
  type FollowConfigInput,
  type FollowConfigRow,
  followConfigsRepo,
  type JsonValue,
  type Leader,
  type LiveAccountRow,
  leadersRepo,
  type Store,
} from '../store/index.ts';
import {
  type FollowConfig,
  type FollowDirection,
  type FollowSettings,
  parseFollowSettings,
  type Sizing,
  sizingFromColumns,
  sizingToColumns,
} from './planner/index.ts';

/** The account a follow uses when none is named. */
export const DEFAULT_ACCOUNT = 'paper';

/** Same rule as `[[accounts]] name` in the config. */
const ACCOUNT_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const MAX_LABEL = 64;

/** Sizing as a face submits it: plain numbers, checked by the planner's `sizingSchema`. */
export type SizingInput = { readonly mode: string } & Readonly<Record<string, unknown>>;
export interface SizingTierInput {
  minLeaderUsdc: number;
  multiplierBps: number;
}

export interface AddFollowInput {
  /** Account name; default "paper". Created when missing (see `liveAccount`). */
  account?: string;
  /** Micro-USDC a paper account created here starts with (`trading.paper_starting_cash_usd`). */
  paperStartingCashUsdc: number;
  /** The account is this configured live account: created live when missing, never paper. */
  liveAccount?: LiveAccountRow;
  /** 0x + 40 hex digits, any case. */
  leader: string;
  /** Sets the leader's label when given (null clears it). */
  leaderLabel?: string | null;
  sizing: SizingInput;
  direction?: FollowDirection;
  minTradeUsdc?: number | null;
  maxTradeUsdc?: number | null;
  fullCloseOnLeaderExit?: boolean;
  slippageBps?: number;
  paused?: boolean;
  enabled?: boolean;
}

/** Fields left out keep their value. The account and leader of a follow never change. */
export interface FollowPatch {
  /** Replaces the mode and its parameters; the current tiers are kept unless `tiers` is given. */
  sizing?: SizingInput;
  /** Replaces the tiers; null removes them. */
  tiers?: readonly SizingTierInput[] | null;
  direction?: FollowDirection;
  minTradeUsdc?: number | null;
  maxTradeUsdc?: number | null;
  fullCloseOnLeaderExit?: boolean;
  slippageBps?: number;
  paused?: boolean;
  enabled?: boolean;
  /** The leader's label (shared by every follow of that leader); null clears it. */
  leaderLabel?: string | null;
}

/** disabled: retired, kept for history; paused: configured but not copying; active: copying. */
export type FollowState = 'active' | 'paused' | 'disabled';

/** One follow with the names a person reads, as every face shows it. */
export interface FollowView {
  id: number;
  accountId: number;
  accountName: string;
  /** Whether the account trades with real money (live) or on paper. */
  accountMode: AccountMode;
  leaderAddress: string;
  leaderLabel: string | null;
  /** Whether `start` watches the leader (in the leaders table and enabled). */
  leaderWatched: boolean;
  state: FollowState;
  enabled: boolean;
  paused: boolean;
  direction: FollowDirection;
  /** Null when the stored sizing fails validation (see `problem`); fix it with a new sizing. */
  sizing: Sizing | null;
  /** The sizing in words: "10% of leader", "$25 fixed"... */
  sizingText: string;
  minTradeUsdc: number | null;
  maxTradeUsdc: number | null;
  fullCloseOnLeaderExit: boolean;
  slippageBps: number;
  /** Why the stored settings do not validate; null when they do. */
  problem: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface FollowChange {
  follow: FollowView;
  /** Side effects worth telling the user, e.g. an account or leader that was created. */
  notes: string[];
}

export interface FollowRemoval {
  id: number;
  /** deleted: gone; disabled: it has decisions or orders, so it is kept for history, turned off. */
  outcome: 'deleted' | 'disabled';
  decisions: number;
  orders: number;
  /** The follow as it was before a delete, or as it is now when disabled. */
  follow: FollowView;
}

// --- reading ---------------------------------------------------------------------------------------

/** Every follow, oldest first, with account names and leader labels. */
export async function listFollows(
  store: Store,
  options: { account?: string; leader?: string } = {},
): Promise<FollowView[]> {
  const rows = await followConfigsRepo(store.db).list(
    options.leader === undefined ? {} : { leader: parseLeaderAddress(options.leader) },
  );
  const accounts = new Map((await accountsRepo(store.db).list()).map((a) => [a.id, a]));
  const leaders = new Map((await leadersRepo(store.db).list()).map((l) => [l.address, l]));
  return rows
    .map((r) => toView(r, accounts.get(r.accountId), leaders.get(r.leaderAddress)))
    .filter((v) => options.account === undefined || v.accountName === options.account);
}

/** One follow, or a ValidationError naming the missing id. */
export async function getFollow(store: Store, id: number): Promise<FollowView> {
  return viewOf(store.db, await mustGet(store.db, id));
}

/** A stored row as the planner's type; throws a ValidationError naming the follow when invalid. */
export function followConfigOf(row: FollowConfigRow): FollowConfig {
  let settings: FollowSettings;
  try {
    settings = parseFollowSettings({
      direction: row.direction,
      sizing: sizingFromColumns(row.sizingMode, row.sizingParams),
      minTradeUsdc: row.minTradeUsdc,
      maxTradeUsdc: row.maxTradeUsdc,
      fullCloseOnLeaderExit: row.fullClose,
      slippageBps: row.slippageBps,
    });
  } catch (err) {
    throw invalidStored(row.id, err);
  }
  return {
    ...settings,
    id: row.id,
    accountId: row.accountId,
    leaderAddress: row.leaderAddress,
    enabled: row.enabled,
    paused: row.paused,
  };
}

/**
 * The follows that copy `leader` now (enabled and not paused). Every write here validates, so an
 * invalid row means a hand edit: with `onInvalid` it is reported and the others still copy;
 * without it the error is thrown, so nothing is skipped silently.
 */
export async function activeFollowsOf(
  store: Store,
  leader: string,
  onInvalid?: (id: number, error: ValidationError) => void,
): Promise<FollowConfig[]> {
  const rows = await followConfigsRepo(store.db).list({
    leader: parseLeaderAddress(leader),
    activeOnly: true,
  });
  const configs: FollowConfig[] = [];
  for (const row of rows) {
    try {
      configs.push(followConfigOf(row));
    } catch (err) {
      if (onInvalid === undefined || !(err instanceof ValidationError)) throw err;
      onInvalid(row.id, err);
    }
  }
  return configs;
}

// --- changing --------------------------------------------------------------------------------------

/**
 * Checks everything about a new follow that needs no database, the same way `addFollow` does;
 * a face may call it first so that bad input opens (and creates) nothing.
 */
export function checkNewFollow(input: Omit<AddFollowInput, 'paperStartingCashUsdc'>): CheckedNewFollow {
  return {
    accountName: checkAccountName(input.account ?? DEFAULT_ACCOUNT),
    leader: parseLeaderAddress(input.leader),
    label: input.leaderLabel === undefined ? undefined : checkLabel(input.leaderLabel),
    settings: checkSettings({
      direction: input.direction ?? 'copy',
      sizing: input.sizing,
      minTradeUsdc: input.minTradeUsdc ?? null,
      maxTradeUsdc: input.maxTradeUsdc ?? null,
      fullCloseOnLeaderExit: input.fullCloseOnLeaderExit,
      slippageBps: input.slippageBps,
    }),
    paused: checkFlag('paused', input.paused) ?? false,
    enabled: checkFlag('enabled', input.enabled) ?? true,
  };
}

export interface CheckedNewFollow {
  accountName: string;
  leader: string;
  label: string | null | undefined;
  settings: FollowSettings;
  paused: boolean;
  enabled: boolean;
}

export async function addFollow(
  store: Store,
  input: AddFollowInput,
  now: number,
  actor: string,
): Promise<FollowChange> {
  // Everything that needs no database is checked first, so bad input writes nothing.
  const { accountName, leader, label, settings, paused, enabled } = checkNewFollow(input);
  const startingCash = input.paperStartingCashUsdc;
  if (!Number.isSafeInteger(startingCash) || startingCash < 0) {
    throw new ValidationError(`paperStartingCashUsdc must be 0 or more micro-USDC, got ${startingCash}`);
  }

  try {
    return await store.db.transaction().execute(async (trx) => {
      const notes: string[] = [];
      const accounts = accountsRepo(trx);
      let account = await accounts.byName(accountName);
      const live = input.liveAccount;
      if (account === undefined && live !== undefined) {
        account = await accounts.get(await accounts.ensureLive(live, now));
        notes.push(`created live account "${accountName}" (trades from ${live.address})`);
      } else if (account === undefined) {
        account = await accounts.ensurePaper(accountName, startingCash, now);
        notes.push(`created paper account "${accountName}" with ${dollars(startingCash)} of paper cash`);
      } else if (live !== undefined && account.mode !== 'live') {
        throw new ValidationError(
          `account "${accountName}" is a paper account in the database but a live [[accounts]] entry in the config: rename the config entry`,
        );
      }
      if (account === undefined) throw new Error(`account ${accountName} vanished while being added`);
      const existing = await duplicateOf(trx, account.id, leader);
      if (existing !== undefined) throw duplicate(accountName, leader, existing);

      const leaders = leadersRepo(trx);
      const known = await leaders.get(leader);
      if (known === undefined) {
        // New leaders start flat (the table's default): no history is copied (design rule 4).
        await leaders.upsert({ address: leader, ...(label !== undefined ? { label } : {}) }, now);
        notes.push(`added leader ${leader} to the watched leaders (flat start: only new trades are copied)`);
      } else {
        if (label !== undefined) await leaders.upsert({ address: leader, label }, now);
        if (!known.enabled) notes.push(`leader ${leader} is disabled: nothing is copied until it is enabled`);
      }

      const row = await followConfigsRepo(trx).insert(
        { accountId: account.id, leaderAddress: leader, enabled, paused, ...settingsColumns(settings) },
        now,
      );
      await auditRepo(trx).append(
        {
          actor,
          action: 'follow.add',
          subject: subjectOf(row.id),
          details: { account: accountName, leader, ...auditColumns(row) },
        },
        now,
      );
      return { follow: await viewOf(trx, row), notes };
    });
  } catch (err) {
    // Two writers adding the same follow at once: the unique constraint decides, same message.
    if (isConstraint(err, 'unique')) {
      const account = await accountsRepo(store.db).byName(accountName);
      const row = account && (await duplicateOf(store.db, account.id, leader));
      if (row !== undefined) throw duplicate(accountName, leader, row);
    }
    throw err;
  }
}

export async function updateFollow(
  store: Store,
  id: number,
  patch: FollowPatch,
  now: number,
  actor: string,
): Promise<FollowChange> {
  const label = patch.leaderLabel === undefined ? undefined : checkLabel(patch.leaderLabel);
  const paused = checkFlag('paused', patch.paused);
  const enabled = checkFlag('enabled', patch.enabled);
  if (Object.values(patch).every((v) => v === undefined)) {
    throw new ValidationError('nothing to change: give at least one setting');
  }
  return store.db.transaction().execute(async (trx) => {
    const before = await mustGet(trx, id);
    const settings = checkSettings({
      direction: patch.direction ?? before.direction,
      sizing: patchedSizing(before, patch),
      minTradeUsdc: patch.minTradeUsdc !== undefined ? patch.minTradeUsdc : before.minTradeUsdc,
      maxTradeUsdc: patch.maxTradeUsdc !== undefined ? patch.maxTradeUsdc : before.maxTradeUsdc,
      fullCloseOnLeaderExit: patch.fullCloseOnLeaderExit ?? before.fullClose,
      slippageBps: patch.slippageBps ?? before.slippageBps,
    });
    const notes: string[] = [];
    if (label !== undefined) {
      const leader = await leadersRepo(trx).upsert({ address: before.leaderAddress, label }, now);
      notes.push(`leader ${leader.address} is now labelled ${leader.label ?? '(none)'}`);
    }
    const next: Partial<FollowConfigInput> = {
      ...settingsColumns(settings),
      ...(paused !== undefined ? { paused } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
    };
    const from = auditColumns(before);
    const to = auditColumns({ ...before, ...next });
    const changed = Object.keys(to).filter((k) => JSON.stringify(from[k]) !== JSON.stringify(to[k]));
    if (changed.length === 0 && label === undefined) {
      // Nothing to record: no write, no audit entry, and updated_at keeps its meaning.
      notes.push('the settings were already so: nothing changed');
      return { follow: await viewOf(trx, before), notes };
    }
    const after = changed.length === 0 ? before : (await followConfigsRepo(trx).update(id, next, now))!;
    await auditRepo(trx).append(
      {
        actor,
        action: 'follow.set',
        subject: subjectOf(id),
        details: {
          from: Object.fromEntries(changed.map((k) => [k, from[k] ?? null])),
          to: Object.fromEntries(changed.map((k) => [k, to[k] ?? null])),
          ...(label !== undefined ? { leaderLabel: label } : {}),
        },
      },
      now,
    );
    return { follow: await viewOf(trx, after), notes };
  });
}

/**
 * Deletes a follow without history; one that has copy decisions or orders is disabled instead
 * (they reference it, and they are the record of what it did).
 */
export async function removeFollow(
  store: Store,
  id: number,
  now: number,
  actor: string,
): Promise<FollowRemoval> {
  const attempt = () =>
    store.db.transaction().execute(async (trx) => {
      const row = await mustGet(trx, id);
      const follow = await viewOf(trx, row);
      const decisions = await countWhere(trx, 'copy_decisions', id);
      const orders = await countWhere(trx, 'orders', id);
      const subject = subjectOf(id);
      const details = { account: follow.accountName, leader: row.leaderAddress, decisions, orders };
      if (decisions === 0 && orders === 0) {
        await followConfigsRepo(trx).remove(id);
        await auditRepo(trx).append({ actor, action: 'follow.remove', subject, details }, now);
        return { id, outcome: 'deleted' as const, decisions, orders, follow };
      }
      const after = (await followConfigsRepo(trx).update(id, { enabled: false }, now))!;
      await auditRepo(trx).append({ actor, action: 'follow.disable', subject, details }, now);
      return { id, outcome: 'disabled' as const, decisions, orders, follow: await viewOf(trx, after) };
    });
  try {
    return await attempt();
  } catch (err) {
    // A decision written between the count and the delete (another process copying): the foreign
    // key refused the delete, and a second look sees the history and disables instead.
    if (isConstraint(err, 'foreign key')) return attempt();
    throw err;
  }
}

// --- words -----------------------------------------------------------------------------------------

/** "$25", "$2.50": whole dollars without cents. */
export function dollars(micro: number): string {
  return `$${formatMicro(micro, { minDecimals: micro % 1_000_000 === 0 ? 0 : 2 })}`;
}

/** Basis points as a percent: 1_250 -> "12.5%". */
export function percent(bps: number): string {
  return `${formatMicro(bps * 10_000)}%`;
}

/** Basis points as a multiplier: 5_000 -> "x0.5". */
export function multiplier(bps: number): string {
  return `x${formatMicro(bps * 100)}`;
}

/** The sizing in words: "10% of leader", "$25 fixed, x0.5 from $1000, x2 from $5000". */
export function describeSizing(sizing: Sizing): string {
  const base =
    sizing.mode === 'fixed_usd'
      ? `${dollars(sizing.amountUsdc)} fixed`
      : sizing.mode === 'leader_pct'
        ? `${percent(sizing.pctBps)} of leader`
        : sizing.mode === 'balance_pct'
          ? `${percent(sizing.pctBps)} of balance`
          : 'balance ratio';
  const tiers = (sizing.tiers ?? []).map(
    (t) => `${multiplier(t.multiplierBps)} from ${dollars(t.minLeaderUsdc)}`,
  );
  return [base, ...tiers].join(', ');
}

// --- helpers ---------------------------------------------------------------------------------------

type Db = Kysely<Database>;

/** A leader address as stored: 0x + 40 hex digits, lower-case; a ValidationError otherwise. */
export function parseLeaderAddress(text: string): string {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (!ADDRESS_RE.test(trimmed)) {
    throw new ValidationError(
      `leader must be a 0x-prefixed address of 40 hex digits, got ${JSON.stringify(String(text))}`,
    );
  }
  return trimmed.toLowerCase();
}

function checkAccountName(name: string): string {
  if (typeof name !== 'string' || !ACCOUNT_NAME_RE.test(name)) {
    throw new ValidationError(
      `account must be a short lower-case name (a-z, 0-9, _ and -, up to 32), got ${JSON.stringify(String(name))}`,
    );
  }
  return name;
}

function checkLabel(label: string | null): string | null {
  if (label === null) return null;
  if (typeof label !== 'string') throw new ValidationError('label must be text');
  const trimmed = label.trim();
  if (trimmed.length > MAX_LABEL) throw new ValidationError(`label must be at most ${MAX_LABEL} characters`);
  return trimmed === '' ? null : trimmed;
}

function checkFlag(name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new ValidationError(`${name} must be true or false`);
}

/** The planner's schema, after a check that says the min/max conflict in dollars. */
function checkSettings(input: Record<string, unknown>): FollowSettings {
  const { minTradeUsdc: min, maxTradeUsdc: max } = input;
  if (Number.isSafeInteger(min) && Number.isSafeInteger(max) && (min as number) > (max as number)) {
    throw new ValidationError(
      `the minimum trade (${dollars(min as number)}) must not be above the maximum (${dollars(max as number)})`,
    );
  }
  return parseFollowSettings(input);
}

/** The follow's sizing after a patch: a new mode keeps the current tiers unless tiers are given. */
function patchedSizing(row: FollowConfigRow, patch: FollowPatch): unknown {
  if (patch.sizing === undefined && patch.tiers === undefined) return storedSizingOrFail(row);
  let current: Sizing | undefined;
  try {
    current = sizingFromColumns(row.sizingMode, row.sizingParams);
  } catch {
    current = undefined; // a new sizing may replace a broken one
  }
  const base: Record<string, unknown> = { ...(patch.sizing ?? storedSizingOrFail(row)) };
  if (patch.tiers === null) delete base.tiers;
  else if (patch.tiers !== undefined) base.tiers = patch.tiers;
  else if (patch.sizing !== undefined && !('tiers' in patch.sizing) && current?.tiers !== undefined)
    base.tiers = current.tiers;
  return base;
}

function storedSizingOrFail(row: FollowConfigRow): Sizing {
  try {
    return sizingFromColumns(row.sizingMode, row.sizingParams);
  } catch (err) {
    throw invalidStored(row.id, err, ' (give a new sizing to replace it)');
  }
}

function invalidStored(id: number, err: unknown, hint = ''): unknown {
  if (!(err instanceof ValidationError)) return err;
  return new ValidationError(`follow #${id} has invalid stored settings: ${err.message}${hint}`, {
    cause: err,
  });
}

function settingsColumns(
  s: FollowSettings,
): Omit<FollowConfigInput, 'accountId' | 'leaderAddress' | 'enabled' | 'paused'> {
  const { mode, params } = sizingToColumns(s.sizing);
  return {
    direction: s.direction,
    sizingMode: mode,
    sizingParams: params as JsonValue,
    minTradeUsdc: s.minTradeUsdc,
    maxTradeUsdc: s.maxTradeUsdc,
    fullClose: s.fullCloseOnLeaderExit,
    slippageBps: s.slippageBps,
  };
}

/** What the audit log records of a follow: its settings as stored. */
function auditColumns(r: FollowConfigRow): Record<string, JsonValue> {
  return {
    enabled: r.enabled,
    paused: r.paused,
    direction: r.direction,
    sizingMode: r.sizingMode,
    sizingParams: r.sizingParams,
    minTradeUsdc: r.minTradeUsdc,
    maxTradeUsdc: r.maxTradeUsdc,
    fullClose: r.fullClose,
    slippageBps: r.slippageBps,
  };
}

function subjectOf(id: number): string {
  return `follow:${id}`;
}

async function mustGet(db: Db, id: number): Promise<FollowConfigRow> {
  if (!Number.isSafeInteger(id) || id < 1)
    throw new ValidationError(`a follow id is a whole number from 1, got ${id}`);
  const row = await followConfigsRepo(db).get(id);
  if (row === undefined) throw new ValidationError(`no follow with id ${id}`);
  return row;
}

async function viewOf(db: Db, row: FollowConfigRow): Promise<FollowView> {
  const account = await accountsRepo(db).get(row.accountId);
  const leader = await leadersRepo(db).get(row.leaderAddress);
  return toView(row, account, leader);
}

function toView(row: FollowConfigRow, account: Account | undefined, leader: Leader | undefined): FollowView {
  let sizing: Sizing | null = null;
  let problem: string | null = null;
  try {
    sizing = followConfigOf(row).sizing;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    problem = err.message;
    try {
      sizing = sizingFromColumns(row.sizingMode, row.sizingParams);
    } catch {
      sizing = null;
    }
  }
  return {
    id: row.id,
    accountId: row.accountId,
    accountName: account?.name ?? `#${row.accountId}`,
    accountMode: account?.mode ?? 'paper',
    leaderAddress: row.leaderAddress,
    leaderLabel: leader?.label ?? null,
    leaderWatched: leader?.enabled ?? false,
    state: !row.enabled ? 'disabled' : row.paused ? 'paused' : 'active',
    enabled: row.enabled,
    paused: row.paused,
    direction: row.direction,
    sizing,
    sizingText: sizing === null ? `invalid ${row.sizingMode} sizing` : describeSizing(sizing),
    minTradeUsdc: row.minTradeUsdc,
    maxTradeUsdc: row.maxTradeUsdc,
    fullCloseOnLeaderExit: row.fullClose,
    slippageBps: row.slippageBps,
    problem,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function duplicateOf(db: Db, accountId: number, leader: string): Promise<FollowConfigRow | undefined> {
  return (await followConfigsRepo(db).list({ leader })).find((r) => r.accountId === accountId);
}

function duplicate(account: string, leader: string, row: FollowConfigRow): ValidationError {
  const state = row.enabled ? '' : ' (disabled, kept for history; enable it again)';
  return new ValidationError(
    `account "${account}" already follows ${leader} as follow #${row.id}${state}: change that follow instead of adding another`,
  );
}

async function countWhere(db: Db, table: 'copy_decisions' | 'orders', id: number): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('follow_config_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A constraint violation by kind, on either engine (better-sqlite3 codes, PostgreSQL SQLSTATE). */
function isConstraint(err: unknown, kind: 'unique' | 'foreign key'): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  return kind === 'unique'
    ? code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505'
    : code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}
