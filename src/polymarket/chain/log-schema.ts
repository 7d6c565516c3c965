/**
 * The shape of an event log as it arrives: a JSON-RPC log (hex quantities) or a viem `Log`
 * (bigint block number, number log index). Only address, topics and data are required; the
 * position fields are absent on logs that are not (yet) in a block.
 */
import { getAddress, type Hex, isAddress } from 'viem';
import { z } from 'zod';

const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'not a 0x-prefixed bytes32')
  .transform((s) => s.toLowerCase() as Hex);

const hexData = z
  .string()
  .regex(/^0x(?:[0-9a-fA-F]{2})*$/, 'not 0x-prefixed hex bytes')
  .transform((s) => s.toLowerCase() as Hex);

const address = z
  .string()
  .refine((s) => isAddress(s, { strict: false }), 'not an address')
  .transform((s) => getAddress(s));

/** A non-negative integer that fits a JS number: hex quantity, bigint or number. */
const quantity = z
  .union([
    z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, 'not a hex quantity'),
    z.bigint().nonnegative(),
    z.number().int().nonnegative(),
  ])
  .transform((v, ctx) => {
    const n = Number(typeof v === 'string' ? BigInt(v) : v);
    if (!Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: 'quantity exceeds the safe integer range' });
      return z.NEVER;
    }
    return n;
  });

export const rawLogSchema = z.object({
  address,
  topics: z.array(bytes32).max(4),
  data: hexData,
  blockNumber: quantity.nullish(),
  blockHash: bytes32.nullish(),
  transactionHash: bytes32.nullish(),
  transactionIndex: quantity.nullish(),
  logIndex: quantity.nullish(),
  removed: z.boolean().optional(),
});

export type RawLog = z.output<typeof rawLogSchema>;

/** Where a log sits in the chain; null fields for a log outside a block. */
export interface LogPosition {
  blockNumber: number | null;
  blockHash: Hex | null;
  transactionHash: Hex | null;
  transactionIndex: number | null;
  logIndex: number | null;
  /** True when a reorg took the log out of the canonical chain (delivered again by subscriptions). */
  removed: boolean;
}

export function positionOf(log: RawLog): LogPosition {
  return {
    blockNumber: log.blockNumber ?? null,
    blockHash: log.blockHash ?? null,
    transactionHash: log.transactionHash ?? null,
    transactionIndex: log.transactionIndex ?? null,
    logIndex: log.logIndex ?? null,
    removed: log.removed ?? false,
  };
}
