/**
 * `polyhunter keys add|list|remove`: the encrypted local keystore from the shell. A private key
 * comes in through a hidden prompt, standard input or a named environment variable (never an
 * argument, which would land in shell history and `ps`), and nothing here ever prints one: `add`
 * and `list` show names and addresses only.
 *
 * program.ts imports this module to declare the commands, so it loads nothing heavy at the top:
 * viem, the config and the keystore are imported when a command runs.
 */
import type { Command } from 'commander';
import type { LoadedConfig } from '../../config/index.ts';
import { ConfigError, ValidationError } from '../../core/errors.ts';
import type { KeyInfo, Keystore, Secret } from '../../keys/index.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { tableLines } from '../table.ts';

export interface KeystoreOption {
  keystore?: string;
}

export interface KeysAddOptions extends KeystoreOption {
  fromEnv?: string;
  generate?: boolean;
}

export interface KeysListOptions extends KeystoreOption {
  json?: boolean;
}

export interface KeysRemoveOptions extends KeystoreOption {
  yes?: boolean;
}

import { KEYSTORE_FILE } from '../../keys/accounts.ts';

export { KEYSTORE_FILE };

const PASSPHRASE_ENV = 'POLYHUNTER_KEYSTORE__PASSPHRASE';
/** Shorter new passphrases get a warning: the file alone is then worth attacking offline. */
const WEAK_PASSPHRASE = 12;

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

const PASSPHRASE_HELP = `
The passphrase comes from [keystore] passphrase in secrets.toml or ${PASSPHRASE_ENV};
without either, it is asked for at the terminal (twice for the first key). Every key in a
keystore shares one passphrase. The keystore is ${KEYSTORE_FILE} beside the config unless
--keystore says otherwise; back it up together with the passphrase.`;

function keystoreOption(cmd: Command): Command {
  return cmd.option('--keystore <file>', `keystore file (default: ${KEYSTORE_FILE} beside the config)`);
}

export function registerKeysCommands(program: Command, globals: () => GlobalOptions, output: Output): void {
  const keys = program
    .command('keys')
    .description(
      'The encrypted local keystore: private keys of live trading accounts, sealed with scrypt and AES-256-GCM under one passphrase. Keys are never printed, logged or served.',
    )
    .addHelpText(
      'after',
      `${PASSPHRASE_HELP}\n${examples(
        'polyhunter keys add main',
        'polyhunter keys add main --from-env MAIN_PRIVATE_KEY',
        'polyhunter keys add hot --generate',
        'polyhunter keys list',
        'polyhunter keys remove old --yes',
      )}`,
    );

  keystoreOption(
    keys
      .command('add')
      .description(
        'Encrypt a private key into the keystore under a name (use the account name from polyhunter.toml). The key is read from a hidden prompt, from standard input when piped, or from --from-env; --generate makes a new one and prints only its address. An existing name is never overwritten.',
      )
      .argument('<name>', 'a short lower-case name, e.g. main ([a-z0-9_-], up to 32 characters)')
      .option('--from-env <var>', 'read the key from this environment variable')
      .option('--generate', 'make a new random key (fund its address before trading)'),
  )
    .addHelpText(
      'after',
      `${PASSPHRASE_HELP}\n${examples(
        'polyhunter keys add main                            # asks for the key and the passphrase',
        'polyhunter keys add main --from-env MAIN_PRIVATE_KEY',
        'polyhunter keys add main < main.key                 # passphrase from secrets.toml or the environment',
        'polyhunter keys add hot --generate',
      )}`,
    )
    .action(async (name: string, options: KeysAddOptions) => {
      await runKeysAdd(globals(), name, options, output);
    });

  keystoreOption(
    keys
      .command('list')
      .description(
        'List the keys in the keystore: name, address, whether CLOB API credentials are stored, and when it was added. Needs no passphrase and shows no secret.',
      )
      .option('--json', 'print JSON'),
  )
    .addHelpText(
      'after',
      examples('polyhunter keys list', 'polyhunter keys list --json | jq -r .keys[].address'),
    )
    .action(async (options: KeysListOptions) => {
      await runKeysList(globals(), options, output);
    });

  keystoreOption(
    keys
      .command('remove')
      .description(
        'Delete a key and its stored API credentials from the keystore, for good. Asks for confirmation at a terminal; elsewhere --yes is required.',
      )
      .argument('<name>', 'the key name, from `polyhunter keys list`')
      .option('-y, --yes', 'remove without asking'),
  )
    .addHelpText('after', examples('polyhunter keys remove old', 'polyhunter keys remove old --yes'))
    .action(async (name: string, options: KeysRemoveOptions) => {
      await runKeysRemove(globals(), name, options, output);
    });
}

