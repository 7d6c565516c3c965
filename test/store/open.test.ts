import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseError } from '../../src/core/errors.ts';
import { redactUrl } from '../../src/core/redact.ts';
import { openStore } from '../../src/store/index.ts';
import { describeConnectError } from '../../src/store/postgres.ts';
import { pgUrl } from '../support/engines.ts';

/** A port nothing listens on: bound once by us, then released. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function openError(url: string): Promise<DatabaseError> {
  const err = await openStore(url).then(
    async (store) => {
      await store.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseError);
  return err as DatabaseError;
}

describe('redactUrl', () => {
  it('replaces the password and keeps everything else', () => {
    expect(redactUrl('postgres://trader:s3cr%40t@db.example:5432/polyhunter?sslmode=require')).toBe(
      'postgres://trader:***@db.example:5432/polyhunter?sslmode=require',
    );
  });

  it('leaves a URL without a password as it was', () => {
    expect(redactUrl('postgresql://trader@db.example/polyhunter')).toBe(
      'postgresql://trader@db.example/polyhunter',
    );
    expect(redactUrl('sqlite:./data/polyhunter.db')).toBe('sqlite:./data/polyhunter.db');
  });

  it('redacts a password given as a parameter', () => {
    const shown = redactUrl('postgres://db.example/polyhunter?user=trader&password=hunter2');
    expect(shown).not.toContain('hunter2');
    expect(shown).toContain('password=***');
  });

  it('redacts a URL the URL parser rejects', () => {
    const shown = redactUrl('postgres://trader:hunter2@[bad-host/db');
    expect(shown).not.toContain('hunter2');
    expect(shown).toContain('trader:***@');
  });
});

describe('openStore: URLs', () => {
  it('rejects an unknown scheme, naming the accepted forms and hiding the password', async () => {
    const err = await openError('mysql://root:hunter2@localhost/polyhunter');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('unsupported database URL "mysql://root:***@localhost/polyhunter"');
    expect(err.message).toContain('postgres://');
    expect(err.message).toContain('sqlite:<path>');
    expect(err.message).toContain('sqlite::memory:');
    expect(err.message).not.toContain('hunter2');
  });

  it('rejects a plain path and an empty or ambiguous SQLite URL', async () => {
    expect((await openError('./data/polyhunter.db')).message).toMatch(/unsupported database URL/);
    expect((await openError('sqlite:')).message).toMatch(/invalid SQLite URL/);
    expect((await openError('sqlite://data/polyhunter.db')).message).toMatch(/invalid SQLite URL/);
  });

  it('opens sqlite::memory:', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      expect(store.engine).toBe('sqlite');
      expect(store.displayUrl).toBe('sqlite::memory:');
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await store.close();
    }
  });
});

describe('openStore: SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyhunter-open-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the parent directory and sets WAL, busy_timeout, foreign_keys and synchronous', async () => {
    const file = join(dir, 'nested', 'deeper', 'polyhunter.db');
    const store = await openStore(`sqlite:${file}`);
    try {
      expect(existsSync(file)).toBe(true);
      const pragma = async (name: string) => {
        const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(store.db);
        return Object.values(rows[0] ?? {})[0];
      };
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('synchronous')).toBe(1); // NORMAL
    } finally {
      await store.close();
    }
  });

  it('reports a file it cannot open as a DatabaseError', async () => {
    // The directory itself is not a database file.
    const err = await openError(`sqlite:${dir}`);
    expect(err.message).toContain(`cannot open SQLite database "${dir}"`);
  });
});

describe('openStore: unreachable PostgreSQL', () => {
  it('gives one clear, retryable DatabaseError with the password redacted', async () => {
    const port = await unusedPort();
    const err = await openError(`postgres://trader:hunter2@127.0.0.1:${port}/polyhunter`);
    expect(err.message).toBe(
      `cannot connect to PostgreSQL at postgres://trader:***@127.0.0.1:${port}/polyhunter: ` +
        `connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(err.retryable).toBe(true);
    expect(JSON.stringify(err.context)).not.toContain('hunter2');
  });

  it('names the cause when the host is a name rather than an address', async () => {
    const port = await unusedPort();
    const err = await openError(`postgresql://trader:hunter2@localhost:${port}/polyhunter`);
    expect(err.message).toMatch(
      new RegExp(
        `^cannot connect to PostgreSQL at postgresql://trader:\\*\\*\\*@localhost:${port}/polyhunter: .*ECONNREFUSED`,
      ),
    );
    expect(err.message).not.toContain('hunter2');
    expect(err.message).not.toContain('\n');
  });
});

describe('describeConnectError', () => {
  it('spells out an AggregateError, which Node raises with an empty message for multi-address hosts', () => {
    const refused = (address: string) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}:5432`), { code: 'ECONNREFUSED' });
    const err = Object.assign(new AggregateError([refused('::1'), refused('127.0.0.1')]), {
      code: 'ECONNREFUSED',
    });
    expect(describeConnectError(err)).toEqual({
      reason: 'connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432',
      retryable: true,
    });
  });

  it('adds the SQLSTATE to server errors and treats bad credentials as final', () => {
    const err = Object.assign(new Error('password authentication failed for user "trader"'), {
      code: '28P01',
    });
    expect(describeConnectError(err)).toEqual({
      reason: 'password authentication failed for user "trader" (SQLSTATE 28P01)',
      retryable: false,
    });
  });

  it('treats a connect timeout as retryable', () => {
    expect(describeConnectError(new Error('timeout exceeded when trying to connect')).retryable).toBe(true);
  });
});

describe.skipIf(pgUrl === undefined)('openStore: PostgreSQL server', () => {
  it('names a database that does not exist, as not retryable', async () => {
    const url = new URL(pgUrl!);
    url.pathname = '/polyhunter_no_such_database';
    const err = await openError(url.toString());
    expect(err.message).toContain('database "polyhunter_no_such_database" does not exist');
    expect(err.message).toContain('SQLSTATE 3D000');
    expect(err.retryable).toBe(false);
  });

  it('opens a reachable server and shows its URL redacted', async () => {
    const store = await openStore(pgUrl!);
    try {
      expect(store.engine).toBe('postgres');
      expect(store.displayUrl).toBe(redactUrl(pgUrl!));
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await store.close();
    }
  });
});
