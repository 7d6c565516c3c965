/**
 * A typed, synchronous in-process event bus. A failing handler (a throw or a rejected promise) is
 * reported and skipped: it never stops the other handlers or the code that emitted.
 */

export type TradingMode = 'paper' | 'live';

/** The application's events; `at` is epoch ms from the injected clock. Later components add theirs. */
export type PolyHunterEvents = {
  'app.started': { mode: TradingMode; at: number };
  'app.stopping': { reason: string; at: number };
  'settings.changed': { key: string; value: unknown; source: string; at: number };
};

/** A handler's return value is ignored, except that a returned promise's rejection is reported. */
export type EventHandler<Payload> = (payload: Payload) => unknown;

/** Called with what a handler threw or rejected with, and the event it was handling. */
export type HandlerErrorHook<Events> = (
  error: unknown,
  name: keyof Events & string,
  payload: unknown,
) => void;

export interface EventBusOptions<Events> {
  /** Where handler failures go (the app passes its logger). Defaults to console.error. */
  onHandlerError?: HandlerErrorHook<Events>;
}

// `{ [K in keyof Events]: unknown }` rather than Record<string, unknown> so interfaces fit too.
export class EventBus<Events extends { [K in keyof Events]: unknown }> {
  #handlers = new Map<keyof Events, Set<EventHandler<never>>>();
  #onHandlerError: HandlerErrorHook<Events>;

  constructor(options: EventBusOptions<Events> = {}) {
    this.#onHandlerError =
      options.onHandlerError ??
      ((error, name) => console.error(`event handler for "${name}" failed:`, error));
  }

  /** Subscribes; returns the function that unsubscribes. The same function twice counts once. */
  on<K extends keyof Events & string>(name: K, handler: EventHandler<Events[K]>): () => void {
    let set = this.#handlers.get(name);
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(name, set);
    }
    set.add(handler);
    return () => this.off(name, handler);
  }

  /** Subscribes for the next event only; unsubscribe with the returned function, not `off`. */
  once<K extends keyof Events & string>(name: K, handler: EventHandler<Events[K]>): () => void {
    const unsubscribe = this.on(name, (payload) => {
      unsubscribe();
      return handler(payload);
    });
    return unsubscribe;
  }

  off<K extends keyof Events & string>(name: K, handler: EventHandler<Events[K]>): void {
    const set = this.#handlers.get(name);
    if (set?.delete(handler) && set.size === 0) this.#handlers.delete(name);
  }

  /**
   * Calls the handlers subscribed when the emit starts, in subscription order. Returns once every
   * synchronous part has run; async handlers continue on their own.
   */
  emit<K extends keyof Events & string>(name: K, payload: Events[K]): void {
    const set = this.#handlers.get(name);
    if (set === undefined) return;
    for (const handler of [...set] as EventHandler<Events[K]>[]) {
      // A handler unsubscribed by an earlier one during this emit is skipped.
      if (!set.has(handler)) continue;
      try {
        const result = handler(payload);
        if (result instanceof Promise) result.catch((error: unknown) => this.#report(error, name, payload));
      } catch (error) {
        this.#report(error, name, payload);
      }
    }
  }

  /**
   * Resolves with the next payload of `name` that satisfies `predicate`. Rejects if the predicate
   * throws, or with `signal.reason` when the signal aborts.
   */
  waitFor<K extends keyof Events & string>(
    name: K,
    predicate?: (payload: Events[K]) => boolean,
    signal?: AbortSignal,
  ): Promise<Events[K]> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const stop = (): void => {
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        stop();
        reject(signal?.reason);
      };
      const unsubscribe = this.on(name, (payload) => {
        try {
          if (predicate !== undefined && !predicate(payload)) return;
          stop();
          resolve(payload);
        } catch (error) {
          stop();
          reject(error);
        }
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Handlers subscribed to `name`, or to all events. */
  listenerCount(name?: keyof Events & string): number {
    if (name !== undefined) return this.#handlers.get(name)?.size ?? 0;
    let total = 0;
    for (const set of this.#handlers.values()) total += set.size;
    return total;
  }

  #report(error: unknown, name: keyof Events & string, payload: unknown): void {
    try {
      this.#onHandlerError(error, name, payload);
    } catch (hookError) {
      // The hook itself failed; the emitter must still not see it.
      console.error('onHandlerError failed:', hookError, 'while reporting:', error);
    }
  }
}
