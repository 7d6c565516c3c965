/**
 * The account-level checks: wallet set-up (no network), the API key and closed-only status on the
 * simulator through the official client, the region behind a local geoblock stand-in, and the
 * reachability probes of every venue endpoint.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPOSIT_WALLET_REFUSAL } from '../../../src/execution/live/live-broker.ts';
import {
  type AccountWallet,
  ClobAccount,
  checkApiKey,
  checkClosedOnly,
  checkRegion,
  checkWallet,
  probeChain,
  probeClob,
  probeClockSkew,
  probeHttp,
  probeWebSocket,
} from '../../../src/execution/preflight/index.ts';
import { type Simulator, startSimulator } from '../../../src/sim/simulator.ts';
import { testContractAddress, testWallet } from '../../polymarket/clob/official-client.ts';
import { closedPort } from '../live/support.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, chain: true, traders: false, blockTimeMs: 0 });
});
afterAll(async () => {
  await sim?.stop();
});

const eoa = testWallet('account checks: eoa').address;
const proxy = testContractAddress('account checks: proxy');

describe('checkWallet', () => {
  const account = (over: Partial<AccountWallet>): AccountWallet => ({
    name: 'main',
    signature_type: 0,
    ...over,
  });

  it.each([
    ['type 0 without a funder', {}, 'pass'],
    ['type 0 with the EOA itself as funder', { funder: eoa.toLowerCase() }, 'pass'],
    ['type 1 with a proxy', { signature_type: 1, funder: proxy }, 'pass'],
    ['type 2 with a Safe', { signature_type: 2, funder: proxy }, 'pass'],
  ] as const)('%s passes', (_label, over, status) => {
    expect(checkWallet(account(over), eoa).status).toBe(status);
  });

  it.each([
    [
      'type 0 with another funder',
      { funder: proxy },
      'FUNDER_NOT_EOA',
      /Set signature_type = 1 \(proxy\) or 2 \(Safe\) in \[\[accounts\]\] main/,
    ],
    [
      'type 1 without a funder',
      { signature_type: 1 },
      'FUNDER_MISSING',
      /Set funder in \[\[accounts\]\] main to the Polymarket proxy wallet address/,
    ],
    ['type 2 without a funder', { signature_type: 2 }, 'FUNDER_MISSING', /Polymarket Safe address/],
    [
      'type 2 with the EOA as funder',
      { signature_type: 2, funder: eoa },
      'FUNDER_IS_EOA',
      /Set signature_type = 0/,
    ],
    ['type 3', { signature_type: 3, funder: proxy }, 'DEPOSIT_WALLET_REFUSED', /signature_type = 1 or 2/],
    [
      'a configured address other than the key',
      { address: proxy },
      'ADDRESS_MISMATCH',
      /polyhunter keys add main/,
    ],
  ] as const)('%s fails %s with the fix', (_label, over, code, fix) => {
    const result = checkWallet(account(over), eoa);
    expect(result).toMatchObject({ status: 'fail', code });
    expect(result.status === 'fail' && result.fix).toMatch(fix);
  });

  it('type 3 says why it is refused, and passes when explicitly allowed', () => {
    const refused = checkWallet(account({ signature_type: 3, funder: proxy }), eoa);
    expect(refused.status === 'fail' && refused.message).toBe(DEPOSIT_WALLET_REFUSAL);
    expect(
      checkWallet(account({ signature_type: 3, funder: proxy }), eoa, { allowDepositWalletWithEoaKey: true })
        .status,
    ).toBe('pass');
  });

  it('without the key, the configured address stands in for it', () => {
    expect(checkWallet(account({ address: eoa, funder: eoa, signature_type: 1 }))).toMatchObject({
      code: 'FUNDER_IS_EOA',
    });
    expect(checkWallet(account({ signature_type: 1, funder: proxy }))).toEqual({
      status: 'pass',
      detail: `signature type 1 (Polymarket proxy wallet): the key signs for funder ${getAddress(proxy)}`,
    });
  });
});

describe('checkApiKey and checkClosedOnly on the simulator', () => {
  const accountOf = (label: string, over: Partial<ConstructorParameters<typeof ClobAccount>[0]> = {}) =>
    new ClobAccount({
      clobUrl: sim.urls.clob,
      chainId: 137,
      privateKey: testWallet(`account checks: ${label}`).privateKey,
      signatureType: 0,
      timeoutMs: 5_000,
      ...over,
    });

  it('a new wallet gets a key created, a later run derives it, stored ones are used as given', async () => {
    const first = accountOf('api key');
    const names = { account: 'main', clobUrl: sim.urls.clob };
    expect(await checkApiKey(first, names)).toEqual({
      status: 'pass',
      detail: `a new API key created for the wallet (owner ${first.address}) passes L2 authentication`,
    });
    const again = accountOf('api key');
    expect((await checkApiKey(again, names)).status).toBe('pass');
    const { creds, how } = await again.credentials();
    expect(how).toBe('derived');
    const stored = accountOf('api key', { apiCreds: creds });
    expect(await checkApiKey(stored, names)).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('the API key stored in the keystore'),
    });
    expect(await checkClosedOnly(stored, sim.urls.clob)).toEqual({
      status: 'pass',
      detail: 'not in closed-only mode: new positions are allowed',
    });
  });

  it('stored credentials the venue refuses: API_KEY_REJECTED with the way to get fresh ones, and no secret in the text', async () => {
    const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXg=';
    const account = accountOf('revoked', {
      apiCreds: { key: '00000000-0000-4000-8000-000000000000', secret, passphrase: 'pass-phrase-xyz' },
    });
    const result = await checkApiKey(account, { account: 'main', clobUrl: sim.urls.clob });
    expect(result).toMatchObject({ status: 'fail', code: 'API_KEY_REJECTED' });
    expect(result.status === 'fail' && result.fix).toContain(
      'polyhunter keys remove main, then keys add main',
    );
    const text = JSON.stringify(result);
    for (const s of [secret, 'pass-phrase-xyz', '00000000-0000-4000-8000-000000000000'])
      expect(text).not.toContain(s);
  });

  it('a venue that does not answer: VENUE_UNREACHABLE', async () => {
    const clobUrl = `http://127.0.0.1:${await closedPort()}`;
    const result = await checkApiKey(accountOf('down', { clobUrl }), { account: 'main', clobUrl });
    expect(result).toMatchObject({
      status: 'fail',
      code: 'VENUE_UNREACHABLE',
      fix: 'Check the network and venue.clob_url.',
    });
  });
});

describe('checkRegion', () => {
  let server: Server;
  let answer: unknown = { blocked: false, country: 'CH', region: 'ZH' };
  let base = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/geoblock`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('without a URL it is not checked, and nothing is fetched', async () => {
    expect(await checkRegion({ fetch: () => Promise.reject(new Error('must not fetch')) })).toEqual({
      status: 'skip',
      reason: expect.stringMatching(/^not checked: no geoblock URL/),
    });
  });

  it('allowed, blocked, unreadable', async () => {
    answer = { blocked: false, country: 'CH', region: 'ZH' };
    expect(await checkRegion({ url: base })).toEqual({ status: 'pass', detail: 'region allowed (CH/ZH)' });
    answer = { blocked: true, ip: '203.0.113.9', country: 'US', region: 'NY' };
    const blocked = await checkRegion({ url: base });
    expect(blocked).toMatchObject({ status: 'fail', code: 'REGION_BLOCKED' });
    expect(blocked.status === 'fail' && blocked.message).toContain('(US/NY)');
    answer = { nope: 1 };
    expect(await checkRegion({ url: base })).toMatchObject({ status: 'fail', code: 'VENUE_MISMATCH' });
  });
});

describe('reachability of the venue', () => {
  it('every simulator endpoint passes', async () => {
    const results = await Promise.all([
      probeHttp('Gamma', sim.urls.gamma, '/markets?limit=1', 'gamma_url'),
      probeHttp('the Data API', sim.urls.dataApi, '/trades?limit=1', 'data_api_url'),
      probeClob(sim.urls.clob),
      probeClockSkew(sim.urls.clob, () => Date.now()),
      probeWebSocket('RTDS', sim.urls.rtds, 'rtds_url'),
      probeWebSocket('the CLOB market channel', `${sim.urls.clobWs}/market`, 'clob_ws_url'),
      probeChain(sim.urls.chainWs!, 137),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(7).fill('pass'));
  });

  it('a closed port, a clock far off, another chain: each fails with its fix', async () => {
    const port = await closedPort();
    const down = await probeHttp('Gamma', `http://127.0.0.1:${port}`, '/markets?limit=1', 'gamma_url');
    expect(down).toMatchObject({ status: 'fail', code: 'VENUE_UNREACHABLE' });
    expect(down.status === 'fail' && down.message).toContain('ECONNREFUSED');
    expect(down.status === 'fail' && down.fix).toContain('venue.gamma_url');
    const ws = await probeWebSocket('RTDS', `ws://127.0.0.1:${port}`, 'rtds_url', { timeoutMs: 1_000 });
    expect(ws).toMatchObject({ status: 'fail', code: 'VENUE_UNREACHABLE' });
    const skew = await probeClockSkew(sim.urls.clob, () => Date.now() + 120_000);
    expect(skew).toMatchObject({ status: 'fail', code: 'CLOCK_SKEW' });
    expect(skew.status === 'fail' && skew.message).toMatch(
      /(119|120|121) s ahead of the CLOB's; signed requests would be refused/,
    );
    expect(await probeChain(sim.urls.chainWs!, 80002)).toMatchObject({
      status: 'fail',
      code: 'VENUE_MISMATCH',
      message: `${sim.urls.chainWs} is chain 137, but venue.chain_id is 80002`,
    });
  });
});
