import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import {
  configKeys,
  configSchema,
  effectiveConfigRows,
  type LoadedConfig,
  loadConfig,
  starterConfig,
} from '../../src/config/index.ts';
import { ConfigError } from '../../src/core/errors.ts';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ph-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  return dir;
}

function load(files: Record<string, string>, env: Record<string, string> = {}): LoadedConfig {
  return loadConfig({ cwd: dirWith(files), env });
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the documented defaults when there is no file, and says so', () => {
    const loaded = load({});
    expect(loaded.config).toEqual(configSchema.parse({}));
    expect(loaded.config.database.url).toBe('sqlite:./data/polyhunter.db');
    expect(loaded.config.server).toEqual({ host: '127.0.0.1', port: 7420 });
    expect(loaded.config.trading.mode).toBe('paper');
    expect(loaded.configFileFound).toBe(false);
    expect([...loaded.sources.values()].every((s) => s.kind === 'default')).toBe(true);
    expect(loaded.warnings.join('\n')).toMatch(/no config file .*polyhunter init/);
  });

  it('records the source of each value: file, env, default', () => {
    const loaded = load(
      { 'polyhunter.toml': '[server]\nport = 8000\n[trading]\nmax_live_lag_sec = 10\n' },
      { POLYHUNTER_SERVER__HOST: '0.0.0.0', POLYHUNTER_TRADING__MAX_LIVE_LAG_SEC: '12' },
    );
    expect(loaded.config.server.port).toBe(8000);
    expect(loaded.sources.get('server.port')).toEqual({ kind: 'file', file: loaded.configFile });
    expect(loaded.config.server.host).toBe('0.0.0.0');
    expect(loaded.sources.get('server.host')).toEqual({ kind: 'env', variable: 'POLYHUNTER_SERVER__HOST' });
    expect(loaded.config.trading.max_live_lag_sec).toBe(12);
    expect(loaded.sources.get('trading.max_live_lag_sec')?.kind).toBe('env');
    expect(loaded.sources.get('log.level')).toEqual({ kind: 'default' });
    expect(loaded.sources.size).toBe(configKeys().length);
  });

  it('coerces environment text to each key’s type', () => {
    const loaded = load(
      {},
      {
        POLYHUNTER_TRADING__STRICT_SOURCES: 'true',
        POLYHUNTER_TRADING__TRIGGER_SOURCES: '["chain"]',
        POLYHUNTER_VENUE__CHAIN_ID: '80002',
        POLYHUNTER_LEADERS: '[{"address":"0xAbCdEf0000000000000000000000000000000001","label":"w"}]',
      },
    );
    expect(loaded.config.trading.strict_sources).toBe(true);
    expect(loaded.config.trading.trigger_sources).toEqual(['chain']);
    expect(loaded.config.venue.chain_id).toBe(80002);
    // Addresses are kept lower-case whatever the input.
    expect(loaded.config.leaders).toEqual([
      { address: '0xabcdef0000000000000000000000000000000001', label: 'w' },
    ]);
  });

  it('names the file, key, expected type and found value of a bad value', () => {
    const err = errorOf(() => load({ 'polyhunter.toml': '[server]\nport = "eighty"\n' }));
    expect(err.message).toMatch(
      /polyhunter\.toml: server\.port: expected a number, found "eighty" \(a string\)/,
    );
  });

  it('reports every problem in one message, each with its origin', () => {
    const err = errorOf(() =>
      load(
        { 'polyhunter.toml': '[trading]\nmode = "yolo"\n[[leaders]]\naddress = "0x12"\n' },
        { POLYHUNTER_LOG__LEVEL: 'loud' },
      ),
    );
    expect(err.message).toMatch(/3 problem/);
    expect(err.message).toMatch(
      /polyhunter\.toml: trading\.mode: expected one of "paper", "live", found "yolo"/,
    );
    expect(err.message).toMatch(
      /polyhunter\.toml: leaders\[0\]\.address: expected a 0x-prefixed 40-hex-digit address, found "0x12"/,
    );
    expect(err.message).toMatch(
      /environment variable POLYHUNTER_LOG__LEVEL: log\.level: expected one of .*found "loud"/,
    );
  });

  it('rejects an unknown key with the closest known one', () => {
    const err = errorOf(() => load({ 'polyhunter.toml': '[server]\nhots = "x"\n' }));
    expect(err.message).toMatch(/unknown key "server\.hots" \(did you mean "server\.host"\?\)/);
    const section = errorOf(() => load({ 'polyhunter.toml': '[servre]\nport = 1\n' }));
    expect(section.message).toMatch(/unknown key "servre" \(did you mean "server"\?\)/);
  });

  it('rejects an unknown POLYHUNTER_* variable, ignoring option and test variables', () => {
    const err = errorOf(() => load({}, { POLYHUNTER_SERVER_PORT: '1' }));
    expect(err.message).toMatch(
      /POLYHUNTER_SERVER_PORT: unknown setting \(did you mean POLYHUNTER_SERVER__PORT\?\)/,
    );
    expect(() => load({}, { POLYHUNTER_TEST_PG_URL: 'x', POLYHUNTER_DEBUG: '1' })).not.toThrow();
  });

  it('points at the line and column of invalid TOML', () => {
    const err = errorOf(() => load({ 'polyhunter.toml': '[server]\nport = 1\nport = 2\n' }));
    expect(err.message).toMatch(/polyhunter\.toml:3:1: invalid TOML/);
  });

  it('fails clearly when an explicitly named file is missing or unreadable', () => {
    const dir = dirWith({});
    const missing = errorOf(() => loadConfig({ cwd: dir, configPath: 'nope.toml', env: {} }));
    expect(missing.message).toMatch(/cannot read config file .*nope\.toml: not found/);
    const isDir = errorOf(() => loadConfig({ cwd: dir, configPath: '.', env: {} }));
    expect(isDir.message).toMatch(/it is a directory/);
  });

  it('reads secrets from secrets.toml and the environment and never shows them', () => {
    const token = 'tok-0123456789abcdef-SECRET';
    const loaded = load(
      { 'secrets.toml': `[dashboard]\ntoken = "${token}"\n` },
      { POLYHUNTER_TELEGRAM__BOT_TOKEN: 'bot-SECRET-999' },
    );
    expect(loaded.secrets.dashboard.token).toBe(token);
    expect(loaded.secrets.telegram.bot_token).toBe('bot-SECRET-999');
    expect(loaded.secretSources.get('dashboard.token')?.kind).toBe('file');
    expect(loaded.secretSources.get('telegram.bot_token')?.kind).toBe('env');
    expect(loaded.secretSources.has('keystore.passphrase')).toBe(false);
    const shown = JSON.stringify(effectiveConfigRows(loaded));
    expect(shown).not.toContain(token);
    expect(shown).not.toContain('bot-SECRET-999');
    expect(effectiveConfigRows(loaded).find((r) => r.key === 'dashboard.token')?.value).toBe('(set)');
  });

  it('refuses a secret in the config file and says where it belongs', () => {
    const err = errorOf(() => load({ 'polyhunter.toml': '[dashboard]\ntoken = "abcdefabcdefabcdef"\n' }));
    expect(err.message).toMatch(
      /dashboard\.token is a secret: put it in secrets\.toml or POLYHUNTER_DASHBOARD__TOKEN/,
    );
  });

  it('warns when secrets.toml can be read by other users', () => {
    const dir = dirWith({ 'secrets.toml': '[dashboard]\ntoken = "abcdefabcdefabcdef"\n' });
    chmodSync(join(dir, 'secrets.toml'), 0o644);
    const loaded = loadConfig({ cwd: dir, env: {} });
    expect(loaded.warnings.join('\n')).toMatch(/secrets\.toml can be read by other users/);
  });

  it('masks a password in the database URL when shown', () => {
    const loaded = load({}, { POLYHUNTER_DATABASE__URL: 'postgres://ph:hunter2@db.local:5432/ph' });
    expect(loaded.config.database.url).toBe('postgres://ph:hunter2@db.local:5432/ph');
    const row = effectiveConfigRows(loaded).find((r) => r.key === 'database.url');
    expect(row?.value).toBe('"postgres://ph:***@db.local:5432/ph"');
  });
});

describe('starterConfig', () => {
  it('is valid TOML that loads to exactly the defaults', () => {
    const text = starterConfig();
    expect(parseToml(text)).toBeTypeOf('object');
    const loaded = load({ 'polyhunter.toml': text });
    expect(loaded.config).toEqual(configSchema.parse({}));
    expect(loaded.configFileFound).toBe(true);
  });

  it('documents every key with its default', () => {
    const text = starterConfig();
    for (const key of configKeys()) {
      const leaf = key.split('.').pop()!;
      if (key === 'accounts' || key === 'leaders') expect(text).toContain(`[[${key}]]`);
      else expect(text).toMatch(new RegExp(`^# ${leaf} = `, 'm'));
    }
    expect(text).toContain('# port = 7420');
    expect(text).toContain('# mode = "paper"');
  });
});
