/**
 * Synthetic wallets: an address and an order-id stream from the seed, and the venue API key their
 * orders carry as `owner` (derived from the venue's seed, so also the same on every run).
 */
import { getAddress } from 'viem';
import type { Random } from '../random.ts';
import type { SimVenue } from '../venue/index.ts';

export interface SimWallet {
  /** Lower-case address: the funder (`maker`) of its orders. */
  address: string;
  /** The API key its orders are placed under. */
  owner: string;
  /** A fresh 0x 32-byte order id. */
  nextOrderId(): string;
}

/** A wallet at `address`, or at an address drawn from `random`. */
export function createWallet(venue: SimVenue, random: Random, address?: string): SimWallet {
  const addr = (address ?? `0x${random.hex(20)}`).toLowerCase();
  const ids = random.fork('order-ids');
  return { address: addr, owner: apiKeyFor(venue, addr), nextOrderId: () => `0x${ids.hex(32)}` };
}

/** The wallet's nonce-0 key: derived if it exists (another traders instance made it), else created. */
function apiKeyFor(venue: SimVenue, address: string): string {
  const checksummed = getAddress(address);
  const existing = venue.apiKeys.derive(checksummed, 0n);
  if (existing.ok) return existing.value.key;
  const created = venue.apiKeys.create(checksummed, 0n);
  if (!created.ok) throw new Error(`cannot make an API key for ${address}: ${created.reason}`);
  return created.value.key;
}
