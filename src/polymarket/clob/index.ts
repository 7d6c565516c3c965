/** The public face of the CLOB wire logic shared by the simulator and the live broker. */
export * from './addresses.ts';
export * from './auth.ts';
export * from './auth-headers.ts';
export * from './order-v2.ts';
export * from './order-v2-amounts.ts';
export * from './poly1271-signature.ts';
export * from './schemas/index.ts';
export * from './user-socket.ts';
export * from './wire-primitives.ts';
