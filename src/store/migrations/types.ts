import type { Kysely } from 'kysely';
import type { Engine } from '../store.ts';

/**
 * A schema change, run once on both engines. It gets the engine so it can differ only where the
 * SQL must; the database is untyped because the schema is whatever earlier migrations left.
 */
export interface StoreMigration {
  /** Sort order is apply order: '0001_initial', '0002_...'. Never rename an applied migration. */
  name: string;
  up(db: Kysely<unknown>, engine: Engine): Promise<void>;
}
