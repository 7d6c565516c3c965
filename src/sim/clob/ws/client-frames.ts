/**
 * What a client's text frame asks for, on either channel. Accepted forms:
 * - text `PING` (answered `PONG`);
 * - market: `{"assets_ids":[...],"type":"market","initial_dump"?,"level"?,"custom_feature_enabled"?}`
 *   and `{"operation":"subscribe"|"unsubscribe","assets_ids":[...]}` (the official Rust client sends
 *   both keys at once, plus `"markets":[]`);
 * - user: `{"auth":{"apiKey","secret","passphrase"},"markets":[...],"type":"user"}`, optionally with
 *   `operation`, `assets_ids` and `initial_dump` (ignored).
 * Anything else (bad JSON, arrays, the other channel's `type`, unknown operations) is ignored.
 */
import { z } from 'zod';

export type Operation = 'subscribe' | 'unsubscribe';

export interface MarketSubscribeFrame {
  kind: 'market';
  operation: Operation;
  assetIds: string[];
  /** Send a `book` per asset; default true. */
  initialDump: boolean;
  /** Undefined when the frame does not say. */
  customFeatures: boolean | undefined;
}

export interface WsCredentials {
  apiKey: string;
  secret: string;
  passphrase: string;
}

export interface UserSubscribeFrame {
  kind: 'user';
  operation: Operation;
  auth: WsCredentials | undefined;
  /** Condition ids; empty means every market. */
  markets: string[];
}

export type ClientFrame = { kind: 'ping' } | MarketSubscribeFrame | UserSubscribeFrame | { kind: 'ignored' };

const IGNORED = { kind: 'ignored' } as const;

/** Credentials no key matches. */
const BAD_AUTH: WsCredentials = { apiKey: '', secret: '', passphrase: '' };

/** The keys that make a user-channel frame a subscription request. */
const USER_KEYS = ['auth', 'markets', 'type', 'operation'];

const strings = (value: unknown[] | undefined): string[] => [
  ...new Set((value ?? []).filter((v): v is string => typeof v === 'string' && v !== '')),
];

const operation = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(['subscribe', 'unsubscribe']));

const marketSchema = z.object({
  assets_ids: z.array(z.unknown()),
  type: z.string().optional(),
  operation: operation.optional(),
  initial_dump: z.boolean().optional(),
  custom_feature_enabled: z.boolean().optional(),
});

const userSchema = z.object({
  auth: z.object({ apiKey: z.string(), secret: z.string(), passphrase: z.string() }).optional(),
  markets: z.array(z.unknown()).optional(),
  type: z.string().optional(),
  operation: operation.optional(),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A market-channel frame. */
export function parseMarketFrame(text: string): ClientFrame {
  if (text === 'PING') return { kind: 'ping' };
  const parsed = marketSchema.safeParse(parseJson(text));
  if (!parsed.success) return IGNORED;
  const f = parsed.data;
  if (f.type !== undefined && f.type.toLowerCase() !== 'market') return IGNORED;
  return {
    kind: 'market',
    operation: f.operation ?? 'subscribe',
    assetIds: strings(f.assets_ids),
    initialDump: f.initial_dump ?? true,
    customFeatures: f.custom_feature_enabled,
  };
}

/** A user-channel frame. */
export function parseUserFrame(text: string): ClientFrame {
  if (text === 'PING') return { kind: 'ping' };
  const json = parseJson(text);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return IGNORED;
  if (!USER_KEYS.some((key) => key in json)) return IGNORED;
  const type = (json as { type?: unknown }).type;
  if (typeof type === 'string' && type.toLowerCase() !== 'user') return IGNORED;
  const parsed = userSchema.safeParse(json);
  if (!parsed.success) {
    // A frame that tries to authenticate but is malformed fails authentication.
    return 'auth' in json ? { kind: 'user', operation: 'subscribe', auth: BAD_AUTH, markets: [] } : IGNORED;
  }
  const f = parsed.data;
  return {
    kind: 'user',
    operation: f.operation ?? 'subscribe',
    auth: f.auth,
    markets: strings(f.markets),
  };
}
