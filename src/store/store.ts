import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** The two engines the store runs on; migrations branch on this only where SQL differs. */
export type Engine = 'sqlite' | 'postgres';

/** An open database with its engine; `close()` releases the file handle or the pool. */
export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** The URL with any password replaced, safe to log and show. */
  displayUrl: string;
  close(): Promise<void>;
}
