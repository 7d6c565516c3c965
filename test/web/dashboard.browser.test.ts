/**
 * The dashboard in a real browser on the real demo: `polyhunter demo` runs as a child process (the
 * simulator, its scripted leaders and PolyHunter, with a dashboard token in its environment) and
 * Debian's Chromium, driven by playwright-core, uses the page as a person would. The steps follow
 * the demo's script (leader buys at 4, 8, 12, 16 and 20 s), so they run in order in one file.
 * A screenshot of every page goes to test-artifacts/screenshots/.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`); skipped without it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { EventBus } from '../../src/core/events.ts';
import { createLogger } from '../../src/core/logger.ts';
import { type HttpServer, type ServerEvents, startHttpServer } from '../../src/server/http/index.ts';
import { loadRuntimeSettings } from '../../src/store/index.ts';
import { ROOT, type RunningCli, startCli } from '../support/cli.ts';
import { openTestStore, type TestStore } from '../support/engines.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SCREENSHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const TOKEN = 'browser-test-dashboard-token-4f1c9a';
const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const WHALE_FOLLOW = 1;

if (!hasChromium) {
  console.warn(
    `dashboard browser tests skipped: ${CHROMIUM} is missing (install it with \`apt-get install -y chromium\`)`,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON is read field by field; expect checks it
async function getJson(url: string): Promise<any> {
  const r = await fetch(url);
  expect(r.ok, `${url}: ${r.status}`).toBe(true);
  return r.json();
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!hasChromium)(
  `dashboard in Chromium on \`polyhunter demo\`${hasChromium ? '' : ` (skipped: ${CHROMIUM} is missing; apt-get install -y chromium)`}`,
  () => {
    let dir: string;
    let demo: RunningCli;
    let base: string;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    const open = async (hash: string) => {
      await page.goto(`${base}/#/${hash}`);
      await page.locator(`main[data-page="${hash.split('?')[0]}"]`).waitFor();
    };
    const screenshot = (name: string) =>
      page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      dir = mkdtempSync(join(tmpdir(), 'polyhunter-web-'));
      demo = startCli(['demo', '--dir', dir], {
        cwd: dir,
        env: { POLYHUNTER_DASHBOARD__TOKEN: TOKEN },
      });
      const printed = /API and live event stream: (http:\/\/127\.0\.0\.1:\d+)\/api\/status/;
      await demo.waitFor(printed, 25_000);
      base = printed.exec(demo.output())![1]!;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.on('pageerror', (err) => pageErrors.push(err.message));
      // A blocked style or script (the page's Content-Security-Policy) is logged as a console error;
      // the refusals the tests provoke are logged as failed loads, which are expected.
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
          pageErrors.push(m.text());
      });
    }, 40_000);

    afterAll(async () => {
      await browser?.close();
      if (demo !== undefined && demo.child.exitCode === null) {
        demo.child.kill('SIGINT');
        const stopped = await Promise.race([
          demo.exited.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
        ]);
        if (!stopped) demo.child.kill('SIGKILL');
      }
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }, 20_000);

    it('shows PAPER on every page, and a copied trade appears in the live feed as it happens', async () => {
      await open('feed');
      await expect.poll(() => page.locator('body').getAttribute('data-mode')).toBe('paper');
      expect(await page.locator('#mode-banner').innerText()).toMatch(/^PAPER/);
      await page.locator('#stream-state.open').waitFor({ timeout: 5000 });

      // Streamed while the page was open (not loaded from history): a follow copied it and it filled.
      const copied = page.locator('li[data-live="true"][data-decision="copy"][data-fill]').first();
      await copied.waitFor({ timeout: 15_000 });
      expect(await copied.innerText()).toMatch(/copied (BUY|SELL) [\d.,]+ [≤≥] [\d.]+ → (FILLED|PARTIAL)/);
      const item = page.locator('article.feed-item', { has: copied });
      // The source that saw it first carries its lag behind the leader's fill.
      expect(await item.locator('.lags .badge.first').innerText()).toMatch(
        /^(api|rtds|chain) [+-][\d.]+ m?s$/,
      );
      const tradeId = Number(await item.getAttribute('data-trade'));
      const { trades } = await getJson(`${base}/api/trades?limit=50`);
      expect(trades.map((t: { id: number }) => t.id)).toContain(tradeId);
      await screenshot('feed');
    }, 25_000);

    it('refuses a write without the token and shows the server’s refusal', async () => {
      await open('leaders');
      await expect.poll(() => page.locator('#token-state').innerText()).toMatch(/no token/);
      await page.locator(`[data-follow="${WHALE_FOLLOW}"] button[data-action="pause"]`).click();
      const error = page.locator('#action-result .error');
      await error.waitFor();
      expect(await error.getAttribute('data-status')).toBe('401');
      expect(await error.innerText()).toContain(
        'this is a write: send the dashboard token as `Authorization: Bearer <token>`',
      );
      expect((await getJson(`${base}/api/follows/${WHALE_FOLLOW}`)).paused).toBe(false);
      await screenshot('leaders-refused');
    });

    it('takes the token once; pause and resume then work', async () => {
      await page.locator('#token-form input[name="token"]').fill(TOKEN);
      await page.locator('#token-form button[type="submit"]').click();
      await expect.poll(() => page.locator('#token-state').innerText()).toBe('token set');

      await page.locator(`[data-follow="${WHALE_FOLLOW}"] button[data-action="pause"]`).click();
      await page.locator('#action-result .success').getByText(`Follow #${WHALE_FOLLOW} paused.`).waitFor();
      expect((await getJson(`${base}/api/follows/${WHALE_FOLLOW}`)).paused).toBe(true);

      await page.locator(`[data-follow="${WHALE_FOLLOW}"] button[data-action="resume"]`).click();
      await page.locator('#action-result .success').getByText(`Follow #${WHALE_FOLLOW} resumed.`).waitFor();
      expect((await getJson(`${base}/api/follows/${WHALE_FOLLOW}`)).paused).toBe(false);
      await screenshot('leaders');
    });

    it('adds a follow of a new leader (dollars typed, micro-units sent) and removes it after a second click', async () => {
      const leader = `0x${'00c0ffee'.repeat(5)}`;
      const form = page.locator('#add-follow');
      await form.locator('input[name="leader"]').fill(leader);
      await form.locator('input[name="label"]').fill('newcomer');
      await form.locator('input[name="amount"]').fill('7.5');
      await form.locator('button[type="submit"]').click();
      const added = page.locator('#action-result .success');
      await added.getByText(/^Added follow #\d+: \$7\.50 fixed\./).waitFor();
      const id = Number(/#(\d+)/.exec(await added.innerText())![1]);
      expect(await getJson(`${base}/api/follows/${id}`)).toMatchObject({
        leaderAddress: leader,
        leaderLabel: 'newcomer',
        sizing: { mode: 'fixed_usd', amountUsdc: 7_500_000 },
      });

      const remove = page.locator(`[data-follow="${id}"] button[data-action="remove"]`);
      await remove.click();
      expect(await remove.innerText()).toBe('Confirm remove');
      expect((await fetch(`${base}/api/follows/${id}`)).status).toBe(200);
      await remove.click();
      await page.locator('#action-result .success').getByText(`Follow #${id} removed.`).waitFor();
      expect((await fetch(`${base}/api/follows/${id}`)).status).toBe(404);
    });

    it("shows a leader's positions and recent trades with each source's lag", async () => {
      await page.locator('#leaders-table a', { hasText: 'details' }).first().click();
      const detail = page.locator('#leader-detail');
      await detail.waitFor();
      expect(await detail.locator('h2').first().innerText()).toMatch(/: positions \(\d+\)$/);
      const trade = detail.locator('table').nth(1).locator('tbody tr').first();
      await trade.locator('td', { hasText: /^(BUY|SELL)$/ }).waitFor();
      expect(await trade.innerText()).toMatch(/[+-][\d.]+ m?s/);
      await screenshot('leader-detail');
    });

    it('validates a setting on the server, saves it, and the running process uses it', async () => {
      await open('settings');
      const row = page.locator('tr[data-key="risk.max_per_trade_usd"]');
      const editor = row.locator('input.value-editor');

      await editor.fill('-5');
      await row.locator('button[data-action="save"]').click();
      const refused = row.locator('.error');
      await refused.waitFor();
      expect(await refused.getAttribute('data-status')).toBe('400');
      expect(await refused.innerText()).toContain('risk.max_per_trade_usd: expected a number >= 0, found -5');

      // A $1 cap: every copy buy of the demo ($25 fixed, or 25% of the shark's $40-60) is above it.
      await editor.fill('1');
      await row.locator('button[data-action="save"]').click();
      await row.locator('.success').getByText('Saved: null → 1; it applies to the next trade.').waitFor();
      expect(await row.locator('td.source').innerText()).toMatch(/^database \(set by dashboard, /);
      const setting = await getJson(`${base}/api/settings/risk.max_per_trade_usd`);
      expect(setting).toMatchObject({ value: 1, runtime: true });
      expect(setting.source).toMatch(/^database \(set by dashboard, /);
      await screenshot('settings');

      // It takes effect: the next copy buy is refused by the per-trade cap.
      const event = await eventually(
        'a TRADE_CAP refusal',
        async () => (await getJson(`${base}/api/guardrails?reason=TRADE_CAP`)).events[0],
        20_000,
      );
      expect(event.context).toMatchObject({ maxPerTradeUsdc: 1_000_000 });
      expect(event.context.notionalUsdc).toBeGreaterThan(1_000_000);
    }, 30_000);

    it('lists refusals with reason and numbers, filterable by reason', async () => {
      await open('guardrails?reason=TRADE_CAP');
      const rows = page.locator('#guardrail-events tbody tr');
      await rows.first().locator('code', { hasText: 'TRADE_CAP' }).waitFor();
      expect(await rows.first().innerText()).toMatch(/per-trade cap[\s\S]*maxPerTradeUsdc \$1\.00/);
      expect(await page.locator('#reason-filter a[aria-current="true"]').innerText()).toMatch(
        /^TRADE_CAP \d+$/,
      );
      await screenshot('guardrails');
    });

    it('shows the overview and the latency histograms', async () => {
      await open('overview');
      await page.locator('#mode-card[data-mode="paper"]').waitFor();
      expect(await page.locator('#mode-card').innerText()).toContain('PAPER TRADING');
      for (const component of ['detection.api', 'detection.rtds', 'detection.chain', 'trading.orders']) {
        await page.locator(`.health [data-component="${component}"]`).waitFor();
      }
      expect(Number(await page.locator('#today [data-count="copy"] .value').innerText())).toBeGreaterThan(0);
      await page.locator('#positions tbody tr td.num').first().waitFor();
      await page.locator('.account-pnl svg.chart').waitFor();
      await screenshot('overview');

      await open('latency');
      const rtds = page.locator('[data-source="rtds"] .histogram');
      await rtds.waitFor();
      expect(Number(await rtds.getAttribute('data-samples'))).toBeGreaterThan(0);
      expect(
        Number(await page.locator('[data-stage="execution"] .histogram').getAttribute('data-samples')),
      ).toBeGreaterThan(0);
      await screenshot('latency');
    });

    it('asks for the token before a reset, refuses a wrong one, and resets with the right one', async () => {
      await open('reset');
      await page
        .locator('#reset-preview')
        .getByText(/deletes \d+ fills/)
        .waitFor();
      const before = await getJson(`${base}/api/paper/reset`);
      expect(before.removed.orders).toBeGreaterThan(0);

      // The stored token is not enough: the form asks for it.
      await page.locator('input[name="reset-confirm"]').fill('RESET');
      await page.locator('#reset-form button[type="submit"]').click();
      const asked = page.locator('#reset-result .error[data-code="TOKEN_REQUIRED"]');
      await asked.waitFor();
      expect(await asked.innerText()).toContain('The dashboard token is required to reset paper state.');
      await screenshot('reset');
      expect((await getJson(`${base}/api/paper/reset`)).removed.orders).toBeGreaterThanOrEqual(
        before.removed.orders,
      );

      await page.locator('input[name="reset-token"]').fill('not-the-token-at-all');
      await page.locator('#reset-form button[type="submit"]').click();
      const wrong = page.locator('#reset-result .error[data-status="401"]');
      await wrong.waitFor();
      expect(await wrong.innerText()).toContain('the bearer token is wrong');

      await page.locator('input[name="reset-token"]').fill(TOKEN);
      await page.locator('#reset-form button[type="submit"]').click();
      await page
        .locator('#reset-result .success')
        .getByText(/^Reset "paper": removed \d+ fills/)
        .waitFor();
      await screenshot('reset-done');
    });

    it('formats micro-units as dollars, prices and shares without a float round-trip', async () => {
      const shown = await page.evaluate(`import('/js/format.js').then((f) => [
        f.usd(12_345_678), f.usd(-5_000_000), f.usd(-4_999), f.usd(1_234_567_890_123), f.usd(9_999_995),
        f.usd(2_500_000, { signed: true }), f.usdExact(24_999_030), f.price(266_000), f.price(500_000),
        f.price(275_300), f.shares(92_590_000), f.bps(250),
        f.parseDollars('7.5'), f.parseDollars('1,000.000001'), f.parseDollars('1.0000001'),
        f.parsePercentBps('2.5'), f.parseDollars('abc'),
      ])`);
      expect(shown).toEqual([
        '$12.35',
        '-$5.00',
        '$0.00',
        '$1,234,567.89',
        '$10.00',
        '+$2.50',
        '$24.99903',
        '0.266',
        '0.50',
        '0.2753',
        '92.59',
        '2.5%',
        7_500_000,
        1_000_000_001,
        null,
        250,
        null,
      ]);
    });

    it('ran without a script error or a blocked resource in the page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
);

describe.skipIf(!hasChromium)('dashboard of a process that trades LIVE', () => {
  let dir: string;
  let db: TestStore;
  let server: HttpServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'polyhunter-web-live-'));
    const configPath = join(dir, 'polyhunter.toml');
    writeFileSync(configPath, '[venue]\nclob_url = "http://127.0.0.1:9"\n');
    db = await openTestStore('sqlite');
    const loaded = await loadRuntimeSettings(
      db.store,
      loadConfig({ configPath, env: {}, cwd: dir }),
      Date.now(),
    );
    // The real server in live mode; nothing trades (no venue), only the page's mode is looked at.
    server = await startHttpServer({
      store: db.store,
      bus: new EventBus<ServerEvents>(),
      loaded,
      token: TOKEN,
      port: 0,
      logger: createLogger({ level: 'silent', format: 'json' }),
      health: () => [{ component: 'trading.mode', healthy: true, detail: { mode: 'live' } }],
      mode: 'live',
      marks: async (tokens) => new Map(tokens.map((t) => [t, null])),
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  }, 20_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('says LIVE in red on every page, never PAPER', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 700 } });
    for (const hash of ['overview', 'settings']) {
      await page.goto(`${server.url}/#/${hash}`);
      await expect.poll(() => page.locator('body').getAttribute('data-mode')).toBe('live');
      const banner = page.locator('#mode-banner');
      expect(await banner.innerText()).toMatch(/^LIVE\s+REAL MONEY/);
      // Red stripes, not the paper blue.
      const stripes = await page.evaluate(
        "getComputedStyle(document.getElementById('mode-banner')).backgroundImage",
      );
      expect(stripes).toContain('rgb(192, 22, 26)');
      expect(await page.locator('body').innerText()).not.toContain('PAPER');
    }
    await page.goto(`${server.url}/#/overview`);
    await page.locator('#mode-card[data-mode="live"]').waitFor();
    expect(await page.locator('#mode-card').innerText()).toContain('LIVE TRADING');
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-live.png'), fullPage: true });
    await page.close();
  });
});
