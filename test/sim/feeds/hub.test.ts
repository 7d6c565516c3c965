/** The hub's input checks and enrichment, the lag model, profiles and the RTDS frame parser (pure). */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import type { TradeFill } from '../../../src/sim/feeds/fill.ts';
import { IndexingLag } from '../../../src/sim/feeds/lag.ts';
import { PROFILE_KINDS, profileFor } from '../../../src/sim/feeds/profile.ts';
import { UNKNOWN_OUTCOME_INDEX } from '../../../src/sim/feeds/record.ts';
import {
  parseClientFrame,
  type SubscriptionFrame,
  SubscriptionSet,
} from '../../../src/sim/feeds/rtds-protocol.ts';
import { LAG_MS, makeWorld, SEED, START, wallet } from './fixture.ts';

describe('FeedsHub.publish', () => {
  it('enriches from the catalog: title, slugs, outcome; neg-risk markets carry their event', () => {
    const { hub, fills, catalog } = makeWorld();
    const m = catalog.markets.find((x) => x.negRisk)!;
    const event = catalog.events.find((e) => e.id === m.eventId)!;
    const [r] = hub.publish([fills.trade(m, wallet(), 'BUY', 1, 300_000, 1)]);
    expect(r!.market).toMatchObject({
      title: m.question,
      slug: m.slug,
      eventSlug: event.slug,
      eventId: event.id,
      outcome: 'No',
      outcomeIndex: 1,
      oppositeOutcome: 'Yes',
      oppositeTokenId: m.tokens[0].tokenId,
      negRisk: true,
    });
    expect(r!.visibleAt).toBe(START + LAG_MS);
  });

  it('marks an unknown token with outcomeIndex 999 and empty strings', () => {
    const { hub, fills } = makeWorld();
    const fill: TradeFill = {
      ...fills.trade(fills.market(0), wallet(), 'BUY', 1, 300_000),
      tokenId: '12345',
    };
    const [r] = hub.publish([{ ...fill, conditionId: `0x${'ab'.repeat(32)}` }]);
    expect(r!.market).toMatchObject({ title: '', slug: '', eventSlug: '', outcome: '', icon: '' });
    expect(r!.market.outcomeIndex).toBe(UNKNOWN_OUTCOME_INDEX);
  });

  it('refuses a malformed batch or a non-increasing seq, keeping none of it', () => {
    const { hub, fills } = makeWorld();
    const ok = fills.trade(fills.market(0), wallet(), 'BUY', 1, 300_000);
    hub.publish([ok]);
    const next = fills.trade(fills.market(0), wallet(), 'BUY', 1, 300_000);
    const bad: unknown[] = [
      { ...next, seq: ok.seq }, // not above the last
      { ...next, price: 1_000_001 },
      { ...next, size: 0 },
      { ...next, size: 1.5 },
      { ...next, proxyWallet: '0x12' },
      { ...next, side: 'HOLD' },
      { ...next, type: 'SPLIT' },
      { ...next, fee: -1 },
    ];
    for (const fill of bad) {
      expect(() => hub.publish([next, fill as TradeFill]), JSON.stringify(fill)).toThrow(ValidationError);
    }
    expect(hub.all()).toHaveLength(1);
    hub.publish([next]);
    expect(hub.all()).toHaveLength(2);
  });

  it('hands each batch to listeners at once; a throwing listener does not stop the others', () => {
    const { hub, fills } = makeWorld();
    const seen: number[] = [];
    hub.subscribe(() => {
      throw new Error('listener bug');
    });
    const stop = hub.subscribe((records) => seen.push(...records.map((r) => r.seq)));
    const batch = fills.match(fills.market(0), [
      { wallet: wallet(), side: 'BUY', outcome: 0, size: 2, price: 500_000 },
      { wallet: wallet(), side: 'SELL', outcome: 0, size: 2, price: 500_000 },
    ]);
    hub.publish(batch);
    expect(seen).toEqual(batch.map((f) => f.seq));
    stop();
    hub.publish([fills.trade(fills.market(0), wallet(), 'BUY', 1, 500_000)]);
    expect(seen).toHaveLength(2);
  });

  it('uses the same profile for a wallet in any letter case, and lets it be replaced', () => {
    const { hub } = makeWorld();
    const w = wallet();
    expect(hub.profile(w.toUpperCase().replace('0X', '0x'))).toEqual(hub.profile(w));
    const custom = {
      name: 'leader',
      pseudonym: 'Big-Fish',
      bio: '',
      profileImage: '',
      profileImageOptimized: '',
    };
    hub.setProfile(w, custom);
    expect(hub.profile(w)).toEqual(custom);
  });
});

