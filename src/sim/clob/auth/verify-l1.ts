/**
 * L1 authentication (`POST /auth/api-key`, `GET /auth/derive-api-key`): the ClobAuth EIP-712
 * signature in POLY_SIGNATURE must be by POLY_ADDRESS, over POLY_TIMESTAMP and POLY_NONCE, for the
 * simulator's chain. Every failure is the real 401 `Invalid L1 Request headers`.
 *
 * The signature is plain ECDSA: a contract wallet (deposit wallet) cannot authenticate as itself,
 * as on the real service, which answers an ERC-1271-style L1 with the same 401.
 */
import { type Address, getAddress, isAddressEqual, recoverTypedDataAddress, size } from 'viem';
import { POLYGON_CHAIN_ID } from '../../../polymarket/clob/addresses.ts';
import { clobAuthTypedData } from '../../../polymarket/clob/auth.ts';
import { type HeaderBag, l1HeadersSchema, lowerCaseHeaders } from '../../../polymarket/clob/auth-headers.ts';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, isFreshTimestamp } from './freshness.ts';
import { accepted, CLOB_ERROR, refused, type Verified } from './replies.ts';

export interface L1Identity {
  /** POLY_ADDRESS, checksummed: the wallet the API key is for. */
  address: Address;
  nonce: bigint;
  /** POLY_TIMESTAMP, unix seconds. */
  timestamp: number;
}

export interface VerifyL1Options {
  /** The chain in the ClobAuth domain; 137 unless the simulator runs as Amoy. */
  chainId?: number;
  timestampToleranceSeconds?: number;
}

function refuse(reason: string): Verified<L1Identity> {
  return refused(401, CLOB_ERROR.invalidL1Headers, reason);
}

export async function verifyL1(
  headers: HeaderBag,
  nowMs: number,
  options: VerifyL1Options = {},
): Promise<Verified<L1Identity>> {
  const parsed = l1HeadersSchema.safeParse(lowerCaseHeaders(headers));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    return refuse(`missing or malformed L1 headers: ${fields}`);
  }
  const { poly_address: address, poly_signature: signature, poly_timestamp, poly_nonce } = parsed.data;
  const timestamp = Number(poly_timestamp);
  const tolerance = options.timestampToleranceSeconds ?? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS;
  if (!isFreshTimestamp(timestamp, nowMs, tolerance)) {
    return refuse(`POLY_TIMESTAMP ${timestamp} is more than ${tolerance}s from the server clock`);
  }
  if (size(signature) !== 65) return refuse('POLY_SIGNATURE is not a 65-byte ECDSA signature');
  const nonce = BigInt(poly_nonce);
  const typedData = clobAuthTypedData({
    address,
    timestamp: poly_timestamp,
    nonce,
    chainId: options.chainId ?? POLYGON_CHAIN_ID,
  });
  let signer: Address;
  try {
    signer = await recoverTypedDataAddress({ ...typedData, signature });
  } catch {
    return refuse('POLY_SIGNATURE does not recover to an address');
  }
  if (!isAddressEqual(signer, address)) {
    return refuse(`the ClobAuth signature is by ${signer}, not POLY_ADDRESS ${address}`);
  }
  return accepted({ address: getAddress(address), nonce, timestamp });
}
