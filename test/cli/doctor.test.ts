/**
 * `polyhunter doctor` through the real process against the simulator (its chain included, and a
 * local stand-in for the geoblock endpoint): every check passes for a funded account whose key is
 * in a temp keystore; an unfunded account and a missing key fail with their fixes; without a
 * passphrase the key checks are skipped; --json has a stable shape. No run may print a private
 * key, the passphrase or an API secret.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKeystore } from '../../src/keys/index.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { migrateToLatest, openStore } from '../../src/store/index.ts';
import { closedPort } from '../execution/live/support.ts';
import { testWallet } from '../polymarket/clob/official-client.ts';
import { type CliResult, runCli } from '../support/cli.ts';

const PASS = 'doctor test passphrase 5c1e';
const PASS_ENV = { POLYHUNTER_KEYSTORE__PASSPHRASE: PASS };
const rich = testWallet('doctor: rich');
const poor = testWallet('doctor: poor');

let sim: Simulator;
let geoblock: Server;
let geoblockUrl = '';
let dir = '';

/** Everything that must never appear in output: keys (in every usual form), the passphrase, API secrets. */
function forbidden(): string[] {
  const out = [PASS];
  for (const w of [rich, poor]) {
    const hex = w.privateKey.slice(2);
    out.push(hex, hex.toUpperCase(), Buffer.from(hex, 'hex').toString('base64'));
    for (const r of sim.venue.apiKeys.keysOf(w.address as Address)) out.push(r.key, r.secret, r.passphrase);
  }
  return out;
}

async function doctor(args: string[], env: Record<string, string> = PASS_ENV): Promise<CliResult> {
  const result = await runCli(['doctor', ...args], { cwd: dir, env });
  for (const secret of forbidden()) {
    expect(result.stdout, `stdout of doctor ${args.join(' ')}`).not.toContain(secret);
    expect(result.stderr, `stderr of doctor ${args.join(' ')}`).not.toContain(secret);
  }
  return result;
}

/** The line of one check: `PASS  main/balance  ...`. */
function line(stdout: string, label: string): string {
  const found = stdout.split('\n').find((l) => l.slice(6).startsWith(`${label} `));
  if (found === undefined) throw new Error(`no line for ${label} in:\n${stdout}`);
  return found;
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 3, traders: false, blockTimeMs: 0 });
  geoblock = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ blocked: false, ip: '127.0.0.1', country: 'CH', region: 'ZH' }));
  });
  await new Promise<void>((r) => geoblock.listen(0, '127.0.0.1', r));
  geoblockUrl = `http://127.0.0.1:${(geoblock.address() as AddressInfo).port}/api/geoblock`;

  dir = mkdtempSync(join(tmpdir(), 'ph-doctor-'));
  const u = sim.urls;
  writeFileSync(
    join(dir, 'polyhunter.toml'),
    `[venue]
gamma_url = "${u.gamma}"
clob_url = "${u.clob}"
data_api_url = "${u.dataApi}"
clob_ws_url = "${u.clobWs}"
rtds_url = "${u.rtds}"
polygon_ws_url = "${u.chainWs}"

[[accounts]]
name = "rich"
signature_type = 0
address = "${rich.address}"

[[accounts]]
name = "poor"

[[accounts]]
name = "ghost"
signature_type = 1
funder = "0x00000000000000000000000000000000000c0ffe"
`,
  );
  const store = await openStore(`sqlite:${join(dir, 'data', 'polyhunter.db')}`);
  await migrateToLatest(store);
  await store.close();
  const keystore = openKeystore(join(dir, 'keystore.json'), { scryptN: 2 ** 10 });
  await keystore.add('rich', rich.privateKey, PASS);
  await keystore.add('poor', poor.privateKey, PASS);
  // Funded the way a user of the simulator does it: through its control API.
  const funded = await fetch(`${u.control}/_sim/fund`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ address: rich.address, usdc: '250' }),
  });
  expect(funded.status).toBe(200);
});

