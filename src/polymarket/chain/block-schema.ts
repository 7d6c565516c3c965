/**
 * The parts of a block (a `newHeads` notification or `eth_getBlockByNumber`) the log subscriber
 * uses, validated like any wire data; and a log's own block time when the node adds one.
 */
import type { Hex } from 'viem';
import { z } from 'zod';
import type { BlockStamp } from './block-times.ts';

const quantity = z
  .string()
  .regex(/^0x[0-9a-fA-F]{1,16}$/, 'not a hex quantity')
  .transform((s, ctx) => {
    const n = Number(BigInt(s));
    if (!Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: 'quantity exceeds the safe integer range' });
      return z.NEVER;
    }
    return n;
  });

const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'not a 0x-prefixed bytes32')
  .transform((s) => s.toLowerCase() as Hex);

export const blockStampSchema = z.object({ number: quantity, hash: bytes32, timestamp: quantity });

/** A header or block as a BlockStamp; the zod error when it is not one. */
export function parseBlockStamp(value: unknown): z.ZodSafeParseResult<BlockStamp> {
  return blockStampSchema.safeParse(value);
}

/**
 * Some nodes add `blockTimestamp` to each log (the Polygon samples have it); when present and
 * well-formed it saves a lookup.
 */
export function logBlockTimestamp(log: unknown): number | undefined {
  if (typeof log !== 'object' || log === null) return undefined;
  const parsed = quantity.safeParse((log as { blockTimestamp?: unknown }).blockTimestamp);
  return parsed.success ? parsed.data : undefined;
}
