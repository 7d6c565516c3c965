/** The Data API leader-trade source: the cursor poller, its budget and its cursor logic. */
export * from './budget.ts';
export * from './cursor.ts';
export * from './poller.ts';
export * from './to-sighting.ts';
