/**
 * One account's reads on the CLOB through the official `@polymarket/clob-client-v2`: its API
 * credentials (stored, else derived, else created: the order LiveBroker uses), balances and
 * allowances, the API key check and the closed-only status. Credentials never leave this object
 * except to the caller that asks for them to store them encrypted.
 */

import type { AssetType as ClientAssetType } from '@polymarket/clob-client-v2';
import { type Chain, ClobClient, type SignatureTypeV2 } from '@polymarket/clob-client-v2';
import type { Address, Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ConfigError, describeError, NetworkError, TimeoutError, VenueError } from '../../core/errors.ts';
import { isClobChainId } from '../../polymarket/clob/addresses.ts';
import type { ApiKeyCreds } from '../../polymarket/clob/auth.ts';
import type { SignatureType } from '../../polymarket/clob/order-v2.ts';
import { apiKeysSchema, closedOnlySchema } from '../../polymarket/clob/schemas/account.ts';
import { fromClientError, obtainApiCreds, withTimeout } from '../live/api-creds.ts';
import { offlineWalletClient } from '../live/order-signer.ts';
import { type CheckOutcome, pass } from './outcome.ts';
import type { AssetType, BalanceAllowanceReader } from './preflight.ts';

export interface ClobAccountOptions {
  clobUrl: string;
  chainId: number;
  privateKey: Hex;
  signatureType: SignatureType;
  /** The funder wallet, for types 1-3. */
  funder?: Address;
  /** Stored credentials; without them they are derived, or created when none exist. */
  apiCreds?: ApiKeyCreds;
  /** Per request, ms; default 10 s. */
  timeoutMs?: number;
  apiKeyNonce?: number;
}

export type CredsSource = 'stored' | 'derived' | 'created';

export class ClobAccount implements BalanceAllowanceReader {
  /** The signing EOA: the API key's owner. */
  readonly address: Address;
  readonly #options: ClobAccountOptions;
  readonly #timeoutMs: number;
  readonly #wallet: ReturnType<typeof offlineWalletClient>;
  #creds: { creds: ApiKeyCreds; how: CredsSource } | undefined;
  #pending: Promise<{ creds: ApiKeyCreds; how: CredsSource }> | undefined;
  #l2: ClobClient | undefined;

  constructor(options: ClobAccountOptions) {
    if (!isClobChainId(options.chainId)) {
      throw new ConfigError(`the CLOB runs on chain 137 or 80002, not ${options.chainId}`);
    }
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    const account = privateKeyToAccount(options.privateKey);
    this.address = account.address;
    this.#wallet = offlineWalletClient(account, options.chainId);
    if (options.apiCreds !== undefined) this.#creds = { creds: options.apiCreds, how: 'stored' };
  }

