import { SignatureTypeV2 } from '@polymarket/clob-client-v2';
import { domainSeparator, type Hex, hashStruct, recoverTypedDataAddress, size } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  ORDER_V2_EIP712_TYPES,
  ORDER_V2_TYPE_STRING,
  orderV2Domain,
  orderV2Message,
} from '../../../src/polymarket/clob/order-v2.ts';
import {
  depositWalletTypedData,
  parsePoly1271Signature,
  serializePoly1271Signature,
} from '../../../src/polymarket/clob/poly1271-signature.ts';
import { buildClientOrder, parsedWireOrder, testContractAddress, testWallet } from './official-client.ts';

const owner = testWallet('deposit wallet owner');
const wallet = testContractAddress('deposit wallet');

describe('POLY_1271 signature envelope', () => {
  it.each([false, true])('splits what the client makes (negRisk %s)', async (negRisk) => {
    const order = await buildClientOrder({
      wallet: owner,
      signatureType: SignatureTypeV2.POLY_1271,
      funder: wallet,
      negRisk,
    });
    expect([order.maker, order.signer]).toEqual([wallet, wallet]);
    const signature = order.signature as Hex;
    expect(size(signature)).toBe(65 + 32 + 32 + 186 + 2);
    const envelope = parsePoly1271Signature(signature);
    if (envelope === undefined) throw new Error('envelope did not parse');
    const wire = parsedWireOrder(order);
    const venue = { chainId: 137, negRisk };
    expect(envelope.contentsType).toBe(ORDER_V2_TYPE_STRING);
    expect(envelope.appDomainSeparator).toBe(domainSeparator({ domain: orderV2Domain(venue) }));
    expect(envelope.contentsHash).toBe(
      hashStruct({ data: orderV2Message(wire), primaryType: 'Order', types: ORDER_V2_EIP712_TYPES }),
    );
    const signer = await recoverTypedDataAddress({
      ...depositWalletTypedData(wire, venue),
      signature: envelope.innerSignature,
    });
    expect(signer).toBe(owner.address);
    expect(serializePoly1271Signature(envelope)).toBe(signature.toLowerCase());
  });

  it('refuses envelopes whose lengths do not add up', async () => {
    const order = await buildClientOrder({
      wallet: owner,
      signatureType: SignatureTypeV2.POLY_1271,
      funder: wallet,
    });
    const signature = order.signature as Hex;
    expect(parsePoly1271Signature(signature.slice(0, -2) as Hex)).toBeUndefined();
    expect(parsePoly1271Signature(`${signature.slice(0, -4)}00bb` as Hex)).toBeUndefined();
    expect(parsePoly1271Signature(`0x${'11'.repeat(65)}`)).toBeUndefined();
    expect(parsePoly1271Signature('0x')).toBeUndefined();
  });
});
