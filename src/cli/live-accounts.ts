/**
 * The live accounts of a running PolyHunter in live mode: for each `[[accounts]]` entry, its key
 * unlocked from the keystore, a live broker on the official CLOB client (API credentials stored
 * encrypted beside the key, created once), its `accounts` row, a preflight reading the venue's
 * balance and allowances, and a live order tracker.
 *
 * Start-up order is the safety argument (design rule 3): every tracker reconciles its PENDING and
 * SUBMITTED orders with the venue before `startLiveAccounts` returns, and the caller starts leader
 * detection (the only source of new orders) only after that. Stopping cancels every resting order
 * of every account (the venue's heartbeat timeout would, within ~10 s, if this process died).
 */
import { type Address, getAddress } from 'viem';
import type { LoadedConfig } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import { ConfigError, describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Usdc } from '../core/money.ts';
import { LiveBroker, LiveOrderTracker, type TrackerReport } from '../execution/live/index.ts';
import type { LiveVenue } from '../execution/order-manager.ts';
import { ClobAccount, createPreflight, type Preflight } from '../execution/preflight/index.ts';
import { askHidden, defaultKeystorePath, type Keystore, openKeystore, Secret } from '../keys/index.ts';
import { accountsRepo, type Store } from '../store/index.ts';

export const PASSPHRASE_ENV = 'POLYHUNTER_KEYSTORE__PASSPHRASE';

export interface LiveAccount {
  id: number;
  name: string;
  /** The private key and the API secret and passphrase, for scrubbing only. */
  secrets: Secret<string[]>;
  broker: LiveBroker;
  preflight: Preflight;
  tracker: LiveOrderTracker;
  /** The start-up reconcile. */
  startReport: TrackerReport;
}

export interface LiveAccounts {
  readonly accounts: readonly LiveAccount[];
  /** Where an account's live orders go; null for an account that is not live here. */
  venue(accountId: number): LiveVenue | null;
  preflight(accountId: number): Preflight | null;
  /** The venue's spendable pUSD of a live account (cached 2 s); 0 when it cannot be read. */
  balance(accountId: number): Promise<Usdc>;
  /** Orders the start-up reconcile found provably never sent: safe to run again. */
  resendable(): number[];
  /** The accounts' key material and API secrets as text: what no response may ever contain. */
  secretValues(): string[];
  /** Cancels every resting order, stops heartbeats and the trackers. */
  stop(): Promise<void>;
}

export interface LiveAccountsOptions {
  loaded: LoadedConfig;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Default `keystore.json` beside the config. */
  keystorePath?: string;
  /** The keystore passphrase; default secrets/env, else asked at a terminal. */
  passphrase?: string;
}

/** The keystore passphrase: secrets.toml or the environment, else asked once at a terminal. */
export async function keystorePassphrase(loaded: LoadedConfig, keystorePath: string): Promise<string> {
  const configured = loaded.secrets.keystore.passphrase;
  if (configured !== undefined) return configured;
  if (process.stdin.isTTY === true) {
    const answer = await askHidden(`Keystore passphrase (${keystorePath}): `);
    if (answer !== '') return answer;
  }
  throw new ConfigError(
    `live mode needs the keystore passphrase to unlock the account keys in ${keystorePath}: set ${PASSPHRASE_ENV}, or [keystore] passphrase in ${loaded.secretsFile}, or start in a terminal to be asked`,
  );
}

export async function startLiveAccounts(options: LiveAccountsOptions): Promise<LiveAccounts> {
  const { loaded, logger } = options;
  const entries = loaded.config.accounts;
  if (entries.length === 0) {
    throw new ConfigError(
      `trading.mode = "live" but ${loaded.configFile} has no [[accounts]]: add one (name, signature_type, funder) and its key with \`polyhunter keys add <name>\``,
    );
  }
  const keystorePath = options.keystorePath ?? defaultKeystorePath(loaded);
  const keystore = openKeystore(keystorePath);
  for (const e of entries) {
    if (keystore.get(e.name) === undefined) {
      throw new ConfigError(
        `no key named ${e.name} in ${keystorePath} for the [[accounts]] entry ${e.name}: add it with \`polyhunter keys add ${e.name}\``,
      );
    }
  }
  const passphrase = options.passphrase ?? (await keystorePassphrase(loaded, keystorePath));

  const accounts: LiveAccount[] = [];
  const stopAll = async () => {
    await Promise.allSettled(accounts.map((a) => stopAccount(a, logger)));
  };
  try {
    for (const entry of entries) {
      accounts.push(await startAccount(options, keystore, passphrase, entry));
    }
  } catch (err) {
    await stopAll();
    throw err;
  }

  const byId = new Map(accounts.map((a) => [a.id, a]));
  return {
    accounts,
    venue(accountId) {
      const a = byId.get(accountId);
      if (a === undefined) return null;
      return {
        submit: async (order, terms, hooks) => {
          const outcome = await a.broker.submit(order, terms, hooks);
          // What the order spent or freed: the next sizing reads the venue again.
          a.preflight.invalidate();
          return outcome;
        },
        resubmit: (signed) => a.broker.submitSigned(signed),
        lookup: (orderHash) => a.broker.order(orderHash),
      };
    },
    preflight: (accountId) => byId.get(accountId)?.preflight ?? null,
    async balance(accountId) {
      const a = byId.get(accountId);
      if (a === undefined) return 0 as Usdc;
      try {
        return (await a.preflight.collateral()).balance;
      } catch (err) {
        logger.warn({ account: a.name, err: describeError(err) }, 'could not read the live balance');
        return 0 as Usdc;
      }
    },
    resendable: () => accounts.flatMap((a) => a.startReport.resendable.map((r) => r.orderId)),
    secretValues: () => accounts.flatMap((a) => a.secrets.expose()),
    stop: stopAll,
  };
}

