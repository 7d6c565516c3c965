/**
 * A command module run in this process, as program.ts declares it, on a fresh program and a
 * config directory of its own: for tests that want the command's errors as thrown errors and its
 * output as lines, without a child process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { GlobalOptions, Output } from '../../src/cli/context.ts';
import { migrateToLatest, openStore, type Store } from '../../src/store/index.ts';

export type Register = (program: Command, globals: () => GlobalOptions, output: Output) => void;

/** A temporary directory holding a polyhunter.toml (JSON logs) and nothing else yet. */
export function configDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ph-${prefix}-`));
  writeFileSync(join(dir, 'polyhunter.toml'), '[log]\nformat = "json"\n');
  return dir;
}

/** The config directory's database (created and migrated), open for `fn`. */
export async function withConfigDb<T>(dir: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(`sqlite:${join(dir, 'data', 'polyhunter.db')}`);
  try {
    await migrateToLatest(store);
    return await fn(store);
  } finally {
    await store.close();
  }
}

export interface CapturedOutput extends Output {
  lines: string[];
  errors: string[];
}

export function capture(): CapturedOutput {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (s) => lines.push(...s.split('\n')), err: (s) => errors.push(s) };
}

/** Runs `args` against the commands `register` declares, with the directory's config. */
export async function runRegistered(
  register: Register,
  dir: string,
  args: string[],
): Promise<CapturedOutput> {
  const output = capture();
  const program = new Command('polyhunter').option('-c, --config <file>').exitOverride();
  register(program, () => program.opts(), output);
  await program.parseAsync(['-c', join(dir, 'polyhunter.toml'), ...args], { from: 'user' });
  return output;
}
