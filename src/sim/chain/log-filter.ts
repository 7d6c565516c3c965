/**
 * `eth_subscribe` logs filters: parsing the client's `{ address, topics }` and matching logs the
 * way geth does (address: any of; topics: positional, null = any, an array = any of).
 */
import { z } from 'zod';
import { RPC_ERROR, RpcRequestError } from './jsonrpc.ts';

/** A log as JSON-RPC serves it (EDR's fields; hex strings). */
export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  blockTimestamp?: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed: boolean;
}

export interface LogFilter {
  /** Lower-case addresses, or null for any. */
  addresses: ReadonlySet<string> | null;
  /** Per topic position: accepted lower-case values, or null for any. */
  topics: readonly (ReadonlySet<string> | null)[];
}

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'not an address');
const topic = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'not a 32-byte topic');

const filterSchema = z
  .object({
    address: z.union([address, z.array(address)]).nullish(),
    topics: z
      .array(z.union([topic, z.null(), z.array(z.union([topic, z.null()]))]))
      .max(4)
      .nullish(),
  })
  .nullish();

export function parseLogFilter(value: unknown): LogFilter {
  const parsed = filterSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RpcRequestError(
      RPC_ERROR.invalidParams,
      `invalid logs filter: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}`,
    );
  }
  const f = parsed.data ?? {};
  const addressList = f.address == null ? [] : Array.isArray(f.address) ? f.address : [f.address];
  return {
    addresses: addressList.length === 0 ? null : new Set(addressList.map((a) => a.toLowerCase())),
    topics: (f.topics ?? []).map((t) => {
      if (t === null) return null;
      const values = Array.isArray(t) ? t : [t];
      // [] or a list holding null matches anything at that position, as in geth.
      if (values.length === 0 || values.includes(null)) return null;
      return new Set(values.map((v) => (v as string).toLowerCase()));
    }),
  };
}

export function logMatches(filter: LogFilter, log: RpcLog): boolean {
  if (filter.addresses !== null && !filter.addresses.has(log.address.toLowerCase())) return false;
  if (filter.topics.length > log.topics.length) return false;
  for (let i = 0; i < filter.topics.length; i++) {
    const wanted = filter.topics[i];
    if (wanted && !wanted.has(log.topics[i]!.toLowerCase())) return false;
  }
  return true;
}
