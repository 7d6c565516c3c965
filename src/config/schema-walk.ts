/**
 * Reading the zod schema as data: its leaves, their documentation and defaults, and how to turn an
 * environment variable's text into the type a leaf expects.
 */
import type { z } from 'zod';

type AnySchema = z.ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  options?: AnySchema[];
  values?: unknown[];
  element?: AnySchema;
}

function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Peels defaults, optionals and transforms off a schema down to the type it checks. */
export function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (;;) {
    const d = defOf(s);
    if (
      d.innerType &&
      ['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(d.type)
    ) {
      s = d.innerType;
    } else if (d.type === 'pipe' && d.in) {
      s = d.in;
    } else {
      return s;
    }
  }
}

/** The description set with `.describe()` on any layer of the schema. */
export function descriptionOf(schema: AnySchema): string | undefined {
  let s: AnySchema | undefined = schema;
  while (s) {
    if (s.description) return s.description;
    const d = defOf(s);
    s = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
  }
  return undefined;
}

export function isObjectSchema(schema: AnySchema): boolean {
  return defOf(unwrap(schema)).type === 'object';
}

export function shapeOf(schema: AnySchema): Record<string, AnySchema> {
  return defOf(unwrap(schema)).shape ?? {};
}

export interface Leaf {
  /** Dotted path, e.g. `server.port`. */
  path: string;
  schema: AnySchema;
  description: string | undefined;
}

/** Every leaf under an object schema. Arrays count as leaves: they are set as a whole. */
export function leavesOf(schema: AnySchema, prefix = ''): Leaf[] {
  const out: Leaf[] = [];
  for (const [key, child] of Object.entries(shapeOf(schema))) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isObjectSchema(child)) out.push(...leavesOf(child, path));
    else out.push({ path, schema: child, description: descriptionOf(child) });
  }
  return out;
}

/** The leaf schema at a dotted path, or undefined when the path names no leaf. */
export function findLeaf(schema: AnySchema, path: string): AnySchema | undefined {
  let s: AnySchema = schema;
  for (const part of path.split('.')) {
    if (!isObjectSchema(s)) return undefined;
    const next = shapeOf(s)[part];
    if (!next) return undefined;
    s = next;
  }
  return isObjectSchema(s) ? undefined : s;
}

type Kind = 'string' | 'number' | 'boolean' | 'json';

function kindsOf(schema: AnySchema): Set<Kind> {
  const d = defOf(unwrap(schema));
  switch (d.type) {
    case 'number':
    case 'int':
      return new Set(['number']);
    case 'boolean':
      return new Set(['boolean']);
    case 'literal':
      return new Set((d.values ?? []).map((v) => (typeof v === 'number' ? 'number' : 'string')));
    case 'union':
      return new Set((d.options ?? []).flatMap((o) => [...kindsOf(o)]));
    case 'array':
    case 'object':
    case 'record':
    case 'tuple':
      return new Set(['json']);
    default:
      return new Set(['string']);
  }
}

const NUMERIC_RE = /^-?\d+(\.\d+)?$/;

/**
 * Turns text (an environment variable or a CLI argument) into the value a leaf expects. Text that
 * does not fit is returned unchanged so that validation reports it with the found value.
 */
export function coerceText(leaf: AnySchema, raw: string): unknown {
  const kinds = kindsOf(leaf);
  const text = raw.trim();
  // A limit that can be switched off: "null" (or "none", "off") switches it off.
  if (/^(null|none|off)$/i.test(text) && (leaf as z.ZodType).safeParse(null).success) return null;
  if (kinds.has('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return raw;
    }
  }
  if (kinds.has('number') && NUMERIC_RE.test(text)) return Number(text);
  if (kinds.has('boolean')) {
    if (/^(true|1|yes|on)$/i.test(text)) return true;
    if (/^(false|0|no|off)$/i.test(text)) return false;
  }
  return raw;
}
