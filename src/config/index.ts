export {
  configKeys,
  ENV_PREFIX,
  envNameOf,
  type LoadedConfig,
  type LoadOptions,
  loadConfig,
  type ValueSource,
} from './load.ts';
export {
  applyDatabaseSettings,
  describeSource,
  parseRuntimeSetting,
  runtimeSeedEntries,
  type SeedEntry,
  type StoredSetting,
} from './runtime-settings.ts';
export {
  type Config,
  configSchema,
  isRuntimeKey,
  type Secrets,
  secretsSchema,
  TRIGGER_SOURCES,
  type TriggerSource,
} from './schema.ts';
export { type ConfigRow, effectiveConfigRows } from './show.ts';
export { starterConfig, starterSecrets } from './starter.ts';
