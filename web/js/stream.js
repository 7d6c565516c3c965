/**
 * The live event stream (GET /api/events, Server-Sent Events), opened once for the whole page.
 * The browser reconnects by itself; pages subscribe to event names and to the connection state.
 */

export const STREAM_EVENTS = /** @type {const} */ ([
  'leader.sighting',
  'copy.decision',
  'order.done',
  'settings.changed',
  'app.started',
  'app.stopping',
]);

/** @typedef {'connecting' | 'open' | 'closed'} StreamState */

/** @type {Map<string, Set<(data: any) => void>>} */
const handlers = new Map();
/** @type {Set<(state: StreamState) => void>} */
const stateHandlers = new Set();
/** @type {StreamState} */
let state = 'connecting';
/** @type {EventSource | null} */
let source = null;

export function connectStream() {
  if (source !== null) return;
  source = new EventSource('/api/events');
  source.onopen = () => setState('open');
  // EventSource retries on its own (the server asks for 3 s); until then the page says so.
  source.onerror = () => setState(source?.readyState === EventSource.OPEN ? 'open' : 'closed');
  for (const name of STREAM_EVENTS) {
    source.addEventListener(name, (event) => {
      let data;
      try {
        data = JSON.parse(/** @type {MessageEvent} */ (event).data);
      } catch {
        return;
      }
      for (const handler of handlers.get(name) ?? []) {
        try {
          handler(data);
        } catch (err) {
          console.error(`handling ${name} failed`, err);
        }
      }
    });
  }
}

/**
 * @param {string} name one of STREAM_EVENTS
 * @param {(data: any) => void} handler
 * @returns {() => void} unsubscribe
 */
export function onStreamEvent(name, handler) {
  let set = handlers.get(name);
  if (set === undefined) {
    set = new Set();
    handlers.set(name, set);
  }
  set.add(handler);
  return () => set.delete(handler);
}

/**
 * @param {(state: StreamState) => void} handler called now and on every change
 * @returns {() => void} unsubscribe
 */
export function onStreamState(handler) {
  stateHandlers.add(handler);
  handler(state);
  return () => stateHandlers.delete(handler);
}

/** @param {StreamState} next */
function setState(next) {
  if (next === state) return;
  state = next;
  for (const h of stateHandlers) h(state);
}
