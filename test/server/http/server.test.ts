import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/events.ts';
import { createLogger } from '../../../src/core/logger.ts';
import { NO_TOKEN_MESSAGE, startHttpServer, tokensMatch } from '../../../src/server/http/index.ts';
import { followConfigsRepo, settingsRepo } from '../../../src/store/index.ts';
import { openTestStore } from '../../support/engines.ts';
import { api, PLANTED, startTestServer, type TestServer } from './support.ts';

const LEADER = '0x00000000000000000000000000000000000000a1';

/** Every write the API has, with a body that would succeed given the token. */
const WRITES: { method: string; path: string; body?: unknown }[] = [
  {
    method: 'POST',
    path: '/api/follows',
    body: { leader: LEADER, sizing: { mode: 'fixed_usd', amountUsdc: 5_000_000 } },
  },
  { method: 'PATCH', path: '/api/follows/1', body: { paused: true } },
  { method: 'DELETE', path: '/api/follows/1' },
  { method: 'PUT', path: '/api/settings/risk.max_total_usd', body: { value: 250 } },
  { method: 'POST', path: '/api/paper/reset', body: { confirm: 'RESET' } },
];

/** A raw request, so the Host header can be anything. */
function rawGet(url: string, path: string, host: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP API: status, auth, errors', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer('sqlite');
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('listens on 127.0.0.1 and reports mode, uptime and each component', async () => {
    expect(t.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await api(t.url, '/api/status');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toMatchObject({
      mode: 'paper',
      modeLabel: 'PAPER',
      writesEnabled: true,
      healthy: true,
      database: { engine: 'sqlite' },
      triggerSources: ['api', 'rtds'],
      components: [
        { component: 'detection.api', healthy: true, detail: { intervalMs: 1000 } },
        { component: 'trading.orders', healthy: true },
      ],
    });
    expect(r.body.uptimeMs).toBeGreaterThanOrEqual(0);
  });

  it('/health is 200 while every component is healthy and 503 naming the one that is not', async () => {
    expect((await api(t.url, '/health')).status).toBe(200);
    t.health[0] = { component: 'detection.api', healthy: false, detail: { consecutiveFailures: 4 } };
    const r = await api(t.url, '/health');
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('degraded');
    expect(r.body.components[0]).toEqual({
      component: 'detection.api',
      healthy: false,
      detail: { consecutiveFailures: 4 },
    });
  });

  it('/ready is 200 while serving with a database that answers, 503 once the app is stopping', async () => {
    const ready = await api(t.url, '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ready: true, checks: { serving: true, database: 'ok' } });
    t.bus.emit('app.stopping', { reason: 'test', at: Date.now() });
    const stopping = await api(t.url, '/ready');
    expect(stopping.status).toBe(503);
    expect(stopping.body.checks.serving).toBe(false);
  });

  it('refuses every write without a token (401, nothing changed), and with a wrong one', async () => {
    for (const w of WRITES) {
      const none = await api(t.url, w.path, { method: w.method, body: w.body });
      expect(none.status, `${w.method} ${w.path}`).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect(none.body.error.code).toBe('UNAUTHORIZED');
      expect(none.body.error.message).toMatch(/Authorization: Bearer/);

      const wrong = await api(t.url, w.path, { method: w.method, body: w.body, token: `${PLANTED.token}x` });
      expect(wrong.status, `${w.method} ${w.path}`).toBe(401);
      expect(wrong.body.error).toEqual({ code: 'UNAUTHORIZED', message: 'the bearer token is wrong' });

      const basic = await api(t.url, w.path, {
        method: w.method,
        body: w.body,
        token: `Basic ${PLANTED.token}`,
      });
      expect(basic.status).toBe(401);
    }
    expect(await followConfigsRepo(t.store.db).list()).toEqual([]);
    expect((await settingsRepo(t.store.db).get('risk.max_total_usd'))?.value).toBeNull();
  });

  it('accepts the right token, with the scheme in any case', async () => {
    const r = await api(t.url, '/api/settings/risk.max_total_usd', {
      method: 'PUT',
      body: { value: 250 },
      token: `bearer ${PLANTED.token}`,
    });
    expect(r.status).toBe(200);
    expect((await settingsRepo(t.store.db).get('risk.max_total_usd'))?.value).toBe(250);
  });

  it('answers unknown routes and malformed bodies with the uniform error shape', async () => {
    const missing = await api(t.url, '/api/nothing?token=abc');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error: { code: 'NOT_FOUND', message: 'no such endpoint: GET /api/nothing' },
    });

    const malformed = await api(t.url, '/api/follows', {
      method: 'POST',
      body: '{"leader":',
      token: PLANTED.token,
    });
    expect(malformed.status).toBe(400);
    expect(Object.keys(malformed.body.error).sort()).toEqual(['code', 'message']);

    const notJson = await api(t.url, '/api/settings/risk.max_total_usd', {
      method: 'PUT',
      body: 'value=3',
      token: PLANTED.token,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(notJson.status).toBe(415);
    expect(notJson.body.error.code).toMatch(/MEDIA_TYPE/);
  });

  it('answers only requests addressed to a loopback name (DNS rebinding)', async () => {
    const evil = await rawGet(t.url, '/api/status', 'attacker.example:80');
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body).error.code).toBe('HOST_NOT_ALLOWED');
    expect((await rawGet(t.url, '/api/status', `localhost:${new URL(t.url).port}`)).status).toBe(200);
    expect((await rawGet(t.url, '/api/status', '127.0.0.1')).status).toBe(200);
  });
});

describe('HTTP API without a configured token', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer('sqlite', { token: null });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('refuses every write with 403 saying how to create one, even with a token sent', async () => {
    expect((await api(t.url, '/api/status')).body.writesEnabled).toBe(false);
    for (const w of WRITES) {
      const r = await api(t.url, w.path, { method: w.method, body: w.body, token: PLANTED.token });
      expect(r.status, `${w.method} ${w.path}`).toBe(403);
      expect(r.body.error).toEqual({ code: 'WRITES_DISABLED', message: NO_TOKEN_MESSAGE });
    }
    expect(NO_TOKEN_MESSAGE).toMatch(/polyhunter init/);
    expect(NO_TOKEN_MESSAGE).toMatch(/dashboard\.token/);
    expect(await followConfigsRepo(t.store.db).list()).toEqual([]);
  });

  it('still serves reads', async () => {
    expect((await api(t.url, '/api/follows')).status).toBe(200);
  });
});

describe('HTTP API lifecycle', () => {
  it('a database that does not answer makes /ready 503', async () => {
    const t = await startTestServer('sqlite');
    try {
      await t.store.close();
      const r = await api(t.url, '/ready');
      expect(r.status).toBe(503);
      expect(r.body.checks.database).toBe('unreachable');
    } finally {
      await t.dispose();
    }
  });

  it('says which address is taken when the port is in use', async () => {
    const t = await startTestServer('sqlite');
    const db = await openTestStore('sqlite');
    try {
      const port = Number(new URL(t.url).port);
      await expect(
        startHttpServer({
          store: db.store,
          bus: new EventBus(),
          loaded: t.loaded,
          token: undefined,
          port,
          logger: createLogger({ level: 'silent', format: 'json' }),
          health: () => [],
          mode: 'paper',
        }),
      ).rejects.toThrow(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    } finally {
      await db.dispose();
      await t.dispose();
    }
  });
});

describe('tokensMatch', () => {
  it('matches only the same text, whatever the lengths', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abd')).toBe(false);
    expect(tokensMatch('abc', 'abcd')).toBe(false);
    expect(tokensMatch('', 'abc')).toBe(false);
  });
});
