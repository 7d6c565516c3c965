/** `eth_subscribe` logs filters: parsing and geth's matching rules. */
import { describe, expect, it } from 'vitest';
import { RpcRequestError } from '../../../src/sim/chain/jsonrpc.ts';
import { logMatches, parseLogFilter, type RpcLog } from '../../../src/sim/chain/log-filter.ts';

const T0 = `0x${'a0'.repeat(32)}`;
const T1 = `0x${'b1'.repeat(32)}`;
const T2 = `0x${'c2'.repeat(32)}`;
const OTHER = `0x${'ff'.repeat(32)}`;
const ADDR = `0x${'12'.repeat(20)}`;

const log = (address = ADDR, topics = [T0, T1, T2]): RpcLog => ({
  address,
  topics,
  data: '0x',
  blockNumber: '0x1',
  blockHash: OTHER,
  transactionHash: OTHER,
  transactionIndex: '0x0',
  logIndex: '0x0',
  removed: false,
});

describe('logs filter', () => {
  it.each([
    ['no filter', undefined, true],
    ['an empty filter', {}, true],
    ['the address, in another case', { address: ADDR.toUpperCase().replace('0X', '0x') }, true],
    ['a list of addresses holding it', { address: [`0x${'34'.repeat(20)}`, ADDR] }, true],
    ['another address', { address: `0x${'34'.repeat(20)}` }, false],
    ['topic0 only', { topics: [T0] }, true],
    ['a wildcard then topic2', { topics: [T0, null, T2] }, true],
    ['a wrong topic2', { topics: [T0, null, OTHER] }, false],
    ['any-of at topic1', { topics: [null, [OTHER, T1]] }, true],
    ['an empty any-of (wildcard)', { topics: [[], [], [T2]] }, true],
    ['more positions than the log has', { topics: [T0, T1, T2, null] }, false],
    ['a null filter', null, true],
  ])('with %s: %s', (_name, filter, expected) => {
    expect(logMatches(parseLogFilter(filter), log())).toBe(expected);
  });

  it.each([
    ['a short address', { address: '0x12' }],
    ['a non-hex topic', { topics: ['nope'] }],
    ['five topics', { topics: [null, null, null, null, null] }],
    ['a string filter', 'logs'],
  ])('refuses %s with invalid params', (_name, filter) => {
    expect(() => parseLogFilter(filter)).toThrow(RpcRequestError);
  });
});
