/**
 * The CLOB account replies (balances, allowances, API keys, closed-only) and the geoblock answer,
 * parsed at the edge.
 *
 * `GET /balance-allowance` answers `{balance, allowances: {<spender>: amount}}` with amounts as
 * 6-decimal raw integer strings ("1000000000" is 1000 pUSD; api-reference.md §4.5), so a balance
 * is already in micro-units and only needs to be checked; an allowance is a uint256 (usually the
 * max for an unlimited approval) and stays a bigint. One NT fixture shows a single `allowance`
 * field instead of the map; it is kept apart, since it does not say which spender it is for.
 */
import { type Address, getAddress, maxUint256 } from 'viem';
import { z } from 'zod';
import type { Micro } from '../../../core/money.ts';

const rawInteger = z.union([
  z.string().regex(/^\d{1,78}$/, 'not a raw integer amount'),
  z.number().int().nonnegative(),
]);

/** A raw 6-decimal amount as micro-units; refused beyond the safe integer range. */
const microAmount = rawInteger.transform((v, ctx) => {
  const n = typeof v === 'number' ? v : Number(BigInt(v));
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: 'custom', message: 'amount beyond the safe integer range of micro-units' });
    return z.NEVER;
  }
  return n as Micro;
});

const uint256Amount = rawInteger.transform((v, ctx) => {
  const n = BigInt(v);
  if (n > maxUint256) {
    ctx.addIssue({ code: 'custom', message: 'allowance beyond uint256' });
    return z.NEVER;
  }
  return n;
});

const spender = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'not an address');

export const balanceAllowanceSchema = z
  .looseObject({
    balance: microAmount,
    allowances: z.record(spender, uint256Amount).optional(),
    allowance: uint256Amount.optional(),
  })
  .transform((r) => ({
    balance: r.balance,
    // Keyed by checksummed address: the venue's case is not ours to depend on.
    allowances: new Map<Address, bigint>(
      Object.entries(r.allowances ?? {}).map(([a, v]) => [getAddress(a), v] as const),
    ),
    singleAllowance: r.allowance,
  }));

export type BalanceAllowanceReply = z.output<typeof balanceAllowanceSchema>;

/** `GET /auth/ban-status/closed-only`. */
export const closedOnlySchema = z.looseObject({ closed_only: z.boolean() });

/** `GET /auth/api-keys`: only its shape is checked; the list holds key ids, never secrets. */
export const apiKeysSchema = z.looseObject({ apiKeys: z.array(z.unknown()) });

/**
 * Polymarket's geoblock answer (`https://polymarket.com/api/geoblock`, not in api-reference.md;
 * shape as third parties report it): `blocked`, and the country and region it judged by.
 */
export const geoblockSchema = z.looseObject({
  blocked: z.boolean(),
  country: z.string().optional(),
  region: z.string().optional(),
});
