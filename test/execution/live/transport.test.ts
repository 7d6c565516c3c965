/** The HTTP exchange's report of what happened, against real sockets that misbehave on purpose. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from '@polymarket/clob-client-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError, RateLimitError, TimeoutError, VenueError } from '../../../src/core/errors.ts';
import { fromClientError } from '../../../src/execution/live/api-creds.ts';
import { retryAfterMs, send } from '../../../src/execution/live/transport.ts';
import { closedPort } from './support.ts';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') return; // never answers
    if (req.url === '/reset') {
      req.on('data', () => {});
      req.on('end', () => req.socket.destroy());
      return;
    }
    if (req.url === '/html') {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
      return;
    }
    res
      .writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' })
      .end('{"error":"Too Many Requests"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (url: string, timeoutMs = 2_000) =>
  send({
    url,
    method: 'POST',
    headers: {},
    body: '{}',
    timeoutMs,
    fetch: (i, init) => fetch(i, init),
    now: () => 0,
  });

describe('send', () => {
  it('a status with its JSON body and Retry-After', async () => {
    expect(await post(`${base}/limited`)).toEqual({
      kind: 'response',
      status: 429,
      body: { error: 'Too Many Requests' },
      retryAfterMs: 2_000,
    });
  });

  it('a body that is not JSON comes back as text', async () => {
    expect(await post(`${base}/html`)).toMatchObject({
      kind: 'response',
      status: 502,
      body: '<html>502 Bad Gateway</html>',
    });
  });

  it('no answer in time is a timeout', async () => {
    expect(await post(`${base}/hang`, 150)).toEqual({ kind: 'timeout', afterMs: 150 });
  });

  it('a connection dropped after the request went out is lost (the venue may have it)', async () => {
    expect(await post(`${base}/reset`)).toMatchObject({ kind: 'lost' });
  });

  it('a refused connection is unreachable (nothing was sent)', async () => {
    const result = await post(`http://127.0.0.1:${await closedPort()}/order`);
    expect(result).toMatchObject({ kind: 'unreachable', error: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['1', 1_000],
    ['0.5', 500],
    [new Date(10_000).toUTCString(), 7_000],
    ['', undefined],
    ['soon', undefined],
  ])('%s -> %s', (header, ms) => {
    expect(retryAfterMs(header, 3_000)).toBe(ms);
  });
});

describe('fromClientError', () => {
  it("maps the client's ApiError by status; no status means the network", () => {
    expect(fromClientError(new ApiError('connect ECONNREFUSED'), 'x')).toBeInstanceOf(NetworkError);
    expect(fromClientError(new ApiError('Too Many Requests', 429), 'x')).toBeInstanceOf(RateLimitError);
    const venue = fromClientError(new ApiError('order not found', 404), 'order');
    expect(venue).toBeInstanceOf(VenueError);
    expect(venue).toMatchObject({ status: 404, retryable: false, message: 'order: 404 order not found' });
    expect(fromClientError(new ApiError('boom', 500), 'x').retryable).toBe(true);
    const timeout = new TimeoutError('t');
    expect(fromClientError(timeout, 'x')).toBe(timeout);
  });
});
