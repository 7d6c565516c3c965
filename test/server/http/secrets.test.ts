import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl as maskUrl } from '../../../src/core/redact.ts';
import { createScrubber, secretValuesOf } from '../../../src/server/http/index.ts';
import { account, order } from '../../store/fixtures.ts';
import { api, PLANTED, seenBodies, startTestServer, type TestServer } from './support.ts';

const LEADER = '0x00000000000000000000000000000000000000a1';

/** Every form a planted secret could take in a body: as is, URL-encoded, JSON-escaped. */
function formsOf(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

describe('no secret in any response', () => {
  let t: TestServer;
  let streamText = '';

  beforeAll(async () => {
    t = await startTestServer('sqlite', {
      // A component whose error message carries credentials, as a careless library might write it.
      health: [
        {
          component: 'detection.chain',
          healthy: false,
          detail: {
            lastError: `connect wss://polygon.invalid/v2/${PLANTED.rpcKey} failed (api secret ${PLANTED.apiSecret})`,
          },
        },
      ],
    });
    // Data that reached the database with a secret in it.
    const accountId = (
      await t.store.db
        .insertInto('accounts')
        .values(account({ name: 'paper', mode: 'paper' }))
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await t.store.db
      .insertInto('orders')
      .values(order(accountId, { status: 'FAILED', error: `venue said: bad key ${PLANTED.privateKey}` }))
      .execute();
    await t.store.db
      .insertInto('guardrail_events')
      .values({
        created_at: 1,
        reason_code: 'SLIPPAGE',
        account_id: accountId,
        leader_address: LEADER,
        token_id: '1',
        idempotency_key: null,
        context: JSON.stringify({ message: `postgres://polyhunter:${PLANTED.dbPassword}@db.invalid` }),
      })
      .execute();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('serves every endpoint, errors included, without a planted secret', async () => {
    const token = PLANTED.token;
    const follow = await api(t.url, '/api/follows', {
      method: 'POST',
      body: { leader: LEADER, sizing: { mode: 'fixed_usd', amountUsdc: 1_000_000 } },
      token,
    });
    expect(follow.status).toBe(201);
    const reads = [
      '/api/status',
      '/health',
      '/ready',
      '/api/leaders',
      `/api/leaders/${LEADER}`,
      '/api/follows',
      `/api/follows/${follow.body.follow.id}`,
      '/api/settings',
      '/api/settings/database.url',
      '/api/settings/venue.polygon_ws_url',
      '/api/settings/dashboard.token',
      '/api/settings/keystore.passphrase',
      '/api/settings/telegram.bot_token',
      '/api/trades',
      '/api/decisions',
      '/api/orders',
      '/api/positions?all=true',
      '/api/pnl',
      '/api/guardrails',
      '/api/paper/reset',
    ];
    for (const path of reads) {
      const r = await api(t.url, path);
      expect([200, 503], path).toContain(r.status);
    }
    // Secrets sent by a caller and echoed in an error message.
    await api(t.url, `/api/settings/trading.order_type`, {
      method: 'PUT',
      body: { value: PLANTED.token },
      token,
    });
    await api(t.url, '/api/follows', {
      method: 'POST',
      body: { leader: PLANTED.passphrase, sizing: { mode: 'x' } },
      token,
    });
    await api(t.url, `/api/trades?leader=${encodeURIComponent(PLANTED.telegram)}`);
    await api(t.url, `/api/nothing/${PLANTED.apiSecret}`);
    await api(t.url, '/api/settings/risk.max_total_usd', {
      method: 'PUT',
      body: { value: 1 },
      token: PLANTED.dbPassword,
    });

    // An event carrying a secret, on the live stream.
    const controller = new AbortController();
    const res = await fetch(`${t.url}/api/events?types=order.done`, { signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    streamText += decoder.decode((await reader.read()).value);
    t.bus.emit('order.done', {
      orderId: 1,
      intent: {} as never,
      outcome: { kind: 'failed', orderId: 1, error: `signing with ${PLANTED.privateKey} failed` },
      at: 1,
    });
    while (!streamText.includes('event: order.done'))
      streamText += decoder.decode((await reader.read()).value);
    controller.abort();

    const bodies = [...seenBodies, streamText];
    expect(bodies.length).toBeGreaterThan(reads.length);
    for (const [name, secret] of Object.entries(PLANTED)) {
      for (const form of formsOf(secret)) {
        const leaks = bodies.filter((b) => b.includes(form));
        expect(leaks, `${name} served`).toEqual([]);
      }
    }
    // The leak paths above were really exercised: the scrubber had something to take out.
    expect(bodies.filter((b) => b.includes('[redacted]')).length).toBeGreaterThanOrEqual(5);
  });

  it('shows secrets only as set or not set, and URLs with their credentials masked', async () => {
    const r = await api(t.url, '/api/settings');
    const value = (key: string) => r.body.settings.find((s: { key: string }) => s.key === key)?.value;
    expect(value('dashboard.token')).toBe('(set)');
    expect(value('keystore.passphrase')).toBe('(set)');
    expect(value('telegram.bot_token')).toBe('(set)');
    expect(value('database.url')).toBe('postgres://polyhunter:***@db.invalid:5432/polyhunter');
    expect(value('venue.polygon_ws_url')).toBe('wss://polygon.invalid/v2/***');
  });
});

describe('secret helpers', () => {
  it('masks passwords, credential parameters and key-like path segments in URLs', () => {
    expect(maskUrl('postgres://u:p%40ss@h:5432/db')).toBe('postgres://u:***@h:5432/db');
    expect(maskUrl('https://rpc.example/v3/0123456789abcdef0123456789abcdef')).toBe(
      'https://rpc.example/v3/***',
    );
    expect(maskUrl('https://api.example/data?apiKey=k123456&limit=5')).toBe(
      'https://api.example/data?apiKey=***&limit=5',
    );
    expect(maskUrl('https://clob.polymarket.com/ws')).toBe('https://clob.polymarket.com/ws');
    expect(maskUrl('not a url')).toBe('not a url');
  });

  it('scrubs each secret as written, URL-encoded and JSON-escaped; ignores very short ones', () => {
    const scrub = createScrubber(['p@ss"word/1', 'abc']);
    expect(scrub('a p@ss"word/1 b')).toBe('a [redacted] b');
    expect(scrub(JSON.stringify({ x: 'p@ss"word/1' }))).toBe('{"x":"[redacted]"}');
    expect(scrub(`?q=${encodeURIComponent('p@ss"word/1')}`)).toBe('?q=[redacted]');
    expect(scrub('abc abc')).toBe('abc abc');
  });

  it('finds the secret values in a loaded configuration', async () => {
    const t = await startTestServer('sqlite');
    try {
      const values = secretValuesOf(t.loaded);
      for (const s of [
        PLANTED.token,
        PLANTED.passphrase,
        PLANTED.telegram,
        PLANTED.dbPassword,
        PLANTED.rpcKey,
      ]) {
        expect(values).toContain(s);
      }
    } finally {
      await t.dispose();
    }
  });
});
