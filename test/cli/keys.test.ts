/**
 * `polyhunter keys` through the real process. Every run's stdout and stderr are searched for the
 * private keys and the passphrase: no command may ever print them, whatever it was asked to do.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, describe, expect, it } from 'vitest';
import { openKeystore } from '../../src/keys/index.ts';
import { ROOT } from '../support/cli.ts';

// Hardhat's well-known development keys: public test material.
const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ADDRESS = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const KEY2 = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const ADDRESS2 = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const PASS = 'a long test passphrase 7f3a';
const PASS_ENV = { POLYHUNTER_KEYSTORE__PASSPHRASE: PASS };

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Secrets that must never appear in any output, in any of the forms a key is written. */
const FORBIDDEN = new Set<string>([PASS]);
for (const k of [KEY, KEY2]) {
  FORBIDDEN.add(k.slice(2));
  FORBIDDEN.add(k.slice(2).toUpperCase());
  FORBIDDEN.add(Buffer.from(k.slice(2), 'hex').toString('base64'));
}
let runs = 0;

/** Runs the CLI with stdin fed (and closed), a POLYHUNTER_*-free environment, and checks the output. */
function keys(dir: string, args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('POLYHUNTER_')) env[k] = v;
  Object.assign(env, options.env);
  return new Promise<Result>((done, fail) => {
    const child = spawn(
      resolve(ROOT, 'node_modules/.bin/node'),
      [resolve(ROOT, 'src/cli/main.ts'), 'keys', ...args],
      {
        cwd: dir,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      runs++;
      try {
        for (const secret of FORBIDDEN) {
          expect(stdout, `stdout of keys ${args.join(' ')}`).not.toContain(secret);
          expect(stderr, `stderr of keys ${args.join(' ')}`).not.toContain(secret);
        }
        done({ code: code ?? 128, stdout, stderr });
      } catch (err) {
        fail(err);
      }
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A folder with a config naming two accounts; its keystore is keystore.json beside it. */
function configDir(accounts = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'ph-keys-cli-'));
  writeFileSync(join(dir, 'polyhunter.toml'), accounts);
  return dir;
}
const storeOf = (dir: string) => join(dir, 'keystore.json');

afterAll(() => {
  // The output check runs inside every run: make sure the runs did happen.
  expect(runs).toBeGreaterThanOrEqual(20);
});

describe('polyhunter keys', () => {
  it('adds a key piped on stdin, with the passphrase from the environment', async () => {
    const dir = configDir();
    const r = await keys(dir, ['add', 'main'], { env: PASS_ENV, input: `${KEY}\n` });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`added key main: ${ADDRESS} (encrypted in ${storeOf(dir)})\n`);
    if (process.platform !== 'win32') expect(statSync(storeOf(dir)).mode & 0o777).toBe(0o600);
    const unlocked = await openKeystore(storeOf(dir)).unlock('main', PASS);
    expect(unlocked.privateKey.expose()).toBe(KEY);
    expect(readFileSync(storeOf(dir), 'utf8')).not.toContain(KEY.slice(2));
  });

  it('adds a key from --from-env (without 0x), and takes the passphrase from secrets.toml', async () => {
    const dir = configDir();
    writeFileSync(join(dir, 'secrets.toml'), `[keystore]\npassphrase = "${PASS}"\n`, { mode: 0o600 });
    const r = await keys(dir, ['add', 'second', '--from-env', 'MY_KEY'], { env: { MY_KEY: KEY2.slice(2) } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`added key second: ${ADDRESS2}`);
    expect(r.stderr).toBe('note: the key is still in $MY_KEY; unset it when you are done\n');
    expect((await openKeystore(storeOf(dir)).unlock('second', PASS)).address).toBe(ADDRESS2);

    const unset = await keys(dir, ['add', 'third', '--from-env', 'NOT_SET']);
    expect(unset).toMatchObject({
      code: 1,
      stderr: 'error: environment variable NOT_SET is not set or is empty\n',
    });
  });

  it('lists keys as a table and as JSON, with no secret and no passphrase needed', async () => {
    const dir = configDir(`[[accounts]]\nname = "other"\naddress = "${ADDRESS}"\n`);
    const empty = await keys(dir, ['list']);
    expect(empty).toMatchObject({
      code: 0,
      stdout: `no keys in ${storeOf(dir)}; add one with: polyhunter keys add <name>\n`,
    });
    expect(existsSync(storeOf(dir))).toBe(false);

    await keys(dir, ['add', 'main'], { env: PASS_ENV, input: KEY });
    await keys(dir, ['add', 'other', '--from-env', 'K'], { env: { ...PASS_ENV, K: KEY2 } });
    const text = await keys(dir, ['list']);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ADDRESS\s+API CREDS\s+ADDED \(UTC\)$/);
    expect(lines[1]).toMatch(
      new RegExp(`^main\\s+${ADDRESS}\\s+no\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`),
    );
    expect(lines[2]).toMatch(new RegExp(`^other\\s+${ADDRESS2}\\s+no\\s`));
    // The config says account "other" signs with another address: worth a note.
    expect(lines[3]).toBe(
      `note: account other in ${join(dir, 'polyhunter.toml')} has address ${ADDRESS}, but key other signs for ${ADDRESS2}`,
    );

    const json = await keys(dir, ['list', '--json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { keystore: string; keys: Array<Record<string, unknown>> };
    expect(parsed.keystore).toBe(storeOf(dir));
    expect(parsed.keys).toEqual([
      { name: 'main', address: ADDRESS, createdAt: expect.stringMatching(/Z$/), hasApiCreds: false },
      { name: 'other', address: ADDRESS2, createdAt: expect.stringMatching(/Z$/), hasApiCreds: false },
    ]);
    // Nothing encrypted leaks into the listing either.
    const file = JSON.parse(readFileSync(storeOf(dir), 'utf8')) as {
      keys: Array<{ private_key: { ciphertext: string; salt: string } }>;
    };
    for (const k of file.keys) {
      expect(json.stdout).not.toContain(k.private_key.ciphertext);
      expect(json.stdout).not.toContain(k.private_key.salt);
    }
  });

  it('removes with --yes, and refuses without it when there is no terminal', async () => {
    const dir = configDir();
    await keys(dir, ['add', 'main'], { env: PASS_ENV, input: KEY });
    const refused = await keys(dir, ['remove', 'main']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: removing key main deletes its private key for good; pass --yes to confirm (or run in a terminal to be asked)\n',
    );
    expect(openKeystore(storeOf(dir)).list()).toHaveLength(1);

    const removed = await keys(dir, ['remove', 'main', '--yes']);
    expect(removed).toMatchObject({
      code: 0,
      stdout: `removed key main (${ADDRESS}) from ${storeOf(dir)}\n`,
    });
    expect(openKeystore(storeOf(dir)).list()).toEqual([]);

    const missing = await keys(dir, ['remove', 'main', '--yes']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: no key named "main" in .*\n$/);
  });

  it('refuses a duplicate name, and the same key under a second name', async () => {
    const dir = configDir();
    await keys(dir, ['add', 'main'], { env: PASS_ENV, input: KEY });
    const before = readFileSync(storeOf(dir), 'utf8');
    const dup = await keys(dir, ['add', 'main'], { env: PASS_ENV, input: KEY2 });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe(
      `error: the keystore already has a key named main (${ADDRESS}); remove it first (polyhunter keys remove main) or pick another name\n`,
    );
    const same = await keys(dir, ['add', 'copy'], { env: PASS_ENV, input: KEY });
    expect(same).toMatchObject({
      code: 1,
      stderr: `error: this key is already in the keystore, as main (${ADDRESS})\n`,
    });
    expect(readFileSync(storeOf(dir), 'utf8')).toBe(before);
  });

  it.each([
    [
      'too short',
      KEY.slice(0, 40),
      'error: a private key is 64 hex digits, optionally after 0x; it has 38 characters',
    ],
    [
      'not hex',
      `${KEY.slice(0, -2)}zz`,
      'error: a private key is 64 hex digits, optionally after 0x; it has 64 characters, not all hex digits',
    ],
    [
      'zero',
      `0x${'0'.repeat(64)}`,
      'error: not a valid secp256k1 private key: it must be above zero and below the curve order',
    ],
  ])('refuses a bad key (%s) with one line and exit 1, writing nothing', async (_what, input, message) => {
    const dir = configDir();
    const r = await keys(dir, ['add', 'main'], { env: PASS_ENV, input });
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: `${message}\n` });
    expect(r.stderr).not.toContain(input.slice(2, 20));
    expect(existsSync(storeOf(dir))).toBe(false);
  });

  it('refuses to run without a passphrase when there is no terminal, saying how to give one', async () => {
    const dir = configDir();
    const r = await keys(dir, ['add', 'main'], { input: KEY });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: no keystore passphrase: set POLYHUNTER_KEYSTORE__PASSPHRASE, or passphrase under [keystore] in ${join(dir, 'secrets.toml')}, or run this in a terminal to be asked for it\n`,
    );
    expect(existsSync(storeOf(dir))).toBe(false);
    const generate = await keys(dir, ['add', 'hot', '--generate']);
    expect(generate.code).toBe(1);
    expect(generate.stderr).toContain('POLYHUNTER_KEYSTORE__PASSPHRASE');
  });

  it('refuses a passphrase that does not open the existing keys', async () => {
    const dir = configDir();
    await keys(dir, ['add', 'main'], { env: PASS_ENV, input: KEY });
    const r = await keys(dir, ['add', 'second'], {
      env: { POLYHUNTER_KEYSTORE__PASSPHRASE: 'not the passphrase' },
      input: KEY2,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: wrong passphrase for this keystore: it does not open key main/);
    expect(openKeystore(storeOf(dir)).list()).toHaveLength(1);
  });

  it('generates a key, printing only its address, into the --keystore file', async () => {
    const dir = configDir();
    const file = join(dir, 'elsewhere', 'ks.json');
    const r = await keys(dir, ['add', 'hot', '--generate', '--keystore', 'elsewhere/ks.json'], {
      env: PASS_ENV,
    });
    expect(r.code).toBe(0);
    const address = /^generated key hot: (0x[0-9a-f]{40}) \(encrypted in (.+)\)$/m.exec(r.stdout);
    expect(address?.[2]).toBe(file);
    const unlocked = await openKeystore(file).unlock('hot', PASS);
    expect(privateKeyToAccount(unlocked.privateKey.expose()).address.toLowerCase()).toBe(address?.[1]);
    const secret = unlocked.privateKey.expose().slice(2);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout + r.stderr).not.toContain(secret.toUpperCase());
    expect(existsSync(storeOf(dir))).toBe(false);

    const listed = await keys(dir, ['list', '--json', '--keystore', file]);
    expect(JSON.parse(listed.stdout).keys[0].address).toBe(address?.[1]);

    const both = await keys(dir, ['add', 'x', '--generate', '--from-env', 'K'], { env: PASS_ENV });
    expect(both).toMatchObject({ code: 1, stderr: 'error: give --generate or --from-env, not both\n' });
  });

  it('refuses a bad name and documents itself', async () => {
    const dir = configDir();
    const bad = await keys(dir, ['add', 'Main'], { env: PASS_ENV, input: KEY });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: a key name is 1 to 32 characters/);
    const help = await keys(dir, ['add', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--from-env <var>');
    expect(help.stdout).toContain('POLYHUNTER_KEYSTORE__PASSPHRASE');
    expect(help.stdout).toContain('$ polyhunter keys add hot --generate');
  });
});
