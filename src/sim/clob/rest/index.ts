/** The simulated CLOB's REST API: routes over the venue, and the fault hook the control API drives. */
export type { ClobRestOptions } from './context.ts';
export { REST_ERROR } from './errors.ts';
export { type ClobFaults, FaultInjector, type FaultStatus, RETRY_AFTER_SECONDS } from './faults.ts';
export { DEFAULT_HEARTBEAT_TIMEOUT_MS } from './heartbeats.ts';
export { MAX_BATCH_ORDERS } from './order-routes.ts';
export { END_CURSOR, INITIAL_CURSOR } from './paging.ts';
export { type ClobRoutes, registerClobRoutes } from './register.ts';
