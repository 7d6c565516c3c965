import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../../src/core/errors.ts';
import { type ApiCreds, openKeystore, parsePrivateKey, Secret } from '../../src/keys/index.ts';

// Hardhat's first well-known development account: public test material, never funded on mainnet.
const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ADDRESS = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const KEY2 = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const ADDRESS2 = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const PASS = 'correct horse battery staple';
const CREDS: ApiCreds = {
  key: '4c1e0b52-8a3f-4c3e-9d3b-2f1c0a9e7d11',
  secret: 'c2VjcmV0LWhtYWMta2V5LWZvci10ZXN0cy1vbmx5LTAxMjM0NTY3ODk=',
  passphrase: 'f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff',
};
/** Low scrypt cost keeps the tests fast; the file records it, so reading needs no option. */
const FAST = { scryptN: 2 ** 10 };
const NOW = Date.parse('2026-05-01T12:00:00.000Z');

function tempPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'ph-keys-')), 'keystore.json');
}

function freshKeystore(path = tempPath()) {
  return openKeystore(path, { ...FAST, now: () => NOW });
}

/** Every way a secret's bytes could show up in a text or binary file. */
function encodingsOf(secret: Buffer): string[] {
  const hex = secret.toString('hex');
  return [
    hex,
    hex.toUpperCase(),
    secret.toString('base64'),
    secret.toString('base64url'),
    secret.toString('base64').replace(/=+$/, ''),
  ];
}

function expectAbsent(file: Buffer, secret: Buffer): void {
  expect(file.includes(secret)).toBe(false);
  const text = file.toString('latin1');
  for (const enc of encodingsOf(secret)) expect(text.includes(enc)).toBe(false);
}

type Json = { keys: Array<Record<string, unknown> & { private_key: Record<string, unknown> }> };
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;

/** Replaces one hex digit of a sealed field of the first entry. */
function tamper(path: string, field: 'ciphertext' | 'tag' | 'salt' | 'iv'): void {
  const json = readJson(path);
  const sealed = json.keys[0]!.private_key;
  const value = sealed[field] as string;
  sealed[field] = (value[0] === '0' ? '1' : '0') + value.slice(1);
  writeFileSync(path, JSON.stringify(json));
}

