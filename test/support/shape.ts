/**
 * The shape of a JSON value: its keys, the kind of each value, and for strings what they hold
 * (a decimal, a hex id, a date, an embedded JSON array...). Two payloads with equal shapes have the
 * same keys and the same types, so a parser written for one reads the other.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type Shape = string | Shape[] | { [key: string]: Shape };

/**
 * Polymarket's captured payloads, copied from shared/polymarket/samples so the tests need nothing
 * outside the repository; test/polymarket/schemas/samples-copy.test.ts keeps the copy identical.
 */
export const SAMPLES = resolve(import.meta.dirname, '../fixtures/polymarket-samples');

/** The shared originals, beside the repository on developer and CI machines. */
export const SHARED_SAMPLES = resolve(import.meta.dirname, '../../../shared/polymarket/samples');

export function readSample(name: string): unknown {
  return JSON.parse(readFileSync(resolve(SAMPLES, name), 'utf8'));
}

function stringKind(s: string): string {
  if (s === '') return 'string:empty';
  if (/^\[.*\]$/s.test(s)) {
    try {
      if (Array.isArray(JSON.parse(s))) return 'string:json-array';
    } catch {
      // not JSON after all
    }
  }
  if (/^-?\d+(\.\d+)?$/.test(s)) return 'string:decimal';
  if (/^0x[0-9a-fA-F]+$/.test(s)) return 'string:hex';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s))
    return 'string:datetime';
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return 'string:date';
  return 'string';
}

/** `options.emptyEqualsString`: treat "" as a plain string (fields that are empty only sometimes). */
export function shapeOf(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object') {
    const out: { [key: string]: Shape } = {};
    for (const key of Object.keys(value as object).sort())
      out[key] = shapeOf((value as Record<string, unknown>)[key]);
    return out;
  }
  if (typeof value === 'string') return stringKind(value);
  return typeof value;
}