type AccountEntry = LoadedConfig['config']['accounts'][number];

async function startAccount(
  options: LiveAccountsOptions,
  keystore: Keystore,
  passphrase: string,
  entry: AccountEntry,
): Promise<LiveAccount> {
  const { loaded, store, clock, logger } = options;
  const { venue } = loaded.config;
  const name = entry.name;
  let key: Awaited<ReturnType<Keystore['unlock']>>;
  let stored: Awaited<ReturnType<Keystore['apiCreds']>>;
  try {
    key = await keystore.unlock(name, passphrase);
    stored = await keystore.apiCreds(name, passphrase);
  } catch (err) {
    throw new ConfigError(`the key of account ${name} could not be unlocked: ${describeError(err)}`);
  }
  const funder = entry.funder === undefined ? undefined : getAddress(entry.funder);
  // The constructor refuses a wallet set-up the venue would refuse (type 3, a missing funder).
  let broker: LiveBroker;
  try {
    broker = new LiveBroker({
      clobUrl: venue.clob_url,
      chainId: venue.chain_id,
      privateKey: key.privateKey.expose(),
      signatureType: entry.signature_type,
      ...(funder === undefined ? {} : { funder }),
      ...(stored === undefined ? {} : { apiCreds: stored.expose() }),
      clock,
      logger,
    });
  } catch (err) {
    throw new ConfigError(`account ${name}: ${describeError(err)}`);
  }
  if (entry.address !== undefined && getAddress(entry.address) !== broker.funder) {
    throw new ConfigError(
      `account ${name}: the config says address ${getAddress(entry.address)} but its key and funder trade from ${broker.funder}; correct [[accounts]] address or the key`,
    );
  }
  const creds = await broker.ensureApiCreds().catch((err: unknown) => {
    throw new ConfigError(
      `account ${name}: no API key from ${venue.clob_url}: ${describeError(err)}; \`polyhunter doctor --account ${name}\` checks the set-up`,
    );
  });
  // Kept encrypted with the key: creating another API key later would revoke this one.
  if (stored === undefined) await keystore.storeApiCreds(name, creds, passphrase);

  const id = await ensureLiveRow(store, entry, broker.funder, clock.now());
  const reader = new ClobAccount({
    clobUrl: venue.clob_url,
    chainId: venue.chain_id,
    privateKey: key.privateKey.expose(),
    signatureType: entry.signature_type,
    ...(funder === undefined ? {} : { funder }),
    apiCreds: creds,
  });
  const preflight = createPreflight({
    reader,
    chainId: venue.chain_id,
    wallet: broker.funder,
    signatureType: entry.signature_type,
    clock,
  });
  const log = logger.child({ component: 'live', account: name });
  const tracker = new LiveOrderTracker({
    store,
    accountId: id,
    broker,
    clock,
    logger: log,
    userSocketUrl: `${venue.clob_ws_url.replace(/\/+$/, '')}/user`,
    credentials: creds,
  });
  const startReport = await tracker.start();
  broker.startHeartbeat();
  log.info(
    {
      signer: broker.address,
      funder: broker.funder,
      signatureType: entry.signature_type,
      reconciled: startReport.orders,
      changed: startReport.changes.length,
      resendable: startReport.resendable.length,
      flags: startReport.flags.length,
      unknownOpenOrders: startReport.unknownOpenOrders.length,
    },
    `LIVE account ${name}: trades from ${broker.funder}; ${startReport.orders} order(s) reconciled with the venue`,
  );
  for (const f of startReport.flags) log.warn({ order: f.orderId, kind: f.kind }, f.reason);
  for (const u of startReport.unknownOpenOrders) log.warn({ venueOrder: u.orderId }, u.reason);
  const secrets = new Secret([key.privateKey.expose(), creds.secret, creds.passphrase]);
  return { id, name, secrets, broker, preflight, tracker, startReport };
}

/** The account's row as live; a paper account of the same name is never turned live silently. */
async function ensureLiveRow(
  store: Store,
  entry: AccountEntry,
  funder: Address,
  now: number,
): Promise<number> {
  const existing = await accountsRepo(store.db).byName(entry.name);
  if (existing !== undefined && existing.mode !== 'live') {
    throw new ConfigError(
      `account ${entry.name} is a paper account in the database (its follows and history are paper): give the [[accounts]] entry another name`,
    );
  }
  const address = funder.toLowerCase();
  if (existing !== undefined && existing.address !== address) {
    throw new ConfigError(
      `account ${entry.name} traded from ${existing.address} before and now from ${address}: a different wallet needs a new [[accounts]] name`,
    );
  }
  return accountsRepo(store.db).ensureLive(
    {
      name: entry.name,
      address,
      signatureType: entry.signature_type,
      funderAddress: entry.signature_type === 0 ? null : address,
    },
    now,
  );
}

async function stopAccount(a: LiveAccount, logger: Logger): Promise<void> {
  try {
    const result = await a.broker.shutdown();
    logger.info(
      { account: a.name, canceled: result.canceled.length },
      'live account stopped: resting orders cancelled',
    );
  } catch (err) {
    logger.error(
      { account: a.name, err: describeError(err) },
      'cancel-all failed: the venue cancels resting orders when heartbeats stop (~10 s)',
    );
  }
  await a.tracker.stop();
}
