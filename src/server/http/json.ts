/**
 * JSON text for responses and stream frames. Event payloads may carry `bigint`s (on-chain values,
 * monotonic timestamps), which JSON.stringify refuses: they are written as decimal strings.
 */

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  // An Error serializes as {} otherwise; its message is what a reader needs.
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

export function toJsonText(value: unknown): string {
  return JSON.stringify(value, replacer) ?? 'null';
}
