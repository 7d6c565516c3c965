/**
 * Who holds what: pUSD per address, shares per address and token, each with the part reserved by
 * open orders, plus token supply and collected fees. Every operation keeps balances non-negative
 * and reservations within balances; a breach is an engine bug and throws.
 */
import { SimEngineError } from './errors.ts';

export interface Holding {
  balance: number;
  /** Held back by open orders; never more than balance. */
  reserved: number;
}

const EMPTY: Readonly<Holding> = Object.freeze({ balance: 0, reserved: 0 });

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new SimEngineError(`ledger amount must be a non-negative safe integer, got ${amount}`);
  }
}

export class Ledger {
  readonly #cash = new Map<string, Holding>();
  /** address -> token -> holding */
  readonly #shares = new Map<string, Map<string, Holding>>();
  readonly #supply = new Map<string, number>();
  #fees = 0;
  #netDeposits = 0;

  cash(address: string): Readonly<Holding> {
    return this.#cash.get(address) ?? EMPTY;
  }

  shares(address: string, token: string): Readonly<Holding> {
    return this.#shares.get(address)?.get(token) ?? EMPTY;
  }

  supply(token: string): number {
    return this.#supply.get(token) ?? 0;
  }

  get feesCollected(): number {
    return this.#fees;
  }

  /** pUSD brought in from outside minus pUSD taken out. */
  get netDeposits(): number {
    return this.#netDeposits;
  }

  /** Every address with a pUSD or share record, in first-seen order. */
  addresses(): string[] {
    const all = new Set<string>(this.#cash.keys());
    for (const a of this.#shares.keys()) all.add(a);
    return [...all];
  }

  /** Tokens an address has a record for, in first-seen order. */
  tokensOf(address: string): string[] {
    return [...(this.#shares.get(address)?.keys() ?? [])];
  }

  deposit(address: string, amount: number): void {
    this.creditCash(address, amount);
    this.#netDeposits += amount;
  }

  withdraw(address: string, amount: number): void {
    checkAmount(amount);
    const h = this.#cashHolding(address);
    this.#take(h, amount, `withdraw ${amount} from ${address}`);
    this.#netDeposits -= amount;
  }

  creditCash(address: string, amount: number): void {
    checkAmount(amount);
    this.#cashHolding(address).balance += amount;
  }

  reserveCash(address: string, amount: number): void {
    this.#reserve(this.#cashHolding(address), amount, `reserve ${amount} pUSD of ${address}`);
  }

  releaseCash(address: string, amount: number): void {
    this.#release(this.#cashHolding(address), amount, `release ${amount} pUSD of ${address}`);
  }

  /** Pays out of what an order reserved: balance and reservation both fall. */
  spendReservedCash(address: string, amount: number): void {
    this.#spendReserved(this.#cashHolding(address), amount, `spend ${amount} reserved pUSD of ${address}`);
  }

  /** Pays out of the unreserved balance. */
  spendCash(address: string, amount: number): void {
    checkAmount(amount);
    this.#take(this.#cashHolding(address), amount, `spend ${amount} pUSD of ${address}`);
  }

  creditShares(address: string, token: string, amount: number): void {
    checkAmount(amount);
    this.#shareHolding(address, token).balance += amount;
  }

  reserveShares(address: string, token: string, amount: number): void {
    this.#reserve(this.#shareHolding(address, token), amount, `reserve ${amount} of ${token} of ${address}`);
  }

  releaseShares(address: string, token: string, amount: number): void {
    this.#release(this.#shareHolding(address, token), amount, `release ${amount} of ${token} of ${address}`);
  }

  spendReservedShares(address: string, token: string, amount: number): void {
    this.#spendReserved(
      this.#shareHolding(address, token),
      amount,
      `spend ${amount} reserved ${token} of ${address}`,
    );
  }

  spendShares(address: string, token: string, amount: number): void {
    checkAmount(amount);
    this.#take(this.#shareHolding(address, token), amount, `spend ${amount} of ${token} of ${address}`);
  }

  /** New YES and NO shares backed by as much collateral (a split or a MINT match). */
  addSupply(tokens: readonly [string, string], amount: number): void {
    checkAmount(amount);
    for (const t of tokens) this.#supply.set(t, this.supply(t) + amount);
  }

  /** Shares burned (a merge, a MERGE match or a redemption). */
  removeSupply(token: string, amount: number): void {
    checkAmount(amount);
    const left = this.supply(token) - amount;
    if (left < 0) throw new SimEngineError(`supply of ${token} would go negative`);
    this.#supply.set(token, left);
  }

  collectFee(amount: number): void {
    checkAmount(amount);
    this.#fees += amount;
  }

  #cashHolding(address: string): Holding {
    let h = this.#cash.get(address);
    if (h === undefined) {
      h = { balance: 0, reserved: 0 };
      this.#cash.set(address, h);
    }
    return h;
  }

  #shareHolding(address: string, token: string): Holding {
    let byToken = this.#shares.get(address);
    if (byToken === undefined) {
      byToken = new Map();
      this.#shares.set(address, byToken);
    }
    let h = byToken.get(token);
    if (h === undefined) {
      h = { balance: 0, reserved: 0 };
      byToken.set(token, h);
    }
    return h;
  }

  #reserve(h: Holding, amount: number, what: string): void {
    checkAmount(amount);
    if (h.balance - h.reserved < amount) throw new SimEngineError(`cannot ${what}: not available`);
    h.reserved += amount;
  }

  #release(h: Holding, amount: number, what: string): void {
    checkAmount(amount);
    if (h.reserved < amount) throw new SimEngineError(`cannot ${what}: not reserved`);
    h.reserved -= amount;
  }

  #spendReserved(h: Holding, amount: number, what: string): void {
    checkAmount(amount);
    if (h.reserved < amount || h.balance < amount) throw new SimEngineError(`cannot ${what}: not reserved`);
    h.reserved -= amount;
    h.balance -= amount;
  }

  #take(h: Holding, amount: number, what: string): void {
    if (h.balance - h.reserved < amount) throw new SimEngineError(`cannot ${what}: not available`);
    h.balance -= amount;
  }
}
