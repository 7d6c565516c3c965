import { createL1Headers } from '@polymarket/clob-client-v2';
import { describe, expect, it } from 'vitest';
import { CLOB_ERROR } from '../../../../src/sim/clob/auth/replies.ts';
import { verifyL1 } from '../../../../src/sim/clob/auth/verify-l1.ts';
import { testWallet } from '../../../polymarket/clob/official-client.ts';

const alice = testWallet('alice');
const mallory = testWallet('mallory');
const TS = 1_790_000_000;
const NOW_MS = TS * 1000 + 400;

/** Headers as Node hands them to a server: lower-case names. */
function asReceived(headers: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

async function expectRefused(headers: Readonly<Record<string, unknown>>, nowMs = NOW_MS, reason?: RegExp) {
  const result = await verifyL1(headers, nowMs);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.reply).toEqual({ status: 401, body: { error: CLOB_ERROR.invalidL1Headers } });
  if (reason !== undefined) expect(result.reason).toMatch(reason);
}

describe('verifyL1', () => {
  it('accepts the headers createL1Headers makes, by either header-name case', async () => {
    const headers = await createL1Headers(alice.signer, 137, 7, TS);
    for (const form of [headers, asReceived(headers)]) {
      const result = await verifyL1(form, NOW_MS);
      expect(result).toEqual({ ok: true, value: { address: alice.address, nonce: 7n, timestamp: TS } });
    }
  });

  it('accepts nonce 0 and a lower-case POLY_ADDRESS, answering the checksummed address', async () => {
    const headers = asReceived(await createL1Headers(alice.signer, 137, undefined, TS));
    const lower = { ...headers, poly_address: alice.address.toLowerCase() };
    // The ClobAuth message signs the address as bytes, so its case does not matter.
    const result = await verifyL1(lower, NOW_MS);
    expect(result).toEqual({ ok: true, value: { address: alice.address, nonce: 0n, timestamp: TS } });
  });

  it('runs as Amoy when told to, and then refuses Polygon signatures', async () => {
    const amoy = await createL1Headers(alice.signer, 80002, 1, TS);
    const polygon = await createL1Headers(alice.signer, 137, 1, TS);
    expect((await verifyL1(amoy, NOW_MS, { chainId: 80002 })).ok).toBe(true);
    await expectRefused(amoy, NOW_MS, /by 0x/);
    const result = await verifyL1(polygon, NOW_MS, { chainId: 80002 });
    expect(result.ok).toBe(false);
  });

  it('accepts a timestamp up to 60 s either side of the clock and refuses beyond', async () => {
    const headers = await createL1Headers(alice.signer, 137, 0, TS);
    expect((await verifyL1(headers, TS * 1000 + 60_000)).ok).toBe(true);
    expect((await verifyL1(headers, TS * 1000 - 60_000)).ok).toBe(true);
    await expectRefused(headers, TS * 1000 + 60_001, /more than 60s/);
    await expectRefused(headers, TS * 1000 - 60_001, /more than 60s/);
    expect((await verifyL1(headers, TS * 1000 + 3_600_000, { timestampToleranceSeconds: 3600 })).ok).toBe(
      true,
    );
    expect((await verifyL1(headers, 0, { timestampToleranceSeconds: Number.POSITIVE_INFINITY })).ok).toBe(
      true,
    );
  });

  it('refuses headers whose signed values were changed', async () => {
    const headers = asReceived(await createL1Headers(alice.signer, 137, 7, TS));
    await expectRefused({ ...headers, poly_address: mallory.address }, NOW_MS, /not POLY_ADDRESS/);
    await expectRefused({ ...headers, poly_nonce: '8' }, NOW_MS, /not POLY_ADDRESS/);
    await expectRefused({ ...headers, poly_timestamp: String(TS + 1) }, NOW_MS, /not POLY_ADDRESS/);
  });

  it("refuses one wallet's signature presented for another", async () => {
    // Mallory signs a ClobAuth naming Alice (the client's `address` argument).
    const forged = await createL1Headers(mallory.signer, 137, 0, TS, alice.address);
    expect(forged.POLY_ADDRESS).toBe(alice.address);
    await expectRefused(forged, NOW_MS, new RegExp(`by ${mallory.address}`));
  });

  it('refuses missing, repeated and malformed headers', async () => {
    const headers = asReceived(await createL1Headers(alice.signer, 137, 7, TS));
    for (const name of Object.keys(headers)) {
      const { [name]: _dropped, ...rest } = headers;
      await expectRefused(rest, NOW_MS, new RegExp(name));
    }
    await expectRefused({ ...headers, poly_nonce: ['7', '7'] }, NOW_MS, /poly_nonce/);
    await expectRefused({ ...headers, poly_signature: 'nothex' }, NOW_MS, /poly_signature/);
    await expectRefused(
      { ...headers, poly_signature: headers.poly_signature!.slice(0, -2) },
      NOW_MS,
      /65-byte/,
    );
    await expectRefused({ ...headers, poly_signature: `0x${'00'.repeat(65)}` }, NOW_MS, /recover/);
    await expectRefused({ ...headers, poly_timestamp: `${TS}.0` }, NOW_MS, /poly_timestamp/);
  });
});
