import { OrderType, orderToJsonV2, Side, SignatureTypeV2 } from '@polymarket/clob-client-v2';
import fc from 'fast-check';
import { type Address, getAddress, type Hex, maxUint256, recoverAddress, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { exchangeV2Address } from '../../../src/polymarket/clob/addresses.ts';
import {
  ORDER_V2_EIP712_TYPES,
  ORDER_V2_TYPE_STRING,
  orderHash,
  orderV2Domain,
  postOrdersV2BodySchema,
  postOrderV2BodySchema,
  signedOrderV2Schema,
} from '../../../src/polymarket/clob/order-v2.ts';
import {
  buildClientOrder,
  type ClientSignedOrderV2,
  clientOrderHash,
  parsedWireOrder,
  testContractAddress,
  testWallet,
  wireOrderBody,
} from './official-client.ts';

const alice = testWallet('alice');
const proxy = testContractAddress('alice proxy');
const safe = testContractAddress('alice safe');
const depositWallet = testContractAddress('alice deposit wallet');

const SIGNATURE_TYPE_CASES = [
  { signatureType: SignatureTypeV2.EOA, funder: undefined },
  { signatureType: SignatureTypeV2.POLY_PROXY, funder: proxy },
  { signatureType: SignatureTypeV2.POLY_GNOSIS_SAFE, funder: safe },
  { signatureType: SignatureTypeV2.POLY_1271, funder: depositWallet },
] as const;

describe('POST /order body schema', () => {
  it('parses the body the client posts, field for field', async () => {
    const order = await buildClientOrder({ wallet: alice, expiration: 1_900_000_000 });
    const text = wireOrderBody(order, 'a9ea8ae9-4cd0-527b-b042-33caecd34be4', OrderType.GTD);
    const raw = JSON.parse(text) as Record<string, unknown> & { order: Record<string, unknown> };
    expect(Object.keys(raw)).toEqual(['deferExec', 'postOnly', 'order', 'owner', 'orderType']);
    expect(Object.keys(raw.order)).toEqual([
      'salt',
      'maker',
      'signer',
      'tokenId',
      'makerAmount',
      'takerAmount',
      'side',
      'signatureType',
      'timestamp',
      'expiration',
      'metadata',
      'builder',
      'signature',
    ]);
    expect(typeof raw.order.salt).toBe('number');
    expect(raw.order.salt).toBe(Number(order.salt));
    expect(postOrderV2BodySchema.parse(raw)).toEqual(raw);
    expect(raw.order).toMatchObject({
      maker: alice.address,
      signer: alice.address,
      makerAmount: '11782400',
      takerAmount: '21040000',
      side: 'BUY',
      signatureType: 0,
      expiration: '1900000000',
      metadata: `0x${'0'.repeat(64)}`,
      builder: `0x${'0'.repeat(64)}`,
    });
  });

  it('parses a POST /orders batch', async () => {
    const a = await buildClientOrder({ wallet: alice });
    const b = await buildClientOrder({ wallet: alice, side: Side.SELL, negRisk: true });
    const text = JSON.stringify([
      orderToJsonV2(a, 'k', OrderType.GTC, true),
      orderToJsonV2(b, 'k', OrderType.FOK),
    ]);
    const parsed = postOrdersV2BodySchema.parse(JSON.parse(text));
    expect(parsed.map((p) => [p.orderType, p.postOnly, p.order.side])).toEqual([
      ['GTC', true, 'BUY'],
      ['FOK', false, 'SELL'],
    ]);
  });

  it('defaults postOnly and deferExec for clients that omit them', async () => {
    const raw = JSON.parse(wireOrderBody(await buildClientOrder({ wallet: alice }), 'k'));
    delete raw.postOnly;
    delete raw.deferExec;
    expect(postOrderV2BodySchema.parse(raw)).toMatchObject({ postOnly: false, deferExec: false });
  });

  it('refuses malformed orders', async () => {
    const good = JSON.parse(wireOrderBody(await buildClientOrder({ wallet: alice }), 'k')).order;
    expect(signedOrderV2Schema.safeParse(good).success).toBe(true);
    const bad: Record<string, unknown>[] = [
      { salt: -1 },
      { salt: 1.5 },
      { salt: 2 ** 53 },
      { salt: '007' },
      { maker: '0x1234' },
      { signer: alice.address.replace(/[a-f]/, (c) => c.toUpperCase()) },
      { tokenId: '0123' },
      { tokenId: (maxUint256 + 1n).toString() },
      { makerAmount: '1.5' },
      { takerAmount: '-1' },
      { makerAmount: 11782400 },
      { side: 'buy' },
      { side: 0 },
      { signatureType: 4 },
      { signatureType: '0' },
      { timestamp: undefined },
      { expiration: undefined },
      { metadata: '0x00' },
      { builder: undefined },
      { signature: '0x0' },
      { signature: 'deadbeef' },
    ];
    for (const change of bad) {
      expect(signedOrderV2Schema.safeParse({ ...good, ...change }).success, JSON.stringify(change)).toBe(
        false,
      );
    }
    // A uint256 salt sent as a decimal string (another client's choice) is the same signed value.
    expect(signedOrderV2Schema.safeParse({ ...good, salt: String(good.salt) }).success).toBe(true);
  });

  it('refuses a V1 order (taker, nonce, feeRateBps; no timestamp, metadata, builder)', async () => {
    const v2 = JSON.parse(wireOrderBody(await buildClientOrder({ wallet: alice }), 'k')).order;
    const { timestamp: _t, metadata: _m, builder: _b, ...rest } = v2;
    const v1 = { ...rest, taker: `0x${'0'.repeat(40)}`, nonce: '0', feeRateBps: '0' };
    expect(signedOrderV2Schema.safeParse(v1).success).toBe(false);
  });

  it('refuses unknown order types and a missing owner', async () => {
    const raw = JSON.parse(wireOrderBody(await buildClientOrder({ wallet: alice }), 'k'));
    expect(postOrderV2BodySchema.safeParse({ ...raw, orderType: 'IOC' }).success).toBe(false);
    expect(postOrderV2BodySchema.safeParse({ ...raw, owner: '' }).success).toBe(false);
    expect(postOrderV2BodySchema.safeParse({ ...raw, owner: undefined }).success).toBe(false);
  });
});

describe('EIP-712 typed data', () => {
  it('is the client struct: domain version "2", the exchange as verifying contract', () => {
    expect(orderV2Domain({ chainId: 137, negRisk: false })).toEqual({
      name: 'Polymarket CTF Exchange',
      version: '2',
      chainId: 137,
      verifyingContract: '0xE111180000d2663C0091e4f400237545B87B996B',
    });
    expect(orderV2Domain({ chainId: 137, negRisk: true }).verifyingContract).toBe(
      '0xe2222d279d744050d28e00520010520000310F59',
    );
    const typeString = `Order(${ORDER_V2_EIP712_TYPES.Order.map((f) => `${f.type} ${f.name}`).join(',')})`;
    expect(typeString).toBe(ORDER_V2_TYPE_STRING);
  });
});

describe('orderHash', () => {
  for (const chainId of [137, 80002] as const) {
    for (const negRisk of [false, true]) {
      for (const { signatureType, funder } of SIGNATURE_TYPE_CASES) {
        it(`equals the client's hash: chain ${chainId}, negRisk ${negRisk}, signature type ${signatureType}`, async () => {
          const order = await buildClientOrder({ wallet: alice, chainId, negRisk, signatureType, funder });
          const ours = orderHash(parsedWireOrder(order), { chainId, negRisk });
          expect(ours).toBe(await clientOrderHash(order, exchangeV2Address(chainId, negRisk), chainId));
          if (signatureType !== SignatureTypeV2.POLY_1271) {
            // The ECDSA signature the client made is over exactly this digest.
            expect(await recoverAddress({ hash: ours, signature: order.signature as Hex })).toBe(
              alice.address,
            );
          }
        });
      }
    }
  }

  it("equals the client's hash for arbitrary field values", async () => {
    const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(toHex(b)));
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b));
    const uint = (max: bigint) => fc.bigInt({ min: 0n, max }).map(String);
    const order = fc.record({
      salt: uint(BigInt(Number.MAX_SAFE_INTEGER)),
      maker: address,
      signer: address,
      tokenId: uint(maxUint256),
      makerAmount: uint(maxUint256),
      takerAmount: uint(maxUint256),
      side: fc.constantFrom(Side.BUY, Side.SELL),
      signatureType: fc.constantFrom(0, 1, 2, 3),
      timestamp: uint(10n ** 15n),
      expiration: uint(10n ** 12n),
      metadata: bytes32,
      builder: bytes32,
    });
    await fc.assert(
      fc.asyncProperty(order, fc.boolean(), async (o, negRisk) => {
        const clientOrder = { ...o, signature: '0x' } as unknown as ClientSignedOrderV2;
        const wire = signedOrderV2Schema.parse(
          JSON.parse(JSON.stringify(orderToJsonV2(clientOrder, 'k', OrderType.GTC))).order,
        );
        expect(orderHash(wire, { chainId: 137, negRisk })).toBe(
          await clientOrderHash(clientOrder, exchangeV2Address(137, negRisk), 137),
        );
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('depends on the venue and on every signed field, not on expiration', async () => {
    const order = parsedWireOrder(await buildClientOrder({ wallet: alice }));
    const base = orderHash(order, { chainId: 137, negRisk: false });
    expect(orderHash(order, { chainId: 137, negRisk: true })).not.toBe(base);
    expect(orderHash(order, { chainId: 80002, negRisk: false })).not.toBe(base);
    expect(orderHash({ ...order, expiration: '1' } as typeof order, { chainId: 137, negRisk: false })).toBe(
      base,
    );
    const other = getAddress(testContractAddress('other')) as Address;
    const changes: Partial<typeof order>[] = [
      { salt: Number(order.salt) + 1 },
      { maker: other },
      { signer: other },
      { tokenId: '1' },
      { makerAmount: '11782401' },
      { takerAmount: '21040001' },
      { side: 'SELL' },
      { signatureType: 1 },
      { timestamp: String(BigInt(order.timestamp) + 1n) },
      { metadata: `0x${'0'.repeat(63)}1` },
      { builder: `0x${'0'.repeat(63)}1` },
    ];
    const hashes = changes.map((c) => orderHash({ ...order, ...c }, { chainId: 137, negRisk: false }));
    expect(new Set([base, ...hashes]).size).toBe(changes.length + 1);
  });
});
