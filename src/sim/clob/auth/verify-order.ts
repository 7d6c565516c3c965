/**
 * Checks a V2 signed order the way the CLOB (and, at settlement, the exchange) would, as far as
 * the simulator can know:
 *
 * 1. The signer belongs to the API key (400 `the order signer address has to be the address of the
 *    API KEY`): `order.signer` is the key's owner; for a deposit wallet (type 3), where the signer is
 *    the wallet, the wallet's registered owner must be the key's owner. This is how the official
 *    client works: `createApiKey` binds the key to the EOA, and a type 3 order carries the wallet.
 *    Reports on the real service differ (Polymarket/py-clob-client-v2#64, #71, #77 and
 *    clob-client-v2#73 got this 400 for EOA-bound keys in 2026-05; a later third-party report says
 *    such orders went through); the simulator follows the client's flow.
 * 2. maker/signer follow the signature type, and the signature verifies against the exchange of
 *    the market (standard or neg-risk) on the simulator's chain (400 `invalid signature`):
 *    - 0 EOA: maker = signer = the ECDSA signer.
 *    - 1 proxy, 2 Safe: maker != signer; signer is the ECDSA signer. The simulator cannot derive
 *      proxy or Safe addresses (no factories), so an unregistered maker is accepted; a registered
 *      one must be of the right kind and owned by the signer.
 *    - 3 deposit wallet: maker = signer = a registered deposit wallet; the ERC-7739 envelope must
 *      be consistent and its inner ECDSA signature be by the wallet's owner. An unregistered wallet
 *      is refused: without the contract there is nobody to ask.
 */
import {
  type Address,
  domainSeparator,
  getAddress,
  type Hex,
  hashStruct,
  isAddressEqual,
  recoverAddress,
  recoverTypedDataAddress,
  size,
} from 'viem';
import {
  ORDER_V2_EIP712_TYPES,
  ORDER_V2_TYPE_STRING,
  type OrderV2Venue,
  orderHash,
  orderV2Domain,
  orderV2Message,
  type SignatureType,
  type SignedOrderV2,
} from '../../../polymarket/clob/order-v2.ts';
import {
  depositWalletTypedData,
  parsePoly1271Signature,
} from '../../../polymarket/clob/poly1271-signature.ts';
import { type FunderWalletLookup, WALLET_KIND_OF_SIGNATURE_TYPE } from './funder-wallets.ts';
import { accepted, CLOB_ERROR, refused, type Verified } from './replies.ts';

export interface OrderCheckContext extends OrderV2Venue {
  /** The owner of the API key the order was posted with (from verifyL2). */
  apiKeyOwner: Address;
  /** Registered proxy, Safe and deposit wallets; none when omitted. */
  wallets?: FunderWalletLookup;
}

export interface VerifiedOrder {
  /** The EIP-712 order hash: the orderID. */
  hash: Hex;
  maker: Address;
  signer: Address;
  signatureType: SignatureType;
  /** The EOA whose ECDSA signature it is (the deposit wallet's owner for type 3). */
  signedBy: Address;
}

const noWallets: FunderWalletLookup = { walletAt: () => undefined };

function invalidSignature(reason: string): Verified<never> {
  return refused(400, CLOB_ERROR.invalidSignature, reason);
}

async function recoverOrderSigner(hash: Hex, signature: Hex): Promise<Address | undefined> {
  if (size(signature) !== 65) return undefined;
  try {
    return await recoverAddress({ hash, signature });
  } catch {
    return undefined;
  }
}

