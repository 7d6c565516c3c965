/** zod schemas of the CLOB's REST replies and websocket messages, and the scalars they share. */
export * from './account.ts';
export * from './book.ts';
export * from './market.ts';
export * from './orders.ts';
export * from './rest-orders.ts';
export * from './scalars.ts';
export * from './ws-market.ts';
export * from './ws-user.ts';