// --- actions ---------------------------------------------------------------------------------------

export async function runKeysAdd(
  global: GlobalOptions,
  name: string,
  options: KeysAddOptions,
  output: Output,
): Promise<void> {
  const { checkKeyName, parsePrivateKey, Secret } = await import('../../keys/index.ts');
  checkKeyName(name);
  if (options.generate && options.fromEnv !== undefined) {
    throw new ValidationError('give --generate or --from-env, not both');
  }
  const { loaded, keystore } = await openFromOptions(global, options, output);
  // Refused before anything is asked or read: no one should paste a key only to be told no.
  const existing = keystore.get(name);
  if (existing !== undefined) {
    throw new ValidationError(
      `the keystore already has a key named ${name} (${existing.address}); remove it first (polyhunter keys remove ${name}) or pick another name`,
    );
  }
  const configured = loaded.secrets.keystore.passphrase;
  const interactive = process.stdin.isTTY === true;
  if (configured === undefined && !interactive) throw noPassphrase(loaded);

  let key: Secret<string> | undefined;
  if (!options.generate) {
    // Checked at once, so a bad paste fails before the passphrase is asked for.
    key = new Secret(parsePrivateKey(await readPrivateKey(options, interactive)));
  }
  const creating = keystore.list().length === 0;
  const passphrase = configured ?? (await askPassphrase(creating, output));

  const info =
    key === undefined ? await keystore.generate(name, passphrase) : await keystore.add(name, key, passphrase);
  output.out(
    `${options.generate ? 'generated' : 'added'} key ${info.name}: ${info.address} (encrypted in ${keystore.path})`,
  );
  if (options.generate) {
    output.out(
      `Back up ${keystore.path} and its passphrase: this key exists nowhere else. Fund ${info.address} before trading with it.`,
    );
  }
  if (options.fromEnv !== undefined) {
    output.err(`note: the key is still in $${options.fromEnv}; unset it when you are done`);
  }
  for (const note of accountNotes(loaded, [info])) output.err(`warning: ${note}`);
}

export async function runKeysList(
  global: GlobalOptions,
  options: KeysListOptions,
  output: Output,
): Promise<void> {
  const { loaded, keystore } = await openFromOptions(global, options, output);
  const rows = keystore.list();
  if (options.json) {
    output.out(
      JSON.stringify(
        {
          keystore: keystore.path,
          keys: rows.map((k) => ({ ...k, createdAt: new Date(k.createdAt).toISOString() })),
        },
        null,
        2,
      ),
    );
    return;
  }
  if (rows.length === 0) {
    output.out(`no keys in ${keystore.path}; add one with: polyhunter keys add <name>`);
    return;
  }
  output.out(formatKeyTable(rows));
  for (const note of accountNotes(loaded, rows)) output.out(`note: ${note}`);
}

export async function runKeysRemove(
  global: GlobalOptions,
  name: string,
  options: KeysRemoveOptions,
  output: Output,
): Promise<void> {
  const { keystore } = await openFromOptions(global, options, output);
  const info = keystore.get(name);
  if (info === undefined) {
    throw new ValidationError(
      `no key named ${JSON.stringify(name)} in ${keystore.path} (see: polyhunter keys list)`,
    );
  }
  if (!options.yes) {
    if (process.stdin.isTTY !== true) {
      throw new ValidationError(
        `removing key ${name} deletes its private key for good; pass --yes to confirm (or run in a terminal to be asked)`,
      );
    }
    const { askLine } = await import('../../keys/index.ts');
    const answer = await askLine(
      `Remove key ${name} (${info.address})${info.hasApiCreds ? ' and its API credentials' : ''} from ${keystore.path}? Without a backup it cannot be recovered. [y/N] `,
    );
    if (!/^y(es)?$/i.test(answer)) {
      output.out(`kept key ${name}`);
      return;
    }
  }
  const removed = keystore.remove(name);
  output.out(`removed key ${removed.name} (${removed.address}) from ${keystore.path}`);
}

