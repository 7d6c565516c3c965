import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CatalogSyncCliOptions,
  type CatalogSyncIo,
  registerCatalogCommands,
  runCatalogSync,
} from '../../src/cli/commands/catalog.ts';
import { buildProgram } from '../../src/cli/program.ts';
import { CatalogSyncError } from '../../src/market-data/catalog-sync.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { runCli, startCli } from '../support/cli.ts';
import { capture, runRegistered, withConfigDb } from '../support/cli-in-process.ts';
import { deadPort } from '../support/ports.ts';

const FAST_RETRY = { attempts: 2, backoff: { initialMs: 5, maxMs: 10 } };

/** Whether src/cli/program.ts declares `catalog` yet: the process tests need it. */
const registered = buildProgram(capture()).commands.some((c) => c.name() === 'catalog');

/** A config directory whose polyhunter.toml points Gamma at `gammaUrl` (database: data/polyhunter.db). */
function catalogDir(gammaUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ph-catalog-'));
  writeFileSync(
    join(dir, 'polyhunter.toml'),
    `[log]\nformat = "json"\n\n[venue]\ngamma_url = "${gammaUrl}"\n`,
  );
  return dir;
}

/** Progress written as a stream receives it. */
function progressStream() {
  let text = '';
  return {
    stream: {
      write: (s: string) => {
        text += s;
        return true;
      },
    },
    text: () => text,
  };
}

