/**
 * Requests the official client sent over HTTP, stored as fixtures (see the file's description):
 * our parsing, hashing and verifiers must keep accepting them whatever the installed client does.
 */
import { type Address, type Hex, recoverAddress, size } from 'viem';
import { describe, expect, it } from 'vitest';
import { exchangeV2Address } from '../../../../src/polymarket/clob/addresses.ts';
import { orderHash } from '../../../../src/polymarket/clob/order-v2.ts';
import type { ApiKeyLookup, ApiKeyRecord } from '../../../../src/sim/clob/auth/api-key-registry.ts';
import { FunderWalletRegistry } from '../../../../src/sim/clob/auth/funder-wallets.ts';
import { checkOrderOwner, parsePostOrderBody } from '../../../../src/sim/clob/auth/parse-order-body.ts';
import { verifyL1 } from '../../../../src/sim/clob/auth/verify-l1.ts';
import { verifyL2 } from '../../../../src/sim/clob/auth/verify-l2.ts';
import { verifyOrder } from '../../../../src/sim/clob/auth/verify-order.ts';
import fixture from '../../../polymarket/clob/fixtures/clob-client-v2-requests.json' with { type: 'json' };
import { type ClientSignedOrderV2, clientOrderHash } from '../../../polymarket/clob/official-client.ts';

const signer = fixture.signer as Address;
const key: ApiKeyRecord = { ...fixture.creds, owner: signer, nonce: 0n };
const keys: ApiKeyLookup = { lookup: (k) => (k === key.key ? key : undefined) };
const wallets = new FunderWalletRegistry();
wallets.register({ address: fixture.depositWallet as Address, owner: signer, kind: 'deposit' });

const PINNED_HASH = {
  postOrderEoa: '0x4309fec6fddc5df68c8e4c1335353d4e7177a70683f54489d4a7560da48afb4a',
  postOrderDepositWallet: '0x552ae2b9acc061287211ad503eeb97d696a9142379f9cf27f5f39066a192c8d0',
} as const;

function sentAt(headers: { poly_timestamp: string }): number {
  return Number(headers.poly_timestamp) * 1000;
}

describe('captured clob-client-v2 requests', () => {
  it('POST /auth/api-key: the L1 headers verify at the time they were sent, not a minute later', async () => {
    const { headers } = fixture.createApiKey;
    expect(await verifyL1(headers, sentAt(headers))).toEqual({
      ok: true,
      value: { address: signer, nonce: 0n, timestamp: Number(headers.poly_timestamp) },
    });
    expect((await verifyL1(headers, sentAt(headers) + 61_000)).ok).toBe(false);
  });

  for (const name of ['postOrderEoa', 'postOrderDepositWallet'] as const) {
    it(`${name}: L2, body, owner and signature all verify; the hash is pinned`, async () => {
      const request = fixture[name];
      const now = sentAt(request.headers);
      const l2 = verifyL2(keys, request.headers, request.method, request.target, request.body, now);
      expect(l2).toEqual({ ok: true, value: { address: signer, apiKey: key.key } });
      expect(
        verifyL2(keys, request.headers, request.method, request.target, `${request.body}\n`, now).ok,
      ).toBe(false);

      const body = parsePostOrderBody(request.body);
      if (!body.ok) throw new Error(body.reason);
      expect(checkOrderOwner(body.value, key.key).ok).toBe(true);
      const venue = { chainId: fixture.chainId, negRisk: request.negRisk };
      const verified = await verifyOrder(body.value.order, { ...venue, apiKeyOwner: signer, wallets });
      expect(verified).toMatchObject({ ok: true, value: { hash: PINNED_HASH[name], signedBy: signer } });

      const order = body.value.order;
      expect(orderHash(order, venue)).toBe(PINNED_HASH[name]);
      const clientShaped = { ...order, salt: String(order.salt) } as unknown as ClientSignedOrderV2;
      expect(
        await clientOrderHash(clientShaped, exchangeV2Address(venue.chainId, venue.negRisk), venue.chainId),
      ).toBe(PINNED_HASH[name]);
      if (order.signatureType === 0) {
        expect(await recoverAddress({ hash: PINNED_HASH[name], signature: order.signature as Hex })).toBe(
          signer,
        );
      } else {
        expect(size(order.signature)).toBe(317);
        expect([order.maker, order.signer]).toEqual([fixture.depositWallet, fixture.depositWallet]);
      }
    });
  }
});
