/**
 * `GET /value?user=`: a wallet's open positions valued at current prices (`[{user, value}]`,
 * value in dollars as a number). The balance-ratio sizing scales a leader's trade by it.
 */
import { z } from 'zod';
import { microFromNumber } from '../../core/decimal.ts';
import type { Usdc } from '../../core/money.ts';

export const dataApiValueSchema = z.array(
  z.looseObject({ user: z.string(), value: z.number().nonnegative() }),
);

/** The wallet's portfolio value in micro-USDC, or null when the API knows nothing of it. */
export async function fetchPortfolioValue(
  baseUrl: string,
  user: string,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<Usdc | null> {
  const url = `${baseUrl.replace(/\/+$/, '')}/value?user=${encodeURIComponent(user)}`;
  const res = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
  if (!res.ok) throw new Error(`Data API /value answered ${res.status}`);
  const rows = dataApiValueSchema.parse(await res.json());
  const row = rows.find((r) => r.user.toLowerCase() === user.toLowerCase()) ?? rows[0];
  return row === undefined ? null : (microFromNumber(row.value, 'floor') as Usdc);
}
