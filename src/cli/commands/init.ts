/** `polyhunter init`: a commented starter config and a secrets file with a fresh dashboard token. */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { starterConfig, starterSecrets } from '../../config/index.ts';
import { ConfigError } from '../../core/errors.ts';
import { randomToken } from '../../core/ids.ts';
import type { GlobalOptions, Output } from '../context.ts';

export interface InitOptions {
  dir?: string;
  force?: boolean;
}

/** Writes whole files or nothing: a crash mid-write never leaves half a config behind. */
function writeAtomically(file: string, text: string, mode: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode, flag: 'wx' });
  renameSync(tmp, file);
}

export function runInit(global: GlobalOptions, options: InitOptions, output: Output): void {
  const configFile = resolve(global.config ?? resolve(options.dir ?? '.', 'polyhunter.toml'));
  const secretsFile = resolve(global.secrets ?? resolve(dirname(configFile), 'secrets.toml'));

  if (existsSync(configFile) && !options.force) {
    throw new ConfigError(`${configFile} already exists; use --force to overwrite it`);
  }
  writeAtomically(configFile, starterConfig(), 0o644);
  output.out(`wrote ${configFile}`);

  // A secrets file is never overwritten: it may hold the only copy of a token someone relies on.
  if (existsSync(secretsFile)) {
    output.out(`kept ${secretsFile} (it already exists)`);
  } else {
    writeAtomically(secretsFile, starterSecrets(randomToken(32)), 0o600);
    output.out(`wrote ${secretsFile} (mode 600) with a new dashboard token`);
  }
  output.out('');
  output.out(
    'Next: add leaders to follow under [[leaders]], then run `polyhunter config show` and `polyhunter start`.',
  );
  output.out('Keep secrets.toml out of version control.');
}
