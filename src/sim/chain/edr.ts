/**
 * The in-process EVM: an EDR (Hardhat's Rust EVM) provider, and a small typed way to call it.
 *
 * EDR quirks handled here: its responses carry neither `jsonrpc` nor `id` (and `data` may be a
 * string or an object); `EdrContext` may be created once per process.
 */
import {
  type AccountOverride,
  ContractDecoder,
  EdrContext,
  L1_CHAIN_TYPE,
  l1GenesisState,
  l1HardforkFromString,
  l1ProviderFactory,
  MineOrdering,
  PRAGUE,
  type Provider,
} from '@nomicfoundation/edr';
import type { Hex } from 'viem';
import type { JsonRpcErrorObject } from './jsonrpc.ts';

let context: Promise<EdrContext> | undefined;

/** EDR allows a single context per process; providers share it. */
function edrContext(): Promise<EdrContext> {
  context ??= (async () => {
    const ctx = new EdrContext();
    await ctx.registerProviderFactory(L1_CHAIN_TYPE, l1ProviderFactory());
    return ctx;
  })();
  return context;
}

export interface EdrChainConfig {
  chainId: bigint;
  /** Accounts (code, balance) present from block 0, on top of the hardfork's system contracts. */
  genesis: AccountOverride[];
  /** Private keys EDR signs `eth_sendTransaction` with. */
  ownedKeys: Hex[];
  blockGasLimit: bigint;
  initialBaseFeePerGas: bigint;
  /** Seconds since the epoch. */
  genesisTimestamp: bigint;
}

/** Polygon PoS follows Prague-level rules (and Osaka's 2^24 transaction gas cap does not apply). */
const HARDFORK = PRAGUE;

export async function createEdrProvider(config: EdrChainConfig): Promise<EdrRpc> {
  const ctx = await edrContext();
  const provider = await ctx.createProvider(
    L1_CHAIN_TYPE,
    {
      allowBlocksWithSameTimestamp: true,
      allowUnlimitedContractSize: false,
      // A reverting eth_call answers a JSON-RPC error with the revert data, as a real node does.
      bailOnCallFailure: true,
      bailOnTransactionFailure: false,
      chainId: config.chainId,
      coinbase: new Uint8Array(20),
      defaultTransactionGasLimit: 1_000_000n,
      genesisState: [...l1GenesisState(l1HardforkFromString(HARDFORK)), ...config.genesis],
      hardfork: HARDFORK,
      initialBaseFeePerGas: config.initialBaseFeePerGas,
      minGasPrice: 0n,
      // Blocks are mined by the simulator (interval, on demand, reorgs), never by EDR itself.
      mining: { autoMine: false, blockGasLimit: config.blockGasLimit, memPool: { order: MineOrdering.Fifo } },
      network: { genesisBlockGasLimit: config.blockGasLimit, genesisBlockTime: config.genesisTimestamp },
      networkId: config.chainId,
      observability: {},
      ownedAccounts: config.ownedKeys,
      precompileOverrides: [],
    },
    { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} },
    // Subscriptions are served by the bridge from mined blocks, not by EDR.
    { subscriptionCallback: () => {} },
    new ContractDecoder(),
  );
  return new EdrRpc(provider);
}

/** A JSON-RPC answer without envelope: exactly one of result or error. */
export type RpcOutcome = { result: unknown } | { error: JsonRpcErrorObject };

export class EdrRpcError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(method: string, error: JsonRpcErrorObject) {
    super(`${method}: ${error.message}`);
    this.name = 'EdrRpcError';
    this.code = error.code;
    this.data = error.data;
  }
}

export class EdrRpc {
  readonly #provider: Provider;

  constructor(provider: Provider) {
    this.#provider = provider;
  }

  /** Sends one request; EDR's reply as result or error, never a throw for a JSON-RPC error. */
  async request(method: string, params: readonly unknown[]): Promise<RpcOutcome> {
    const response = await this.#provider.handleRequest(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    );
    const data: unknown = typeof response.data === 'string' ? JSON.parse(response.data) : response.data;
    if (data !== null && typeof data === 'object') {
      if ('error' in data) return { error: toErrorObject(data.error) };
      if ('result' in data) return { result: data.result };
    }
    return { error: { code: -32603, message: 'EDR returned neither result nor error' } };
  }

  /** Sends one request and returns its result; throws EdrRpcError for a JSON-RPC error. */
  async call<T = unknown>(method: string, params: readonly unknown[] = []): Promise<T> {
    const outcome = await this.request(method, params);
    if ('error' in outcome) throw new EdrRpcError(method, outcome.error);
    return outcome.result as T;
  }
}

function toErrorObject(value: unknown): JsonRpcErrorObject {
  const v = (value ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
  // EDR reports a revert as data { reason: { Revert }, data: '0x..' }; geth (and Polygon's bor)
  // answer code 3, "execution reverted", with the revert data as a hex string.
  const revertData = (v.data as { data?: unknown } | null | undefined)?.data;
  if (typeof revertData === 'string' && /^0x[0-9a-fA-F]*$/.test(revertData)) {
    return { code: 3, message: 'execution reverted', data: revertData };
  }
  const error: JsonRpcErrorObject = {
    code: typeof v.code === 'number' ? v.code : -32603,
    message: typeof v.message === 'string' ? v.message : 'internal error',
  };
  // EDR echoes the whole request as `data` on some errors; keep only plain string data.
  if (typeof v.data === 'string') error.data = v.data;
  return error;
}
