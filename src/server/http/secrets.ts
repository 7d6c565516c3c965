/**
 * Keeping secrets out of responses. Settings are served masked (secrets as "(set)", passwords and
 * key-like parts of URLs as ***); as a last line of defence every response body and stream frame
 * is scrubbed of each secret value the process knows, so a secret that reaches a health detail or
 * an error message by accident is still not served.
 */
import type { LoadedConfig } from '../../config/index.ts';
import { redactUrl, urlSecretParts } from '../../core/redact.ts';

/** What a scrubbed secret becomes. */
export const REDACTED = '[redacted]';
/** Shorter values are not scrubbed: replacing every "abc" in a body would mangle it. */
export const MIN_SCRUBBED_LENGTH = 6;

/** A setting's value as served: strings that are URLs are masked, inside arrays too. */
export function maskSettingValue(value: unknown): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (Array.isArray(value)) return value.map(maskSettingValue);
  return value;
}

/** Every secret value in the loaded configuration: the secrets file's values and URL credentials. */
export function secretValuesOf(loaded: LoadedConfig): string[] {
  const values: string[] = [];
  walkStrings(loaded.secrets, (s) => values.push(s));
  walkStrings(loaded.config, (s) => values.push(...urlSecretParts(s)));
  return values;
}

function walkStrings(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const v of value) walkStrings(v, visit);
  else if (typeof value === 'object' && value !== null)
    for (const v of Object.values(value)) walkStrings(v, visit);
}

/** Replaces every known secret (as written, JSON-escaped or URL-encoded) in a text with [redacted]. */
export type Scrubber = (text: string) => string;

export function createScrubber(secrets: Iterable<string>): Scrubber {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SCRUBBED_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret containing another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of ordered) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  };
}
