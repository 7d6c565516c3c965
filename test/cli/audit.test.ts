import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  auditTail,
  formatAuditLine,
  registerAuditCommands,
  runAuditTail,
} from '../../src/cli/commands/audit.ts';
import { type AuditEntry, auditRepo, type Store } from '../../src/store/index.ts';
import { runCli, startCli } from '../support/cli.ts';
import { capture, configDir, runRegistered, withConfigDb } from '../support/cli-in-process.ts';
import { forEachEngine, openTestStore, type TestStore } from '../support/engines.ts';

const T0 = 1_760_000_000_000;

/** Who did what, oldest first; the near-misses must not match the filters. */
const ENTRIES = [
  { actor: 'system', action: 'app.start', subject: 'paper' },
  { actor: 'cli', action: 'follow.add', subject: '#1', details: { sizing: 'fixed $25' } },
  { actor: 'telegram:42', action: 'follow.set', subject: '#1', details: { paused: true } },
  { actor: 'telegramx', action: 'followers.sync' },
  {
    actor: 'dashboard',
    action: 'settings.set',
    subject: 'trading.startup_mode',
    details: { from: 'flat', to: 'warm' },
  },
  { actor: 'telegram', action: 'follow', subject: null },
  { actor: 'c_i', action: 'paper.reset', subject: 'paper' },
] as const;

async function seed(store: Store): Promise<void> {
  const repo = auditRepo(store.db);
  for (const [i, e] of ENTRIES.entries()) await repo.append({ ...e }, T0 + (i + 1) * 1000);
}

const who = (rows: AuditEntry[]) => rows.map((r) => `${r.actor} ${r.action}`);

forEachEngine('auditTail', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(engine);
    await seed(t.store);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('returns the newest entries oldest first, or the first after an id', async () => {
    const last3 = await auditTail(t.store.db, { limit: 3 });
    expect(who(last3)).toEqual(['dashboard settings.set', 'telegram follow', 'c_i paper.reset']);
    expect(last3[0]).toMatchObject({
      subject: 'trading.startup_mode',
      details: { from: 'flat', to: 'warm' },
      at: T0 + 5000,
    });
    const after = await auditTail(t.store.db, { limit: 2, afterId: last3[0]!.id - 4 });
    expect(who(after)).toEqual(['cli follow.add', 'telegram:42 follow.set']);
  });

  it('filters by actor (with its ":who" family) and action (with its ".verb" family), literally', async () => {
    expect(who(await auditTail(t.store.db, { limit: 50, actor: 'telegram' }))).toEqual([
      'telegram:42 follow.set',
      'telegram follow',
    ]);
    expect(who(await auditTail(t.store.db, { limit: 50, actor: 'telegram:42' }))).toEqual([
      'telegram:42 follow.set',
    ]);
    expect(who(await auditTail(t.store.db, { limit: 50, action: 'follow' }))).toEqual([
      'cli follow.add',
      'telegram:42 follow.set',
      'telegram follow',
    ]);
    expect(who(await auditTail(t.store.db, { limit: 50, actor: 'telegram', action: 'follow.set' }))).toEqual([
      'telegram:42 follow.set',
    ]);
    // "_" and "%" are not wildcards, and case matters.
    expect(who(await auditTail(t.store.db, { limit: 50, actor: 'c_i' }))).toEqual(['c_i paper.reset']);
    expect(await auditTail(t.store.db, { limit: 50, actor: 'c%' })).toEqual([]);
    expect(await auditTail(t.store.db, { limit: 50, actor: 'CLI' })).toEqual([]);
    expect(who(await auditTail(t.store.db, { limit: 1, action: 'follow' }))).toEqual(['telegram follow']);
  });
});

// --- the command -----------------------------------------------------------------------------------

/** The command as program.ts declares it, on a fresh program, in this process. */
async function audit(dir: string, ...args: string[]) {
  const output = await runRegistered(registerAuditCommands, dir, ['audit-tail', ...args]);
  return output;
}