/** The EOA behind a deposit wallet order's envelope, or why there is none. */
async function recoverDepositWalletOwner(
  order: SignedOrderV2,
  venue: OrderV2Venue,
): Promise<Address | { reason: string }> {
  const envelope = parsePoly1271Signature(order.signature);
  if (envelope === undefined) return { reason: 'the signature is not an ERC-7739 envelope' };
  if (envelope.contentsType !== ORDER_V2_TYPE_STRING) {
    return { reason: 'the envelope does not carry the V2 Order type' };
  }
  const separator = domainSeparator({ domain: orderV2Domain(venue) });
  if (envelope.appDomainSeparator.toLowerCase() !== separator.toLowerCase()) {
    return { reason: "the envelope's domain is not this market's exchange" };
  }
  const contents = hashStruct({
    data: orderV2Message(order),
    primaryType: 'Order',
    types: ORDER_V2_EIP712_TYPES,
  });
  if (envelope.contentsHash.toLowerCase() !== contents.toLowerCase()) {
    return { reason: "the envelope's contents are not this order" };
  }
  try {
    return await recoverTypedDataAddress({
      ...depositWalletTypedData(order, venue),
      signature: envelope.innerSignature,
    });
  } catch {
    return { reason: 'the inner signature does not recover to an address' };
  }
}

/** Rule 1: the order's signer is the API key's owner, or (type 3) a deposit wallet it owns. */
function checkSignerBelongsToKey(
  order: SignedOrderV2,
  apiKeyOwner: Address,
  wallets: FunderWalletLookup,
): Verified<undefined> {
  if (isAddressEqual(order.signer, apiKeyOwner)) return accepted(undefined);
  const wallet = order.signatureType === 3 ? wallets.walletAt(order.signer) : undefined;
  if (wallet?.kind === 'deposit' && isAddressEqual(wallet.owner, apiKeyOwner)) return accepted(undefined);
  return refused(
    400,
    CLOB_ERROR.signerMismatch,
    `signer ${order.signer} is not the API key's owner ${apiKeyOwner}`,
  );
}

/** Rule 2, first half: maker and signer fit the signature type. Answers the EOA that must have signed. */
function expectedEcdsaSigner(order: SignedOrderV2, wallets: FunderWalletLookup): Verified<Address> {
  const { maker, signer, signatureType } = order;
  if (signatureType === 0) {
    return isAddressEqual(maker, signer)
      ? accepted(signer)
      : invalidSignature('an EOA order needs maker = signer');
  }
  if (signatureType === 3) {
    if (!isAddressEqual(maker, signer))
      return invalidSignature('a deposit wallet order needs maker = signer');
    const wallet = wallets.walletAt(signer);
    if (wallet?.kind !== 'deposit') {
      return invalidSignature(`${signer} is not a deposit wallet registered with the simulator`);
    }
    return accepted(wallet.owner);
  }
  if (isAddressEqual(maker, signer)) {
    return invalidSignature(
      `a signature type ${signatureType} order needs a maker wallet distinct from the signer`,
    );
  }
  const kind = WALLET_KIND_OF_SIGNATURE_TYPE[signatureType];
  const wallet = wallets.walletAt(maker);
  if (wallet !== undefined && (wallet.kind !== kind || !isAddressEqual(wallet.owner, signer))) {
    return invalidSignature(`maker ${maker} is not a ${kind} wallet of ${signer}`);
  }
  return accepted(signer);
}

export async function verifyOrder(
  order: SignedOrderV2,
  context: OrderCheckContext,
): Promise<Verified<VerifiedOrder>> {
  const wallets = context.wallets ?? noWallets;
  const venue = { chainId: context.chainId, negRisk: context.negRisk };
  const belongs = checkSignerBelongsToKey(order, context.apiKeyOwner, wallets);
  if (!belongs.ok) return belongs;
  const expected = expectedEcdsaSigner(order, wallets);
  if (!expected.ok) return expected;

  const hash = orderHash(order, venue);
  let signedBy: Address;
  if (order.signatureType === 3) {
    const owner = await recoverDepositWalletOwner(order, venue);
    if (typeof owner !== 'string') return invalidSignature(owner.reason);
    signedBy = owner;
  } else {
    const recovered = await recoverOrderSigner(hash, order.signature);
    if (recovered === undefined) {
      return invalidSignature('the signature is not a recoverable 65-byte ECDSA signature');
    }
    signedBy = recovered;
  }
  if (!isAddressEqual(signedBy, expected.value)) {
    return invalidSignature(`the order is signed by ${signedBy}, not ${expected.value}`);
  }
  return accepted({
    hash,
    maker: getAddress(order.maker),
    signer: getAddress(order.signer),
    signatureType: order.signatureType,
    signedBy: getAddress(signedBy),
  });
}
