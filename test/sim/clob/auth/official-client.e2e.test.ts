/**
 * The official client against this folder's verifiers over real HTTP: what it sends must pass,
 * and what the real service refuses must come back with the real status and body.
 */
import { type ApiKeyCreds, ClobClient, OrderType, Side, SignatureTypeV2 } from '@polymarket/clob-client-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  orderHash,
  type PostOrderV2Body,
  postOrderV2BodySchema,
} from '../../../../src/polymarket/clob/order-v2.ts';
import { CLOB_ERROR } from '../../../../src/sim/clob/auth/replies.ts';
import {
  type TestWallet,
  TOKEN_ID,
  testContractAddress,
  testWallet,
} from '../../../polymarket/clob/official-client.ts';
import { type AuthTestServer, startAuthTestServer } from './auth-test-server.ts';

const NEG_RISK_TOKEN = '1000000000000000000000000000000000000000000000000000000000000000000000000002';

let server: AuthTestServer;

beforeAll(async () => {
  server = await startAuthTestServer();
  server.negRiskTokens.add(NEG_RISK_TOKEN);
});
afterAll(async () => {
  await server.close();
});

function client(wallet: TestWallet, extra: Partial<ConstructorParameters<typeof ClobClient>[0]> = {}) {
  return new ClobClient({ host: server.url, chain: 137, signer: wallet.signer, ...extra });
}

async function credsFor(wallet: TestWallet): Promise<ApiKeyCreds> {
  return client(wallet).createOrDeriveApiKey();
}

function lastRequest(method: string, path: string) {
  const found = server.requests.filter((r) => r.method === method && r.target.split('?')[0] === path).at(-1);
  if (found === undefined) throw new Error(`no ${method} ${path} recorded`);
  return found;
}

