/**
 * The effective configuration as rows of key, value and source: what `config show` prints and
 * the dashboard will serve. Secrets appear only as "set" or "not set"; a password inside the
 * database URL is masked.
 */
import { redactUrl } from '../core/redact.ts';
import type { LoadedConfig, ValueSource } from './load.ts';
import { describeSource } from './runtime-settings.ts';
import { secretsSchema } from './schema.ts';
import { leavesOf } from './schema-walk.ts';
import { getAt } from './tree.ts';

export interface ConfigRow {
  key: string;
  /** The value as JSON text; secrets are never included. */
  value: string;
  source: string;
  secret: boolean;
}

function sourceLabel(source: ValueSource | undefined): string {
  return source ? describeSource(source) : '-';
}

export function effectiveConfigRows(loaded: LoadedConfig): ConfigRow[] {
  const rows: ConfigRow[] = [];
  for (const [key, source] of loaded.sources) {
    const raw = getAt(loaded.config, key.split('.'));
    // Any URL may carry a credential (a database password, an RPC key in the path or query).
    const value = JSON.stringify(typeof raw === 'string' ? redactUrl(raw) : raw);
    rows.push({ key, value, source: sourceLabel(source), secret: false });
  }
  for (const { path: key } of leavesOf(secretsSchema)) {
    const source = loaded.secretSources.get(key);
    rows.push({ key, value: source ? '(set)' : '(not set)', source: sourceLabel(source), secret: true });
  }
  return rows;
}
