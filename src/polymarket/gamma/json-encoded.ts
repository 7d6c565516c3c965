/**
 * Gamma sends some arrays as strings holding JSON (`"[\"Yes\", \"No\"]"`). This schema decodes
 * such a string and checks the array inside, failing with a message that names what was expected.
 */
import { z } from 'zod';

const MAX_SHOWN = 60;

function preview(text: string): string {
  return JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text);
}

/** A string holding a JSON array whose items are `item`s; `what` names them in errors. */
export function jsonEncodedArraySchema<Item extends z.ZodType>(item: Item, what: string) {
  const expected = `a string holding a JSON array of ${what}`;
  return z
    .string()
    .transform((text, ctx): unknown[] => {
      let decoded: unknown;
      try {
        decoded = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: `expected ${expected}; not JSON: ${preview(text)}` });
        return z.NEVER;
      }
      if (!Array.isArray(decoded)) {
        ctx.addIssue({ code: 'custom', message: `expected ${expected}; not an array: ${preview(text)}` });
        return z.NEVER;
      }
      return decoded;
    })
    .pipe(z.array(item));
}
