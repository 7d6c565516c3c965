/**
 * The store's public face: open a database, migrate it, and the repositories over its tables.
 */
export {
  type Account,
  type AccountsRepo,
  accountsRepo,
  type LiveAccountRow,
  PAPER_ADDRESS,
  toAccount,
} from './accounts.ts';
export { type AuditEntry, type AuditRepo, auditRepo, type NewAuditEntry } from './audit.ts';
export {
  type ComponentHealth,
  type ComponentHealthRepo,
  componentHealthRepo,
} from './component-health.ts';
export {
  type FollowConfigInput,
  type FollowConfigRow,
  type FollowConfigsRepo,
  followConfigsRepo,
} from './follow-configs.ts';
export type { JsonValue } from './json.ts';
export {
  type LeaderTradesRepo,
  type LeaderTradeView,
  leaderTradesRepo,
  leaderTradeView,
} from './leader-trades.ts';
export {
  type Leader,
  type LeaderCursor,
  type LeaderInput,
  type LeadersRepo,
  leadersRepo,
} from './leaders.ts';
export {
  type MigrationStatus,
  migrate,
  migrateToLatest,
  migrationStatus,
  pendingMigrations,
} from './migrate.ts';
export { migrations, type StoreMigration } from './migrations/index.ts';
export { type OpenStoreOptions, openStore } from './open.ts';
export * from './orders.ts';
export {
  changeRuntimeSetting,
  loadRuntimeSettings,
  readRuntimeSettings,
  type SettingChange,
} from './runtime-settings.ts';
export * from './schema.ts';
export { type Setting, type SettingSeed, type SettingsRepo, settingsRepo } from './settings.ts';
export type { Engine, Store } from './store.ts';
