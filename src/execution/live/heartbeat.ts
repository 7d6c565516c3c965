/**
 * The order heartbeat: the venue's dead man's switch. Once a key has sent one heartbeat, missing
 * the next ones for about 10 s (UNCONFIRMED; the simulator uses 10 s) cancels all of its open
 * orders (api-reference.md §4.5). So a crashed or cut-off PolyHunter leaves nothing resting for
 * long, and a live one beats every 5 s while it has resting orders.
 *
 * The loop beats at once when started (or woken by a new resting order), then every `intervalMs`
 * while `hasResting()` holds; when nothing rests it goes idle and forgets its session id, so the
 * next resting order starts a fresh session. Timers run on the injected clock.
 */
import type { Clock } from '../../core/clock.ts';

export const HEARTBEAT_INTERVAL_MS = 5_000;

export interface HeartbeatOptions {
  clock: Clock;
  intervalMs?: number;
  /** Sends one beat carrying `id` ("" starts a session); resolves with the id for the next one. */
  beat: (id: string) => Promise<string>;
  /** Whether any of our orders rests; the loop runs only while it does. */
  hasResting: () => boolean | Promise<boolean>;
  onError?: (err: unknown) => void;
}

export interface HeartbeatStats {
  /** Enabled by start() and not stopped. */
  enabled: boolean;
  /** A beat is scheduled or in flight. */
  running: boolean;
  beats: number;
  failures: number;
}

export class HeartbeatLoop {
  readonly #options: HeartbeatOptions;
  readonly #intervalMs: number;
  #enabled = false;
  #cancelTimer: (() => void) | undefined;
  #inFlight = false;
  #id = '';
  #beats = 0;
  #failures = 0;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_MS;
    if (!(this.#intervalMs > 0))
      throw new RangeError(`heartbeat interval must be > 0, got ${this.#intervalMs}`);
  }

  get stats(): HeartbeatStats {
    return {
      enabled: this.#enabled,
      running: this.#cancelTimer !== undefined || this.#inFlight,
      beats: this.#beats,
      failures: this.#failures,
    };
  }

  /** Enables heartbeats; beats now if an order rests. */
  start(): void {
    this.#enabled = true;
    this.wake();
  }

  /** Disables heartbeats; a beat in flight finishes but schedules nothing. */
  stop(): void {
    this.#enabled = false;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  /** An order may have started resting: beat now if the loop is enabled and idle. */
  wake(): void {
    if (!this.#enabled || this.#cancelTimer !== undefined || this.#inFlight) return;
    this.#schedule(0);
  }

  #schedule(ms: number): void {
    this.#cancelTimer = this.#options.clock.setTimer(ms, () => {
      this.#cancelTimer = undefined;
      void this.#tick();
    });
  }

  async #tick(): Promise<void> {
    if (!this.#enabled) return;
    this.#inFlight = true;
    try {
      if (!(await this.#options.hasResting())) {
        // Idle: the venue's session lapses harmlessly (nothing rests); the next one starts afresh.
        this.#id = '';
        return;
      }
      try {
        this.#id = await this.#options.beat(this.#id);
        this.#beats++;
      } catch (err) {
        this.#failures++;
        this.#options.onError?.(err);
      }
      if (this.#enabled) this.#schedule(this.#intervalMs);
    } catch (err) {
      // hasResting failed: keep beating rather than let resting orders be cancelled by silence.
      this.#failures++;
      this.#options.onError?.(err);
      if (this.#enabled) this.#schedule(this.#intervalMs);
    } finally {
      this.#inFlight = false;
    }
  }
}
