/**
 * What one RTDS text frame is, as a pure function: a keepalive, a validated data message, or a bad
 * frame to count and skip. The client does the I/O; this decides, so every case is unit-tested.
 */
import type { z } from 'zod';
import {
  RTDS_ACTIVITY_TYPES,
  type RtdsActivityTradeMessage,
  type RtdsMessage,
  rtdsActivityTradeMessageSchema,
  rtdsMessageSchema,
} from './messages.ts';

export type RtdsFrame =
  /** Empty text frames (the server's keepalive) and `pong` answers to our `ping`. */
  | { kind: 'keepalive' }
  /** `activity` / `trades` or `orders_matched`, payload validated. `json` is the frame as parsed. */
  | { kind: 'activity_trade'; message: RtdsActivityTradeMessage; json: unknown }
  /** Any other topic or type, envelope validated (its payload is the caller's to check). */
  | { kind: 'data'; message: RtdsMessage; json: unknown }
  | { kind: 'bad'; reason: string };

const KEEPALIVE = /^(?:pong|ping)?$/i;
const ACTIVITY_TYPES: ReadonlySet<string> = new Set(RTDS_ACTIVITY_TYPES);

/**
 * Classifies a text frame. Anything that is neither a keepalive nor a valid data message is bad,
 * including JSON without a `payload`: every input is suspect, and counting an unexpected frame
 * costs nothing while dropping it silently could hide a protocol change.
 */
export function classifyRtdsFrame(text: string): RtdsFrame {
  if (KEEPALIVE.test(text.trim())) return { kind: 'keepalive' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'bad', reason: 'not JSON' };
  }
  const envelope = rtdsMessageSchema.safeParse(json);
  if (!envelope.success) return { kind: 'bad', reason: `envelope: ${describeIssues(envelope.error)}` };
  const { topic, type } = envelope.data;
  if (topic !== 'activity' || !ACTIVITY_TYPES.has(type)) {
    return { kind: 'data', message: envelope.data, json };
  }
  const trade = rtdsActivityTradeMessageSchema.safeParse(json);
  if (!trade.success) return { kind: 'bad', reason: `activity/${type}: ${describeIssues(trade.error)}` };
  return { kind: 'activity_trade', message: trade.data, json };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** A frame cut short for a log line. */
export function sampleOf(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;
}
