import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseError } from '../../src/core/errors.ts';
import { checkedSqliteDatabase } from '../../src/store/sqlite-statements.ts';

describe('checkedSqliteDatabase', () => {
  let raw: BetterSqlite3.Database;
  beforeEach(() => {
    raw = new BetterSqlite3(':memory:');
    raw.exec('create table t (id integer primary key, v integer)');
  });
  afterEach(() => {
    if (raw.open) raw.close();
  });

  it('reuses a prepared statement for the same SQL and evicts the least recently used', () => {
    const db = checkedSqliteDatabase(raw);
    const first = db.prepare('select v from t where id = ?');
    expect(db.prepare('select v from t where id = ?')).toBe(first);
    for (let i = 0; i < 300; i++) db.prepare(`select ${i} as n`);
    const again = db.prepare('select v from t where id = ?');
    expect(again).not.toBe(first);
    // An evicted statement still works, and so does its replacement.
    raw.prepare('insert into t (id, v) values (1, 7)').run();
    expect(first.all([1])).toEqual([{ v: 7 }]);
    expect(again.all([1])).toEqual([{ v: 7 }]);
  });

  it('returns safe integers as numbers from all() and iterate()', () => {
    const db = checkedSqliteDatabase(raw);
    db.prepare('insert into t (id, v) values (?, ?)').run([1, Number.MAX_SAFE_INTEGER]);
    db.prepare('insert into t (id, v) values (?, ?)').run([2, -Number.MAX_SAFE_INTEGER]);
    const select = db.prepare('select id, v from t order by id');
    const expected = [
      { id: 1, v: Number.MAX_SAFE_INTEGER },
      { id: 2, v: -Number.MAX_SAFE_INTEGER },
    ];
    expect(select.all([])).toEqual(expected);
    expect([...select.iterate([])]).toEqual(expected);
  });

  it('throws instead of rounding an integer beyond the safe range', () => {
    const db = checkedSqliteDatabase(raw);
    db.prepare('insert into t (id, v) values (?, ?)').run([1, 2n ** 53n + 1n]);
    expect(() => db.prepare('select v from t').all([])).toThrow(DatabaseError);
    expect(() => db.prepare('select v from t').all([])).toThrow('column "v" holds 9007199254740993');
  });

  it('closes the database', () => {
    checkedSqliteDatabase(raw).close();
    expect(raw.open).toBe(false);
  });
});
