import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatMicro,
  microFromNumber,
  parseMicro,
  parsePrice,
  parseShares,
  parseUsdc,
} from '../../src/core/decimal.ts';
import { MoneyError } from '../../src/core/errors.ts';
import { ROUNDING_MODES } from '../../src/core/rounding.ts';

const MAX = Number.MAX_SAFE_INTEGER;
const mode = fc.constantFrom(...ROUNDING_MODES);

describe('parseMicro', () => {
  it.each([
    ['0.523', 523_000],
    ['1234.5', 1_234_500_000],
    ['-2.5', -2_500_000],
    ['0', 0],
    ['-0', 0],
    ['-0.000', 0],
    ['.5', 500_000],
    ['-.5', -500_000],
    ['007.50', 7_500_000],
    ['0.000001', 1],
    ['-0.000001', -1],
    ['1', 1_000_000],
    ['0.1234560000', 123_456], // extra decimals that are zeros lose nothing
    ['9007199254.740991', MAX],
    ['-9007199254.740991', -MAX],
  ])('%j -> %d', (text, want) => {
    const got = parseMicro(text);
    expect(got).toBe(want);
    expect(Object.is(got, -0)).toBe(false);
  });

  it.each([
    '',
    ' 1',
    '1 ',
    '1\n',
    '+1',
    '.',
    '-',
    '5.',
    '1.2.3',
    '0x10',
    '1,000',
    '1_000',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e',
    '--1',
    '١',
    '½',
  ])('rejects %j', (text) => {
    expect(() => parseMicro(text)).toThrow(MoneyError);
    expect(() => parseMicro(text, { allowExponent: true, rounding: 'halfEven' })).toThrow(/not a decimal/);
  });

  it('rejects values outside the safe integer range', () => {
    expect(() => parseMicro('9007199254.740992')).toThrow(/safe integer range/);
    expect(() => parseMicro('-9007199254.740992')).toThrow(/safe integer range/);
    expect(() => parseMicro('100000000000')).toThrow(/safe integer range/);
    expect(() => parseMicro('9'.repeat(400))).toThrow(/safe integer range/);
    expect(() => parseMicro('9007199254.7409915', { rounding: 'ceil' })).toThrow(/safe integer range/);
    expect(parseMicro('9007199254.7409915', { rounding: 'floor' })).toBe(MAX);
  });

  it('throws on more than 6 decimals unless a rounding mode is given', () => {
    expect(() => parseMicro('0.1234567')).toThrow(/more than 6 decimals/);
    expect(parseMicro('0.1234567', { rounding: 'floor' })).toBe(123_456);
    expect(parseMicro('0.1234567', { rounding: 'ceil' })).toBe(123_457);
    expect(parseMicro('0.1234565', { rounding: 'halfEven' })).toBe(123_456);
    expect(parseMicro('0.1234575', { rounding: 'halfEven' })).toBe(123_458);
    expect(parseMicro('0.12345650001', { rounding: 'halfEven' })).toBe(123_457);
    expect(parseMicro('0.1234565', { rounding: 'halfUp' })).toBe(123_457);
    expect(parseMicro('-0.1234565', { rounding: 'halfUp' })).toBe(-123_457);
    expect(parseMicro('-0.1234567', { rounding: 'floor' })).toBe(-123_457);
    expect(parseMicro('-0.1234567', { rounding: 'ceil' })).toBe(-123_456);
    expect(parseMicro('-0.1234567', { rounding: 'trunc' })).toBe(-123_456);
    expect(parseMicro('0.0000001', { rounding: 'ceil' })).toBe(1);
    expect(parseMicro('0.0000005', { rounding: 'halfEven' })).toBe(0);
    expect(parseMicro('0.0000005', { rounding: 'halfUp' })).toBe(1);
    const negZero = parseMicro('-0.0000001', { rounding: 'ceil' });
    expect(Object.is(negZero, 0)).toBe(true);
  });

  it('accepts exponent notation only when asked', () => {
    expect(() => parseMicro('1e-6')).toThrow(/exponent notation needs { allowExponent: true }/);
    expect(() => parseMicro('1E3')).toThrow(MoneyError);
    const opts = { allowExponent: true };
    expect(parseMicro('1e-6', opts)).toBe(1);
    expect(parseMicro('1E3', opts)).toBe(1_000_000_000);
    expect(parseMicro('1.5e+3', opts)).toBe(1_500_000_000);
    expect(parseMicro('-2.5e-1', opts)).toBe(-250_000);
    expect(parseMicro('123456e-6', opts)).toBe(123_456);
    expect(parseMicro('0.00012e2', opts)).toBe(12_000);
    expect(parseMicro('5e0', opts)).toBe(5_000_000);
    expect(parseMicro('0e999999', opts)).toBe(0);
    expect(() => parseMicro('1e-7', opts)).toThrow(/more than 6 decimals/);
    expect(parseMicro('1e-7', { ...opts, rounding: 'ceil' })).toBe(1);
    expect(parseMicro('-1e-7', { ...opts, rounding: 'floor' })).toBe(-1);
    expect(parseMicro('1e-400', { ...opts, rounding: 'ceil' })).toBe(1);
    expect(parseMicro('1e-400', { ...opts, rounding: 'halfUp' })).toBe(0);
    expect(parseMicro('5e-7', { ...opts, rounding: 'halfUp' })).toBe(1);
    expect(parseMicro('5e-7', { ...opts, rounding: 'halfEven' })).toBe(0);
    expect(parseMicro('1.5e-6', { ...opts, rounding: 'halfEven' })).toBe(2);
    expect(parseMicro('1e-99999999999999999999999999', { ...opts, rounding: 'ceil' })).toBe(1);
    expect(() => parseMicro('1e10', opts)).toThrow(/safe integer range/);
    expect(() => parseMicro('1e99999999999999999999999999', opts)).toThrow(/safe integer range/);
    expect(parseMicro('9.007199254740991e9', opts)).toBe(MAX);
  });

  it('typed variants check their unit', () => {
    expect(parseUsdc('-12.5')).toBe(-12_500_000);
    expect(parseShares('3.14')).toBe(3_140_000);
    expect(parsePrice('1')).toBe(1_000_000);
    expect(parsePrice('0')).toBe(0);
    expect(() => parsePrice('1.000001')).toThrow(MoneyError);
    expect(() => parsePrice('-0.01')).toThrow(MoneyError);
  });

  it('keeps the input in the error context, cut short', () => {
    try {
      parseMicro('x'.repeat(100));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MoneyError);
      expect((e as MoneyError).code).toBe('MONEY_INVALID');
      expect((e as MoneyError).context.input).toBe(JSON.stringify(`${'x'.repeat(40)}...`));
    }
  });
});

