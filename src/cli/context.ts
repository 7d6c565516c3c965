/**
 * What every command shares: the global options, loading the config they point at, opening the
 * configured database, and printing.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { type LoadedConfig, loadConfig } from '../config/index.ts';

export interface GlobalOptions {
  config?: string;
  secrets?: string;
}

/** Where a command writes: standard streams in production, buffers in tests. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export function loadFromOptions(options: GlobalOptions): LoadedConfig {
  return loadConfig({ configPath: options.config, secretsPath: options.secrets });
}

/** The database URL with a relative SQLite path made absolute against the config file's folder. */
export function resolvedDatabaseUrl(loaded: LoadedConfig): string {
  const url = loaded.config.database.url;
  const m = /^sqlite:(.+)$/i.exec(url);
  if (!m || m[1] === ':memory:' || isAbsolute(m[1]!)) return url;
  return `sqlite:${resolve(loaded.baseDir, m[1]!)}`;
}

/** For read-only commands: a SQLite database that does not exist yet is not created by looking. */
export function databaseExists(url: string): boolean {
  const m = /^sqlite:(.+)$/i.exec(url);
  return !m || m[1] === ':memory:' || existsSync(m[1]!);
}

export function printWarnings(loaded: LoadedConfig, output: Output): void {
  for (const w of loaded.warnings) output.err(`warning: ${w}`);
}
