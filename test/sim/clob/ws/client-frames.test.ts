/** What each client frame asks for, in the forms the official clients and the docs send. */
import { describe, expect, it } from 'vitest';
import { parseMarketFrame, parseUserFrame } from '../../../../src/sim/clob/ws/client-frames.ts';

const auth = { apiKey: 'k', secret: 's', passphrase: 'p' };

describe('market channel frames', () => {
  it.each([
    [
      'docs subscribe',
      { assets_ids: ['1', '2'], type: 'market' },
      { operation: 'subscribe', assetIds: ['1', '2'], initialDump: true, customFeatures: undefined },
    ],
    [
      'custom features and no dump',
      { assets_ids: ['1'], type: 'market', initial_dump: false, level: 2, custom_feature_enabled: true },
      { operation: 'subscribe', assetIds: ['1'], initialDump: false, customFeatures: true },
    ],
    [
      'official Rust client (type, operation and markets at once)',
      { type: 'market', operation: 'subscribe', markets: [], assets_ids: ['1'], initial_dump: true },
      { operation: 'subscribe', assetIds: ['1'], initialDump: true },
    ],
    [
      'dynamic unsubscribe, any case, duplicates and non-strings dropped',
      { operation: 'UNSUBSCRIBE', assets_ids: ['1', 1, '', '1', null] },
      { operation: 'unsubscribe', assetIds: ['1'] },
    ],
    ['type in capitals', { assets_ids: [], type: 'MARKET' }, { operation: 'subscribe', assetIds: [] }],
  ])('%s', (_name, frame, expected) => {
    expect(parseMarketFrame(JSON.stringify(frame))).toMatchObject({ kind: 'market', ...expected });
  });

  it.each([
    ['PING', { kind: 'ping' }],
    ['ping', { kind: 'ignored' }],
    ['', { kind: 'ignored' }],
    ['{', { kind: 'ignored' }],
    ['[{"assets_ids":[],"type":"market"}]', { kind: 'ignored' }],
    ['{"assets_ids":"1","type":"market"}', { kind: 'ignored' }],
    ['{"type":"market"}', { kind: 'ignored' }],
    ['{"assets_ids":[],"type":"user"}', { kind: 'ignored' }],
    ['{"assets_ids":[],"operation":"replace"}', { kind: 'ignored' }],
  ])('%j -> %j', (text, expected) => {
    expect(parseMarketFrame(text)).toEqual(expected);
  });
});

describe('user channel frames', () => {
  it('reads the docs subscribe and the Python client’s extras', () => {
    expect(parseUserFrame(JSON.stringify({ auth, markets: ['0xa'], type: 'user' }))).toEqual({
      kind: 'user',
      operation: 'subscribe',
      auth,
      markets: ['0xa'],
    });
    expect(
      parseUserFrame(JSON.stringify({ auth, markets: [], assets_ids: [], initial_dump: true, type: 'user' })),
    ).toEqual({ kind: 'user', operation: 'subscribe', auth, markets: [] });
    expect(parseUserFrame(JSON.stringify({ operation: 'unsubscribe', markets: ['0xa'] }))).toEqual({
      kind: 'user',
      operation: 'unsubscribe',
      auth: undefined,
      markets: ['0xa'],
    });
  });

  it('turns malformed credentials into credentials nothing matches, and ignores frames that ask nothing', () => {
    expect(parseUserFrame(JSON.stringify({ auth: { apiKey: 'k' }, type: 'user' }))).toEqual({
      kind: 'user',
      operation: 'subscribe',
      auth: { apiKey: '', secret: '', passphrase: '' },
      markets: [],
    });
    for (const text of ['{}', '{"foo":1}', '[]', 'null', 'x', '{"auth":{},"type":"market"}'])
      expect(parseUserFrame(text)).toEqual({ kind: 'ignored' });
    expect(parseUserFrame('PING')).toEqual({ kind: 'ping' });
  });
});
