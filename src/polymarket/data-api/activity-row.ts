/**
 * One shape for an activity row whichever route it came from (v1 camelCase, v2 snake_case), and
 * the row-by-row validation of a page: a bad row is counted, logged with a sample and skipped,
 * and the rest of the page is kept.
 */
import type { z } from 'zod';
import { badMessagesTotal } from '../../core/metrics.ts';
import { type DataApiV1Activity, dataApiV1ActivitySchema } from './v1.ts';
import { type DataApiV2Activity, dataApiV2ActivitySchema } from './v2.ts';

export interface ActivityRow {
  /** Lower-case. */
  proxyWallet: string;
  /** Epoch seconds, as the API stamps it. */
  timestampSec: number;
  /** TRADE, REDEEM... */
  type: string;
  /** Lower-case; null on rows not about a market. */
  conditionId: string | null;
  /** Token id; null on rows not about one token. */
  asset: string | null;
  /** BUY or SELL on trades (IN/OUT on v2 TIP rows); null otherwise. */
  side: string | null;
  /** Shares, USDC and price as the wire's JSON numbers; micro-units are the caller's choice of rounding. */
  size: number;
  usdcSize: number;
  price: number;
  /** Lower-case; null when absent. */
  transactionHash: string | null;
  /** 999 when the outcome is unknown. */
  outcomeIndex: number;
  /** null when empty or absent. */
  outcome: string | null;
  /** The row as received. */
  raw: unknown;
}

const lower = (s: string | null): string | null => (s === null ? null : s.toLowerCase());

export function fromV1(row: DataApiV1Activity, raw: unknown): ActivityRow {
  return {
    proxyWallet: row.proxyWallet.toLowerCase(),
    timestampSec: row.timestamp,
    type: row.type,
    conditionId: lower(row.conditionId),
    asset: row.asset,
    side: row.side,
    size: row.size,
    usdcSize: row.usdcSize,
    price: row.price,
    transactionHash: lower(row.transactionHash),
    outcomeIndex: row.outcomeIndex,
    outcome: row.outcome || null,
    raw,
  };
}

export function fromV2(row: DataApiV2Activity, raw: unknown): ActivityRow {
  return {
    proxyWallet: row.proxy_wallet.toLowerCase(),
    timestampSec: row.timestamp,
    type: row.type,
    conditionId: lower(row.condition_id),
    asset: row.token_id,
    side: row.side,
    size: row.size,
    usdcSize: row.usdc_size,
    price: row.price,
    transactionHash: lower(row.transaction_hash),
    outcomeIndex: row.outcome_index,
    outcome: row.outcome || null,
    raw,
  };
}

/** Where bad rows are reported (pino's `warn` fits). */
export interface BadRowLogger {
  warn(fields: object, message: string): void;
}

/** A JSON sample of a bad message, short enough for a log line. */
export function sampleOf(value: unknown, maxChars = 500): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > maxChars ? `${text.slice(0, maxChars)}...` : text;
}

/** Counts and logs one message that failed validation. */
export function reportBadMessage(
  logger: BadRowLogger,
  what: string,
  value: unknown,
  error?: z.ZodError,
): void {
  badMessagesTotal.inc({ source: 'api' });
  logger.warn(
    {
      source: 'api',
      ...(error
        ? { issues: error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '.'}: ${i.message}`) }
        : {}),
      sample: sampleOf(value),
    },
    `skipped ${what}`,
  );
}

/** Validates each element of `items` on its own; returns the good ones, normalized. */
export function parseRows(
  items: readonly unknown[],
  version: 'v1' | 'v2',
  logger: BadRowLogger,
  route: string,
): ActivityRow[] {
  const rows: ActivityRow[] = [];
  for (const item of items) {
    if (version === 'v1') {
      const parsed = dataApiV1ActivitySchema.safeParse(item);
      if (parsed.success) rows.push(fromV1(parsed.data, item));
      else reportBadMessage(logger, `a bad ${route} row`, item, parsed.error);
    } else {
      const parsed = dataApiV2ActivitySchema.safeParse(item);
      if (parsed.success) rows.push(fromV2(parsed.data, item));
      else reportBadMessage(logger, `a bad ${route} row`, item, parsed.error);
    }
  }
  return rows;
}
