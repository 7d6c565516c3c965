import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyDatabaseSettings,
  type LoadedConfig,
  loadConfig,
  parseRuntimeSetting,
  runtimeSeedEntries,
} from '../../src/config/index.ts';
import { ConfigError } from '../../src/core/errors.ts';

function load(toml: string, env: Record<string, string> = {}): LoadedConfig {
  const dir = mkdtempSync(join(tmpdir(), 'ph-settings-'));
  writeFileSync(join(dir, 'polyhunter.toml'), toml);
  return loadConfig({ cwd: dir, env });
}

const AT = Date.UTC(2026, 10, 21);

describe('runtime settings', () => {
  it('seeds only the runtime sections (trading, risk), marking file and default values', () => {
    const seeds = runtimeSeedEntries(load('[trading]\nmax_live_lag_sec = 9\n'));
    expect(seeds.every((s) => s.key.startsWith('trading.') || s.key.startsWith('risk.'))).toBe(true);
    expect(seeds.find((s) => s.key === 'risk.max_per_trade_usd')).toEqual({
      key: 'risk.max_per_trade_usd',
      value: null,
      source: 'default',
    });
    expect(seeds.find((s) => s.key === 'trading.max_live_lag_sec')).toEqual({
      key: 'trading.max_live_lag_sec',
      value: 9,
      source: 'file',
    });
    // Live trading is switched on in the file only, never by a database edit.
    expect(seeds.find((s) => s.key === 'trading.mode')).toBeUndefined();
  });

  it('lets the database win over file and default, and says when the file disagrees', () => {
    const loaded = load('[trading]\nmax_live_lag_sec = 9\n');
    const applied = applyDatabaseSettings(loaded, [
      { key: 'trading.max_live_lag_sec', value: 15, source: 'cli', updatedAt: AT },
      { key: 'trading.startup_mode', value: 'warm', source: 'dashboard', updatedAt: AT },
    ]);
    expect(applied.config.trading.max_live_lag_sec).toBe(15);
    expect(applied.config.trading.startup_mode).toBe('warm');
    expect(applied.sources.get('trading.startup_mode')).toEqual({
      kind: 'database',
      setBy: 'dashboard',
      updatedAt: AT,
    });
    expect(applied.warnings.join('\n')).toMatch(
      /trading\.max_live_lag_sec: the config file says 9 but the database value 15/,
    );
    // The input is left untouched.
    expect(loaded.config.trading.max_live_lag_sec).toBe(9);
  });

  it('lets an environment variable beat the database, with a warning', () => {
    const loaded = load('', { POLYHUNTER_TRADING__STARTUP_MODE: 'flat' });
    const applied = applyDatabaseSettings(loaded, [
      { key: 'trading.startup_mode', value: 'warm', source: 'cli', updatedAt: AT },
    ]);
    expect(applied.config.trading.startup_mode).toBe('flat');
    expect(applied.sources.get('trading.startup_mode')?.kind).toBe('env');
    expect(applied.warnings.join('\n')).toMatch(
      /POLYHUNTER_TRADING__STARTUP_MODE overrides the database value of trading\.startup_mode/,
    );
  });

  it('rejects an invalid stored value with its key and ignores unknown keys with a warning', () => {
    const loaded = load('');
    expect(() =>
      applyDatabaseSettings(loaded, [
        { key: 'trading.max_live_lag_sec', value: 'soon', source: 'cli', updatedAt: AT },
      ]),
    ).toThrow(
      /database setting trading\.max_live_lag_sec: trading\.max_live_lag_sec: expected a number, found "soon"/,
    );
    const applied = applyDatabaseSettings(loaded, [
      { key: 'trading.retired', value: 1, source: 'cli', updatedAt: AT },
    ]);
    expect(applied.warnings.join('\n')).toMatch(/"trading\.retired", which this version does not know/);
  });

  it('validates a new value given as text', () => {
    expect(parseRuntimeSetting('trading.catch_up_buy_max_worse_bps', '25')).toBe(25);
    expect(parseRuntimeSetting('trading.trigger_sources', '["api","chain"]')).toEqual(['api', 'chain']);
    expect(parseRuntimeSetting('trading.strict_sources', 'on')).toBe(true);
    // A limit that can be off takes "null"; one that cannot refuses it.
    expect(parseRuntimeSetting('risk.max_per_trade_usd', 'null')).toBeNull();
    expect(parseRuntimeSetting('risk.max_per_trade_usd', '12.5')).toBe(12.5);
    expect(() => parseRuntimeSetting('trading.max_live_lag_sec', 'null')).toThrow(ConfigError);
    expect(() => parseRuntimeSetting('trading.catch_up_buy_max_worse_bps', '20000')).toThrow(
      /expected a number <= 10000/,
    );
    expect(() => parseRuntimeSetting('trading.trigger_sources', '["telepathy"]')).toThrow(ConfigError);
    expect(() => parseRuntimeSetting('server.port', '1')).toThrow(
      /not a runtime setting: edit it in polyhunter\.toml or set POLYHUNTER_SERVER__PORT/,
    );
    expect(() => parseRuntimeSetting('trading.mdoe', 'live')).toThrow(
      /unknown key "trading\.mdoe" \(did you mean "trading\.mode"\?\)/,
    );
  });
});