describe('API keys through the official client', () => {
  it('create, then create-or-derive: the second create gets the real 400 and the client derives the same key', async () => {
    const wallet = testWallet('e2e keys');
    const created = await client(wallet).createApiKey();
    expect(created.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(await client(wallet).createOrDeriveApiKey()).toEqual(created);
    const refusedCreate = server.requests.filter((r) => r.target === '/auth/api-key').at(-1);
    expect(refusedCreate).toMatchObject({ status: 400, reply: { error: CLOB_ERROR.couldNotCreateApiKey } });
    expect(await client(wallet).deriveApiKey()).toEqual(created);
    const request = lastRequest('GET', '/auth/derive-api-key');
    expect(
      Object.keys(request.headers)
        .filter((h) => h.startsWith('poly_'))
        .sort(),
    ).toEqual(['poly_address', 'poly_nonce', 'poly_signature', 'poly_timestamp']);
    expect(request.headers.poly_address).toBe(wallet.address);
    expect(request.headers.poly_nonce).toBe('0');
  });

  it('keys per nonce: a new nonce makes a new key and retires the old one', async () => {
    const wallet = testWallet('e2e nonces');
    const first = await client(wallet).createApiKey(0);
    const second = await client(wallet).createApiKey(9);
    expect(second.key).not.toBe(first.key);
    expect(server.keys.lookup(first.key)).toBeUndefined();
    expect(server.keys.lookup(second.key)?.nonce).toBe(9n);
  });

  it('with throwOnError, createOrDeriveApiKey throws on the 400 instead of deriving (client quirk)', async () => {
    const wallet = testWallet('e2e throw');
    await client(wallet).createApiKey();
    await expect(client(wallet, { throwOnError: true }).createOrDeriveApiKey()).rejects.toMatchObject({
      status: 400,
      message: CLOB_ERROR.couldNotCreateApiKey,
    });
  });

  it('answers 401 Invalid L1 Request headers to a client on the wrong chain or with a skewed clock', async () => {
    const wallet = testWallet('e2e l1 refusals');
    await expect(client(wallet, { chain: 80002, throwOnError: true }).createApiKey()).rejects.toMatchObject({
      status: 401,
      message: CLOB_ERROR.invalidL1Headers,
    });
    server.clockOffsetMs = 61_000;
    try {
      await expect(client(wallet, { throwOnError: true }).createApiKey()).rejects.toMatchObject({
        status: 401,
        message: CLOB_ERROR.invalidL1Headers,
      });
    } finally {
      server.clockOffsetMs = 0;
    }
  });
});

describe('orders through the official client', () => {
  const alice = testWallet('e2e alice');
  const proxy = testContractAddress('e2e alice proxy');
  const safe = testContractAddress('e2e alice safe');
  const deposit = testContractAddress('e2e alice deposit wallet');
  let creds: ApiKeyCreds;

  beforeAll(async () => {
    creds = await credsFor(alice);
    server.wallets.register({ address: deposit, owner: alice.address, kind: 'deposit' });
  });

  const cases = [
    { name: 'EOA', signatureType: SignatureTypeV2.EOA, funder: undefined },
    { name: 'proxy', signatureType: SignatureTypeV2.POLY_PROXY, funder: proxy },
    { name: 'Safe', signatureType: SignatureTypeV2.POLY_GNOSIS_SAFE, funder: safe },
    { name: 'deposit wallet', signatureType: SignatureTypeV2.POLY_1271, funder: deposit },
  ];
  for (const { name, signatureType, funder } of cases) {
    for (const negRisk of [false, true]) {
      it(`${name} order on the ${negRisk ? 'neg-risk' : 'standard'} exchange is accepted; orderID is our hash`, async () => {
        const trader = client(alice, { creds, signatureType, funderAddress: funder, throwOnError: true });
        const tokenID = negRisk ? NEG_RISK_TOKEN : TOKEN_ID;
        const response = await trader.createAndPostOrder(
          { tokenID, price: 0.42, size: 10, side: Side.BUY },
          { tickSize: '0.01', negRisk },
        );
        const request = lastRequest('POST', '/order');
        expect(JSON.stringify(JSON.parse(request.body))).toBe(request.body);
        const body: PostOrderV2Body = postOrderV2BodySchema.parse(JSON.parse(request.body));
        expect(body).toMatchObject({ owner: creds.key, orderType: 'GTC', postOnly: false, deferExec: false });
        expect(body.order.signatureType).toBe(signatureType);
        expect(request.headers.poly_address).toBe(alice.address);
        expect(request.headers.poly_api_key).toBe(creds.key);
        expect(response).toMatchObject({
          success: true,
          orderID: orderHash(body.order, { chainId: 137, negRisk }),
        });
      });
    }
  }

  it('a batch, a query-string GET and a DELETE with a body all pass L2', async () => {
    const trader = client(alice, { creds, throwOnError: true });
    const a = await trader.createOrder(
      { tokenID: TOKEN_ID, price: 0.3, size: 5, side: Side.BUY },
      { tickSize: '0.01', negRisk: false },
    );
    const b = await trader.createOrder(
      { tokenID: TOKEN_ID, price: 0.7, size: 5, side: Side.SELL },
      { tickSize: '0.01', negRisk: false },
    );
    const batch = await trader.postOrders([
      { order: a, orderType: OrderType.GTC },
      { order: b, orderType: OrderType.GTD },
    ]);
    expect(batch).toMatchObject([{ success: true }, { success: true }]);
    await expect(trader.getOpenOrders({ market: '0xabc' }, true)).resolves.toEqual([]);
    expect(lastRequest('GET', '/data/orders').target).toContain('?');
    await expect(trader.cancelOrder({ orderID: '0x01' })).resolves.toEqual({
      canceled: ['0x01'],
      not_canceled: {},
    });
    expect(lastRequest('DELETE', '/order').body).toBe('{"orderID":"0x01"}');
  });

  it('a wrong secret or passphrase gets 401 Unauthorized/Invalid api key', async () => {
    for (const bad of [
      { ...creds, secret: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
      { ...creds, passphrase: 'not-it' },
      { ...creds, key: '00000000-0000-5000-8000-000000000000' },
    ]) {
      const trader = client(alice, { creds: bad, throwOnError: true });
      await expect(
        trader.createAndPostOrder(
          { tokenID: TOKEN_ID, price: 0.42, size: 10, side: Side.BUY },
          { tickSize: '0.01', negRisk: false },
        ),
      ).rejects.toMatchObject({ status: 401, message: CLOB_ERROR.invalidApiKey });
    }
  });

  it("someone else's key with our signer gets 401; our key with their orders gets the signer error", async () => {
    const bob = testWallet('e2e bob');
    const bobCreds = await credsFor(bob);
    const borrowed = client(alice, { creds: bobCreds, throwOnError: true });
    await expect(borrowed.getOpenOrders(undefined, true)).rejects.toMatchObject({
      status: 401,
      message: CLOB_ERROR.invalidApiKey,
    });
    // Bob signs an order but posts it with Alice's credentials: the HMAC is fine, the signer is not.
    const bobOrder = await client(bob, { creds: bobCreds }).createOrder(
      { tokenID: TOKEN_ID, price: 0.42, size: 10, side: Side.BUY },
      { tickSize: '0.01', negRisk: false },
    );
    await expect(client(alice, { creds, throwOnError: true }).postOrder(bobOrder)).rejects.toMatchObject({
      status: 400,
      message: CLOB_ERROR.signerMismatch,
    });
  });

  it('a deposit wallet the simulator does not know gets the real signer error', async () => {
    const trader = client(alice, {
      creds,
      signatureType: SignatureTypeV2.POLY_1271,
      funderAddress: testContractAddress('e2e unknown deposit wallet'),
      throwOnError: true,
    });
    await expect(
      trader.createAndPostOrder(
        { tokenID: TOKEN_ID, price: 0.42, size: 10, side: Side.BUY },
        { tickSize: '0.01', negRisk: false },
      ),
    ).rejects.toMatchObject({ status: 400, message: CLOB_ERROR.signerMismatch });
  });

  it('an order for the other exchange gets 400 invalid signature', async () => {
    const trader = client(alice, { creds, throwOnError: true });
    // Signed for the standard exchange, but the token is a neg-risk market's.
    const order = await trader.createOrder(
      { tokenID: NEG_RISK_TOKEN, price: 0.42, size: 10, side: Side.BUY },
      { tickSize: '0.01', negRisk: false },
    );
    await expect(trader.postOrder(order)).rejects.toMatchObject({
      status: 400,
      message: CLOB_ERROR.invalidSignature,
    });
  });
});