describe('formatMicro', () => {
  it.each([
    [523_000, '0.523'],
    [1_234_500_000, '1234.5'],
    [-1, '-0.000001'],
    [0, '0'],
    [1_000_000, '1'],
    [-2_500_000, '-2.5'],
    [10, '0.00001'],
    [MAX, '9007199254.740991'],
    [-MAX, '-9007199254.740991'],
  ])('%d -> %j', (value, want) => {
    expect(formatMicro(value)).toBe(want);
  });

  it('pads to minDecimals without dropping digits', () => {
    expect(formatMicro(1_000_000, { minDecimals: 2 })).toBe('1.00');
    expect(formatMicro(1_500_000, { minDecimals: 2 })).toBe('1.50');
    expect(formatMicro(1_234_567, { minDecimals: 2 })).toBe('1.234567');
    expect(formatMicro(0, { minDecimals: 6 })).toBe('0.000000');
  });

  it('rounds to fixed decimals in the given direction', () => {
    expect(formatMicro(1_234_567, { decimals: 2, rounding: 'halfEven' })).toBe('1.23');
    expect(formatMicro(1_235_000, { decimals: 2, rounding: 'halfEven' })).toBe('1.24');
    expect(formatMicro(1_225_000, { decimals: 2, rounding: 'halfEven' })).toBe('1.22');
    expect(formatMicro(1_225_000, { decimals: 2, rounding: 'halfUp' })).toBe('1.23');
    expect(formatMicro(1_230_001, { decimals: 2, rounding: 'ceil' })).toBe('1.24');
    expect(formatMicro(1_000_000, { decimals: 2, rounding: 'floor' })).toBe('1.00');
    expect(formatMicro(-1, { decimals: 2, rounding: 'floor' })).toBe('-0.01');
    expect(formatMicro(-1, { decimals: 2, rounding: 'trunc' })).toBe('0.00');
    expect(formatMicro(-1, { decimals: 2, rounding: 'halfUp' })).toBe('0.00');
    expect(formatMicro(999_999, { decimals: 0, rounding: 'halfUp' })).toBe('1');
    expect(formatMicro(1_234_567, { decimals: 6, rounding: 'floor' })).toBe('1.234567');
  });

  it('rejects bad values and options', () => {
    expect(() => formatMicro(0.5)).toThrow(MoneyError);
    expect(() => formatMicro(Number.NaN)).toThrow(MoneyError);
    expect(() => formatMicro(MAX + 1)).toThrow(MoneyError);
    expect(() => formatMicro(1, { decimals: 7, rounding: 'floor' })).toThrow(/decimals/);
    expect(() => formatMicro(1, { minDecimals: -1 })).toThrow(/decimals/);
    expect(() => formatMicro(1, { decimals: 1.5, rounding: 'floor' })).toThrow(/decimals/);
  });
});