afterAll(async () => {
  await sim?.stop();
  if (geoblock) await new Promise((r) => geoblock.close(r));
});

describe('polyhunter doctor', () => {
  it('a funded account with its key: every check passes, exit 0', async () => {
    const { code, stdout, stderr } = await doctor(['--account', 'rich', '--geoblock-url', geoblockUrl]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(
      lines.filter((l) => /^(PASS|FAIL|SKIP) /.test(l)).map((l) => l.slice(0, 6) + l.slice(6).split(' ')[0]),
    ).toEqual([
      'PASS  config',
      'PASS  database',
      'PASS  gamma',
      'PASS  clob',
      'PASS  clock',
      'PASS  data_api',
      'PASS  rtds',
      'PASS  clob_ws',
      'PASS  chain',
      'PASS  region',
      'PASS  rich/key',
      'PASS  rich/wallet',
      'PASS  rich/api_key',
      'PASS  rich/balance',
      'PASS  rich/allowances',
      'PASS  rich/closed_only',
    ]);
    expect(line(stdout, 'rich/balance')).toContain(`250 pUSD in EOA ${rich.address}`);
    expect(line(stdout, 'rich/allowances')).toContain('exchange unlimited');
    expect(line(stdout, 'chain')).toContain('chain 137');
    expect(lines.at(-1)).toBe('16 passed, 0 failed, 0 skipped');
    // The API key the venue gave is kept, encrypted, for the live broker to reuse.
    const stored = openKeystore(join(dir, 'keystore.json'), { scryptN: 2 ** 10 });
    expect(stored.get('rich')?.hasApiCreds).toBe(true);
    expect(stored.get('poor')?.hasApiCreds).toBe(false);
  });

  it('an unfunded account and a missing key fail with their fixes, exit 1', async () => {
    const { code, stdout, stderr } = await doctor([]);
    expect(code).toBe(1);
    expect(stderr).toContain('error: 2 checks failed');
    expect(line(stdout, 'region')).toMatch(/^SKIP {2}region +not checked: no geoblock URL/);
    expect(line(stdout, 'poor/balance')).toBe(
      `FAIL  poor/balance          EOA ${poor.address} holds 0 pUSD; an order needs at least 1 pUSD. Fix: Deposit pUSD into ${poor.address}, the wallet orders trade from.`,
    );
    expect(line(stdout, 'poor/api_key')).toMatch(/^PASS/);
    expect(line(stdout, 'ghost/key')).toBe(
      `FAIL  ghost/key             no key named ghost in ${join(dir, 'keystore.json')}. Fix: Add it with \`polyhunter keys add ghost\` (or pass --keystore if it is kept elsewhere).`,
    );
    // Checked without the key: the wallet set-up is config alone.
    expect(line(stdout, 'ghost/wallet')).toMatch(/^PASS .*signature type 1 \(Polymarket proxy wallet\)/);
    expect(line(stdout, 'ghost/balance')).toMatch(/^SKIP .*needs the account key/);
    expect(stdout.trim().split('\n').at(-1)).toBe('21 passed, 2 failed, 5 skipped');
  });

  it('without a passphrase (and no terminal) the key checks are skipped, saying how to give one', async () => {
    const { code, stdout } = await doctor(['--account', 'rich'], {});
    expect(code).toBe(0);
    expect(line(stdout, 'rich/key')).toMatch(
      /^SKIP {2}rich\/key +key rich \(0x[0-9a-fA-F]{40}\) is in .*keystore\.json but was not unlocked: no passphrase \(set POLYHUNTER_KEYSTORE__PASSPHRASE/,
    );
    for (const check of ['api_key', 'balance', 'allowances', 'closed_only']) {
      expect(line(stdout, `rich/${check}`)).toMatch(/^SKIP .*needs the unlocked key/);
    }
  });

  it('a wrong passphrase fails the key with the fix', async () => {
    const { code, stdout } = await doctor(['--account', 'rich'], {
      POLYHUNTER_KEYSTORE__PASSPHRASE: 'not the passphrase',
    });
    expect(code).toBe(1);
    expect(line(stdout, 'rich/key')).toMatch(
      /^FAIL .*could not be unlocked: wrong passphrase for key rich\. Fix: Give the passphrase/,
    );
  });

  it('--json: ok, summary and one object per check; fails carry code and fix', async () => {
    const { code, stdout } = await doctor(['--json', '--account', 'poor']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      summary: Record<string, number>;
      checks: Record<string, unknown>[];
    };
    expect(report.ok).toBe(false);
    expect(report.summary).toEqual({ pass: 14, fail: 1, skip: 1 });
    expect(report.checks.find((c) => c.name === 'config')).toEqual({
      name: 'config',
      status: 'pass',
      detail: expect.stringContaining('valid; trading.mode paper, 3 accounts'),
    });
    expect(report.checks.find((c) => c.name === 'balance')).toEqual({
      name: 'balance',
      account: 'poor',
      status: 'fail',
      detail: `EOA ${poor.address} holds 0 pUSD; an order needs at least 1 pUSD`,
      code: 'INSUFFICIENT_BALANCE',
      fix: `Deposit pUSD into ${poor.address}, the wallet orders trade from.`,
    });
    for (const c of report.checks)
      expect(Object.keys(c).sort()).toEqual(
        c.status === 'fail'
          ? ['code', 'detail', 'fix', 'name', 'status', ...(c.account ? ['account'] : [])].sort()
          : ['detail', 'name', 'status', ...(c.account ? ['account'] : [])].sort(),
      );
  });

  it('an unknown --account, a missing database and unreachable URLs each fail with their fix', async () => {
    const other = mkdtempSync(join(tmpdir(), 'ph-doctor-down-'));
    const down = `127.0.0.1:${await closedPort()}`;
    writeFileSync(
      join(other, 'polyhunter.toml'),
      `[venue]\ngamma_url = "http://${down}"\nclob_url = "http://${down}"\ndata_api_url = "http://${down}"\nclob_ws_url = "ws://${down}/ws"\nrtds_url = "ws://${down}"\n`,
    );
    const { code, stdout } = await runCli(['doctor', '--account', 'nope', '--timeout', '2000'], {
      cwd: other,
    });
    expect(code).toBe(1);
    expect(line(stdout, 'database')).toMatch(
      /^FAIL .*no database at sqlite:.* yet\. Fix: Create it with `polyhunter db migrate`/,
    );
    expect(line(stdout, 'gamma')).toMatch(
      /^FAIL .*ECONNREFUSED\. Fix: Check the network and venue\.gamma_url/,
    );
    expect(line(stdout, 'rtds')).toMatch(/^FAIL .*Fix: Check the network and venue\.rtds_url/);
    expect(line(stdout, 'chain')).toMatch(/^SKIP .*polygon_ws_url is empty/);
    expect(line(stdout, 'nope/account')).toMatch(
      /^FAIL .*no \[\[accounts\]\] entry named nope.*Fix: Add an \[\[accounts\]\] entry with name = "nope"/,
    );
  });

  it('an invalid config fails the first check and stops there', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'ph-doctor-bad-'));
    writeFileSync(join(bad, 'polyhunter.toml'), '[venue]\nclob_urll = "http://x"\n');
    const { code, stdout } = await runCli(['doctor'], { cwd: bad });
    expect(code).toBe(1);
    expect(stdout.split('\n')[0]).toMatch(
      /^FAIL {2}config +Invalid configuration \(1 problem\(s\)\): - .*unknown key "venue\.clob_urll".*\. Fix: Correct the keys named above/,
    );
    expect(stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed, 0 skipped');
  });
});
