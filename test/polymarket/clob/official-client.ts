/**
 * Test support: the official `@polymarket/clob-client-v2` as the oracle. Fixed test keys (made
 * from labels, never real), wallet clients that can sign but make no RPC call, and signed orders
 * built by the client's own OrderBuilder, with no network.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type Chain,
  OrderBuilder,
  type OrderType,
  orderToJsonV2,
  Side,
  type SignatureTypeV2,
  type TickSize,
} from '@polymarket/clob-client-v2';
import { type Address, createWalletClient, custom, type Hex, keccak256, toHex } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { polygon } from 'viem/chains';
import { type SignedOrderV2, signedOrderV2Schema } from '../../../src/polymarket/clob/order-v2.ts';

/** The client's V2 signed order type (not exported by name from the package root). */
export type ClientSignedOrderV2 = Parameters<typeof orderToJsonV2>[0];

/** A token id of the docs' examples; any uint256 works. */
export const TOKEN_ID = '71321045679252212594626385532706912750332728571942532289631379312455583992563';

export interface TestWallet {
  privateKey: Hex;
  account: PrivateKeyAccount;
  address: Address;
  /** A viem WalletClient, the signer type the client takes. */
  signer: ReturnType<typeof walletClientFor>;
}

function walletClientFor(account: PrivateKeyAccount) {
  return createWalletClient({
    account,
    chain: polygon,
    transport: custom({
      request: async () => {
        throw new Error('tests make no RPC calls; local accounts sign offline');
      },
    }),
  });
}

/** A wallet whose key is keccak256 of a label: fixed across runs, obviously not a real key. */
export function testWallet(label: string): TestWallet {
  const privateKey = keccak256(toHex(`polyhunter clob test key: ${label}`));
  const account = privateKeyToAccount(privateKey);
  return { privateKey, account, address: account.address, signer: walletClientFor(account) };
}

/** An address nobody has the key of, for proxy/Safe/deposit wallets. */
export function testContractAddress(label: string): Address {
  return privateKeyToAccount(keccak256(toHex(`polyhunter clob test contract: ${label}`))).address;
}

export interface ClientOrderSpec {
  wallet: TestWallet;
  chainId?: 137 | 80002;
  signatureType?: SignatureTypeV2;
  funder?: Address;
  negRisk?: boolean;
  tickSize?: TickSize;
  side?: Side;
  price?: number;
  size?: number;
  tokenID?: string;
  expiration?: number;
}

/** A V2 order built and signed by the client's OrderBuilder (no network involved). */
export async function buildClientOrder(spec: ClientOrderSpec): Promise<ClientSignedOrderV2> {
  const builder = new OrderBuilder(
    spec.wallet.signer,
    (spec.chainId ?? 137) as Chain,
    spec.signatureType,
    spec.funder,
  );
  const order = await builder.buildOrder(
    {
      tokenID: spec.tokenID ?? TOKEN_ID,
      price: spec.price ?? 0.56,
      size: spec.size ?? 21.04,
      side: spec.side ?? Side.BUY,
      ...(spec.expiration === undefined ? {} : { expiration: spec.expiration }),
    },
    { tickSize: spec.tickSize ?? '0.01', negRisk: spec.negRisk ?? false },
    2,
  );
  return order as ClientSignedOrderV2;
}

/** The order as it arrives at a server: through the client's orderToJsonV2 and JSON. */
export function wireOrderBody(
  order: ClientSignedOrderV2,
  owner: string,
  orderType = 'GTC' as OrderType,
): string {
  return JSON.stringify(orderToJsonV2(order, owner, orderType));
}

/** The `order` of a wire body, parsed with our schema. */
export function parsedWireOrder(order: ClientSignedOrderV2): SignedOrderV2 {
  const body = JSON.parse(wireOrderBody(order, 'owner-key')) as { order: unknown };
  return signedOrderV2Schema.parse(body.order);
}

interface ClientExchangeOrderBuilderV2 {
  buildOrderTypedData(order: ClientSignedOrderV2): unknown;
  buildOrderHash(typedData: unknown): Hex;
}

/**
 * The client's own order hash (`ExchangeOrderBuilderV2.buildOrderHash`). The class is not exported
 * from the package root, so it is loaded from the installed dist/ file.
 */
export async function clientOrderHash(
  order: ClientSignedOrderV2,
  exchange: Address,
  chainId: number,
): Promise<Hex> {
  const require = createRequire(import.meta.url);
  const distDir = dirname(require.resolve('@polymarket/clob-client-v2'));
  const url = pathToFileURL(join(distDir, 'order-utils', 'exchangeOrderBuilderV2.js')).href;
  const mod = (await import(url)) as {
    ExchangeOrderBuilderV2: new (
      exchange: Address,
      chainId: number,
      signer: unknown,
    ) => ClientExchangeOrderBuilderV2;
  };
  const builder = new mod.ExchangeOrderBuilderV2(exchange, chainId, undefined);
  return builder.buildOrderHash(builder.buildOrderTypedData(order));
}
