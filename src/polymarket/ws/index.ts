/** A reconnecting websocket with keepalive, dead-socket and silence detection, and gap accounting, for the streaming clients. */
export * from './bad-messages.ts';
export * from './gap-ledger.ts';
export * from './reconnecting-socket.ts';
export * from './timings.ts';
