/** Plain-object helpers for configuration trees addressed by dotted paths. */

export type Tree = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function getAt(tree: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = tree;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[part];
  }
  return cur;
}

export function setAt(tree: Tree, path: readonly string[], value: unknown): void {
  let cur = tree;
  for (const part of path.slice(0, -1)) {
    const next = cur[part];
    if (!isPlainObject(next)) cur[part] = {};
    cur = cur[part] as Tree;
  }
  cur[path[path.length - 1]!] = value;
}

/** Dotted paths of every non-object value; arrays are values, not branches. */
export function leafPathsOf(tree: Tree, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value)) out.push(...leafPathsOf(value, path));
    else out.push(path);
  }
  return out;
}

/** A deep copy of `base` with `over` laid on top; arrays and values replace, objects merge. */
export function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}
