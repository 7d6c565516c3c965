/**
 * Order heartbeats, per API key: a dead man's switch. The first `POST /v1/heartbeats` starts a
 * session and returns its `heartbeat_id`; each later one must carry that id and pushes the deadline
 * back. A session whose deadline passes cancels every open order of its key and ends.
 *
 * Sources: the docs' send-heartbeat page ("If heartbeats are not sent regularly, all open orders
 * for the user will be automatically canceled"); clob-client-v2 `postHeartbeat(heartbeatId = "")`;
 * rs-clob-client's `HeartbeatResponse {heartbeat_id: Uuid, error}`. UNCONFIRMED and chosen here:
 * the 10 s default timeout (a Polymarket-compatible clone documents 10 s); an id that is not the
 * session's gets a 400 that names the right id and does not push the deadline; an empty id always
 * (re)starts the session.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../core/clock.ts';

export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;

export type BeatResult = { ok: true; heartbeatId: string } | { ok: false; heartbeatId: string };

export interface HeartbeatMonitorOptions {
  timeoutMs: number;
  timers: Pick<Clock, 'setTimer'>;
  /** Called once when a key's session lapses; cancel its orders here. */
  onExpire: (apiKey: string) => void;
  newId?: () => string;
}

interface Session {
  id: string;
  cancelTimer: () => void;
}

export class HeartbeatMonitor {
  readonly #options: HeartbeatMonitorOptions;
  readonly #sessions = new Map<string, Session>();
  readonly #newId: () => string;

  constructor(options: HeartbeatMonitorOptions) {
    if (!(options.timeoutMs > 0))
      throw new RangeError(`heartbeat timeout must be > 0, got ${options.timeoutMs}`);
    this.#options = options;
    this.#newId = options.newId ?? randomUUID;
  }

  /** One heartbeat of `apiKey` carrying `heartbeatId` ("" to start). */
  beat(apiKey: string, heartbeatId: string): BeatResult {
    const session = this.#sessions.get(apiKey);
    if (session !== undefined && heartbeatId !== '' && heartbeatId !== session.id) {
      return { ok: false, heartbeatId: session.id };
    }
    // Empty id (a fresh start) or the session's own id: a new deadline. A stale id of a lapsed
    // session starts a new one, but still tells the client its id was not current.
    const stale = session === undefined && heartbeatId !== '';
    const id = session !== undefined && heartbeatId !== '' ? session.id : this.#newId();
    this.#arm(apiKey, id);
    return stale ? { ok: false, heartbeatId: id } : { ok: true, heartbeatId: id };
  }

  /** Keys with a live session. */
  active(): string[] {
    return [...this.#sessions.keys()];
  }

  /** Ends a key's session without cancelling anything (its key was deleted). */
  stop(apiKey: string): void {
    this.#sessions.get(apiKey)?.cancelTimer();
    this.#sessions.delete(apiKey);
  }

  close(): void {
    for (const session of this.#sessions.values()) session.cancelTimer();
    this.#sessions.clear();
  }

  #arm(apiKey: string, id: string): void {
    this.#sessions.get(apiKey)?.cancelTimer();
    const cancelTimer = this.#options.timers.setTimer(this.#options.timeoutMs, () => {
      if (this.#sessions.get(apiKey)?.id !== id) return;
      this.#sessions.delete(apiKey);
      this.#options.onExpire(apiKey);
    });
    this.#sessions.set(apiKey, { id, cancelTimer });
  }
}