describe('polyhunter audit-tail', () => {
  it('says there is no database yet, and does not create one', async () => {
    const dir = configDir('audit');
    await expect(audit(dir)).rejects.toThrow(/^no database yet at .*data\/polyhunter\.db: nothing has run/);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('prints the latest entries newest last, as text or one JSON object a line, filtered', async () => {
    const dir = configDir('audit');
    await withConfigDb(dir, seed);
    const text = await audit(dir, '-n', '3');
    expect(text.lines).toEqual([
      '2025-10-09 08:53:25  dashboard  settings.set     trading.startup_mode  {"from":"flat","to":"warm"}',
      '2025-10-09 08:53:26  telegram   follow           -',
      '2025-10-09 08:53:27  c_i        paper.reset      paper',
    ]);
    // A longer actor widens its column for every line, so the columns stay aligned.
    const wide = await audit(dir, '-n', '5');
    expect(
      new Set(wide.lines.map((l) => l.search(/(follow|followers|settings|paper)\./)).filter((i) => i >= 0)),
    ).toEqual(new Set([34]));
    const json = await audit(dir, '--json', '--action', 'follow');
    const parsed = json.lines.map((l) => JSON.parse(l) as AuditEntry);
    expect(who(parsed)).toEqual(['cli follow.add', 'telegram:42 follow.set', 'telegram follow']);
    expect(parsed[0]).toMatchObject({ at: T0 + 2000, subject: '#1', details: { sizing: 'fixed $25' } });

    expect((await audit(dir, '--actor', 'nobody')).lines).toEqual(['no audit entries by nobody']);
    expect((await audit(dir, '--actor', 'nobody', '--json')).lines).toEqual([]);
    await expect(audit(dir, '-n', '0')).rejects.toThrow(
      '--limit must be an integer from 1 to 10000, got "0"',
    );
    await expect(audit(dir, '-n', '2x')).rejects.toThrow(/--limit must be an integer/);
    await expect(audit(dir, '--actor', ' ')).rejects.toThrow('--actor needs a value');
  });

  it('formats an entry on one line whatever its details hold', () => {
    const e: AuditEntry = { id: 1, at: T0, actor: 'cli', action: 'x', subject: null, details: {} };
    expect(formatAuditLine(e)).toBe('2025-10-09 08:53:20  cli        x                -');
    expect(formatAuditLine({ ...e, details: 'not json' })).toMatch(/ - {2}not json$/);
    expect(formatAuditLine({ ...e, details: { note: 'a\nb' } })).toMatch(/ - {2}\{"note":"a\\nb"\}$/);
  });

  it('-f prints new entries as they are written, only those matching, until stopped', async () => {
    const dir = configDir('audit');
    await withConfigDb(dir, seed);
    const output = capture();
    const stop = new AbortController();
    const running = runAuditTail(
      { config: join(dir, 'polyhunter.toml') },
      { limit: '1', follow: true, actor: 'dashboard' },
      output,
      stop.signal,
    );
    await vi.waitFor(() => expect(output.lines).toHaveLength(1));
    // More than one page at once arrives whole and in order.
    await withConfigDb(dir, (store) =>
      store.db.transaction().execute(async (trx) => {
        const repo = auditRepo(trx);
        for (let i = 0; i < 1200; i++) {
          await repo.append(
            { actor: i % 2 === 0 ? 'dashboard' : 'cli', action: 'settings.set', subject: `k${i}` },
            T0 + 10_000 + i,
          );
        }
      }),
    );
    await vi.waitFor(() => expect(output.lines).toHaveLength(601), { timeout: 5000 });
    expect(output.lines.slice(1).map((l) => l.split(/\s+/)[4])).toEqual(
      Array.from({ length: 600 }, (_, i) => `k${2 * i}`),
    );
    stop.abort();
    await running;
    expect(output.errors).toEqual([]);
  });

  // These run the real `polyhunter` process: they need the command registered in src/cli/program.ts.
  it('as a process: no database is an error (exit 1); -f follows and stops cleanly on Ctrl-C', async () => {
    const dir = configDir('audit');
    const none = await runCli(['audit-tail'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error: no database yet at /m);

    await withConfigDb(dir, seed);
    const app = startCli(['audit-tail', '-f', '-n', '2'], { cwd: dir });
    try {
      await app.waitFor(/c_i\s+paper\.reset/);
      await withConfigDb(dir, (store) =>
        auditRepo(store.db).append({ actor: 'cli', action: 'follow.remove', subject: '#9' }, Date.now()),
      );
      await app.waitFor(/cli\s+follow\.remove\s+#9/);
    } finally {
      app.child.kill('SIGINT');
    }
    expect(await app.exited, app.output()).toBe(0);
    expect(app.output().trim().split('\n')).toHaveLength(3);
  });
});
