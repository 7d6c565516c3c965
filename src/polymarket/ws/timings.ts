/** The timings of a reconnecting socket: what an owner may tune, and the checked values it runs on. */
import { type BackoffOptions, DEFAULT_BACKOFF } from '../../core/backoff.ts';

export interface SocketTimings {
  /** Keepalive text interval, ms. Default 10_000. */
  pingIntervalMs?: number;
  /** No data message for this long (while data is expected) is a silent lapse, ms. Default 30_000. */
  silenceMs?: number;
  /** No frame at all (not even the answer to a ping) for this long means the socket is dead, ms. Default 25_000. */
  deadAfterMs?: number;
  /** Gives up on a handshake after this long, ms. Default 10_000. */
  connectTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** A connection open this long (or that delivered data) resets the backoff, ms. Default 30_000. */
  stableAfterMs?: number;
  /** At most one bad-message log line per this interval (the rest are counted), ms. Default 60_000. */
  badLogIntervalMs?: number;
}

export type ResolvedTimings = Required<Omit<SocketTimings, 'backoff'>> & { backoff: BackoffOptions };

/** Fills in the defaults and refuses a timing that is not a positive number. */
export function resolveTimings(t: SocketTimings): ResolvedTimings {
  return {
    pingIntervalMs: positive(t.pingIntervalMs ?? 10_000, 'pingIntervalMs'),
    silenceMs: positive(t.silenceMs ?? 30_000, 'silenceMs'),
    deadAfterMs: positive(t.deadAfterMs ?? 25_000, 'deadAfterMs'),
    connectTimeoutMs: positive(t.connectTimeoutMs ?? 10_000, 'connectTimeoutMs'),
    backoff: { ...DEFAULT_BACKOFF, ...t.backoff },
    stableAfterMs: t.stableAfterMs ?? 30_000,
    badLogIntervalMs: t.badLogIntervalMs ?? 60_000,
  };
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
