import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { detailLines, runStatus } from '../../src/cli/commands/status.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { venueConfig } from '../../src/sim/venue-config.ts';
import { componentHealthRepo, migrateToLatest, openStore } from '../../src/store/index.ts';
import { runCli, startCli } from '../support/cli.ts';
import { deadPort } from '../support/ports.ts';

const LEADER = '0x1eade20000000000000000000000000000000c07';

describe('polyhunter status', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 82, blockTimeMs: 300, dataApiLagMs: 500, traders: false });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const configure = (dir: string, rtdsUrl: string, strict: boolean) =>
    writeFileSync(
      join(dir, 'polyhunter.toml'),
      [
        '[log]',
        'format = "json"',
        venueConfig(sim, { rtds_url: rtdsUrl }),
        '[trading]',
        'trigger_sources = ["api", "rtds", "chain"]',
        `strict_sources = ${strict}`,
        '[[leaders]]',
        `address = "${LEADER}"`,
      ].join('\n'),
    );
  const status = async (dir: string) => {
    const r = await runCli(['status', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as {
      running: boolean;
      components: { component: string; state: string; summary: string }[];
    };
  };
  const stateOf = (s: Awaited<ReturnType<typeof status>>) =>
    Object.fromEntries(s.components.map((c) => [c.component, c.state]));

  it('shows each source, a failed one gating trading when strict, and a clean stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-status-'));
    configure(dir, `ws://127.0.0.1:${await deadPort()}`, true);
    const before = await runCli(['status'], { cwd: dir });
    expect(before.stdout).toMatch(/process\s+never started/);

    const app = startCli(['start'], { cwd: dir });
    try {
      await app.waitFor(/running in PAPER mode/, 20_000);
      await vi.waitFor(
        async () => {
          const s = await status(dir);
          expect(s.running).toBe(true);
          expect(stateOf(s)).toEqual({
            'detection.api': 'ok',
            'detection.chain': 'ok',
            'detection.rtds': 'DOWN',
            'market.books': 'ok',
            'trading.gate': 'DOWN',
            'trading.mode': 'ok',
            'trading.orders': 'ok',
          });
        },
        { timeout: 15_000, interval: 500 },
      );
      const text = await runCli(['status'], { cwd: dir });
      expect(text.stdout).toMatch(/trading\.gate\s+DOWN\s+CLOSED: strict sources: rtds down/);
      expect(text.stdout).toMatch(/process\s+running \(pid \d+/);
      // A paper reset under a running process could race with a fill being booked: refused.
      const reset = await runCli(['reset-paper', '--yes'], { cwd: dir });
      expect(reset.code).toBe(1);
      expect(reset.stderr).toMatch(/PolyHunter is running against this database .*stop it first/);
    } finally {
      app.child.kill('SIGINT');
      expect(await app.exited, app.output()).toBe(0);
    }
    const after = await status(dir);
    expect(after.running).toBe(false);
    expect(new Set(Object.values(stateOf(after)))).toEqual(new Set(['stopped']));
  });

  it('degrades instead when not strict: trading stays open and names the failed source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-status-'));
    configure(dir, `ws://127.0.0.1:${await deadPort()}`, false);
    const app = startCli(['start'], { cwd: dir });
    try {
      await app.waitFor(/running in PAPER mode/, 20_000);
      await vi.waitFor(
        async () => {
          const text = await runCli(['status'], { cwd: dir });
          expect(text.stdout).toMatch(/trading\.gate\s+ok\s+open, degraded: rtds down/);
        },
        { timeout: 15_000, interval: 500 },
      );
    } finally {
      app.child.kill('SIGINT');
      expect(await app.exited, app.output()).toBe(0);
    }
  });
});

// --- --verbose: every component's whole detail ------------------------------------------------------

