/** Identifiers and secrets made from cryptographic randomness. */
import { randomBytes } from 'node:crypto';

/** A random hex token of `bytes` bytes (2 hex chars each), e.g. a dashboard access token. */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
    throw new RangeError(`token length must be an integer number of bytes in 1..1024, got ${bytes}`);
  }
  return randomBytes(bytes).toString('hex');
}