// --- helpers ---------------------------------------------------------------------------------------

async function openFromOptions(
  global: GlobalOptions,
  options: KeystoreOption,
  output: Output,
): Promise<{ loaded: LoadedConfig; keystore: Keystore }> {
  const { resolve } = await import('node:path');
  const { loadFromOptions, printWarnings } = await import('../context.ts');
  const { openKeystore } = await import('../../keys/index.ts');
  const loaded = loadFromOptions(global);
  printWarnings(loaded, output);
  const path =
    options.keystore !== undefined ? resolve(options.keystore) : resolve(loaded.baseDir, KEYSTORE_FILE);
  const keystore = openKeystore(path);
  for (const w of keystore.warnings()) output.err(`warning: ${w}`);
  return { loaded, keystore };
}

function noPassphrase(loaded: LoadedConfig): ConfigError {
  return new ConfigError(
    `no keystore passphrase: set ${PASSPHRASE_ENV}, or passphrase under [keystore] in ${loaded.secretsFile}, or run this in a terminal to be asked for it`,
  );
}

/** The key's text, from the source the options name; checked by the caller. */
async function readPrivateKey(options: KeysAddOptions, interactive: boolean): Promise<string> {
  if (options.fromEnv !== undefined) {
    const value = process.env[options.fromEnv];
    if (value === undefined || value.trim() === '') {
      throw new ValidationError(`environment variable ${options.fromEnv} is not set or is empty`);
    }
    return value;
  }
  if (interactive) {
    const { askHidden } = await import('../../keys/index.ts');
    return askHidden('Private key (0x + 64 hex digits, hidden): ');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  for (const c of chunks) c.fill(0);
  if (text.trim() === '') {
    throw new ValidationError(
      'no private key on standard input: pipe one in, or use --from-env <var> or --generate, or run in a terminal to be asked',
    );
  }
  return text;
}

async function askPassphrase(creating: boolean, output: Output): Promise<string> {
  const { askHidden } = await import('../../keys/index.ts');
  const first = await askHidden(creating ? 'New keystore passphrase: ' : 'Keystore passphrase: ');
  if (first === '') throw new ValidationError('the keystore passphrase must not be empty');
  if (creating) {
    const again = await askHidden('Repeat the passphrase: ');
    if (again !== first) throw new ValidationError('the two passphrases differ; nothing was stored');
    if (first.length < WEAK_PASSPHRASE) {
      output.err(
        `warning: a passphrase under ${WEAK_PASSPHRASE} characters is weak protection if the keystore file is ever copied`,
      );
    }
  }
  return first;
}

/** Keys whose [[accounts]] entry (same name) names a different signing address. */
function accountNotes(loaded: LoadedConfig, keys: readonly KeyInfo[]): string[] {
  const notes: string[] = [];
  for (const k of keys) {
    const account = loaded.config.accounts.find((a) => a.name === k.name);
    if (account?.address !== undefined && account.address.toLowerCase() !== k.address) {
      notes.push(
        `account ${k.name} in ${loaded.configFile} has address ${account.address}, but key ${k.name} signs for ${k.address}`,
      );
    }
  }
  return notes;
}

export function formatKeyTable(rows: readonly KeyInfo[]): string {
  const header = ['NAME', 'ADDRESS', 'API CREDS', 'ADDED (UTC)'];
  const cells = rows.map((k) => [
    k.name,
    k.address,
    k.hasApiCreds ? 'yes' : 'no',
    new Date(k.createdAt).toISOString().replace('T', ' ').slice(0, 19),
  ]);
  return tableLines(header, cells).join('\n');
}
