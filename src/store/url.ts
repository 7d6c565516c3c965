/**
 * Database URLs: which engine a URL selects, and how to show one without its password.
 */
import { DatabaseError } from '../core/errors.ts';
import { redactUrl } from '../core/redact.ts';

export type StoreTarget =
  | { engine: 'sqlite' /** A file path, or ':memory:'. */; path: string }
  | { engine: 'postgres'; url: string };

const ACCEPTED_FORMS =
  'postgres://user:password@host:5432/db, postgresql://..., sqlite:<path> (e.g. sqlite:./data/polyhunter.db) or sqlite::memory:';

/** Decides the engine from the URL's scheme; anything unrecognised is a non-retryable error. */
export function parseStoreUrl(url: string): StoreTarget {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { engine: 'postgres', url: trimmed };
  if (/^sqlite:/i.test(trimmed)) {
    const path = trimmed.slice('sqlite:'.length);
    // 'sqlite://x' is ambiguous (host or absolute path?), so it is refused rather than guessed.
    if (path === '' || path.startsWith('//')) {
      throw new DatabaseError(
        `invalid SQLite URL "${url}": expected sqlite:<path> or sqlite::memory:`,
        false,
      );
    }
    return { engine: 'sqlite', path };
  }
  throw new DatabaseError(
    `unsupported database URL "${redactUrl(url)}": accepted forms are ${ACCEPTED_FORMS}`,
    false,
  );
}
