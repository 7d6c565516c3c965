/**
 * GET /api/settings: every effective setting with its source (the rows `polyhunter config show`
 * prints), secrets as "(set)"/"(not set)" and credentials in URLs masked. PUT /api/settings/:key
 * changes a runtime setting through the store's changeRuntimeSetting, the function behind
 * `polyhunter config set`: same validation, same audit record. The change is announced on the bus
 * as `settings.changed`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type ConfigRow,
  effectiveConfigRows,
  isRuntimeKey,
  type LoadedConfig,
} from '../../../config/index.ts';
import { changeRuntimeSetting } from '../../../store/index.ts';
import { API_ACTOR, effectiveConfig, type RouteContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { parseInput } from '../params.ts';
import { maskSettingValue } from '../secrets.ts';

export interface SettingLine {
  key: string;
  /** The value as JSON (masked where it holds credentials); secrets only as "(set)" or "(not set)". */
  value: unknown;
  /** "default", "file <path>", "env <VARIABLE>", "database (set by dashboard, <time>)". */
  source: string;
  secret: boolean;
  /** Editable while running (trading.* and risk.*); other keys need the config file and a restart. */
  runtime: boolean;
  /** Set by an environment variable, which beats any edit until it is unset. */
  fromEnv: boolean;
}

const keyPath = z.strictObject({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'must be a dotted setting key, e.g. risk.max_total_usd'),
});
const putBody = z
  .strictObject({ value: z.unknown().optional() })
  .refine((b) => b.value !== undefined, 'value is required (null switches a limit off)');

export function registerSettingsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/api/settings', async () => ({ settings: settingLines(await effectiveConfig(ctx)) }));

  app.get('/api/settings/:key', async (request) => {
    const { key } = parseInput(keyPath, request.params, 'path');
    return settingLine(await effectiveConfig(ctx), key);
  });

  app.put('/api/settings/:key', async (request) => {
    const { key } = parseInput(keyPath, request.params, 'path');
    const { value } = parseInput(putBody, request.body, 'body');
    const now = ctx.clock.now();
    const change = await changeRuntimeSetting(ctx.store, ctx.loaded, key, value, API_ACTOR, now);
    const setting = settingLine(await effectiveConfig(ctx), key);
    ctx.bus.emit('settings.changed', { key, value: change.value, source: API_ACTOR, at: now });
    return {
      key,
      previous: maskSettingValue(change.previous),
      value: maskSettingValue(change.value),
      setting,
      ...(setting.fromEnv
        ? {
            warning: `${setting.source.replace(/^env /, '')} is set and overrides this value until it is unset`,
          }
        : {}),
    };
  });
}

function settingLines(loaded: LoadedConfig): SettingLine[] {
  return effectiveConfigRows(loaded).map((row) => lineOf(row, loaded));
}

function settingLine(loaded: LoadedConfig, key: string): SettingLine {
  const row = effectiveConfigRows(loaded).find((r) => r.key === key);
  if (row === undefined) throw notFound(`no setting "${key}"`);
  return lineOf(row, loaded);
}

function lineOf(row: ConfigRow, loaded: LoadedConfig): SettingLine {
  const source = row.secret ? loaded.secretSources.get(row.key) : loaded.sources.get(row.key);
  return {
    key: row.key,
    // Secret rows hold only "(set)"/"(not set)"; JSON.stringify of an absent value gives undefined.
    value: row.secret ? row.value : row.value === undefined ? null : maskSettingValue(JSON.parse(row.value)),
    source: row.source,
    secret: row.secret,
    runtime: !row.secret && isRuntimeKey(row.key),
    fromEnv: source?.kind === 'env',
  };
}
