/** SimExchange.sol: compiles, its typed ABI matches solc's, the operator patch and the cache. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exchangeV2EventsAbi } from '../../../src/polymarket/chain/index.ts';
import { simExchangeAbi } from '../../../src/sim/chain/contract/abi.ts';
import { compileSimExchange } from '../../../src/sim/chain/contract/compile.ts';
import { runtimeCodeFor } from '../../../src/sim/chain/contract/runtime-code.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sim-chain-compile-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * ABI items as canonical JSON (sorted keys; no `internalType`, and no `anonymous`/`indexed` false or
 * empty `name`, which solc writes and parseAbi leaves out), so
 * ABIs from solc and from parseAbi compare regardless of order.
 */
function signatures(abi: readonly unknown[]): string[] {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value)
      .filter(
        ([k, v]) =>
          k !== 'internalType' &&
          !(k === 'anonymous' && v === false) &&
          !(k === 'indexed' && v === false) &&
          !(k === 'name' && v === ''),
      )
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, canonical(v)]);
    return Object.fromEntries(entries);
  };
  return abi.map((item) => JSON.stringify(canonical(item))).sort();
}

describe('SimExchange contract', () => {
  it('compiles, and solc reports the ABI the simulator encodes with', async () => {
    const compiled = await compileSimExchange({ cacheDir: null });
    expect(signatures(compiled.abi)).toEqual(signatures(simExchangeAbi));
    expect(compiled.runtimeCode).toMatch(/^0x[0-9a-f]+$/);
    expect(compiled.operatorRefs.length).toBeGreaterThan(0);
  }, 30_000);

  it('emits the real V2 exchange events, byte for byte in signature and indexing', () => {
    const events = (abi: readonly unknown[], name: string) =>
      signatures(
        abi.filter(
          (x) =>
            (x as { type: string; name: string }).type === 'event' && (x as { name: string }).name === name,
        ),
      );
    for (const name of ['OrderFilled', 'OrdersMatched']) {
      const ours = events(simExchangeAbi, name);
      expect(ours).toEqual(events(exchangeV2EventsAbi, name));
      expect(ours[0]).toContain('"indexed":true');
    }
  });

  it('places the operator address into every immutable slot', async () => {
    const compiled = await compileSimExchange({ cacheDir: null });
    const operator = '0x1563915e194D8CfBA1943570603F7606A3115508';
    const code = runtimeCodeFor(compiled, operator);
    expect(code.length).toBe(compiled.runtimeCode.length);
    for (const ref of compiled.operatorRefs) {
      const word = code.slice(2 + ref.start * 2, 2 + (ref.start + ref.length) * 2);
      expect(word).toBe(operator.slice(2).toLowerCase().padStart(64, '0'));
    }
    expect(() => runtimeCodeFor(compiled, '0x1234' as `0x${string}`)).toThrow(TypeError);
  });

  it('caches the compiled contract on disk by hash and reads it back; a corrupt entry is recompiled', async () => {
    const dir = tempDir();
    const first = await compileSimExchange({ cacheDir: dir });
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^simexchange-[0-9a-f]{64}\.json$/);

    // A second dir holding a corrupt entry under the same name: recompiled and rewritten.
    const other = tempDir();
    writeFileSync(join(other, files[0]!), '{"not": "a compiled contract"');
    expect(await compileSimExchange({ cacheDir: other })).toEqual(first);
    expect(JSON.parse(readFileSync(join(other, files[0]!), 'utf8'))).toEqual(first);
  }, 30_000);
});
