/**
 * JSON columns are text on both engines; these keep encoding in one place.
 */
import { DatabaseError } from '../core/errors.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function toJson(value: JsonValue): string {
  return JSON.stringify(value);
}

/** Parses a stored JSON column; a corrupt value is a database error naming where it was found. */
export function fromJson(text: string, where: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new DatabaseError(`invalid JSON in ${where}`, false, { cause: err });
  }
}
