import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { auditRepo, openStore, settingsRepo } from '../../src/store/index.ts';
import { runCli, startCli } from '../support/cli.ts';
import { createTestDatabase, forEachEngine, listTables, type TestDatabase } from '../support/engines.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ph-cli-'));
}

describe('polyhunter --help', () => {
  it('lists every command with examples', async () => {
    const r = await runCli(['--help'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    for (const cmd of ['init', 'config', 'db', 'trades', 'sim', 'start'])
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    expect(r.stdout).toMatch(/Examples:\n {2}\$ polyhunter init/);
  });

  it.each([
    ['init'],
    ['config'],
    ['config', 'show'],
    ['config', 'set'],
    ['db'],
    ['db', 'migrate'],
    ['start'],
  ])('%s %s --help says what it does with an example', async (...args: string[]) => {
    const r = await runCli([...args.filter(Boolean), '--help'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: polyhunter /m);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ polyhunter /);
  });

  it('exits 2 on an unknown command', async () => {
    const r = await runCli(['frobnicate'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});

describe('polyhunter init', () => {
  it('writes a starter config and a private secrets file with a random token, and refuses to overwrite', async () => {
    const dir = tempDir();
    const first = await runCli(['init'], { cwd: dir });
    expect(first.code).toBe(0);
    const config = readFileSync(join(dir, 'polyhunter.toml'), 'utf8');
    expect(config).toMatch(/^# port = 7420$/m);
    const secrets = readFileSync(join(dir, 'secrets.toml'), 'utf8');
    const token = /token = "([0-9a-f]+)"/.exec(secrets)?.[1];
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'secrets.toml')).mode & 0o777).toBe(0o600);
    expect(first.stdout).not.toContain(token);

    const again = await runCli(['init'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/polyhunter\.toml already exists; use --force/);

    writeFileSync(join(dir, 'polyhunter.toml'), '# edited\n');
    const forced = await runCli(['init', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'polyhunter.toml'), 'utf8')).toBe(config);
    // The secrets file, and so the token, survive a forced init.
    expect(readFileSync(join(dir, 'secrets.toml'), 'utf8')).toBe(secrets);
    expect(forced.stdout).toMatch(/kept .*secrets\.toml/);
  });

  it('writes a config that loads cleanly with every value from its default', async () => {
    const dir = tempDir();
    await runCli(['init'], { cwd: dir });
    const r = await runCli(['config', 'show', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as { settings: { key: string; source: string; secret: boolean }[] };
    const plain = shown.settings.filter((s) => !s.secret);
    expect(plain.every((s) => s.source === 'default')).toBe(true);
    expect(shown.settings.find((s) => s.key === 'dashboard.token')?.source).toMatch(/^file .*secrets\.toml$/);
  });
});

describe('polyhunter config', () => {
  it('shows each value’s source and never a secret', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'polyhunter.toml'), '[server]\nport = 8123\n');
    writeFileSync(join(dir, 'secrets.toml'), '[dashboard]\ntoken = "very-secret-dashboard-token"\n', {
      mode: 0o600,
    });
    const r = await runCli(['config', 'show'], {
      cwd: dir,
      env: {
        POLYHUNTER_LOG__LEVEL: 'debug',
        POLYHUNTER_KEYSTORE__PASSPHRASE: 'correct horse battery',
        // A node provider's key sits in the URL's path.
        POLYHUNTER_VENUE__POLYGON_WS_URL: 'wss://polygon-mainnet.g.alchemy.com/v2/AbCdEf0123456789XyZkey99',
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^venue\.polygon_ws_url +"wss:\/\/polygon-mainnet\.g\.alchemy\.com\/v2\/\*\*\*"/m,
    );
    expect(r.stdout).not.toContain('AbCdEf0123456789XyZkey99');
    expect(r.stdout).toMatch(/^server\.port +8123 +file .*polyhunter\.toml$/m);
    expect(r.stdout).toMatch(/^log\.level +"debug" +env POLYHUNTER_LOG__LEVEL$/m);
    expect(r.stdout).toMatch(/^server\.host +"127\.0\.0\.1" +default$/m);
    expect(r.stdout).toMatch(/^keystore\.passphrase +\(set\) +env POLYHUNTER_KEYSTORE__PASSPHRASE$/m);
    expect(r.stdout + r.stderr).not.toContain('very-secret-dashboard-token');
    expect(r.stdout + r.stderr).not.toContain('correct horse battery');
  });

  it('fails with one message naming file, key, expected type and found value', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'polyhunter.toml'), '[trading]\nmax_live_lag_sec = "soon"\n');
    for (const args of [['config', 'show'], ['start'], ['db', 'migrate']]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^error: Invalid configuration \(1 problem\(s\)\):\n {2}- polyhunter\.toml: trading\.max_live_lag_sec: expected a number, found "soon" \(a string\)\n$/,
      );
    }
    // Nothing was created on the way to the error.
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('fails clearly on a file that is not TOML', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'polyhunter.toml'), '[server\nport = 1\n');
    const r = await runCli(['config', 'show'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*polyhunter\.toml:1:\d+: invalid TOML/);
  });

  it('sets a runtime setting in the database, audited, and shows it as the database’s', async () => {
    const dir = tempDir();
    const set = await runCli(['config', 'set', 'trading.catch_up_buy_max_age_sec', '300'], { cwd: dir });
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/trading\.catch_up_buy_max_age_sec: 120 -> 300/);

    const shown = await runCli(['config', 'show'], { cwd: dir });
    expect(shown.stdout).toMatch(/^trading\.catch_up_buy_max_age_sec +300 +database \(set by cli, /m);

    const store = await openStore(`sqlite:${join(dir, 'data/polyhunter.db')}`);
    try {
      expect((await settingsRepo(store.db).get('trading.catch_up_buy_max_age_sec'))?.value).toBe(300);
      const audit = await auditRepo(store.db).tail(10);
      expect(audit.at(-1)).toMatchObject({
        actor: 'cli',
        action: 'settings.set',
        subject: 'trading.catch_up_buy_max_age_sec',
        details: { from: 120, to: 300 },
      });
    } finally {
      await store.close();
    }
  });

  it('refuses a bad value or a boot-only key and changes nothing', async () => {
    const dir = tempDir();
    const bad = await runCli(['config', 'set', 'trading.startup_mode', 'yolo'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/trading\.startup_mode: expected one of "flat", "warm", found "yolo"/);
    // Real money is switched on in the file, never from a shell, the dashboard or Telegram.
    const live = await runCli(['config', 'set', 'trading.mode', 'live'], { cwd: dir });
    expect(live.code).toBe(1);
    expect(live.stderr).toMatch(/"trading\.mode" is not a runtime setting/);
    const boot = await runCli(['config', 'set', 'server.port', '80'], { cwd: dir });
    expect(boot.code).toBe(1);
    expect(boot.stderr).toMatch(/not a runtime setting/);
    const shown = await runCli(['config', 'show', '--json'], { cwd: dir });
    const mode = (JSON.parse(shown.stdout) as { settings: { key: string; value: unknown }[] }).settings.find(
      (s) => s.key === 'trading.mode',
    );
    expect(mode?.value).toBe('paper');
  });
});

describe('polyhunter db migrate', () => {
  it('gives one clear message when PostgreSQL is unreachable, without the password', async () => {
    const r = await runCli(['db', 'migrate'], {
      cwd: tempDir(),
      env: { POLYHUNTER_DATABASE__URL: 'postgres://ph:s3cr3t-pw@127.0.0.1:1/polyhunter' },
    });
    expect(r.code).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^error: cannot connect to PostgreSQL at postgres:\/\/ph:\*\*\*@127\.0\.0\.1:1\/polyhunter: .*ECONNREFUSED/,
    );
    expect(r.stderr).not.toContain('s3cr3t-pw');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('rejects a database URL it does not understand', async () => {
    const r = await runCli(['db', 'migrate'], {
      cwd: tempDir(),
      env: { POLYHUNTER_DATABASE__URL: 'mysql://x@y/z' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unsupported database URL "mysql:\/\/x@y\/z": accepted forms are/);
  });
});

forEachEngine('polyhunter on a real database', (engine) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it('migrates once, then reports the schema up to date', async () => {
    database = await createTestDatabase(engine);
    const env = { POLYHUNTER_DATABASE__URL: database.url };
    const first = await runCli(['db', 'migrate'], { cwd: tempDir(), env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied {2}0001_initial/);
    const second = await runCli(['db', 'migrate'], { cwd: tempDir(), env });
    expect(second.stdout).toMatch(/schema is up to date/);
    const status = await runCli(['db', 'migrate', '--status'], { cwd: tempDir(), env });
    expect(status.stdout).toMatch(/applied {2}0001_initial/);
  });

  it('stops at a failing migration with one message and nothing half-written', async () => {
    database = await createTestDatabase(engine);
    // A table left by something else makes the first migration fail part-way through.
    const store = await openStore(database.url);
    await sql`create table markets (x integer)`.execute(store.db);
    await store.close();

    for (const args of [['db', 'migrate'], ['start']]) {
      const r = await runCli(args, { cwd: tempDir(), env: { POLYHUNTER_DATABASE__URL: database.url } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: migration 0001_initial failed: .*"?markets"? already exists/m);
    }
    const check = await openStore(database.url);
    try {
      const tables = (await listTables(check)).filter((t) => !t.startsWith('kysely_'));
      expect(tables).toEqual(['markets']);
    } finally {
      await check.close();
    }
  });

  it('start boots, logs every setting with its source, and stops cleanly on SIGINT', async () => {
    database = await createTestDatabase(engine);
    const dir = tempDir();
    writeFileSync(join(dir, 'polyhunter.toml'), '[trading]\nmax_live_lag_sec = 12\n[log]\nformat = "json"\n');
    const app = startCli(['start'], {
      cwd: dir,
      env: { POLYHUNTER_DATABASE__URL: database.url, POLYHUNTER_SERVER__PORT: '7999' },
    });
    await app.waitFor(/running in PAPER mode/);
    const lines = app
      .output()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; setting?: { key: string; value: string; source: string } });
    const setting = (key: string) => lines.find((l) => l.setting?.key === key)?.setting;
    expect(setting('server.port')).toMatchObject({ value: '7999', source: 'env POLYHUNTER_SERVER__PORT' });
    expect(setting('trading.max_live_lag_sec')?.source).toMatch(/^database \(seeded from file, /);
    expect(setting('trading.mode')).toMatchObject({ value: '"paper"', source: 'default' });
    expect(setting('log.level')).toMatchObject({ value: '"info"', source: 'default' });

    app.child.kill('SIGINT');
    expect(await app.exited, app.output()).toBe(0);
    expect(app.output()).toMatch(/"msg":"stopped"/);

    const store = await openStore(database.url);
    try {
      const actions = (await auditRepo(store.db).tail(10)).map((e) => e.action);
      expect(actions).toEqual(['settings.seed', 'app.start', 'app.stop']);
      expect((await settingsRepo(store.db).get('trading.max_live_lag_sec'))?.source).toBe('file');
    } finally {
      await store.close();
    }
  });
});
