/**
 * Preflight against the simulator with the official client underneath: balances and allowances as
 * the venue reports them, the buy and pre-sell checks with their fixes, and the 2 s cache with
 * shared in-flight requests (counted where the requests leave, on a hand-driven clock).
 */
import { getAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import type { Usdc } from '../../../src/core/money.ts';
import {
  type AssetType,
  type BalanceAllowanceReader,
  ClobAccount,
  createPreflight,
  type Preflight,
} from '../../../src/execution/preflight/index.ts';
import { POLYGON_CONTRACTS } from '../../../src/polymarket/clob/addresses.ts';
import { testWallet } from '../../polymarket/clob/official-client.ts';
import { type LiveWorld, sh, startLiveWorld, usd } from '../live/support.ts';

let world: LiveWorld;
beforeAll(async () => {
  world = await startLiveWorld({ seed: 21 });
});
afterAll(async () => {
  await world?.stop();
});

const MAX_UINT256 = 2n ** 256n - 1n;

/** A type 0 account on the simulator, funded with `fund` pUSD and `sets` complete sets. */
async function accountFor(label: string, fund = 0, sets = 0): Promise<ClobAccount> {
  const wallet = testWallet(`preflight: ${label}`);
  if (fund > 0) world.sim.venue.engine.deposit(wallet.address, usd(fund));
  if (sets > 0) world.sim.venue.engine.split(wallet.address, world.market.conditionId, sh(sets));
  return new ClobAccount({
    clobUrl: world.sim.urls.clob,
    chainId: 137,
    privateKey: wallet.privateKey,
    signatureType: 0,
    timeoutMs: 5_000,
  });
}

/** The reader with every request counted on its way to the venue. */
function counted(reader: BalanceAllowanceReader) {
  const calls: { assetType: AssetType; tokenId: string | undefined }[] = [];
  return {
    calls,
    reader: {
      balanceAllowance(assetType: AssetType, tokenId?: string) {
        calls.push({ assetType, tokenId });
        return reader.balanceAllowance(assetType, tokenId);
      },
    } satisfies BalanceAllowanceReader,
  };
}

function preflightOf(account: ClobAccount, clock = new ManualClock(1_000)): Preflight {
  return createPreflight({
    reader: account,
    chainId: 137,
    wallet: account.address,
    signatureType: 0,
    clock,
    ttlMs: 2_000,
  });
}

describe('balances and allowances from the venue', () => {
  it('a funded wallet: its pUSD and the three approvals, and a buy within it passes', async () => {
    const account = await accountFor('funded', 250);
    const preflight = preflightOf(account);
    expect(await preflight.collateral()).toEqual({
      balance: usd(250),
      allowances: { exchange: MAX_UINT256, negRiskExchange: MAX_UINT256, negRiskAdapter: MAX_UINT256 },
    });
    expect(await preflight.checkBuy(usd(250), false)).toEqual({ ok: true });
    expect(await preflight.checkBuy(usd(12.5), true)).toEqual({ ok: true });
    expect(await preflight.checkBalance(usd(1))).toEqual({
      status: 'pass',
      detail: `250 pUSD in EOA ${account.address}`,
    });
    expect((await preflight.checkAllowances()).status).toBe('pass');
  });

  it('an unfunded wallet fails INSUFFICIENT_BALANCE, naming the wallet, the amounts and the fix', async () => {
    const account = await accountFor('unfunded');
    const preflight = preflightOf(account);
    const result = await preflight.checkBuy(usd(12.5), false);
    expect(result).toEqual({
      ok: false,
      code: 'INSUFFICIENT_BALANCE',
      message: `this buy costs 12.5 pUSD but EOA ${account.address} holds 0 pUSD`,
      fix: `Deposit at least 12.5 pUSD into ${account.address} or make the order smaller.`,
    });
    expect(await preflight.checkBalance(usd(1))).toMatchObject({
      status: 'fail',
      code: 'INSUFFICIENT_BALANCE',
      fix: `Deposit pUSD into ${account.address}, the wallet orders trade from.`,
    });
  });

  it('a buy over the balance by one micro-dollar is refused; exact amounts, no float', async () => {
    const account = await accountFor('exact', 10);
    const preflight = preflightOf(account);
    expect(await preflight.checkBuy(usd(10), false)).toEqual({ ok: true });
    const over = await preflight.checkBuy((usd(10) + 1) as Usdc, false);
    expect(over).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE' });
    expect(over.ok === false && over.fix).toContain('at least 0.000001 pUSD');
  });

  it('the pre-sell check: shares held pass, more than held fail INSUFFICIENT_SHARES with the most that may be sold', async () => {
    const account = await accountFor('seller', 100, 40);
    const preflight = preflightOf(account);
    expect(await preflight.conditional(world.yes)).toEqual({
      tokenId: world.yes,
      balance: sh(40),
      allowances: { exchange: MAX_UINT256, negRiskExchange: MAX_UINT256, negRiskAdapter: MAX_UINT256 },
    });
    expect(await preflight.checkSell(world.yes, sh(40), { negRisk: false })).toEqual({ ok: true });
    const over = await preflight.checkSell(world.no, sh(40.01));
    expect(over).toEqual({
      ok: false,
      code: 'INSUFFICIENT_SHARES',
      message: `this sell is for 40.01 shares of token ${world.no} but EOA ${account.address} holds 40`,
      fix: 'Sell at most 40 shares; if a buy of this token just filled, retry once it has settled.',
    });
  });
});

describe('the cache: at most 2 s, one request in flight per asset', () => {
  it('two calls within 2 s make one request; after 2 s a new one', async () => {
    const account = await accountFor('cache', 5);
    const clock = new ManualClock(1_000);
    const { reader, calls } = counted(account);
    const preflight = createPreflight({
      reader,
      chainId: 137,
      wallet: account.address,
      signatureType: 0,
      clock,
      ttlMs: 2_000,
    });
    expect((await preflight.collateral()).balance).toBe(usd(5));
    await clock.advance(1_999);
    world.sim.venue.engine.deposit(account.address, usd(1));
    // Still the cached answer: the deposit is not seen within the 2 s.
    expect(await preflight.checkBuy(usd(6), false)).toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    expect(calls).toHaveLength(1);
    await clock.advance(1);
    expect(await preflight.checkBuy(usd(6), false)).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
  });

  it('concurrent calls share one request, per asset', async () => {
    const account = await accountFor('concurrent', 5, 3);
    const { reader, calls } = counted(account);
    const preflight = createPreflight({
      reader,
      chainId: 137,
      wallet: account.address,
      signatureType: 0,
      clock: new ManualClock(0),
    });
    const results = await Promise.all([
      preflight.collateral(),
      preflight.checkBuy(usd(1), false),
      preflight.checkBalance(usd(1)),
      preflight.conditional(world.yes),
      preflight.checkSell(world.yes, sh(3)),
      preflight.checkSell(world.no, sh(1)),
    ]);
    expect(results[1]).toEqual({ ok: true });
    expect(results[4]).toEqual({ ok: true });
    expect(calls).toEqual([
      { assetType: 'COLLATERAL', tokenId: undefined },
      { assetType: 'CONDITIONAL', tokenId: world.yes },
      { assetType: 'CONDITIONAL', tokenId: world.no },
    ]);
  });

  it('invalidate makes the next call read afresh (after an order or a fill)', async () => {
    const account = await accountFor('invalidate', 5);
    const { reader, calls } = counted(account);
    const preflight = createPreflight({
      reader,
      chainId: 137,
      wallet: account.address,
      signatureType: 0,
      clock: new ManualClock(0),
    });
    await preflight.collateral();
    world.sim.venue.engine.deposit(account.address, usd(5));
    preflight.invalidate();
    expect((await preflight.collateral()).balance).toBe(usd(10));
    expect(calls).toHaveLength(2);
  });
});

describe('what the venue could answer', () => {
  const wallet = getAddress('0x00000000000000000000000000000000000b0b00');

  /** A preflight over a reader answering `reply` (or throwing it). */
  function over(reply: unknown | (() => Promise<unknown>)) {
    return createPreflight({
      reader: {
        balanceAllowance: () =>
          typeof reply === 'function' ? (reply as () => Promise<unknown>)() : Promise.resolve(reply),
      },
      chainId: 137,
      wallet,
      signatureType: 1,
      clock: new ManualClock(0),
    });
  }

  it('no approval for the exchange the order is signed for: MISSING_ALLOWANCE, naming the contract', async () => {
    const preflight = over({
      balance: '50000000',
      allowances: {
        [POLYGON_CONTRACTS.exchangeV2.toLowerCase()]: '0',
        [POLYGON_CONTRACTS.negRiskExchangeV2]: '1000000',
      },
    });
    const standard = await preflight.checkBuy(usd(5), false);
    expect(standard).toMatchObject({ ok: false, code: 'MISSING_ALLOWANCE' });
    expect(standard.ok === false && standard.message).toBe(
      `proxy wallet ${wallet} has approved no pUSD for the CTF Exchange V2 ${POLYGON_CONTRACTS.exchangeV2}, and this buy needs 5 pUSD`,
    );
    expect(standard.ok === false && standard.fix).toContain(`Approve pUSD (${POLYGON_CONTRACTS.collateral})`);
    const negRisk = await preflight.checkBuy(usd(5), true);
    expect(negRisk.ok === false && negRisk.message).toContain(
      'has approved only 1 pUSD for the NegRisk CTF Exchange V2',
    );
    expect(await preflight.checkBuy(usd(1), true)).toEqual({ ok: true });
    expect(await preflight.checkAllowances()).toMatchObject({ status: 'fail', code: 'MISSING_ALLOWANCE' });
  });

  it('the single-allowance shape applies to every spender', async () => {
    const preflight = over({ balance: '2000000', allowance: '1000000' });
    expect(await preflight.collateral()).toEqual({
      balance: usd(2),
      allowances: { exchange: 1_000_000n, negRiskExchange: 1_000_000n, negRiskAdapter: 1_000_000n },
    });
  });

  it('outcome tokens not approved for the exchange: the sell fails MISSING_ALLOWANCE; unreported approvals are not judged', async () => {
    const approvals = over({ balance: '9000000', allowances: { [POLYGON_CONTRACTS.exchangeV2]: '0' } });
    const sell = await approvals.checkSell('123', sh(9), { negRisk: false });
    expect(sell).toMatchObject({ ok: false, code: 'MISSING_ALLOWANCE' });
    expect(sell.ok === false && sell.fix).toContain(
      `setApprovalForAll on the CTF (${POLYGON_CONTRACTS.conditionalTokens})`,
    );
    const none = over({ balance: '9000000', allowances: {} });
    expect(await none.checkSell('123', sh(9), { negRisk: false })).toEqual({ ok: true });
  });

  it('an unreadable reply or an unreachable venue refuses with BALANCE_UNAVAILABLE; nothing is cached', async () => {
    let n = 0;
    const preflight = over(async () => {
      n++;
      if (n === 1) return { balance: '12.5' };
      throw new Error('connect ECONNREFUSED');
    });
    const bad = await preflight.checkBuy(usd(1), false);
    expect(bad).toMatchObject({ ok: false, code: 'BALANCE_UNAVAILABLE' });
    expect(bad.ok === false && bad.message).toContain('unreadable reply');
    const down = await preflight.checkBuy(usd(1), false);
    expect(down.ok === false && down.message).toContain('ECONNREFUSED');
    expect(n).toBe(2);
  });

  it('a refused API key says so', async () => {
    const wallet = testWallet('preflight: bad key');
    const account = new ClobAccount({
      clobUrl: world.sim.urls.clob,
      chainId: 137,
      privateKey: wallet.privateKey,
      signatureType: 0,
      apiCreds: { key: '00000000-0000-4000-8000-000000000000', secret: 'AAAA', passphrase: 'nope' },
    });
    const result = await preflightOf(account).checkBuy(usd(1), false);
    expect(result).toMatchObject({ ok: false, code: 'API_KEY_REJECTED' });
  });
});
