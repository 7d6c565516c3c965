/**
 * A real HTTP API server for tests: a config and secrets file written to a temp directory (with
 * planted secret values the tests look for in every response), a fresh migrated database on the
 * engine under test, a real bus, and the server on 127.0.0.1 port 0, reached with real fetch.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadedConfig, loadConfig } from '../../../src/config/index.ts';
import { EventBus } from '../../../src/core/events.ts';
import { createLogger } from '../../../src/core/logger.ts';
import type { Price } from '../../../src/core/money.ts';
import type { Marks } from '../../../src/portfolio/report.ts';
import {
  type ComponentHealthRow,
  type HttpServer,
  type HttpServerOptions,
  type ServerEvents,
  startHttpServer,
} from '../../../src/server/http/index.ts';
import { type Engine, loadRuntimeSettings, type Store } from '../../../src/store/index.ts';
import { openTestStore } from '../../support/engines.ts';

/** Secret values planted in the config, the secrets and the process; none may appear in a response. */
export const PLANTED = {
  token: 'planted-dashboard-token-7f3a9c2e51',
  passphrase: 'planted-keystore-passphrase-b81d',
  telegram: '987654321:planted-telegram-token-QwErTy',
  dbPassword: 'planted-db-password-c4f2',
  rpcKey: 'plantedRpcKey9f8e7d6c5b4a3',
  apiSecret: 'planted-api-secret-Zm9vYmFyYmF6',
  privateKey: `0x${'5eed'.repeat(16)}`,
} as const;

export const NOW = 1_770_000_000_000;

export interface TestServerOptions {
  /** The dashboard token; null runs with none configured. Default PLANTED.token. */
  token?: string | null;
  health?: ComponentHealthRow[];
  marks?: Marks;
  heartbeatMs?: number;
  beforePaperReset?: () => Promise<void>;
  /** Extra lines for polyhunter.toml's [trading] section. */
  trading?: string;
  /** Lines appended to polyhunter.toml, e.g. [[accounts]] entries. */
  extraConfig?: string;
  liveAccount?: HttpServerOptions['liveAccount'];
}

export interface TestServer {
  url: string;
  server: HttpServer;
  store: Store;
  bus: EventBus<ServerEvents>;
  loaded: LoadedConfig;
  /** Mutable: what the health function returns. */
  health: ComponentHealthRow[];
  dispose(): Promise<void>;
}

/** Marks every token at 0.60 unless told otherwise. */
export const fixedMarks =
  (price = 600_000, overrides: Record<string, number | null> = {}): Marks =>
  async (tokens) =>
    new Map(tokens.map((t) => [t, (t in overrides ? overrides[t] : price) as Price | null]));

export async function startTestServer(engine: Engine, options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'polyhunter-http-'));
  const configPath = join(dir, 'polyhunter.toml');
  const secretsPath = join(dir, 'secrets.toml');
  writeFileSync(
    configPath,
    [
      '[database]',
      // Never connected to: the server gets the test store; this only plants a password to look for.
      `url = "postgres://polyhunter:${PLANTED.dbPassword}@db.invalid:5432/polyhunter"`,
      '[venue]',
      'clob_url = "http://127.0.0.1:9"',
      `polygon_ws_url = "wss://polygon.invalid/v2/${PLANTED.rpcKey}"`,
      '[trading]',
      'paper_starting_cash_usd = 500',
      options.trading ?? '',
      options.extraConfig ?? '',
      '',
    ].join('\n'),
  );
  const token = options.token === undefined ? PLANTED.token : options.token;
  writeFileSync(
    secretsPath,
    [
      ...(token === null ? [] : ['[dashboard]', `token = "${token}"`]),
      '[keystore]',
      `passphrase = "${PLANTED.passphrase}"`,
      '[telegram]',
      `bot_token = "${PLANTED.telegram}"`,
      '',
    ].join('\n'),
  );
  chmodSync(secretsPath, 0o600);
  const boot = loadConfig({ configPath, secretsPath, env: {}, cwd: dir });
  const t = await openTestStore(engine);
  const loaded = await loadRuntimeSettings(t.store, boot, NOW);
  const bus = new EventBus<ServerEvents>({ onHandlerError: (err) => console.error(err) });
  const health: ComponentHealthRow[] = options.health ?? [
    { component: 'detection.api', healthy: true, detail: { intervalMs: 1000 } },
    { component: 'trading.orders', healthy: true, detail: { orders: 0 } },
  ];
  const serverOptions: HttpServerOptions = {
    store: t.store,
    bus,
    loaded,
    token: loaded.secrets.dashboard.token,
    port: 0,
    logger: createLogger({ level: 'silent', format: 'json' }),
    health: () => health,
    mode: 'paper',
    marks: options.marks ?? fixedMarks(),
    secrets: [PLANTED.apiSecret, PLANTED.privateKey],
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.beforePaperReset !== undefined ? { beforePaperReset: options.beforePaperReset } : {}),
    ...(options.liveAccount !== undefined ? { liveAccount: options.liveAccount } : {}),
  };
  let server: HttpServer;
  try {
    server = await startHttpServer(serverOptions);
  } catch (err) {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: server.url,
    server,
    store: t.store,
    bus,
    loaded,
    health,
    async dispose() {
      await server.close();
      await t.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON's fields freely; expect checks them
  body: any;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Sent as `Authorization: Bearer <token>`; a full header value when it has a space. */
  token?: string;
  headers?: Record<string, string>;
}

/** Every response body seen in this test file, for the secrets grep. */
export const seenBodies: string[] = [];

export async function api(base: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) {
    headers.authorization = options.token.includes(' ') ? options.token : `Bearer ${options.token}`;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method: options.method ?? 'GET', headers, body });
  const text = await res.text();
  seenBodies.push(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}