async function marketCount(dir: string): Promise<number> {
  return withConfigDb(dir, async (store) => {
    const r = await store.db
      .selectFrom('markets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  });
}

/** The command's run function in this process, with progress captured. */
async function sync(dir: string, options: CatalogSyncCliOptions, io: CatalogSyncIo = {}) {
  const output = capture();
  const progress = progressStream();
  const run = runCatalogSync({ config: join(dir, 'polyhunter.toml') }, options, output, {
    progress: progress.stream,
    isTTY: false,
    retry: FAST_RETRY,
    ...io,
  });
  return { run, output, progress };
}

const SUMMARY = /^synced (\d+) markets \((\d+) new, (\d+) malformed skipped\) from (\S+) in \d+\.\d s$/;

describe('polyhunter catalog sync', () => {
  let sim: Simulator;
  const servers: FastifyInstance[] = [];
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 21,
      chain: false,
      traders: false,
      markets: { binary: 9, negRiskEvents: [4, 3] },
    });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  const openCount = () => sim.venue.catalog.markets.filter((m) => !m.closed).length;

  it('syncs every open market into the configured database, with plain progress lines and a summary', async () => {
    const dir = catalogDir(sim.urls.gamma);
    const { run, output, progress } = await sync(dir, { pageSize: '5' }, { progressEveryMs: 0 });
    const result = await run;
    expect(result.saved).toBe(openCount());
    expect(await marketCount(dir)).toBe(openCount());

    // One plain line per page (count and rate: the total is not known), then the closing line.
    const lines = progress.text().split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -2)).toEqual(
      [5, 10, 15, 16].map((n) =>
        expect.stringMatching(new RegExp(`^catalog sync: ${n} markets \\([\\d.]+/s, [\\d.]+s elapsed\\)$`)),
      ),
    );
    expect(lines.at(-2)).toMatch(/^catalog sync: done, 16 markets in [\d.]+s \([\d.]+\/s\)$/);
    expect(progress.text()).not.toContain('\r');

    expect(output.lines).toHaveLength(1);
    const m = SUMMARY.exec(output.lines[0]!);
    expect(m, output.lines[0]).not.toBeNull();
    expect(m!.slice(1, 5)).toEqual(['16', '16', '0', sim.urls.gamma]);
    expect(output.errors).toEqual([]);

    // Again: the same markets, none new.
    const second = await sync(dir, { json: true });
    await second.run;
    expect(JSON.parse(second.output.lines.join('\n'))).toMatchObject({
      gammaUrl: sim.urls.gamma,
      includedClosed: false,
      read: 16,
      saved: 16,
      created: 0,
      malformed: 0,
      withoutTokens: 0,
      pages: 1,
      stopped: false,
      elapsedMs: expect.any(Number),
    });
    // Without progressEveryMs the plain writer stays quiet until the closing line.
    expect(second.progress.text()).toMatch(/^catalog sync: done, 16 markets in [\d.]+s/);
    expect(await marketCount(dir)).toBe(16);
  });

  it('redraws one line on a terminal and ends it with the closing line', async () => {
    const dir = catalogDir(sim.urls.gamma);
    const { run, progress } = await sync(dir, { pageSize: '8' }, { isTTY: true });
    await run;
    const text = progress.text();
    expect(text.startsWith('\rcatalog sync  0 markets  -/s')).toBe(true);
    const closing = text.slice(text.lastIndexOf('\r'));
    expect(closing).toMatch(/^\rcatalog sync: done, 16 markets in [\d.]+s \([\d.]+\/s\)/);
    expect(closing.endsWith('\x1b[K\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
  });

  it('reports each malformed market on stderr and counts it in the summary', async () => {
    const good = (await (await fetch(`${sim.urls.gamma}/markets?limit=3`)).json()) as Record<
      string,
      unknown
    >[];
    const bad = { ...good[1]!, id: '777', clobTokenIds: '[not json' };
    const app = Fastify();
    app.get<{ Querystring: { offset?: string; limit?: string } }>('/markets', async (req) => {
      const page = [good[0], bad, good[2]];
      const offset = Number(req.query.offset ?? 0);
      return page.slice(offset, offset + Number(req.query.limit ?? 20));
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    servers.push(app);
    const dir = catalogDir(url);
    const { run, output } = await sync(dir, {});
    await run;
    expect(output.errors).toEqual([
      `warning: skipped malformed Gamma market id=777 conditionId=${String(good[1]!.conditionId)} (offset 1): clobTokenIds: expected a string holding a JSON array of token ids; not JSON: "[not json"`,
    ]);
    expect(SUMMARY.exec(output.lines[0]!)?.slice(1, 4)).toEqual(['2', '2', '1']);
  });

  it('--closed reads closed markets too', async () => {
    const local = await startSimulator({ seed: 22, chain: false, traders: false });
    try {
      const market = local.venue.catalog.markets[0]!;
      local.venue.engine.resolveMarket(market.conditionId, market.tokens[0].tokenId);
      const dir = catalogDir(local.urls.gamma);
      const open = await sync(dir, {});
      expect((await open.run).saved).toBe(local.venue.catalog.markets.length - 1);
      const all = await sync(dir, { closed: true });
      expect((await all.run).saved).toBe(local.venue.catalog.markets.length);
      expect(all.output.lines[0]).toMatch(
        /^synced \d+ open and closed markets \(1 new, 0 malformed skipped\)/,
      );
    } finally {
      await local.stop();
    }
  });

  it('stops on a Gamma outage: retries on stderr, the progress line says where it stopped, the error says why', async () => {
    const url = `http://127.0.0.1:${await deadPort()}`;
    const dir = catalogDir(url);
    const { run, output, progress } = await sync(dir, {});
    const error = (await run.catch((e: unknown) => e)) as CatalogSyncError;
    expect(error).toBeInstanceOf(CatalogSyncError);
    expect(error.message).toMatch(/\(asked 2 times\): cannot reach Gamma at /);
    expect(output.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^catalog sync: ${url}/markets\\?limit=500&offset=0\\S* failed \\(cannot reach Gamma .*\\); asking again in 0\\.0 s \\(retry 1\\)$`,
        ),
      ),
    ]);
    expect(progress.text()).toMatch(
      new RegExp(
        `^catalog sync: stopped at 0 markets after [\\d.]+s: gave up on ${url}/markets\\?limit=500&offset=0`,
      ),
    );
    expect(output.lines).toEqual([]);
  });

  it('stops cleanly when told to (as Ctrl-C does), saying so', async () => {
    const dir = catalogDir(sim.urls.gamma);
    const stop = new AbortController();
    stop.abort();
    const { run, output, progress } = await sync(dir, {}, { signal: stop.signal });
    expect((await run).stopped).toBe(true);
    expect(output.lines[0]).toMatch(/^stopped by Ctrl-C: synced 0 markets \(0 new, 0 malformed skipped\)/);
    expect(progress.text()).toMatch(
      /^catalog sync: stopped at 0 markets after [\d.]+s: stopped by Ctrl-C\n$/,
    );
  });

  it('refuses a page size outside 1..500 and a bad --max, before creating anything', async () => {
    const dir = catalogDir(sim.urls.gamma);
    for (const [args, message] of [
      [['--page-size', '0'], '--page-size must be an integer from 1 to 500, got "0"'],
      [['--page-size', '501'], '--page-size must be an integer from 1 to 500, got "501"'],
      [['--max', '-3'], '--max must be an integer from 1 to'],
      [['--max', '2.5'], '--max must be an integer from 1 to'],
    ] as const) {
      await expect(runRegistered(registerCatalogCommands, dir, ['catalog', 'sync', ...args])).rejects.toThrow(
        message,
      );
    }
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  // The real `polyhunter` process: needs the command registered in src/cli/program.ts.
  describe.runIf(registered)('as a process', () => {
    it('syncs, prints the summary on stdout and progress on stderr; exits 1 naming the URL on an outage', async () => {
      const dir = catalogDir(sim.urls.gamma);
      const r = await runCli(['catalog', 'sync', '--page-size', '5', '--max', '12'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        /^synced 12 markets \(12 new, 0 malformed skipped\) from http:\/\/127\.0\.0\.1:\d+ in \d+\.\d s\n$/,
      );
      expect(r.stderr).toMatch(/catalog sync: done, 12 markets in /);
      expect(await marketCount(dir)).toBe(12);

      const down = catalogDir(`http://127.0.0.1:${await deadPort()}`);
      const failed = await runCli(['catalog', 'sync', '--json'], { cwd: down });
      expect(failed.code).toBe(1);
      expect(failed.stdout).toBe('');
      expect(failed.stderr).toMatch(
        /^error: catalog sync gave up on http:\/\/127\.0\.0\.1:\d+\/markets\?limit=500&offset=0\S* \(asked 4 times\): cannot reach Gamma/m,
      );
    });

    it('stops between pages on Ctrl-C and keeps what it saved', async () => {
      // A slow Gamma: one market per page, a page every 100 ms.
      const markets = (await (await fetch(`${sim.urls.gamma}/markets?limit=16`)).json()) as unknown[];
      let requests = 0;
      const app = Fastify();
      app.get<{ Querystring: { offset?: string; limit?: string } }>('/markets', async (req) => {
        requests++;
        await new Promise((r) => setTimeout(r, 100));
        const offset = Number(req.query.offset ?? 0);
        return markets.slice(offset, offset + Number(req.query.limit ?? 20));
      });
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      servers.push(app);
      const dir = catalogDir(url);
      const cli = startCli(['catalog', 'sync', '--page-size', '1'], { cwd: dir });
      const deadline = Date.now() + 15_000;
      while (requests < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      cli.child.kill('SIGINT');
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toMatch(/^stopped by Ctrl-C: synced (\d+) markets/m);
      const saved = Number(/stopped by Ctrl-C: synced (\d+)/.exec(cli.output())![1]);
      expect(saved).toBeGreaterThanOrEqual(2);
      expect(saved).toBeLessThan(16);
      expect(await marketCount(dir)).toBe(saved);
    });
  });
});