  /** The L2 credentials and where they came from; derived or created once, then kept. */
  credentials(): Promise<{ creds: ApiKeyCreds; how: CredsSource }> {
    if (this.#creds !== undefined) return Promise.resolve(this.#creds);
    this.#pending ??= this.#obtain().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #obtain(): Promise<{ creds: ApiKeyCreds; how: CredsSource }> {
    const { creds, how } = await obtainApiCreds(
      this.#client(undefined),
      this.#options.apiKeyNonce ?? 0,
      this.#timeoutMs,
    );
    this.#creds = { creds, how };
    this.#l2 = undefined;
    return this.#creds;
  }

  balanceAllowance(assetType: AssetType, tokenId?: string): Promise<unknown> {
    const params = {
      asset_type: assetType as ClientAssetType,
      ...(tokenId === undefined ? {} : { token_id: tokenId }),
    };
    // The client adds signature_type: the venue finds the funder from the key's EOA and it.
    return this.#call('balance-allowance', (c) => c.getBalanceAllowance(params));
  }

  /** `GET /auth/api-keys`: an L2 request that changes nothing. */
  apiKeys(): Promise<unknown> {
    return this.#call('api keys', (c) => c.getApiKeys());
  }

  /** `GET /auth/ban-status/closed-only`. */
  closedOnly(): Promise<unknown> {
    return this.#call('closed-only status', (c) => c.getClosedOnlyMode());
  }

  #client(creds: ApiKeyCreds | undefined): ClobClient {
    const type = this.#options.signatureType;
    return new ClobClient({
      host: this.#options.clobUrl,
      chain: this.#options.chainId as Chain,
      signer: this.#wallet,
      signatureType: type as SignatureTypeV2,
      ...(type === 0 || this.#options.funder === undefined ? {} : { funderAddress: this.#options.funder }),
      ...(creds === undefined ? {} : { creds }),
      throwOnError: true,
      retryOnError: false,
    });
  }

  async #call<T>(what: string, fn: (client: ClobClient) => Promise<T>): Promise<T> {
    const { creds } = await this.credentials();
    this.#l2 ??= this.#client(creds);
    try {
      return await withTimeout(fn(this.#l2), this.#timeoutMs, what);
    } catch (err) {
      throw fromClientError(err, what);
    }
  }
}

const CREDS_SOURCE: Record<CredsSource, string> = {
  stored: 'the API key stored in the keystore',
  derived: 'the API key derived from the wallet',
  created: 'a new API key created for the wallet',
};

function unreachable(err: unknown, clobUrl: string): CheckOutcome {
  return {
    status: 'fail',
    code: 'VENUE_UNREACHABLE',
    message: `the CLOB at ${clobUrl} did not answer: ${describeError(err)}`,
    fix: 'Check the network and venue.clob_url.',
  };
}

const isDown = (err: unknown) => err instanceof NetworkError || err instanceof TimeoutError;

/**
 * Whether the account has working API credentials: obtained (stored, derived or created) and
 * accepted by an L2 request. Says which, never the key itself.
 */
export async function checkApiKey(
  account: ClobAccount,
  names: { account: string; clobUrl: string },
): Promise<CheckOutcome> {
  let how: CredsSource;
  try {
    ({ how } = await account.credentials());
  } catch (err) {
    if (isDown(err)) return unreachable(err, names.clobUrl);
    return {
      status: 'fail',
      code: 'API_KEY_UNAVAILABLE',
      message: `no API key could be derived or created for ${account.address}: ${describeError(err)}`,
      fix: 'Check venue.chain_id and the system clock (the key request is signed with both), then retry.',
    };
  }
  try {
    const parsed = apiKeysSchema.safeParse(await account.apiKeys());
    if (!parsed.success) throw new VenueError('api keys: unreadable reply', 200);
  } catch (err) {
    if (isDown(err)) return unreachable(err, names.clobUrl);
    const rejected = err instanceof VenueError && err.status === 401;
    return {
      status: 'fail',
      code: 'API_KEY_REJECTED',
      message: `the venue refused ${CREDS_SOURCE[how]} (${account.address}): ${describeError(err)}`,
      fix:
        how === 'stored' && rejected
          ? `The stored key was revoked or belongs to another wallet: re-add the key (polyhunter keys remove ${names.account}, then keys add ${names.account}) so a fresh one is derived.`
          : 'Check the system clock: L2 requests carry a timestamp the venue refuses when it is off.',
    };
  }
  return pass(`${CREDS_SOURCE[how]} (owner ${account.address}) passes L2 authentication`);
}

/** Whether the venue lets the account open positions (not in closed-only mode). */
export async function checkClosedOnly(account: ClobAccount, clobUrl: string): Promise<CheckOutcome> {
  let reply: unknown;
  try {
    reply = await account.closedOnly();
  } catch (err) {
    if (isDown(err)) return unreachable(err, clobUrl);
    return {
      status: 'fail',
      code: 'API_KEY_REJECTED',
      message: `the closed-only status of ${account.address} could not be read: ${describeError(err)}`,
      fix: 'Fix the API key check first; this one needs a working key.',
    };
  }
  const parsed = closedOnlySchema.safeParse(reply);
  if (!parsed.success) {
    return {
      status: 'fail',
      code: 'VENUE_MISMATCH',
      message: `unreadable closed-only status from ${clobUrl}`,
      fix: 'Check that venue.clob_url points at a Polymarket CLOB.',
    };
  }
  if (parsed.data.closed_only) {
    return {
      status: 'fail',
      code: 'CLOSED_ONLY',
      message: `the venue has put ${account.address} in closed-only mode: it may close positions but not open new ones`,
      fix: "Polymarket restricts accounts this way (often for the user's region); contact Polymarket support, PolyHunter cannot lift it.",
    };
  }
  return pass('not in closed-only mode: new positions are allowed');
}
