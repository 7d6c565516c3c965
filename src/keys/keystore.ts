/**
 * The local keystore: private keys (and later the CLOB API credentials derived from them),
 * encrypted at rest under one passphrase. Listing needs no passphrase and shows no secret;
 * unlocking hands back the key in a Secret box that refuses to print itself.
 *
 * Every operation reads the file afresh and every change re-reads it just before the atomic
 * write, with no await in between, so a CLI edit and a running process (storing API credentials)
 * do not undo each other's work. Two processes writing in the same instant could still race;
 * changes are rare and made by hand, so a lock file is not worth its stale-lock failure modes.
 */
import { resolve } from 'node:path';
import type { Address, Hex } from 'viem';
import { ValidationError } from '../core/errors.ts';
import {
  type KeystoreEntry,
  type KeystoreFile,
  permissionWarning,
  readKeystoreFile,
  writeKeystoreFile,
} from './file.ts';
import { addressOfKey, checkKeyName, newPrivateKey, parsePrivateKey } from './private-key.ts';
import { type ScryptParams, type Sealed, scryptParams, seal, unseal } from './seal.ts';
import { Secret } from './secret.ts';

export interface KeystoreOptions {
  /** scrypt cost for newly sealed values (default 2^15). Tests lower it; existing entries keep theirs. */
  scryptN?: number;
  /** Wall clock in epoch ms, for created_at. */
  now?: () => number;
}

/** What may be shown anywhere: no secret, nothing encrypted. */
export interface KeyInfo {
  name: string;
  address: Address;
  /** Epoch milliseconds. */
  createdAt: number;
  hasApiCreds: boolean;
}

export interface UnlockedKey {
  name: string;
  address: Address;
  privateKey: Secret<Hex>;
}

/** The CLOB L2 credentials, in the shape the official client takes. */
export interface ApiCreds {
  key: string;
  secret: string;
  passphrase: string;
}

type Field = 'private_key' | 'api_creds';

/** Binds a sealed value to its entry and field (see seal.ts). */
function aadOf(name: string, address: string, field: Field): string {
  return `polyhunter-keystore/v1|${name}|${address}|${field}`;
}

function infoOf(entry: KeystoreEntry): KeyInfo {
  return {
    name: entry.name,
    address: entry.address as Address,
    createdAt: Date.parse(entry.created_at),
    hasApiCreds: entry.api_creds !== undefined,
  };
}

function noSuchKey(name: string): ValidationError {
  return new ValidationError(
    `no key named ${JSON.stringify(name)} in the keystore (see: polyhunter keys list)`,
  );
}

function wrongPassphrase(name: string): ValidationError {
  return new ValidationError(`wrong passphrase for key ${name}`);
}

function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new ValidationError('the keystore passphrase must not be empty');
  }
}

export class Keystore {
  readonly path: string;
  readonly #kdf: ScryptParams;
  readonly #now: () => number;

  constructor(path: string, options: KeystoreOptions = {}) {
    this.path = resolve(path);
    this.#kdf = scryptParams(options.scryptN);
    this.#now = options.now ?? Date.now;
  }

  /** Things worth telling the user that are not errors (a file others can read). */
  warnings(): string[] {
    const w = permissionWarning(this.path);
    return w === undefined ? [] : [w];
  }

  list(): KeyInfo[] {
    return this.#read().keys.map(infoOf);
  }

  get(name: string): KeyInfo | undefined {
    const entry = this.#read().keys.find((k) => k.name === name);
    return entry === undefined ? undefined : infoOf(entry);
  }