describe('IndexingLag', () => {
  it('assigns match + base, plus spikes for matches inside them, never earlier than the previous', () => {
    let now = 1_000_000;
    const lag = new IndexingLag(() => now, 5_000);
    expect(lag.assign(now)).toBe(1_005_000);
    lag.spike(30_000, 10_000); // matches in [1_000_000, 1_010_000)
    expect(lag.assign(1_000_000)).toBe(1_035_000);
    expect(lag.assign(1_009_999)).toBe(1_044_999);
    expect(lag.assign(1_010_000)).toBe(1_044_999); // own time 1_015_000, queued behind
    now = 2_000_000;
    lag.setBaseMs(1_000);
    expect(lag.assign(now)).toBe(2_001_000);
    lag.spike(500, 1_000);
    lag.clearSpikes();
    expect(lag.assign(now)).toBe(2_001_000);
    expect(() => lag.setBaseMs(-1)).toThrow(RangeError);
    expect(() => lag.spike(1.5, 10)).toThrow(RangeError);
  });
});

describe('profileFor', () => {
  it('is deterministic per wallet and seed, and produces every kind with the right empty fields', () => {
    const w = wallet();
    expect(profileFor(w, { seed: SEED, epochMs: START })).toEqual(
      profileFor(w, { seed: SEED, epochMs: START }),
    );
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const p = profileFor(wallet(), { seed: SEED, epochMs: START });
      counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
      const filled = (['name', 'pseudonym', 'bio', 'profileImage', 'profileImageOptimized'] as const).map(
        (k) => p[k] !== '',
      );
      const expected = {
        anonymous: [false, false, false, false, false],
        default: [true, true, false, false, false],
        named: [true, true, false, false, false],
        'named-image': [true, true, false, true, false],
        full: [true, true, true, true, true],
      }[p.kind];
      expect(filled, p.kind).toEqual(expected);
      if (p.pseudonym) expect(p.pseudonym).toMatch(/^[A-Z][a-z]+(-[A-Z][a-z]+){1,2}$/);
    }
    expect([...counts.keys()].sort()).toEqual([...PROFILE_KINDS].sort());
  });
});

describe('RTDS client frames', () => {
  it('parses pings, subscribes with filters, and ignores the rest', () => {
    expect(parseClientFrame('ping')).toEqual({ kind: 'ping', reply: 'pong' });
    expect(parseClientFrame('PING')).toEqual({ kind: 'ping', reply: 'PONG' });
    for (const junk of ['', 'Ping', '{}', '{"action":"subscribe","subscriptions":{}}', '42']) {
      expect(parseClientFrame(junk), junk).toEqual({ kind: 'ignored' });
    }
    const frame = parseClientFrame(
      JSON.stringify({
        action: 'subscribe',
        subscriptions: [
          { topic: 'activity', type: '*', filters: '{"event_slug":"e"}' },
          { topic: 'activity', type: 'trades', filters: 'garbage' },
          { topic: 'comments', type: '*' },
        ],
      }),
    );
    expect(frame).toMatchObject({
      kind: 'subscribe',
      subscriptions: [
        { topic: 'activity', type: 'trades', filter: { eventSlug: 'e' } },
        { topic: 'activity', type: 'orders_matched', filter: { eventSlug: 'e' } },
        { topic: 'comments', type: '*', filter: {} },
      ],
    });
  });

  it('unsubscribes one filter, or every filter of a type when none is given', () => {
    const set = new SubscriptionSet();
    const sub = (filters?: string) =>
      parseClientFrame(
        JSON.stringify({
          action: 'subscribe',
          subscriptions: [{ topic: 'activity', type: 'trades', filters }],
        }),
      ) as SubscriptionFrame;
    const unsub = (filters?: string) => ({ ...sub(filters), kind: 'unsubscribe' as const });
    set.apply(sub('{"event_slug":"a"}'));
    set.apply(sub('{"event_slug":"b"}'));
    set.apply(sub('{"event_slug":"b"}')); // a duplicate is one subscription
    expect(set.size).toBe(2);
    set.apply(unsub('{"event_slug":"a"}'));
    expect(set.size).toBe(1);
    set.apply(unsub());
    expect(set.size).toBe(0);
  });
});
