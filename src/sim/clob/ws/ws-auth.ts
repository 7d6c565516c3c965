/**
 * The user channel's authentication: the subscribe message's `{apiKey, secret, passphrase}` must
 * be an active key's exact credentials (no HMAC: the websocket sends the secret itself).
 */
import { timingSafeEqual } from 'node:crypto';
import type { ApiKeyLookup } from '../auth/index.ts';
import type { WsCredentials } from './client-frames.ts';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The API key the credentials prove, or undefined. */
export function authenticate(keys: ApiKeyLookup, auth: WsCredentials | undefined): string | undefined {
  if (auth === undefined) return undefined;
  const record = keys.lookup(auth.apiKey);
  if (record === undefined) return undefined;
  return same(record.secret, auth.secret) && same(record.passphrase, auth.passphrase)
    ? record.key
    : undefined;
}
