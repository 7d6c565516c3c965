/**
 * `polyhunter demo` as a user runs it: the real process, the built-in scenario, all three
 * sources. It must show trades, every source's sighting, decisions, fills and the PnL, end
 * cleanly, and leave a database that holds what it printed.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { startCli } from '../support/cli.ts';

it('runs the scripted leaders through detection, copying and paper fills, then exits cleanly', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ph-demo-'));
  const demo = startCli(['demo', '--exit-after', '4', '--dir', 'out'], { cwd });
  const code = await demo.exited;
  const out = demo.output();
  expect(code, out).toBe(0);
  expect(out).toMatch(/scenario "copy-demo": 11 steps/);
  expect(out).toMatch(/whale +BUY .* @ 0\.\d+ \(\$[\d.]+\)\n +seen first by (rtds|chain|api) \+/);
  for (const source of ['rtds', 'chain', 'api'])
    expect(out).toMatch(new RegExp(`seen (first )?by ${source} \\+`));
  expect(out).toMatch(/follow #1 \(whale, \$25 each\): copied BUY [\d.]+ ≤ [\d.]+ -> (FILLED|PARTIAL)/);
  expect(out).toMatch(/follow #2 \(shark, 25% of size\): copied SELL [\d.]+ ≥ [\d.]+ -> (FILLED|PARTIAL)/);
  expect(out).toMatch(/PnL [+-]?\$[\d.]+ \(realized/);
  expect(out).toMatch(/scenario finished \(11\/11 steps\)/);
  expect(out).not.toMatch(/FAILED|failed:/);

  // The dashboard's writes need a token: the demo made one beside its config, and never printed it.
  const secrets = readFileSync(join(cwd, 'out', 'secrets.toml'), 'utf8');
  const token = /token = "([^"]+)"/.exec(secrets)?.[1];
  expect(token).toMatch(/^.{32,}$/);
  expect(statSync(join(cwd, 'out', 'secrets.toml')).mode & 0o777).toBe(0o600);
  expect(out).toMatch(
    /dashboard: http:\/\/127\.0\.0\.1:\d+\/ \(to change things there, paste the token from out\/secrets\.toml\)/,
  );
  expect(out).not.toContain(token!);

  const db = join(cwd, 'out', 'demo.db');
  expect(existsSync(db)).toBe(true);
  const store = await openStore(`sqlite:${db}`);
  try {
    const trades = await store.db.selectFrom('leader_trades').select('id').execute();
    const decisions = await store.db.selectFrom('copy_decisions').select(['decision']).execute();
    expect(trades).toHaveLength(10);
    // One decision per trade (each leader has one follow), none doubled.
    expect(decisions).toHaveLength(10);
    const fills = await store.db.selectFrom('fills').select('id').execute();
    expect(fills.length).toBeGreaterThan(0);
  } finally {
    await store.close();
  }
}, 150_000);
