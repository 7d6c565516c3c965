/**
 * The CLOB API credentials of a key, and calls to the official client bounded in time: shared by
 * the live broker and the preflight reader, so both obtain credentials the same way (derive first,
 * create only when the venue has none: creating revokes the wallet's other keys).
 */
import { ApiError, type ApiKeyCreds as ClientApiKeyCreds, type ClobClient } from '@polymarket/clob-client-v2';
import {
  describeError,
  NetworkError,
  PolyHunterError,
  RateLimitError,
  TimeoutError,
  VenueError,
} from '../../core/errors.ts';
import type { ApiKeyCreds } from '../../polymarket/clob/auth.ts';

/** A client call bounded in time: axios in the client has no timeout of its own. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no reply within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A client failure as one of our errors, which say whether a retry may help. */
export function fromClientError(err: unknown, what: string): PolyHunterError {
  if (err instanceof PolyHunterError) return err;
  if (err instanceof ApiError) {
    const status = typeof err.status === 'number' ? err.status : undefined;
    if (status === undefined) return new NetworkError(`${what}: ${err.message}`, { cause: err });
    if (status === 429) return new RateLimitError(`${what}: ${err.message}`, undefined, { cause: err });
    return new VenueError(`${what}: ${status} ${err.message}`, status, { cause: err });
  }
  return new NetworkError(`${what}: ${describeError(err)}`, { cause: err });
}

/** Derives the key's credentials, or creates them when the venue has none (a 4xx on derive). */
export async function obtainApiCreds(
  l1: ClobClient,
  nonce: number,
  timeoutMs: number,
): Promise<{ creds: ApiKeyCreds; how: 'derived' | 'created' }> {
  let raw: ClientApiKeyCreds;
  let how: 'derived' | 'created';
  try {
    raw = await withTimeout(l1.deriveApiKey(nonce), timeoutMs, 'derive API key');
    how = 'derived';
  } catch (deriveErr) {
    const mapped = fromClientError(deriveErr, 'derive API key');
    // Only a venue "no such key" (4xx) leads to creating one; a network failure is reported.
    if (!(mapped instanceof VenueError) || mapped.status === undefined || mapped.status >= 500) throw mapped;
    try {
      raw = await withTimeout(l1.createApiKey(nonce), timeoutMs, 'create API key');
      how = 'created';
    } catch (createErr) {
      throw fromClientError(createErr, 'create API key');
    }
  }
  if (!raw.key || !raw.secret || !raw.passphrase) {
    throw new VenueError('the venue returned incomplete API credentials', 200);
  }
  return { creds: { key: raw.key, secret: raw.secret, passphrase: raw.passphrase }, how };
}