describe('detailLines', () => {
  const NOW = 1_760_000_000_000;
  it('prints nested detail as indented key: value lines, with times as dates', () => {
    expect(
      detailLines(
        {
          state: 'open',
          lastMessageAtMs: NOW - 1500,
          resyncs: 3,
          hashChecks: { matched: 2, mismatched: 0 },
          degraded: ['rtds', 'chain'],
          breakers: {},
          leaders: [
            { address: '0xabc', lastPollAt: null },
            { address: '0xdef', lastPollAt: NOW - 120_000 },
          ],
          note: '',
          empty: [],
        },
        NOW,
        '  ',
      ),
    ).toEqual([
      '  state: open',
      `  lastMessageAtMs: ${NOW - 1500} (2025-10-09T08:53:18.500Z, 1.5s ago)`,
      '  resyncs: 3',
      '  hashChecks:',
      '    matched: 2',
      '    mismatched: 0',
      '  degraded: rtds, chain',
      '  breakers: {}',
      '  leaders:',
      '    - address: 0xabc',
      '      lastPollAt: null',
      '    - address: 0xdef',
      `      lastPollAt: ${NOW - 120_000} (2025-10-09T08:51:20.000Z, 2m ago)`,
      '  note: ""',
      '  empty: []',
    ]);
  });

  it('leaves numbers that are not times alone, and prints a bare value as itself', () => {
    expect(detailLines({ tokens: 1_760_000_000_000, syncedAt: 12 }, NOW)).toEqual([
      'tokens: 1760000000000',
      'syncedAt: 12',
    ]);
    expect(detailLines(null, NOW)).toEqual(['null']);
    expect(detailLines({}, NOW)).toEqual(['{}']);
  });
});

describe('polyhunter status --verbose', () => {
  it('prints each component with its whole reported detail; --json is unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-status-'));
    writeFileSync(join(dir, 'polyhunter.toml'), '[log]\nformat = "json"\n');
    const store = await openStore(`sqlite:${join(dir, 'data', 'polyhunter.db')}`);
    const now = Date.now();
    try {
      await migrateToLatest(store);
      await componentHealthRepo(store.db).report(
        [
          {
            component: 'market.books',
            healthy: true,
            detail: {
              state: 'open',
              tokens: 4,
              syncedTokens: 3,
              resyncs: 7,
              badMessages: 1,
              hashChecks: { matched: 5 },
            },
            pid: 4242,
            host: 'box',
          },
          {
            component: 'trading.gate',
            healthy: false,
            detail: { open: false, reason: 'strict sources: rtds down' },
            pid: 4242,
            host: 'box',
          },
        ],
        now,
      );
    } finally {
      await store.close();
    }
    const config = join(dir, 'polyhunter.toml');
    const lines: string[] = [];
    const output = { out: (s: string) => lines.push(...s.split('\n')), err: () => {} };
    await runStatus({ config }, { verbose: true }, output);
    const books = lines.findIndex((l) => l.startsWith('market.books'));
    expect(lines[books]).toMatch(
      /^market\.books\s+ok\s+open, 3\/4 books in sync, 7 resyncs, 1 bad messages$/,
    );
    expect(lines.slice(books + 1, books + 10)).toEqual([
      expect.stringMatching(/^ {4}reported \d+\.\ds ago by pid 4242 on box$/),
      '    state: open',
      '    tokens: 4',
      '    syncedTokens: 3',
      '    resyncs: 7',
      '    badMessages: 1',
      '    hashChecks:',
      '      matched: 5',
      expect.stringMatching(/^trading\.gate\s+DOWN\s+CLOSED: strict sources: rtds down$/),
    ]);
    expect(lines).toContain('    reason: strict sources: rtds down');

    // Without --verbose: one line per component, as before.
    const plain: string[] = [];
    await runStatus({ config }, {}, { out: (s) => plain.push(...s.split('\n')), err: () => {} });
    expect(plain.some((l) => l.includes('hashChecks'))).toBe(false);

    // --json carries the same rows whether or not --verbose is given.
    const json = async (verbose: boolean) => {
      const out: string[] = [];
      await runStatus({ config }, { json: true, verbose }, { out: (s) => out.push(s), err: () => {} });
      const parsed = JSON.parse(out.join('\n')) as { components: { component: string; detail: unknown }[] };
      return parsed.components.map(({ component, detail }) => ({ component, detail }));
    };
    expect(await json(true)).toEqual(await json(false));
    expect((await json(false))[0]).toEqual({
      component: 'market.books',
      detail: {
        state: 'open',
        tokens: 4,
        syncedTokens: 3,
        resyncs: 7,
        badMessages: 1,
        hashChecks: { matched: 5 },
      },
    });

    // The real command (needs `--verbose` declared in src/cli/program.ts).
    const r = await runCli(['status', '--verbose'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^market\.books .*\n {4}reported .* by pid 4242 on box\n {4}state: open\n/m);
  });
});
