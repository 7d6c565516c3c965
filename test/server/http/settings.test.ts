import { afterEach, beforeEach, expect, it } from 'vitest';
import { configKeys, parseRuntimeSetting } from '../../../src/config/index.ts';
import { auditRepo, settingsRepo } from '../../../src/store/index.ts';
import { forEachEngine } from '../../support/engines.ts';
import { api, PLANTED, startTestServer, type TestServer } from './support.ts';

const token = PLANTED.token;

/** The message `polyhunter config set` gives for the same input (the one validation path). */
function cliMessage(key: string, value: unknown): string {
  try {
    parseRuntimeSetting(key, value);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${key} = ${JSON.stringify(value)} is valid`);
}

forEachEngine('HTTP API: settings', (engine) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(engine, { trading: 'coalesce_ms = 100' });
  });
  afterEach(async () => {
    await t.dispose();
  });

  const put = (key: string, body: unknown, auth = token) =>
    api(t.url, `/api/settings/${key}`, { method: 'PUT', body, token: auth });

  it('lists every setting with its value and source; secrets only as set or not set', async () => {
    const r = await api(t.url, '/api/settings');
    expect(r.status).toBe(200);
    const byKey = new Map(r.body.settings.map((s: { key: string }) => [s.key, s]));
    for (const key of configKeys()) expect(byKey.has(key), key).toBe(true);
    expect(byKey.get('trading.coalesce_ms')).toEqual({
      key: 'trading.coalesce_ms',
      value: 100,
      source: expect.stringMatching(/^database \(seeded from file, /),
      secret: false,
      runtime: true,
      fromEnv: false,
    });
    expect(byKey.get('server.port')).toMatchObject({ value: 7420, source: 'default', runtime: false });
    expect(byKey.get('dashboard.token')).toMatchObject({ value: '(set)', secret: true, runtime: false });
    expect(byKey.get('telegram.bot_token')).toMatchObject({ value: '(set)', secret: true });
    expect(byKey.get('database.url')).toMatchObject({
      value: 'postgres://polyhunter:***@db.invalid:5432/polyhunter',
    });
    expect(byKey.get('venue.polygon_ws_url')).toMatchObject({ value: 'wss://polygon.invalid/v2/***' });

    const one = await api(t.url, '/api/settings/risk.max_total_usd');
    expect(one.body).toMatchObject({ key: 'risk.max_total_usd', value: null, runtime: true });
    expect((await api(t.url, '/api/settings/risk.nothing')).status).toBe(404);
  });

  it('changes a runtime setting: stored, audited, announced, and served with its new source', async () => {
    const events: unknown[] = [];
    t.bus.on('settings.changed', (e) => {
      events.push(e);
    });
    const r = await put('risk.max_total_usd', { value: 250 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ key: 'risk.max_total_usd', previous: null, value: 250 });
    expect(r.body.setting).toMatchObject({
      value: 250,
      source: expect.stringMatching(/^database \(set by dashboard, /),
    });
    expect(await settingsRepo(t.store.db).get('risk.max_total_usd')).toMatchObject({
      value: 250,
      source: 'dashboard',
    });
    const audit = (await auditRepo(t.store.db).tail(5)).find((a) => a.action === 'settings.set');
    expect(audit).toMatchObject({
      actor: 'dashboard',
      subject: 'risk.max_total_usd',
      details: { from: null, to: 250 },
    });
    expect(events).toEqual([
      { key: 'risk.max_total_usd', value: 250, source: 'dashboard', at: expect.any(Number) },
    ]);

    // Lists take JSON; null switches a limit off again.
    expect((await put('trading.trigger_sources', { value: ['api', 'chain'] })).body.value).toEqual([
      'api',
      'chain',
    ]);
    expect((await put('risk.max_total_usd', { value: null })).body).toMatchObject({
      previous: 250,
      value: null,
    });
    expect((await api(t.url, '/api/status')).body.triggerSources).toEqual(['api', 'chain']);
  });

  it('validates as `polyhunter config set` does, and stores nothing on a refusal', async () => {
    const cases: [string, unknown][] = [
      ['risk.max_total_usd', -5],
      ['trading.order_type', 'LIMIT'],
      ['trading.trigger_sources', []],
      ['server.port', 8080],
      ['risk.max_totl_usd', 5],
    ];
    for (const [key, value] of cases) {
      const r = await put(key, { value });
      expect(r.status, key).toBe(400);
      expect(r.body.error).toEqual({ code: 'CONFIG_INVALID', message: cliMessage(key, value) });
    }
    expect(cliMessage('server.port', 8080)).toMatch(/not a runtime setting/);
    expect(cliMessage('risk.max_totl_usd', 5)).toMatch(/did you mean "risk.max_total_usd"/);
    expect((await settingsRepo(t.store.db).get('risk.max_total_usd'))?.value).toBeNull();
    expect((await auditRepo(t.store.db).tail(20)).filter((a) => a.action === 'settings.set')).toEqual([]);
  });

  it('needs a value in the body and a well-formed key', async () => {
    const missing = await put('risk.max_total_usd', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('invalid body: value is required (null switches a limit off)');
    const extra = await put('risk.max_total_usd', { value: 1, by: 'me' });
    expect(extra.body.error.message).toBe('invalid body: unknown field "by"');
    const badKey = await put('Risk', { value: 1 });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.message).toMatch(/^invalid path: key: must be a dotted setting key/);
  });
});
