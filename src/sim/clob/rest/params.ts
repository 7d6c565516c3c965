/**
 * Request inputs: query parameters and JSON bodies, checked with zod. Bodies arrive as raw text
 * (the HMAC covers the exact bytes), so they are parsed here, never by fastify.
 */
import { z } from 'zod';

/** A token id: a uint256 as decimal digits. */
export const tokenIdSchema = z.string().regex(/^[0-9]{1,78}$/);
export const sideSchema = z.enum(['BUY', 'SELL']);
/** A condition id: bytes32 hex. */
export const conditionIdSchema = z.string().regex(/^0x[0-9a-fA-F]{64}$/);

/** The one value of a query parameter; a repeated parameter counts as malformed. */
export function queryValue(query: unknown, name: string): string | undefined | null {
  if (query === null || typeof query !== 'object') return undefined;
  const value = (query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : null;
}

/** A query parameter that must be a token id: the value, or undefined when missing or malformed. */
export function tokenIdParam(query: unknown): string | undefined {
  const value = queryValue(query, 'token_id');
  return typeof value === 'string' && tokenIdSchema.safeParse(value).success ? value : undefined;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false };

export function parseJson(raw: string): Parsed<unknown> {
  if (raw.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The raw body as JSON checked against `schema`. */
export function parseBody<T>(raw: string, schema: z.ZodType<T>): Parsed<T> {
  const json = parseJson(raw);
  if (!json.ok) return json;
  const parsed = schema.safeParse(json.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}
