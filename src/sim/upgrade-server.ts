/**
 * A bare HTTP server on 127.0.0.1 that hands websocket upgrades to one handler and answers plain
 * HTTP with 426: how the simulator's RTDS and CLOB websockets get their own ports.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface UpgradeServer {
  readonly host: string;
  readonly port: number;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

export async function listenForUpgrades(
  handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
  options: { port?: number | undefined; host?: string | undefined } = {},
): Promise<UpgradeServer> {
  const server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('Upgrade Required');
  });
  server.on('upgrade', handleUpgrade);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    host,
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
