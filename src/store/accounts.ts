/**
 * The accounts table: who trades. A paper account keeps its own cash here (starting cash plus
 * every fill's cash delta, in the same transaction as the fill); a live account's cash is the
 * venue's and is read from it.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AccountMode, AccountsTable, Database, SignatureType } from './schema.ts';

export interface Account {
  id: number;
  name: string;
  address: string;
  signatureType: SignatureType;
  funderAddress: string | null;
  mode: AccountMode;
  /** Micro-USDC. */
  cash: number;
  startingCash: number;
}

/** The address a paper account shows: it signs nothing, so it has no key. */
export const PAPER_ADDRESS = '0x0000000000000000000000000000000000000000';

export interface AccountsRepo {
  list(): Promise<Account[]>;
  get(id: number): Promise<Account | undefined>;
  byName(name: string): Promise<Account | undefined>;
  /** Creates the paper account with its starting cash if missing; an existing one is kept as is. */
  ensurePaper(name: string, startingCash: number, now: number): Promise<Account>;
  /**
   * Creates the live account (a configured `[[accounts]]` entry) if missing; returns its id. An
   * existing row keeps its mode: the caller refuses a paper row of the same name.
   */
  ensureLive(account: LiveAccountRow, now: number): Promise<number>;
}

/** A live account as configured: the wallet its orders trade from (lower-case). */
export interface LiveAccountRow {
  name: string;
  address: string;
  signatureType: SignatureType;
  funderAddress: string | null;
}

export function toAccount(r: Selectable<AccountsTable>): Account {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    signatureType: r.signature_type,
    funderAddress: r.funder_address,
    mode: r.mode,
    cash: r.cash,
    startingCash: r.starting_cash,
  };
}

export function accountsRepo(db: Kysely<Database>): AccountsRepo {
  const byName = async (name: string) => {
    const r = await db.selectFrom('accounts').selectAll().where('name', '=', name).executeTakeFirst();
    return r === undefined ? undefined : toAccount(r);
  };
  return {
    async list() {
      return (await db.selectFrom('accounts').selectAll().orderBy('id').execute()).map(toAccount);
    },
    async get(id) {
      const r = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : toAccount(r);
    },
    byName,
    async ensurePaper(name, startingCash, now) {
      await db
        .insertInto('accounts')
        .values({
          name,
          address: PAPER_ADDRESS,
          signature_type: 0,
          mode: 'paper',
          cash: startingCash,
          starting_cash: startingCash,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      return (await byName(name))!;
    },
    async ensureLive(account, now) {
      await db
        .insertInto('accounts')
        .values({
          name: account.name,
          address: account.address,
          signature_type: account.signatureType,
          funder_address: account.funderAddress,
          mode: 'live',
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      return (await byName(account.name))!.id;
    },
  };
}
