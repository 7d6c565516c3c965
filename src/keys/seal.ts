/**
 * Encryption at rest: a key derived from the passphrase with scrypt (fresh 16-byte salt every
 * time), then AES-256-GCM (fresh 12-byte IV, 16-byte tag). The KDF parameters travel with each
 * sealed value, so they can be raised later without breaking what was written before.
 *
 * The associated data binds a sealed value to where it is stored (key name, address, field), so a
 * ciphertext moved to another entry or field fails authentication like a wrong passphrase does.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

export interface ScryptParams {
  name: 'scrypt';
  /** CPU/memory cost, a power of two. */
  n: number;
  r: number;
  p: number;
}

export interface Sealed {
  kdf: ScryptParams;
  cipher: 'aes-256-gcm';
  /** Hex, 16 bytes. */
  salt: string;
  /** Hex, 12 bytes. */
  iv: string;
  /** Hex, the same length as the plaintext. */
  ciphertext: string;
  /** Hex, the full 16-byte GCM tag. */
  tag: string;
}

/** 2^15 with r=8: about 32 MiB and 0.1 s per derivation, the common interactive setting. */
export const DEFAULT_SCRYPT_N = 2 ** 15;
export const MIN_SCRYPT_N = 2 ** 10;
export const MAX_SCRYPT_N = 2 ** 20;
/** 1 GiB: what the largest accepted parameters may ask of memory, so a file cannot demand more. */
export const MAX_SCRYPT_MEMORY = 2 ** 30;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function scryptParams(n: number = DEFAULT_SCRYPT_N): ScryptParams {
  if (!isPowerOfTwo(n) || n < MIN_SCRYPT_N || n > MAX_SCRYPT_N) {
    throw new RangeError(`scrypt N must be a power of two from 2^10 to 2^20, got ${n}`);
  }
  return { name: 'scrypt', n, r: SCRYPT_R, p: SCRYPT_P };
}

export function isPowerOfTwo(n: number): boolean {
  // log2 is exact on powers of two; bitwise tricks would wrap above 2^31.
  return Number.isSafeInteger(n) && n > 0 && Number.isInteger(Math.log2(n));
}

function deriveKey(passphrase: string, salt: Buffer, kdf: ScryptParams): Promise<Buffer> {
  // NFC: the same passphrase typed on another keyboard or OS may arrive in another normal form.
  const secret = Buffer.from(passphrase.normalize('NFC'), 'utf8');
  return new Promise((resolve, reject) => {
    // Node's default maxmem (32 MiB) is exactly what N=2^15, r=8 needs and OpenSSL wants a little
    // more, so allow twice the theoretical figure.
    const maxmem = 2 * 128 * kdf.n * kdf.r * kdf.p;
    scrypt(secret, salt, KEY_BYTES, { N: kdf.n, r: kdf.r, p: kdf.p, maxmem }, (err, key) => {
      secret.fill(0);
      if (err) reject(err);
      else resolve(key);
    });
  });
}

export async function seal(
  plaintext: Uint8Array,
  passphrase: string,
  aad: string,
  kdf: ScryptParams,
): Promise<Sealed> {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const key = await deriveKey(passphrase, salt, kdf);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      kdf: { ...kdf },
      cipher: 'aes-256-gcm',
      salt: salt.toString('hex'),
      iv: iv.toString('hex'),
      ciphertext: ciphertext.toString('hex'),
      tag: cipher.getAuthTag().toString('hex'),
    };
  } finally {
    key.fill(0);
  }
}

/**
 * The plaintext, or undefined when authentication fails: a wrong passphrase, or a salt, IV,
 * ciphertext, tag or associated data that changed. The two cannot be told apart, by design.
 * The caller owns the returned buffer and should zero it when done.
 */
export async function unseal(sealed: Sealed, passphrase: string, aad: string): Promise<Buffer | undefined> {
  const key = await deriveKey(passphrase, Buffer.from(sealed.salt, 'hex'), sealed.kdf);
  try {
    // authTagLength pins the tag at 16 bytes: GCM would otherwise accept a truncated tag.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'hex'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'hex'));
    const head = decipher.update(Buffer.from(sealed.ciphertext, 'hex'));
    try {
      return Buffer.concat([head, decipher.final()]);
    } catch {
      // Only the authentication failure lands here; its message says nothing useful anyway.
      head.fill(0);
      return undefined;
    }
  } finally {
    key.fill(0);
  }
}

export const SEAL_SIZES = { salt: SALT_BYTES, iv: IV_BYTES, tag: TAG_BYTES } as const;
