import { OrderType } from '@polymarket/clob-client-v2';
import { describe, expect, it } from 'vitest';
import {
  checkOrderOwner,
  parsePostOrderBody,
  parsePostOrdersBody,
} from '../../../../src/sim/clob/auth/parse-order-body.ts';
import { CLOB_ERROR } from '../../../../src/sim/clob/auth/replies.ts';
import { buildClientOrder, testWallet, wireOrderBody } from '../../../polymarket/clob/official-client.ts';

const alice = testWallet('alice');
const KEY = 'a9ea8ae9-4cd0-527b-b042-33caecd34be4';

const payloadError = { status: 400, body: { error: CLOB_ERROR.invalidOrderPayload } };

describe('parsePostOrderBody', () => {
  it('parses the JSON text the client sends, and an already parsed value', async () => {
    const text = wireOrderBody(await buildClientOrder({ wallet: alice }), KEY, OrderType.FAK);
    const fromText = parsePostOrderBody(text);
    expect(fromText).toEqual({ ok: true, value: JSON.parse(text) });
    expect(parsePostOrderBody(JSON.parse(text))).toEqual(fromText);
  });

  it('answers 400 Invalid order payload, naming the field, for bodies that are not V2 orders', async () => {
    const raw = JSON.parse(wireOrderBody(await buildClientOrder({ wallet: alice }), KEY));
    const notJson = parsePostOrderBody('{"order":');
    expect(notJson).toMatchObject({ ok: false, reply: payloadError, reason: 'the body is not JSON' });
    const badSide = parsePostOrderBody(JSON.stringify({ ...raw, order: { ...raw.order, side: 'HOLD' } }));
    expect(badSide).toMatchObject({ ok: false, reply: payloadError });
    if (!badSide.ok) expect(badSide.reason).toMatch(/^order\.side:/);
    expect(parsePostOrderBody('[]')).toMatchObject({ ok: false, reply: payloadError });
    expect(parsePostOrderBody(null)).toMatchObject({ ok: false, reply: payloadError });
  });
});

describe('parsePostOrdersBody', () => {
  it('parses a batch and refuses it whole when one order is malformed', async () => {
    const one = JSON.parse(wireOrderBody(await buildClientOrder({ wallet: alice }), KEY));
    const batch = parsePostOrdersBody(JSON.stringify([one, one]));
    expect(batch.ok && batch.value.length).toBe(2);
    const bad = parsePostOrdersBody(JSON.stringify([one, { ...one, orderType: 'NOPE' }]));
    expect(bad).toMatchObject({ ok: false, reply: payloadError });
    if (!bad.ok) expect(bad.reason).toMatch(/^1\.orderType:/);
    expect(parsePostOrdersBody(JSON.stringify(one))).toMatchObject({ ok: false, reply: payloadError });
  });
});

describe('checkOrderOwner', () => {
  it('wants the API key of the request in `owner`, not an address', async () => {
    const parsed = parsePostOrderBody(wireOrderBody(await buildClientOrder({ wallet: alice }), KEY));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(checkOrderOwner(parsed.value, KEY)).toEqual(parsed);
    const withAddress = { ...parsed.value, owner: alice.address };
    expect(checkOrderOwner(withAddress, KEY)).toMatchObject({
      ok: false,
      reply: { status: 400, body: { error: CLOB_ERROR.ownerMismatch } },
    });
    expect(checkOrderOwner(parsed.value, 'another-key')).toMatchObject({ ok: false });
  });
});