  /**
   * Encrypts and stores a key under a new name. In a keystore that already has keys, the
   * passphrase must open them: one keystore, one passphrase, so a typo cannot strand a key.
   */
  async add(name: string, privateKey: string | Secret<string>, passphrase: string): Promise<KeyInfo> {
    checkKeyName(name);
    const key = parsePrivateKey(typeof privateKey === 'string' ? privateKey : privateKey.expose());
    checkPassphrase(passphrase);
    const address = addressOfKey(key);
    const before = this.#read();
    this.#refuseClash(before, name, address);
    const first = before.keys[0];
    if (first !== undefined && !(await this.#opens(first, passphrase))) {
      throw new ValidationError(
        `wrong passphrase for this keystore: it does not open key ${first.name}, and every key shares one passphrase`,
      );
    }
    const raw = Buffer.from(key.slice(2), 'hex');
    let sealed: Sealed;
    try {
      sealed = await seal(raw, passphrase, aadOf(name, address, 'private_key'), this.#kdf);
    } finally {
      raw.fill(0);
    }
    const entry: KeystoreEntry = {
      name,
      address,
      created_at: new Date(this.#now()).toISOString(),
      private_key: sealed,
    };
    // Re-read after the slow part: another process may have changed the file meanwhile.
    const current = this.#read();
    this.#refuseClash(current, name, address);
    this.#write({ ...current, keys: [...current.keys, entry] });
    return infoOf(entry);
  }

  /** Makes a new random key and stores it; only its address ever leaves this module. */
  generate(name: string, passphrase: string): Promise<KeyInfo> {
    return this.add(name, new Secret(newPrivateKey()), passphrase);
  }

  /** Deletes a key (and its API credentials) for good; the removed entry's public facts. */
  remove(name: string): KeyInfo {
    const current = this.#read();
    const entry = current.keys.find((k) => k.name === name);
    if (entry === undefined) throw noSuchKey(name);
    this.#write({ ...current, keys: current.keys.filter((k) => k.name !== name) });
    return infoOf(entry);
  }

  async unlock(name: string, passphrase: string): Promise<UnlockedKey> {
    const entry = this.#entry(name);
    const raw = await unseal(entry.private_key, passphrase, aadOf(entry.name, entry.address, 'private_key'));
    if (raw === undefined) throw wrongPassphrase(name);
    try {
      const key = `0x${raw.toString('hex')}` as Hex;
      // GCM already proved integrity; this catches a file assembled from mismatched parts.
      if (raw.length !== 32 || addressOfKey(key) !== entry.address) {
        throw new ValidationError(`key ${name} does not match its stored address ${entry.address}`);
      }
      return { name: entry.name, address: entry.address as Address, privateKey: new Secret(key) };
    } finally {
      raw.fill(0);
    }
  }

  /**
   * Whether the passphrase opens the keystore: the named key, or else the first key. An empty
   * keystore accepts any non-empty passphrase, since the first key added will set it.
   */
  async verifyPassphrase(passphrase: string, name?: string): Promise<boolean> {
    if (typeof passphrase !== 'string' || passphrase.length === 0) return false;
    const keys = this.#read().keys;
    const entry = name === undefined ? keys[0] : this.#entry(name);
    return entry === undefined ? true : this.#opens(entry, passphrase);
  }

  /** Stores (or replaces) a key's CLOB API credentials, after checking the passphrase opens the key. */
  async storeApiCreds(name: string, creds: ApiCreds | Secret<ApiCreds>, passphrase: string): Promise<void> {
    const plain = creds instanceof Secret ? creds.expose() : creds;
    for (const field of ['key', 'secret', 'passphrase'] as const) {
      if (typeof plain[field] !== 'string' || plain[field].length === 0) {
        throw new ValidationError(`API credentials need a non-empty ${field}`);
      }
    }
    const entry = this.#entry(name);
    if (!(await this.#opens(entry, passphrase))) throw wrongPassphrase(name);
    const bytes = Buffer.from(
      JSON.stringify({ key: plain.key, secret: plain.secret, passphrase: plain.passphrase }),
      'utf8',
    );
    let sealed: Sealed;
    try {
      sealed = await seal(bytes, passphrase, aadOf(entry.name, entry.address, 'api_creds'), this.#kdf);
    } finally {
      bytes.fill(0);
    }
    const current = this.#read();
    const index = current.keys.findIndex((k) => k.name === name && k.address === entry.address);
    if (index < 0) throw noSuchKey(name);
    const keys = current.keys.map((k, i) => (i === index ? { ...k, api_creds: sealed } : k));
    this.#write({ ...current, keys });
  }

  /** The key's stored API credentials, or undefined when none were stored yet. */
  async apiCreds(name: string, passphrase: string): Promise<Secret<ApiCreds> | undefined> {
    const entry = this.#entry(name);
    if (entry.api_creds === undefined) {
      // Still check the passphrase, so a wrong one never passes for "no credentials".
      if (!(await this.#opens(entry, passphrase))) throw wrongPassphrase(name);
      return undefined;
    }
    const raw = await unseal(entry.api_creds, passphrase, aadOf(entry.name, entry.address, 'api_creds'));
    if (raw === undefined) throw wrongPassphrase(name);
    try {
      const parsed = JSON.parse(raw.toString('utf8')) as Partial<ApiCreds>;
      if (
        typeof parsed.key !== 'string' ||
        typeof parsed.secret !== 'string' ||
        typeof parsed.passphrase !== 'string'
      ) {
        throw new ValidationError(`the API credentials stored for key ${name} are malformed`);
      }
      return new Secret({ key: parsed.key, secret: parsed.secret, passphrase: parsed.passphrase });
    } finally {
      raw.fill(0);
    }
  }

  async #opens(entry: KeystoreEntry, passphrase: string): Promise<boolean> {
    const raw = await unseal(entry.private_key, passphrase, aadOf(entry.name, entry.address, 'private_key'));
    raw?.fill(0);
    return raw !== undefined;
  }

  #refuseClash(file: KeystoreFile, name: string, address: string): void {
    if (file.keys.some((k) => k.name === name)) {
      throw new ValidationError(
        `the keystore already has a key named ${name}; remove it first (polyhunter keys remove ${name}) or pick another name`,
      );
    }
    const same = file.keys.find((k) => k.address === address);
    if (same !== undefined) {
      throw new ValidationError(`this key is already in the keystore, as ${same.name} (${address})`);
    }
  }

  #entry(name: string): KeystoreEntry {
    const entry = this.#read().keys.find((k) => k.name === name);
    if (entry === undefined) throw noSuchKey(name);
    return entry;
  }

  #read(): KeystoreFile {
    return readKeystoreFile(this.path);
  }

  #write(content: KeystoreFile): void {
    writeKeystoreFile(this.path, content);
  }
}

/**
 * The keystore in `path` (created by the first add). An existing file is read at once, so a
 * damaged or unreadable one fails here rather than halfway through a command.
 */
export function openKeystore(path: string, options: KeystoreOptions = {}): Keystore {
  const keystore = new Keystore(path, options);
  keystore.list();
  return keystore;
}
