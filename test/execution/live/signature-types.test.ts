/**
 * Signature types per account: 0 trades from the EOA, 1 (proxy) and 2 (Safe) from a funder wallet
 * the EOA signs for, 3 (deposit wallet) is refused with the reason unless explicitly allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.ts';
import { ConfigError } from '../../../src/core/errors.ts';
import { DEPOSIT_WALLET_REFUSAL, LiveBroker } from '../../../src/execution/live/live-broker.ts';
import type { SignedLiveOrder } from '../../../src/execution/live/order-signer.ts';
import { parsePoly1271Signature } from '../../../src/polymarket/clob/poly1271-signature.ts';
import { testContractAddress, testWallet } from '../../polymarket/clob/official-client.ts';
import { brokerFor, type LiveWorld, px, sh, silent, startLiveWorld } from './support.ts';

let world: LiveWorld;
beforeAll(async () => {
  world = await startLiveWorld({ seed: 12 });
});
afterAll(async () => {
  await world?.stop();
});

const base = (label: string) => ({
  clobUrl: 'http://127.0.0.1:9',
  chainId: 137,
  privateKey: testWallet(label).privateKey,
  clock: systemClock,
  logger: silent,
});

describe('account checks at construction', () => {
  it('type 3 is refused, saying why', () => {
    const make = () =>
      new LiveBroker({ ...base('t3'), signatureType: 3, funder: testContractAddress('deposit') });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(DEPOSIT_WALLET_REFUSAL);
    expect(DEPOSIT_WALLET_REFUSAL).toMatch(/order signer address has to be the address of the API KEY/);
  });

  it.each([
    ['type 1 without a funder', { signatureType: 1 }, /needs the funder address \(the proxy wallet/],
    ['type 2 without a funder', { signatureType: 2 }, /needs the funder address \(the Safe wallet/],
    [
      'type 2 with the EOA as funder',
      { signatureType: 2, funder: testWallet('eoa funder').address },
      /distinct from the EOA/,
    ],
    [
      'type 0 with another funder',
      { signatureType: 0, funder: testContractAddress('x') },
      /type 0 \(EOA\) trades from the key's own address/,
    ],
    ['a chain the CLOB does not run on', { signatureType: 0, chainId: 1 }, /chain 137 or 80002/],
  ] as const)('%s', (label, over, message) => {
    const options = { ...base(label === 'type 2 with the EOA as funder' ? 'eoa funder' : label), ...over };
    expect(() => new LiveBroker(options as never)).toThrow(message);
  });
});

describe('orders per signature type on the simulator', () => {
  it.each([1, 2] as const)(
    'type %s: the order is made by the funder wallet and signed by the EOA',
    async (signatureType) => {
      const funder = testContractAddress(`funder type ${signatureType}`);
      const seen: SignedLiveOrder[] = [];
      const { broker, address } = await brokerFor(world, `type ${signatureType}`, { signatureType, funder });
      expect(broker.funder).toBe(funder);
      const out = await broker.submit(
        { tokenId: world.yes, side: 'BUY', price: px(0.3), size: sh(5) },
        { orderType: 'GTC' },
        { beforeSend: (s) => void seen.push(s) },
      );
      expect(seen[0]!.order).toMatchObject({ maker: funder, signer: address, signatureType });
      expect(out).toMatchObject({ kind: 'accepted', orderId: seen[0]!.orderHash });
      expect(await broker.openOrders()).toEqual([
        expect.objectContaining({ maker_address: funder.toLowerCase() }),
      ]);
      await broker.cancelAll();
    },
  );

  it('type 3 when explicitly allowed, on a venue that takes EOA-bound keys for deposit wallets (the simulator)', async () => {
    const wallet = testContractAddress('deposit wallet');
    const owner = testWallet('live broker: type 3');
    world.sim.venue.wallets.register({ address: wallet, owner: owner.address, kind: 'deposit' });
    const seen: SignedLiveOrder[] = [];
    const { broker } = await brokerFor(world, 'type 3', {
      signatureType: 3,
      funder: wallet,
      allowDepositWalletWithEoaKey: true,
    });
    const out = await broker.submit(
      { tokenId: world.yes, side: 'BUY', price: px(0.3), size: sh(5) },
      { orderType: 'GTC' },
      { beforeSend: (s) => void seen.push(s) },
    );
    const signed = seen[0]!;
    expect(signed.order).toMatchObject({ maker: wallet, signer: wallet, signatureType: 3 });
    expect(parsePoly1271Signature(signed.order.signature)).toBeDefined();
    expect(out).toMatchObject({ kind: 'accepted', orderId: signed.orderHash });
    await broker.cancelAll();
  });
});
