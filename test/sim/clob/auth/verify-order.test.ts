import { Side, SignatureTypeV2 } from '@polymarket/clob-client-v2';
import { type Address, domainSeparator, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { orderHash, orderV2Domain, type SignedOrderV2 } from '../../../../src/polymarket/clob/order-v2.ts';
import {
  parsePoly1271Signature,
  serializePoly1271Signature,
} from '../../../../src/polymarket/clob/poly1271-signature.ts';
import { FunderWalletRegistry } from '../../../../src/sim/clob/auth/funder-wallets.ts';
import { CLOB_ERROR } from '../../../../src/sim/clob/auth/replies.ts';
import { type OrderCheckContext, verifyOrder } from '../../../../src/sim/clob/auth/verify-order.ts';
import {
  buildClientOrder,
  type ClientOrderSpec,
  parsedWireOrder,
  testContractAddress,
  testWallet,
} from '../../../polymarket/clob/official-client.ts';

const alice = testWallet('alice');
const bob = testWallet('bob');
const mallory = testWallet('mallory');
const aliceProxy = testContractAddress('alice proxy');
const aliceSafe = testContractAddress('alice safe');
const aliceDeposit = testContractAddress('alice deposit wallet');
const bobSafe = testContractAddress('bob safe');
const bobDeposit = testContractAddress('bob deposit wallet');
const unregisteredProxy = testContractAddress('somebody proxy');
const unregisteredDeposit = testContractAddress('somebody deposit wallet');

const wallets = new FunderWalletRegistry();
wallets.register({ address: aliceProxy, owner: alice.address, kind: 'proxy' });
wallets.register({ address: aliceSafe, owner: alice.address, kind: 'safe' });
wallets.register({ address: aliceDeposit, owner: alice.address, kind: 'deposit' });
wallets.register({ address: bobSafe, owner: bob.address, kind: 'safe' });
wallets.register({ address: bobDeposit, owner: bob.address, kind: 'deposit' });

const SIGNED_FOR_ALICE = [
  { signatureType: SignatureTypeV2.EOA, funder: undefined, maker: alice.address, signer: alice.address },
  { signatureType: SignatureTypeV2.POLY_PROXY, funder: aliceProxy, maker: aliceProxy, signer: alice.address },
  {
    signatureType: SignatureTypeV2.POLY_GNOSIS_SAFE,
    funder: aliceSafe,
    maker: aliceSafe,
    signer: alice.address,
  },
  {
    signatureType: SignatureTypeV2.POLY_1271,
    funder: aliceDeposit,
    maker: aliceDeposit,
    signer: aliceDeposit,
  },
] as const;

async function wire(spec: Partial<ClientOrderSpec> = {}): Promise<SignedOrderV2> {
  return parsedWireOrder(await buildClientOrder({ wallet: alice, ...spec }));
}

function context(overrides: Partial<OrderCheckContext> = {}): OrderCheckContext {
  return { chainId: 137, negRisk: false, apiKeyOwner: alice.address, wallets, ...overrides };
}

async function expectRefused(order: SignedOrderV2, ctx: OrderCheckContext, error: string, reason: RegExp) {
  const result = await verifyOrder(order, ctx);
  expect(result.ok, 'expected a refusal').toBe(false);
  if (result.ok) return;
  expect(result.reply).toEqual({ status: 400, body: { error } });
  expect(result.reason).toMatch(reason);
}

const invalid = CLOB_ERROR.invalidSignature;

/** The signature with one hex digit of byte `index` changed. */
function flipByte(signature: Hex, index: number): Hex {
  const at = 2 + index * 2;
  const digit = signature[at] === '0' ? '1' : '0';
  return `${signature.slice(0, at)}${digit}${signature.slice(at + 1)}` as Hex;
}

describe('verifyOrder accepts what the official client signs', () => {
  for (const negRisk of [false, true]) {
    for (const { signatureType, funder, maker, signer } of SIGNED_FOR_ALICE) {
      it(`signature type ${signatureType}, negRisk ${negRisk}`, async () => {
        const order = await wire({ signatureType, funder, negRisk, side: Side.SELL });
        const result = await verifyOrder(order, context({ negRisk }));
        expect(result).toEqual({
          ok: true,
          value: {
            hash: orderHash(order, { chainId: 137, negRisk }),
            maker,
            signer,
            signatureType,
            signedBy: alice.address,
          },
        });
      });
    }
  }

  it('on Amoy too, when the simulator runs as chain 80002', async () => {
    const order = await wire({
      chainId: 80002,
      signatureType: SignatureTypeV2.POLY_GNOSIS_SAFE,
      funder: aliceSafe,
    });
    expect((await verifyOrder(order, context({ chainId: 80002 }))).ok).toBe(true);
  });

  it('proxy and Safe makers the simulator does not know are accepted (it cannot derive them)', async () => {
    for (const signatureType of [SignatureTypeV2.POLY_PROXY, SignatureTypeV2.POLY_GNOSIS_SAFE]) {
      const order = await wire({ signatureType, funder: unregisteredProxy });
      expect((await verifyOrder(order, context())).ok).toBe(true);
      expect((await verifyOrder(order, context({ wallets: undefined }))).ok).toBe(true);
    }
  });

  it('expiration is not signed: changing it keeps the order valid', async () => {
    const order = await wire({ expiration: 1_900_000_000 });
    expect((await verifyOrder({ ...order, expiration: '0' }, context())).ok).toBe(true);
  });

  it('accepts a key bound to the deposit wallet itself', async () => {
    const order = await wire({ signatureType: SignatureTypeV2.POLY_1271, funder: aliceDeposit });
    expect((await verifyOrder(order, context({ apiKeyOwner: aliceDeposit }))).ok).toBe(true);
  });
});

describe('verifyOrder refuses', () => {
  it('the wrong exchange (neg-risk flag) and the wrong chain, for every signature type', async () => {
    for (const { signatureType, funder } of SIGNED_FOR_ALICE) {
      const order = await wire({ signatureType, funder, negRisk: false });
      await expectRefused(order, context({ negRisk: true }), invalid, /signed by|domain/);
      await expectRefused(order, context({ chainId: 80002 }), invalid, /signed by|domain/);
    }
  });

  it('any change to a signed field', async () => {
    for (const { signatureType, funder } of SIGNED_FOR_ALICE) {
      const order = await wire({ signatureType, funder });
      const changes: Partial<SignedOrderV2>[] = [
        { salt: Number(order.salt) + 1 },
        { tokenId: '1' },
        { makerAmount: String(BigInt(order.makerAmount) + 1n) },
        { takerAmount: String(BigInt(order.takerAmount) - 1n) },
        { side: 'SELL' },
        { timestamp: String(BigInt(order.timestamp) + 1n) },
        { metadata: `0x${'0'.repeat(63)}1` },
        { builder: `0x${'0'.repeat(63)}1` },
      ];
      for (const change of changes) {
        await expectRefused({ ...order, ...change }, context(), invalid, /signed by|contents/);
      }
    }
  });

  it('a proxy or Safe order whose maker was swapped for another wallet', async () => {
    const order = await wire({ signatureType: SignatureTypeV2.POLY_PROXY, funder: unregisteredProxy });
    await expectRefused(
      { ...order, maker: testContractAddress('another proxy') },
      context(),
      invalid,
      /signed by/,
    );
  });

  it('a corrupted or truncated ECDSA signature', async () => {
    const order = await wire();
    await expectRefused(
      { ...order, signature: flipByte(order.signature, 5) },
      context(),
      invalid,
      /signed by|recoverable/,
    );
    await expectRefused(
      { ...order, signature: order.signature.slice(0, -2) as Hex },
      context(),
      invalid,
      /65-byte/,
    );
    await expectRefused({ ...order, signature: '0x' }, context(), invalid, /65-byte/);
  });

  it('an order whose signer is not the API key owner, with the real error', async () => {
    const signerMismatch = CLOB_ERROR.signerMismatch;
    for (const { signatureType, funder } of SIGNED_FOR_ALICE) {
      const order = await wire({ signatureType, funder });
      await expectRefused(
        order,
        context({ apiKeyOwner: bob.address }),
        signerMismatch,
        /not the API key's owner/,
      );
    }
  });

  it('a deposit wallet order whose wallet the simulator does not know (signer != key owner)', async () => {
    const order = await wire({ signatureType: SignatureTypeV2.POLY_1271, funder: unregisteredDeposit });
    await expectRefused(order, context(), CLOB_ERROR.signerMismatch, /not the API key's owner/);
    // With a key bound to the unknown wallet itself there is still no owner to check the signature against.
    await expectRefused(
      order,
      context({ apiKeyOwner: unregisteredDeposit }),
      invalid,
      /not a deposit wallet registered/,
    );
  });

  it("a deposit wallet order for another owner's wallet, or signed by someone else", async () => {
    const bobs = await wire({ signatureType: SignatureTypeV2.POLY_1271, funder: bobDeposit });
    await expectRefused(bobs, context(), CLOB_ERROR.signerMismatch, /not the API key's owner/);
    const forged = parsedWireOrder(
      await buildClientOrder({
        wallet: mallory,
        signatureType: SignatureTypeV2.POLY_1271,
        funder: aliceDeposit,
      }),
    );
    await expectRefused(forged, context(), invalid, new RegExp(`signed by ${mallory.address}`));
  });

  it('an EOA order with a maker other than the signer', async () => {
    // The client signs this without complaint (signature type 0 with a funder).
    const order = await wire({ signatureType: SignatureTypeV2.EOA, funder: aliceProxy });
    expect(order.maker).toBe(aliceProxy);
    await expectRefused(order, context(), invalid, /maker = signer/);
  });

  it('a proxy or Safe order whose maker is the signer itself', async () => {
    for (const signatureType of [SignatureTypeV2.POLY_PROXY, SignatureTypeV2.POLY_GNOSIS_SAFE]) {
      const order = await wire({ signatureType });
      expect(order.maker).toBe(alice.address);
      await expectRefused(order, context(), invalid, /distinct from the signer/);
    }
  });

  it('a registered maker of the wrong kind or another owner', async () => {
    const safeAsProxy = await wire({ signatureType: SignatureTypeV2.POLY_PROXY, funder: aliceSafe });
    await expectRefused(safeAsProxy, context(), invalid, /not a proxy wallet of/);
    const bobsSafe = await wire({ signatureType: SignatureTypeV2.POLY_GNOSIS_SAFE, funder: bobSafe });
    await expectRefused(bobsSafe, context(), invalid, /not a safe wallet of/);
    const depositAsSafe = await wire({
      signatureType: SignatureTypeV2.POLY_GNOSIS_SAFE,
      funder: aliceDeposit,
    });
    await expectRefused(depositAsSafe, context(), invalid, /not a safe wallet of/);
  });

  it('a deposit wallet order with maker != signer', async () => {
    const order = await wire({ signatureType: SignatureTypeV2.POLY_1271, funder: aliceDeposit });
    await expectRefused({ ...order, maker: aliceSafe }, context(), invalid, /maker = signer/);
  });

  it('tampered ERC-7739 envelopes', async () => {
    const order = await wire({ signatureType: SignatureTypeV2.POLY_1271, funder: aliceDeposit });
    const envelope = parsePoly1271Signature(order.signature);
    if (envelope === undefined) throw new Error('no envelope');
    const withEnvelope = (e: typeof envelope): SignedOrderV2 => ({
      ...order,
      signature: serializePoly1271Signature(e),
    });
    const cases: [Partial<typeof envelope>, RegExp][] = [
      [{ contentsType: envelope.contentsType.replace('uint8 side', 'uint8 sidE') }, /V2 Order type/],
      [
        { appDomainSeparator: domainSeparator({ domain: orderV2Domain({ chainId: 137, negRisk: true }) }) },
        /domain/,
      ],
      [{ contentsHash: flipByte(envelope.contentsHash, 0) }, /contents/],
      [{ innerSignature: flipByte(envelope.innerSignature, 3) }, /signed by|recover/],
      // The envelope's layout fixes the inner signature at 65 bytes.
      [{ innerSignature: envelope.innerSignature.slice(0, -2) as Hex }, /not an ERC-7739 envelope/],
    ];
    for (const [change, reason] of cases) {
      await expectRefused(withEnvelope({ ...envelope, ...change }), context(), invalid, reason);
    }
    await expectRefused(
      { ...order, signature: order.signature.slice(0, -2) as Hex },
      context(),
      invalid,
      /envelope/,
    );
    // A bare ECDSA signature by the owner is not what the wallet contract accepts.
    await expectRefused({ ...order, signature: envelope.innerSignature }, context(), invalid, /envelope/);
  });

  it('an EOA order carrying a deposit wallet envelope', async () => {
    const envelopeOrder = await wire({ signatureType: SignatureTypeV2.POLY_1271, funder: aliceDeposit });
    const eoa = await wire();
    await expectRefused({ ...eoa, signature: envelopeOrder.signature }, context(), invalid, /65-byte/);
  });
});

describe('FunderWalletRegistry', () => {
  it('finds wallets by any address case and refuses self-owned wallets', () => {
    const registry = new FunderWalletRegistry();
    registry.register({ address: aliceSafe.toLowerCase() as Address, owner: alice.address, kind: 'safe' });
    expect(registry.walletAt(aliceSafe)).toEqual({ address: aliceSafe, owner: alice.address, kind: 'safe' });
    expect(registry.walletAt(aliceProxy)).toBeUndefined();
    expect(() =>
      registry.register({ address: alice.address, owner: alice.address, kind: 'deposit' }),
    ).toThrow(RangeError);
  });
});
