/**
 * Runtime settings: the config keys that live in the database once seeded (see schema.ts), so the
 * dashboard, the CLI and Telegram can change them while PolyHunter runs. This module is pure: the
 * caller reads and writes the settings table and hands the rows in.
 */
import { ConfigError } from '../core/errors.ts';
import { configKeys, envNameOf, type LoadedConfig, parseLeafValue, type ValueSource } from './load.ts';
import { isRuntimeKey } from './schema.ts';
import { getAt, setAt, type Tree } from './tree.ts';

/** A row of the settings table, with its value already decoded from JSON. */
export interface StoredSetting {
  key: string;
  value: unknown;
  /** Who wrote it: `default` or `file` when seeded, else `cli`, `dashboard`, `telegram`... */
  source: string;
  updatedAt: number;
}

export interface SeedEntry {
  key: string;
  value: unknown;
  source: 'default' | 'file';
}

/** The runtime keys with their file or default values, for seeding the keys the database lacks. */
export function runtimeSeedEntries(loaded: LoadedConfig): SeedEntry[] {
  const out: SeedEntry[] = [];
  for (const [key, source] of loaded.sources) {
    if (!isRuntimeKey(key)) continue;
    out.push({
      key,
      value: getAt(loaded.config, key.split('.')),
      source: source.kind === 'file' ? 'file' : 'default',
    });
  }
  return out;
}

/**
 * Lays the database's values over the loaded config. Precedence, lowest first: default, file,
 * database, environment (an operator's override at boot beats an edit made while running).
 */
export function applyDatabaseSettings(loaded: LoadedConfig, rows: readonly StoredSetting[]): LoadedConfig {
  const config = structuredClone(loaded.config) as unknown as Tree;
  const sources = new Map(loaded.sources);
  const warnings = [...loaded.warnings];
  const problems: string[] = [];

  for (const row of rows) {
    if (!isRuntimeKey(row.key) || !loaded.sources.has(row.key)) {
      warnings.push(
        `the database holds setting "${row.key}", which this version does not know; it is ignored`,
      );
      continue;
    }
    const previous = loaded.sources.get(row.key)!;
    if (previous.kind === 'env') {
      warnings.push(`${previous.variable} overrides the database value of ${row.key}`);
      continue;
    }
    let value: unknown;
    try {
      value = parseLeafValue(row.key, row.value, `database setting ${row.key}`);
    } catch (err) {
      problems.push((err as Error).message);
      continue;
    }
    const fileValue = getAt(loaded.config, row.key.split('.'));
    if (previous.kind === 'file' && JSON.stringify(fileValue) !== JSON.stringify(value)) {
      warnings.push(
        `${row.key}: the config file says ${JSON.stringify(fileValue)} but the database value ` +
          `${JSON.stringify(value)} (set by ${row.source}) wins; change it with \`polyhunter config set ${row.key} ...\``,
      );
    }
    setAt(config, row.key.split('.'), value);
    sources.set(row.key, { kind: 'database', setBy: row.source, updatedAt: row.updatedAt });
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid settings in the database:\n  - ${problems.join('\n  - ')}`);
  }
  return { ...loaded, config: config as unknown as LoadedConfig['config'], sources, warnings };
}

/** Validates a new value for a runtime key given as text (CLI) or JSON (API). */
export function parseRuntimeSetting(key: string, value: unknown): unknown {
  if (!configKeys().includes(key)) return parseLeafValue(key, value, 'new value'); // throws: unknown key
  if (!isRuntimeKey(key)) {
    throw new ConfigError(
      `"${key}" is not a runtime setting: edit it in polyhunter.toml or set ${envNameOf(key)} and restart`,
    );
  }
  return parseLeafValue(key, value, 'new value');
}

export function describeSource(source: ValueSource): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'file':
      return `file ${source.file}`;
    case 'env':
      return `env ${source.variable}`;
    case 'database': {
      const how =
        source.setBy === 'default' || source.setBy === 'file'
          ? `seeded from ${source.setBy}`
          : `set by ${source.setBy}`;
      return `database (${how}, ${new Date(source.updatedAt).toISOString()})`;
    }
  }
}
