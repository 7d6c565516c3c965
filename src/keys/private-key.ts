/**
 * Private keys as text: parsing what a user pastes, and the address a key signs for. No message
 * here ever quotes the input, since the input may be a real key with one typo.
 */
import type { Address, Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { ValidationError } from '../core/errors.ts';

/** The order of secp256k1's base point: a private key is an integer in [1, n-1]. */
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Key names match account names in polyhunter.toml, so a key can always be named after its account. */
export const KEY_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export function checkKeyName(name: string): string {
  if (!KEY_NAME.test(name)) {
    throw new ValidationError(
      `a key name is 1 to 32 characters of a-z, 0-9, _ and -, starting with a letter or digit, got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/**
 * "0xABC..." or "abc..." (64 hex digits, surrounding whitespace ignored) to a lower-case 0x key.
 * Zero and values at or above the curve order are not keys any signer accepts.
 */
export function parsePrivateKey(text: string): Hex {
  const trimmed = text.trim();
  const digits = trimmed.startsWith('0x') || trimmed.startsWith('0X') ? trimmed.slice(2) : trimmed;
  if (!/^[0-9a-fA-F]{64}$/.test(digits)) {
    // The length is safe to say and is what a user needs to spot a truncated paste.
    const what = /\s/.test(trimmed)
      ? 'it contains spaces (a seed phrase is not a private key)'
      : `it has ${digits.length} characters${/^[0-9a-fA-F]*$/.test(digits) ? '' : ', not all hex digits'}`;
    throw new ValidationError(`a private key is 64 hex digits, optionally after 0x; ${what}`);
  }
  const value = BigInt(`0x${digits}`);
  if (value === 0n || value >= CURVE_ORDER) {
    throw new ValidationError(
      'not a valid secp256k1 private key: it must be above zero and below the curve order',
    );
  }
  return `0x${digits.toLowerCase()}`;
}

/** The lower-case address a key signs for. */
export function addressOfKey(key: Hex): Address {
  return privateKeyToAccount(key).address.toLowerCase() as Address;
}

/** A fresh key from a cryptographically secure source (viem's, on node:crypto's getRandomValues). */
export function newPrivateKey(): Hex {
  return generatePrivateKey();
}
