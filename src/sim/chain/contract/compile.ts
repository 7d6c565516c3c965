/**
 * Compiles SimExchange.sol with solc-js, cached on disk by a hash of the compiler version and the
 * whole standard-JSON input.
 *
 * Why a cache: loading solc-js (an 8 MB Emscripten module) and compiling take about 0.8 s, while
 * the EVM itself is ready in ~20 ms, and every simulator test starts a chain. The cache lives in
 * the OS temp dir because it is a derived artifact: any edit to the source, the settings or the
 * compiler changes the key, and a missing or unreadable entry just means compiling again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { z } from 'zod';

const SOURCE_NAME = 'SimExchange.sol';
const CONTRACT_NAME = 'SimExchange';

/** Polygon PoS runs Prague-level EVM rules; the chain uses the same hardfork. */
export const SIM_EVM_VERSION = 'prague';

export interface CompiledSimExchange {
  /** solc's ABI output (the typed copy is `simExchangeAbi`). */
  abi: unknown[];
  /** Runtime code with the `operator` immutable still zero. */
  runtimeCode: Hex;
  /** Byte ranges of the `operator` immutable inside `runtimeCode`. */
  operatorRefs: { start: number; length: number }[];
}

const compiledSchema = z.object({
  abi: z.array(z.unknown()),
  runtimeCode: z.string().regex(/^0x(?:[0-9a-f]{2})+$/),
  operatorRefs: z.array(z.object({ start: z.number().int(), length: z.literal(32) })).min(1),
});

export function defaultCompileCacheDir(): string {
  return join(tmpdir(), 'polyhunter-sim-chain');
}

/** In-process memo by cache key and cache dir: each chain start after the first costs nothing. */
const memo = new Map<string, Promise<CompiledSimExchange>>();

/**
 * The compiled contract. `cacheDir: null` skips the disk cache (it is still memoized in-process).
 */
export function compileSimExchange(options: { cacheDir?: string | null } = {}): Promise<CompiledSimExchange> {
  const cacheDir = options.cacheDir === undefined ? defaultCompileCacheDir() : options.cacheDir;
  const input = standardJsonInput();
  const key = createHash('sha256')
    .update(`${solcVersion()}\n${JSON.stringify(input)}`)
    .digest('hex');
  const memoKey = `${key} ${cacheDir ?? ''}`;
  let result = memo.get(memoKey);
  if (!result) {
    result = loadOrCompile(key, input, cacheDir);
    memo.set(memoKey, result);
    // A failed compile is not remembered: the next start tries again.
    result.catch(() => memo.delete(memoKey));
  }
  return result;
}

async function loadOrCompile(
  key: string,
  input: object,
  cacheDir: string | null,
): Promise<CompiledSimExchange> {
  if (cacheDir === null) return compile(input);
  const file = join(cacheDir, `simexchange-${key}.json`);
  const cached = readCache(file);
  if (cached) return cached;
  const compiled = await compile(input);
  writeCache(cacheDir, file, compiled);
  return compiled;
}

function standardJsonInput(): object {
  const content = readFileSync(new URL(`./${SOURCE_NAME}`, import.meta.url), 'utf8');
  return {
    language: 'Solidity',
    sources: { [SOURCE_NAME]: { content } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: SIM_EVM_VERSION,
      outputSelection: {
        [SOURCE_NAME]: {
          [CONTRACT_NAME]: ['abi', 'evm.deployedBytecode.object', 'evm.deployedBytecode.immutableReferences'],
        },
      },
    },
  };
}

/** The installed solc-js version, read from its package.json (loading solc itself is slow). */
function solcVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = require('solc/package.json') as { version: string };
  return pkg.version;
}

const solcOutputSchema = z.object({
  errors: z.array(z.object({ severity: z.string(), formattedMessage: z.string() })).optional(),
  contracts: z
    .record(
      z.string(),
      z.record(
        z.string(),
        z.object({
          abi: z.array(z.unknown()),
          evm: z.object({
            deployedBytecode: z.object({
              object: z.string(),
              immutableReferences: z.record(
                z.string(),
                z.array(z.object({ start: z.number(), length: z.number() })),
              ),
            }),
          }),
        }),
      ),
    )
    .optional(),
});

async function compile(input: object): Promise<CompiledSimExchange> {
  const solc = (await import('solc')).default;
  const output = solcOutputSchema.parse(JSON.parse(solc.compile(JSON.stringify(input)) as string));
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`SimExchange.sol does not compile:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  }
  const contract = output.contracts?.[SOURCE_NAME]?.[CONTRACT_NAME];
  if (!contract) throw new Error('solc produced no SimExchange contract');
  const immutables = Object.values(contract.evm.deployedBytecode.immutableReferences);
  // The contract has exactly one immutable, `operator`.
  if (immutables.length !== 1) throw new Error(`expected one immutable, solc reports ${immutables.length}`);
  return compiledSchema.parse({
    abi: contract.abi,
    runtimeCode: `0x${contract.evm.deployedBytecode.object.toLowerCase()}`,
    operatorRefs: immutables[0],
  }) as CompiledSimExchange;
}

function readCache(file: string): CompiledSimExchange | undefined {
  try {
    const parsed = compiledSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? (parsed.data as CompiledSimExchange) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes atomically (temp file + rename) so a concurrent reader never sees half a file. */
function writeCache(dir: string, file: string, compiled: CompiledSimExchange): void {
  try {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, JSON.stringify(compiled));
    renameSync(temp, file);
  } catch {
    // A read-only temp dir only costs a compile next time.
  }
}
