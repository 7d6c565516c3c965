/** The simulator's CLOB websocket: market and user channels over the venue's events. */
export type { ClientFrame, WsCredentials } from './client-frames.ts';
export {
  type ClobWs,
  type ClobWsChannel,
  type ClobWsOptions,
  type ClobWsServer,
  createClobWsServer,
  startClobWsServer,
} from './server.ts';