describe('microFromNumber', () => {
  it.each([
    [0.52, 520_000],
    [12.345678, 12_345_678],
    [0.1, 100_000],
    [0.3, 300_000],
    [1.005, 1_005_000], // 1.005 * 1e6 is 1004999.9999999999 in floats
    [0.000001, 1],
    [1e-6, 1],
    [-0.07, -70_000],
    [0, 0],
    [-0, 0],
    [8589934591.999999, 8_589_934_591_999_999], // just below 2^33
  ])('%d -> %d', (n, want) => {
    for (const m of ROUNDING_MODES) {
      const got = microFromNumber(n, m);
      expect(got).toBe(want);
      expect(Object.is(got, -0)).toBe(false);
    }
  });

  it('rounds numbers with more than 6 decimals in the given direction', () => {
    expect(microFromNumber(0.1234567, 'floor')).toBe(123_456);
    expect(microFromNumber(0.1234567, 'ceil')).toBe(123_457);
    expect(microFromNumber(-0.1234567, 'floor')).toBe(-123_457);
    expect(microFromNumber(1e-7, 'ceil')).toBe(1);
    expect(microFromNumber(1e-7, 'floor')).toBe(0);
    expect(microFromNumber(5e-7, 'halfEven')).toBe(0);
    expect(microFromNumber(5e-7, 'halfUp')).toBe(1);
    expect(microFromNumber(Number.MIN_VALUE, 'ceil')).toBe(1);
  });

  it('rejects non-finite and out-of-range numbers', () => {
    expect(() => microFromNumber(Number.NaN, 'floor')).toThrow(MoneyError);
    expect(() => microFromNumber(Number.POSITIVE_INFINITY, 'floor')).toThrow(MoneyError);
    expect(() => microFromNumber(1e10, 'floor')).toThrow(/safe integer range/);
    expect(() => microFromNumber(1e300, 'floor')).toThrow(/safe integer range/);
  });

  it('round-trips wire numbers: micro -> m / 1e6 -> micro, below 2^33 whole units', () => {
    // Beyond 2^33 (~8.6e9) a double's spacing exceeds 1e-6, so m / 1e6 may not carry m.
    const limit = 2 ** 33 * 1_000_000 - 1;
    fc.assert(
      fc.property(fc.integer({ min: -limit, max: limit }), mode, (m, r) => {
        expect(microFromNumber(m / 1_000_000, r)).toBe(m);
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000, max: 100_000_000 }), mode, (m, r) => {
        expect(microFromNumber(m / 1_000_000, r)).toBe(m);
      }),
      { numRuns: 20_000 },
    );
  });

  it('the fast path agrees with parsing the shortest round-trip string', () => {
    const n = fc.oneof(
      fc.double({ min: -9e9, max: 9e9, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.integer({ min: -9_000_000_000_000, max: 9_000_000_000_000 }).map((m) => m / 1e6),
    );
    fc.assert(
      fc.property(n, mode, (x, r) => {
        const slow = parseMicro(String(x), { allowExponent: true, rounding: r });
        expect(microFromNumber(x, r)).toBe(slow);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('parse and format together', () => {
  const safeMicro = fc.integer({ min: -MAX, max: MAX });

  it('parse(format(x)) === x for every safe micro integer', () => {
    fc.assert(
      fc.property(safeMicro, (x) => {
        expect(parseMicro(formatMicro(x))).toBe(x);
        expect(parseMicro(formatMicro(x, { minDecimals: 6 }))).toBe(x);
      }),
      { numRuns: 20_000 },
    );
  });

  it('format(parse(s)) is the canonical form of a generated decimal string', () => {
    const digits = (min: number, max: number) =>
      fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((a) => a.join(''));
    const decimal = fc
      .tuple(
        fc.boolean(),
        fc.tuple(fc.constantFrom('', '0', '000'), digits(0, 10)).map(([zeros, w]) => zeros + w),
        fc.option(digits(1, 6), { nil: undefined }),
      )
      // Whole parts up to 9007199253 keep every generated value in the safe range.
      .filter(
        ([, whole, fraction]) => (whole !== '' || fraction !== undefined) && Number(whole) <= 9_007_199_253,
      );
    fc.assert(
      fc.property(decimal, ([negative, whole, fraction]) => {
        const text = `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`;
        // The canonical form, built with string operations only.
        const w = whole.replace(/^0+/, '') || '0';
        const f = (fraction ?? '').replace(/0+$/, '');
        const isZero = w === '0' && f === '';
        const canonical = `${negative && !isZero ? '-' : ''}${w}${f === '' ? '' : `.${f}`}`;
        expect(formatMicro(parseMicro(text))).toBe(canonical);
      }),
      { numRuns: 20_000 },
    );
  });

  it('fixed decimals agree with rounding the parsed value', () => {
    fc.assert(
      fc.property(safeMicro, fc.integer({ min: 0, max: 6 }), mode, (x, decimals, r) => {
        let text: string;
        try {
          text = formatMicro(x, { decimals, rounding: r });
        } catch (e) {
          expect(e).toBeInstanceOf(MoneyError); // rounding up past the safe range
          return;
        }
        const fraction = text.split('.')[1] ?? '';
        expect(fraction.length).toBe(decimals);
        const back = parseMicro(text);
        expect(Math.abs(back - x)).toBeLessThan(10 ** (6 - decimals));
        expect(Math.abs(back % 10 ** (6 - decimals))).toBe(0);
        if (r === 'floor') expect(back).toBeLessThanOrEqual(x);
        if (r === 'ceil') expect(back).toBeGreaterThanOrEqual(x);
        if (r === 'trunc') expect(Math.abs(back)).toBeLessThanOrEqual(Math.abs(x));
      }),
    );
  });
});
