/**
 * Money hot paths: wire parsing and formatting, exact mulDiv (both paths), tick rounding.
 * Floors sit about 10x below the lowest of several runs on the 2-core dev machine (node 22):
 * parse ~5-7M ops/s, format ~7-10M, microFromNumber ~15-19M, mulDiv ~13M (number) and ~6-8M
 * (bigint), roundToTick ~10-15M.
 */
import {
  formatMicro,
  microFromNumber,
  mulDiv,
  parseMicro,
  price,
  roundToTick,
  tickSize,
} from '../src/core/index.ts';
import { suite } from './harness.ts';

// Varying inputs keep the JIT from folding constants; the sink keeps results alive.
const texts = ['0.523', '1234.5', '-2.5', '12.345678', '0.01', '999999.999999', '7', '.5'];
const values = texts.map((t) => parseMicro(t));
const numbers = [0.52, 12.345678, 0.1, 1234.5, 0.000001, 0.999];
const cent = tickSize(10_000);
const prices = [523_456, 1, 999_999, 500_000, 12_345].map(price);
let i = 0;
let sink = 0;

await suite('money', [
  {
    name: 'parseMicro',
    fn: () => {
      sink += parseMicro(texts[i++ & 7]!);
    },
    minOpsPerSec: 500_000,
  },
  {
    name: 'parseMicro (> 6 decimals, rounding)',
    fn: () => {
      sink += parseMicro('0.12345678', { rounding: 'halfEven' });
    },
    minOpsPerSec: 300_000,
  },
  {
    name: 'microFromNumber',
    fn: () => {
      sink += microFromNumber(numbers[i++ % 6]!, 'halfEven');
    },
    minOpsPerSec: 1_500_000,
  },
  {
    name: 'formatMicro',
    fn: () => {
      sink += formatMicro(values[i++ & 7]!).length;
    },
    minOpsPerSec: 600_000,
  },
  {
    name: 'formatMicro (2 decimals, halfEven)',
    fn: () => {
      sink += formatMicro(values[i++ & 7]!, { decimals: 2, rounding: 'halfEven' }).length;
    },
    minOpsPerSec: 500_000,
  },
  {
    name: 'mulDiv fast path (notional)',
    fn: () => {
      sink += mulDiv(12_345_678 + (i++ & 7), 523_000, 1_000_000, 'ceil');
    },
    minOpsPerSec: 1_200_000,
  },
  {
    name: 'mulDiv bigint path (a*b > 2^53)',
    fn: () => {
      sink += mulDiv(9_000_000_000_000 + (i++ & 7), 523_001, 1_000_000, 'floor');
    },
    minOpsPerSec: 500_000,
  },
  {
    name: 'roundToTick',
    fn: () => {
      sink += roundToTick(prices[i++ % 5]!, cent, 'halfEven');
    },
    minOpsPerSec: 1_000_000,
  },
]);

if (sink === Number.MIN_VALUE) console.log(sink);
