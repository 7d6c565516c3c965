import { describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../src/sim/catalog/generate.ts';
import {
  DEMO_SCENARIO_PATH,
  loadScenario,
  parseScenario,
  resolveTokens,
  ScenarioError,
} from '../../../src/sim/traders/index.ts';
import { NOW } from './helpers.ts';

const json = (steps: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ leaders: [{ name: 'whale', usdc: 100 }], steps, ...extra });

/** The ScenarioError's lines for a text that must not parse. */
function problems(text: string): readonly string[] {
  try {
    parseScenario(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as ScenarioError).issues;
  }
  throw new Error('the scenario parsed');
}

describe('parseScenario', () => {
  it('reads the demo: a leader who buys, adds, partly sells and exits in two markets', async () => {
    const demo = await loadScenario(DEMO_SCENARIO_PATH);
    expect(demo.name).toBe('demo');
    expect(demo.leaders).toEqual([{ name: 'whale', usdc: 2_000_000_000 }]);
    expect(
      demo.steps.map((s) => (s.type === 'trade' ? [s.at, s.side, Object.keys(s.size)[0]] : null)),
    ).toEqual([
      [3, 'BUY', 'levels'],
      [8, 'BUY', 'levels'],
      [14, 'BUY', 'usdc'],
      [20, 'SELL', 'fraction'],
      [26, 'SELL', 'fraction'],
      [32, 'SELL', 'fraction'],
      [38, 'SELL', 'fraction'],
    ]);
    expect(demo.steps[0]).toEqual({
      type: 'trade',
      step: 1,
      at: 3,
      leader: 'whale',
      side: 'BUY',
      token: { market: 'binary:0', outcome: 'Yes' },
      size: { levels: 2 },
      orderType: 'FAK',
    });
    // "all": true is the whole position.
    expect(demo.steps[5]).toMatchObject({ side: 'SELL', size: { fraction: 1_000_000 } });
  });

  it('reads TOML the same as JSON, amounts exact, faults typed, steps in time order', () => {
    const toml = `
name = "t"
[[leaders]]
name = "whale"
usdc = "100.50"
[[steps]]
at = 10
leader = "whale"
sell = { market = "negrisk:0:2", outcome = "No", fraction = 0.3333 }
[[steps]]
at = 4
fault = "clob_ws_drop"
params = { forS = 5 }
[[steps]]
at = 4
leader = "whale"
buy = { token = "123", usdc = 12.34, orderType = "GTD", limit = 0.455, expiresInS = 120 }
`;
    const fromToml = parseScenario(toml);
    const fromJson = parseScenario(
      JSON.stringify({
        name: 't',
        leaders: [{ name: 'whale', usdc: '100.50' }],
        steps: [
          { at: 10, leader: 'whale', sell: { market: 'negrisk:0:2', outcome: 'No', fraction: 0.3333 } },
          { at: 4, fault: 'clob_ws_drop', params: { forS: 5 } },
          {
            at: 4,
            leader: 'whale',
            buy: { token: '123', usdc: 12.34, orderType: 'GTD', limit: 0.455, expiresInS: 120 },
          },
        ],
      }),
    );
    expect(fromToml).toEqual(fromJson);
    expect(fromToml.leaders[0]!.usdc).toBe(100_500_000);
    expect(fromToml.steps).toEqual([
      { type: 'fault', step: 2, at: 4, kind: 'clob_ws_drop', params: { forS: 5 } },
      {
        type: 'trade',
        step: 3,
        at: 4,
        leader: 'whale',
        side: 'BUY',
        token: { tokenId: '123' },
        size: { usdc: 12_340_000 },
        orderType: 'GTD',
        limit: 455_000,
        expiresInS: 120,
      },
      {
        type: 'trade',
        step: 1,
        at: 10,
        leader: 'whale',
        side: 'SELL',
        token: { market: 'negrisk:0:2', outcome: 'No' },
        size: { fraction: 333_300 },
        orderType: 'FAK',
      },
    ]);
  });

  it('rejects bad steps with a message naming each step', () => {
    const lines = problems(
      json([
        { at: 1, leader: 'whale', buy: { market: 'binary:0', usdc: 10 } },
        { at: 2, leader: 'whale', buy: { market: 'binary:0', fraction: 0.5 } },
        { at: 3, leader: 'whale', sell: { market: 'binary:0', shares: 5, all: true } },
        { at: 4, leader: 'ghost', buy: { market: 'binary:0', usdc: 10 } },
        { at: 5, leader: 'whale', buy: { market: 'binary:0', usdc: 10.001 } },
        { at: 6, leader: 'whale', buy: { market: 'Not A Slug', usdc: 10 } },
        {
          at: 7,
          leader: 'whale',
          buy: { market: 'binary:0', usdc: 1 },
          sell: { market: 'binary:0', all: true },
        },
        { at: 8, leader: 'whale', buy: { market: 'binary:0', shares: 10, orderType: 'GTC' } },
        { at: 9, leader: 'whale', buy: { market: 'binary:0', amount: 10 } },
        { leader: 'whale', buy: { market: 'binary:0', usdc: 10 } },
        { at: 11, fault: 'Bad Kind' },
        { at: 12 },
      ]),
    );
    expect(lines).toEqual([
      'step 2 (at 2s, whale): buy: fraction is only for sells',
      'step 3 (at 3s, whale): sell: give exactly one size: usdc, shares, fraction, all, levels',
      'step 4 (at 4s, ghost): leader "ghost" is not listed in leaders',
      'step 5 (at 5s, whale): buy.usdc: usdc has more than 2 decimals',
      'step 6 (at 6s, whale): buy.market: market must be binary:N, negrisk:E:M, a condition id or a slug',
      'step 7 (at 7s, whale): give exactly one of "buy" or "sell" (or "fault" for a fault step)',
      'step 8 (at 8s, whale): buy: a GTC order needs a limit',
      'step 9 (at 9s, whale): buy: Unrecognized key: "amount"',
      'step 10 (whale): at: at must be a number of seconds',
      'step 11 (at 11s, fault Bad Kind): fault: fault must be a lower-case kind like "clob_ws_drop"',
      'step 12 (at 12s): a step needs "leader" with "buy" or "sell", or "fault"',
    ]);
  });

  it('rejects bad files as a whole: not JSON or TOML, no steps, duplicate or malformed leaders', () => {
    expect(problems('{ "steps": [')[0]).toMatch(/^not valid JSON: /);
    expect(problems('steps = [[')[0]).toMatch(/^not valid TOML: /);
    expect(problems(JSON.stringify({ steps: [] }))).toEqual(['steps: steps must list at least one step']);
    expect(problems(JSON.stringify({ leaders: [{ name: 'a b' }], steps: [{ at: 1, fault: 'x' }] }))).toEqual([
      'leaders[0].name: leader name must be letters, digits, _ . or -',
    ]);
    expect(
      problems(JSON.stringify({ leaders: [{ name: 'a' }, { name: 'a' }], steps: [{ at: 1, fault: 'x' }] })),
    ).toEqual(['leaders: a is listed twice']);
    expect(() => parseScenario('{}')).toThrow(/invalid scenario:\n {2}steps: /);
  });

  it('resolves market references in a catalog, naming the step of one that names nothing', () => {
    const catalog = generateCatalog({ seed: 3, now: NOW, binaryMarkets: 2, negRiskEvents: [3] });
    const scenario = parseScenario(
      json([
        { at: 1, leader: 'whale', buy: { market: 'binary:1', outcome: 'No', usdc: 10 } },
        { at: 2, leader: 'whale', buy: { market: 'negrisk:0:2', usdc: 10 } },
        { at: 3, leader: 'whale', buy: { market: catalog.markets[0]!.slug, usdc: 10 } },
      ]),
    );
    const tokens = resolveTokens(scenario, catalog);
    const binaries = catalog.markets.filter((m) => !m.negRisk);
    const event = catalog.events.find((e) => e.negRisk)!;
    expect(tokens.get(1)).toBe(binaries[1]!.tokens[1].tokenId);
    expect(tokens.get(2)).toBe(catalog.markets.find((m) => m.id === event.marketIds[2])!.tokens[0].tokenId);
    expect(tokens.get(3)).toBe(catalog.markets[0]!.tokens[0].tokenId);

    const bad = parseScenario(
      json([
        { at: 1, leader: 'whale', buy: { market: 'binary:5', usdc: 10 } },
        { at: 2, leader: 'whale', buy: { market: 'negrisk:0:7', usdc: 10 } },
        { at: 3, leader: 'whale', buy: { token: '42', usdc: 10 } },
      ]),
    );
    expect(() => resolveTokens(bad, catalog)).toThrow(ScenarioError);
    try {
      resolveTokens(bad, catalog);
    } catch (err) {
      expect((err as ScenarioError).issues).toEqual([
        'step 1 (at 1s, whale): binary:5: the catalog has 2 binary markets',
        `step 2 (at 2s, whale): negrisk:0:7: event ${event.slug} has 3 markets`,
        'step 3 (at 3s, whale): token 42 is not in the catalog',
      ]);
    }
  });
});