describe('keystore', () => {
  it('round-trips a key and derives its lower-case address', async () => {
    const ks = freshKeystore();
    const info = await ks.add('main', KEY, PASS);
    expect(info).toEqual({ name: 'main', address: ADDRESS, createdAt: NOW, hasApiCreds: false });
    const unlocked = await ks.unlock('main', PASS);
    expect(unlocked.address).toBe(ADDRESS);
    expect(unlocked.privateKey.expose()).toBe(KEY);
    expect(privateKeyToAccount(unlocked.privateKey.expose()).address.toLowerCase()).toBe(ADDRESS);
    // A second handle on the same file sees the key; the KDF parameters come from the file.
    const again = await openKeystore(ks.path).unlock('main', PASS);
    expect(again.privateKey.expose()).toBe(KEY);
  });

  it('accepts a key without 0x, in upper case, with surrounding whitespace', async () => {
    const ks = freshKeystore();
    await ks.add('main', `  ${KEY.slice(2).toUpperCase()}\n`, PASS);
    expect((await ks.unlock('main', PASS)).privateKey.expose()).toBe(KEY);
  });

  it('writes a 0600 file with the KDF parameters, and no temp files left over', async () => {
    const ks = freshKeystore();
    await ks.add('main', KEY, PASS);
    await ks.add('second', KEY2, PASS);
    ks.remove('second');
    if (process.platform !== 'win32') expect(statSync(ks.path).mode & 0o777).toBe(0o600);
    const json = readJson(ks.path);
    expect(json).toMatchObject({ version: 1, keys: [{ name: 'main', address: ADDRESS }] });
    expect(json.keys[0]!.created_at).toBe('2026-05-01T12:00:00.000Z');
    expect(json.keys[0]!.private_key).toMatchObject({
      kdf: { name: 'scrypt', n: 1024, r: 8, p: 1 },
      cipher: 'aes-256-gcm',
    });
    expect(readdirSync(join(ks.path, '..'))).toEqual(['keystore.json']);
  });

  it('never holds the key, the API secrets or the passphrase in any encoding', async () => {
    const ks = freshKeystore();
    await ks.add('main', KEY, PASS);
    await ks.storeApiCreds('main', CREDS, PASS);
    const file = readFileSync(ks.path);
    expectAbsent(file, Buffer.from(KEY.slice(2), 'hex'));
    expectAbsent(file, Buffer.from(KEY, 'utf8'));
    for (const value of [CREDS.secret, CREDS.passphrase, CREDS.key, PASS]) {
      expectAbsent(file, Buffer.from(value, 'utf8'));
    }
    // The API secret is itself base64: its decoded bytes must not be there either.
    expectAbsent(file, Buffer.from(CREDS.secret, 'base64'));
  });

  it('refuses a wrong passphrase with a message that holds no key material', async () => {
    const ks = freshKeystore();
    await ks.add('main', KEY, PASS);
    const err = await ks.unlock('main', `${PASS}!`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toBe('wrong passphrase for key main');
    expect(inspect(err)).not.toContain(KEY.slice(2));
    expect(await ks.verifyPassphrase(PASS)).toBe(true);
    expect(await ks.verifyPassphrase('nope')).toBe(false);
    expect(await ks.verifyPassphrase('')).toBe(false);
  });

  it.each(['ciphertext', 'tag', 'salt', 'iv'] as const)('fails on a tampered %s', async (field) => {
    const ks = freshKeystore();
    await ks.add('main', KEY, PASS);
    tamper(ks.path, field);
    await expect(ks.unlock('main', PASS)).rejects.toThrow('wrong passphrase for key main');
  });

  it('fails on a changed KDF cost, a moved ciphertext or a changed address', async () => {
    const ks = freshKeystore();
    await ks.add('main', KEY, PASS);
    await ks.add('second', KEY2, PASS);
    const original = readFileSync(ks.path, 'utf8');

    const kdf = readJson(ks.path);
    (kdf.keys[0]!.private_key.kdf as { n: number }).n = 2048;
    writeFileSync(ks.path, JSON.stringify(kdf));
    await expect(ks.unlock('main', PASS)).rejects.toThrow('wrong passphrase for key main');

    // Swapping the sealed keys between entries: the associated data names the entry.
    const swapped = JSON.parse(original) as Json;
    const [a, b] = [swapped.keys[0]!, swapped.keys[1]!];
    [a.private_key, b.private_key] = [b.private_key, a.private_key];
    writeFileSync(ks.path, JSON.stringify(swapped));
    await expect(ks.unlock('main', PASS)).rejects.toThrow('wrong passphrase for key main');
    await expect(ks.unlock('second', PASS)).rejects.toThrow('wrong passphrase for key second');

    const moved = JSON.parse(original) as Json;
    moved.keys[0]!.address = ADDRESS2;
    moved.keys.pop();
    writeFileSync(ks.path, JSON.stringify(moved));
    await expect(ks.unlock('main', PASS)).rejects.toThrow('wrong passphrase for key main');
  });

  it('uses a fresh salt and IV for every sealed value', async () => {
    const ks = freshKeystore();
    await ks.add('main', KEY, PASS);
    await ks.add('second', KEY2, PASS);
    await ks.storeApiCreds('main', CREDS, PASS);
    const other = freshKeystore();
    await other.add('main', KEY, PASS);
    const sealedValues = [
      ...readJson(ks.path).keys.flatMap((k) => [k.private_key, k.api_creds as Record<string, unknown>]),
      readJson(other.path).keys[0]!.private_key,
    ].filter((s) => s !== undefined);
    expect(sealedValues).toHaveLength(4);
    for (const field of ['salt', 'iv', 'ciphertext'] as const) {
      expect(new Set(sealedValues.map((s) => s[field])).size).toBe(4);
    }
  });

  it('lists names, addresses and whether API credentials exist, and nothing secret', async () => {
    const ks = freshKeystore();
    expect(ks.list()).toEqual([]);
    await ks.add('main', KEY, PASS);
    await ks.add('second', KEY2, PASS);
    await ks.storeApiCreds('second', CREDS, PASS);
    const list = ks.list();
    expect(list).toEqual([
      { name: 'main', address: ADDRESS, createdAt: NOW, hasApiCreds: false },
      { name: 'second', address: ADDRESS2, createdAt: NOW, hasApiCreds: true },
    ]);
    const shown = JSON.stringify(list) + inspect(list);
    const json = readJson(ks.path);
    for (const needle of [
      KEY.slice(2),
      KEY2.slice(2),
      CREDS.secret,
      CREDS.passphrase,
      json.keys[0]!.private_key.ciphertext as string,
    ]) {
      expect(shown).not.toContain(needle);
    }
  });

  it('removes a key with its credentials; an unknown name is an error', async () => {
    const ks = freshKeystore();
    await ks.add('main', KEY, PASS);
    await ks.add('second', KEY2, PASS);
    await ks.storeApiCreds('main', CREDS, PASS);
    expect(ks.remove('main')).toMatchObject({ name: 'main', address: ADDRESS, hasApiCreds: true });
    expect(ks.list().map((k) => k.name)).toEqual(['second']);
    await expect(ks.unlock('main', PASS)).rejects.toThrow('no key named "main"');
    expect(() => ks.remove('main')).toThrow(ValidationError);
    // The name is free again.
    await ks.add('main', KEY, PASS);
    expect(ks.get('main')?.hasApiCreds).toBe(false);
  });

  it('refuses a taken name, a key already stored, and a passphrase that does not open the keystore', async () => {
    const ks = freshKeystore();
    await ks.add('main', KEY, PASS);
    await expect(ks.add('main', KEY2, PASS)).rejects.toThrow('already has a key named main');
    await expect(ks.add('copy', KEY, PASS)).rejects.toThrow(`already in the keystore, as main (${ADDRESS})`);
    await expect(ks.add('second', KEY2, 'another passphrase')).rejects.toThrow(
      'wrong passphrase for this keystore',
    );
    await expect(ks.add('second', KEY2, '')).rejects.toThrow('must not be empty');
    expect(ks.list()).toHaveLength(1);
  });

  it.each([
    ['', 'a key name'],
    ['Main', 'a key name'],
    ['-x', 'a key name'],
    ['a'.repeat(33), 'a key name'],
    ['with space', 'a key name'],
  ])('refuses the name %j', async (name, message) => {
    await expect(freshKeystore().add(name, KEY, PASS)).rejects.toThrow(message);
  });

  const ORDER = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141';
  it.each([
    ['0x', '64 hex digits'],
    [KEY.slice(0, -1), 'it has 63 characters'],
    [`${KEY}0`, 'it has 65 characters'],
    [`${KEY.slice(0, -1)}g`, 'not all hex digits'],
    ['abandon abandon abandon ability', 'seed phrase'],
    [`0x${'0'.repeat(64)}`, 'above zero and below the curve order'],
    [`0x${ORDER}`, 'above zero and below the curve order'],
    [`0x${'f'.repeat(64)}`, 'above zero and below the curve order'],
  ])('refuses the key %s without quoting it', (text, message) => {
    let error: unknown;
    try {
      parsePrivateKey(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(message);
    if (text.length > 8) expect((error as Error).message).not.toContain(text.replace(/^0x/, '').slice(0, 16));
  });

  it('accepts the largest key below the curve order', () => {
    const max = `0x${(BigInt(`0x${ORDER}`) - 1n).toString(16)}`;
    expect(parsePrivateKey(max)).toBe(max);
  });

  it('keeps an unlocked key and API credentials out of inspect, JSON and strings', async () => {
    const ks = freshKeystore();
    await ks.add('main', KEY, PASS);
    await ks.storeApiCreds('main', new Secret(CREDS), PASS);
    const unlocked = await ks.unlock('main', PASS);
    const creds = await ks.apiCreds('main', PASS);
    expect(creds?.expose()).toEqual(CREDS);
    const renderings = [
      inspect(unlocked, { depth: 10, showHidden: true }),
      inspect(creds, { depth: 10, showHidden: true }),
      JSON.stringify(unlocked),
      JSON.stringify({ creds }),
      String(unlocked.privateKey),
      `${unlocked.privateKey}`,
      `${creds}`,
      JSON.stringify({ ...unlocked.privateKey }),
      JSON.stringify(structuredClone(unlocked)),
      Object.keys(unlocked.privateKey).join(','),
    ];
    for (const text of renderings) {
      expect(text).not.toContain(KEY.slice(2));
      for (const v of Object.values(CREDS)) expect(text).not.toContain(v);
    }
    expect(JSON.stringify(unlocked)).toBe(`{"name":"main","address":"${ADDRESS}","privateKey":"[redacted]"}`);
    expect(inspect(unlocked)).toContain('[redacted]');
  });

  it('stores, replaces and guards API credentials', async () => {
    const ks = freshKeystore();
    await ks.add('main', KEY, PASS);
    expect(await ks.apiCreds('main', PASS)).toBeUndefined();
    await expect(ks.apiCreds('main', 'wrong')).rejects.toThrow('wrong passphrase for key main');
    await expect(ks.storeApiCreds('main', CREDS, 'wrong')).rejects.toThrow('wrong passphrase for key main');
    await expect(ks.storeApiCreds('main', { ...CREDS, secret: '' }, PASS)).rejects.toThrow(
      'non-empty secret',
    );
    await ks.storeApiCreds('main', CREDS, PASS);
    expect(ks.get('main')?.hasApiCreds).toBe(true);
    const replaced = { ...CREDS, key: 'another-key' };
    await ks.storeApiCreds('main', replaced, PASS);
    expect((await ks.apiCreds('main', PASS))?.expose()).toEqual(replaced);
    await expect(ks.apiCreds('main', 'wrong')).rejects.toThrow('wrong passphrase for key main');
    // The key itself is untouched.
    expect((await ks.unlock('main', PASS)).privateKey.expose()).toBe(KEY);
  });

  it('generates a new key that only the keystore holds', async () => {
    const ks = freshKeystore();
    const info = await ks.generate('hot', PASS);
    const unlocked = await ks.unlock('hot', PASS);
    expect(privateKeyToAccount(unlocked.privateKey.expose()).address.toLowerCase()).toBe(info.address);
    expectAbsent(readFileSync(ks.path), Buffer.from(unlocked.privateKey.expose().slice(2), 'hex'));
  });

  it('reads entries sealed with other scrypt costs', async () => {
    const path = tempPath();
    await openKeystore(path, FAST).add('main', KEY, PASS);
    const stronger = openKeystore(path, { scryptN: 2 ** 11 });
    await stronger.add('second', KEY2, PASS);
    expect(readJson(path).keys.map((k) => (k.private_key.kdf as { n: number }).n)).toEqual([1024, 2048]);
    expect((await openKeystore(path).unlock('main', PASS)).address).toBe(ADDRESS);
    expect((await openKeystore(path).unlock('second', PASS)).address).toBe(ADDRESS2);
    expect(() => openKeystore(path, { scryptN: 1000 })).toThrow('power of two');
  });

  it('refuses a damaged, unknown-version or over-expensive file with a ConfigError', async () => {
    const path = tempPath();
    writeFileSync(path, `{"version":1,"keys":[{"name":"main","private_key":"${KEY}"`);
    expect(() => openKeystore(path)).toThrow(ConfigError);
    expect(() => openKeystore(path)).toThrow(/not valid JSON$/);

    writeFileSync(path, JSON.stringify({ version: 2, keys: [] }));
    expect(() => openKeystore(path)).toThrow('upgrade PolyHunter');

    const ks = freshKeystore(path.replace('keystore.json', 'good.json'));
    await ks.add('main', KEY, PASS);
    const json = readJson(ks.path);
    (json.keys[0]!.private_key.kdf as { n: number }).n = 2 ** 21;
    writeFileSync(path, JSON.stringify(json));
    expect(() => openKeystore(path)).toThrow(/keys\.0\.private_key\.kdf\.n/);

    const extra = readJson(ks.path);
    extra.keys[0]!.private_key_plain = KEY;
    writeFileSync(path, JSON.stringify(extra));
    const err = (() => {
      try {
        openKeystore(path);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).not.toContain(KEY.slice(2));
  });

  it('round-trips any valid key and passphrase, and refuses any other passphrase', async () => {
    const keyArb = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((bytes) => `0x${Buffer.from(bytes).toString('hex')}`)
      .filter((hex) => {
        const v = BigInt(hex);
        return v > 0n && v < BigInt(`0x${ORDER}`);
      });
    const passArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(keyArb, passArb, fc.boolean(), async (key, pass, prefixed) => {
        const ks = freshKeystore();
        const input = prefixed ? key : key.slice(2);
        const info = await ks.add('k', input, pass);
        expect(info.address).toBe(privateKeyToAccount(key as `0x${string}`).address.toLowerCase());
        expect((await ks.unlock('k', pass)).privateKey.expose()).toBe(key);
        await expect(ks.unlock('k', `${pass}x`)).rejects.toThrow('wrong passphrase for key k');
        expectAbsent(readFileSync(ks.path), Buffer.from(key.slice(2), 'hex'));
      }),
      { numRuns: 25 },
    );
  });
});
