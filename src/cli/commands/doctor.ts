/**
 * `polyhunter doctor`: every check that stands between a configured PolyHunter and a working live
 * account, run against the configured venue (Polymarket or the simulator), one line each: PASS,
 * FAIL with the fix in one sentence, or SKIP with why. Exits 1 when any check fails.
 *
 * It changes nothing it does not have to: no migration, no file created, no credential stored.
 * The one side effect is the venue's: an account without an API key gets one created, exactly as
 * its first live start would. Key material and API secrets are never printed.
 *
 * program.ts imports this module to declare the command, so it loads nothing heavy at the top.
 */
import type { Command } from 'commander';
import type { LoadedConfig } from '../../config/index.ts';
import { PolyHunterError } from '../../core/errors.ts';
import type { CheckOutcome } from '../../execution/preflight/outcome.ts';
import type { Keystore } from '../../keys/index.ts';
import type { GlobalOptions, Output } from '../context.ts';

export interface DoctorOptions {
  account?: string;
  json?: boolean;
  keystore?: string;
  geoblockUrl?: string;
  /** Per network check, ms (text from the command line). */
  timeout?: string;
}

export interface DoctorCheck {
  /** What was checked: config, database, gamma, ..., or for an account key, wallet, api_key, ... */
  name: string;
  /** The `[[accounts]]` name, for account checks. */
  account?: string;
  status: 'pass' | 'fail' | 'skip';
  /** What was found (pass), what is wrong (fail) or why it was not checked (skip). */
  detail: string;
  /** For a fail: the stable code and one sentence on the fix. */
  code?: string;
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  summary: { pass: number; fail: number; skip: number };
  checks: DoctorCheck[];
}

const PASSPHRASE_ENV = 'POLYHUNTER_KEYSTORE__PASSPHRASE';
/** Marketable buys need at least $1 (api-reference.md §4.3): less cannot place an order. */
const MIN_BALANCE_USD = 1;
const DEFAULT_TIMEOUT_MS = 5_000;

/** Exit code 1 without another error line: the checks above already say what failed. */
class DoctorFailed extends PolyHunterError {
  constructor(failed: number) {
    super('DOCTOR_FAILED', `${failed} check${failed === 1 ? '' : 's'} failed`, false);
  }
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function registerDoctorCommands(program: Command, globals: () => GlobalOptions, output: Output): void {
  program
    .command('doctor')
    .description(
      'Check that PolyHunter can run and trade: the config, the database, every venue URL (Gamma, CLOB, Data API, RTDS, CLOB websocket, chain), and for each account its key, wallet type and funder, API key, pUSD balance and allowances. One line per check: PASS, FAIL with the fix, or SKIP; exits 1 if any check fails. Never prints keys or API secrets.',
    )
    .option('--account <name>', 'check only this [[accounts]] entry (default: all)')
    .option('--json', 'print a JSON report instead of lines')
    .option('--keystore <file>', 'keystore file (default: keystore.json beside the config)')
    .option(
      '--geoblock-url <url>',
      'also ask this endpoint whether the region may trade, e.g. https://polymarket.com/api/geoblock (otherwise the region is not checked)',
    )
    .option('--timeout <ms>', 'give each network check this long', String(DEFAULT_TIMEOUT_MS))
    .addHelpText(
      'after',
      `
The keystore passphrase comes from [keystore] passphrase in secrets.toml or ${PASSPHRASE_ENV};
without either it is asked for at a terminal, and elsewhere the checks that need the key are skipped.
${examples(
  'polyhunter doctor',
  'polyhunter doctor --account main',
  'polyhunter doctor --json | jq \'.checks[] | select(.status == "fail")\'',
  'polyhunter doctor --geoblock-url https://polymarket.com/api/geoblock',
)}`,
    )
    .action(async (options: DoctorOptions) => {
      await runDoctor(globals(), options, output);
    });
}

export async function runDoctor(
  global: GlobalOptions,
  options: DoctorOptions,
  output: Output,
): Promise<DoctorReport> {
  const timeoutMs = Number(options.timeout ?? DEFAULT_TIMEOUT_MS);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) {
    const { ValidationError } = await import('../../core/errors.ts');
    throw new ValidationError(
      `--timeout must be a whole number of milliseconds, at least 100; got ${options.timeout}`,
    );
  }
  const checks: DoctorCheck[] = [];
  const emit = (check: DoctorCheck) => {
    checks.push(check);
    if (!options.json) output.out(formatCheck(check));
  };
  await runChecks(global, options, timeoutMs, output, emit);

  const summary = {
    pass: checks.filter((c) => c.status === 'pass').length,
    fail: checks.filter((c) => c.status === 'fail').length,
    skip: checks.filter((c) => c.status === 'skip').length,
  };
  const report: DoctorReport = { ok: summary.fail === 0, summary, checks };
  if (options.json) output.out(JSON.stringify(report, null, 2));
  else output.out(`\n${summary.pass} passed, ${summary.fail} failed, ${summary.skip} skipped`);
  if (summary.fail > 0) throw new DoctorFailed(summary.fail);
  return report;
}

/** `PASS  main/balance      250 pUSD in EOA 0x...`; a failure ends with its fix. */
export function formatCheck(check: DoctorCheck): string {
  const label = check.account === undefined ? check.name : `${check.account}/${check.name}`;
  // One line per check, whatever the message: a config error lists its problems on lines of their own.
  const detail = check.detail
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ')
    .replace(/\.$/, '');
  const text = check.status === 'fail' ? `${detail}. Fix: ${check.fix}` : detail;
  return `${check.status.toUpperCase().padEnd(4)}  ${label.padEnd(20)}  ${text}`;
}

function fromOutcome(name: string, outcome: CheckOutcome, account?: string): DoctorCheck {
  const base = account === undefined ? { name } : { name, account };
  switch (outcome.status) {
    case 'pass':
      return { ...base, status: 'pass', detail: outcome.detail };
    case 'skip':
      return { ...base, status: 'skip', detail: outcome.reason };
    case 'fail':
      return { ...base, status: 'fail', detail: outcome.message, code: outcome.code, fix: outcome.fix };
  }
}

async function runChecks(
  global: GlobalOptions,
  options: DoctorOptions,
  timeoutMs: number,
  output: Output,
  emit: (check: DoctorCheck) => void,
): Promise<void> {
  const { describeError } = await import('../../core/errors.ts');
  const { loadFromOptions } = await import('../context.ts');

  // --- config: nothing else can run without it.
  let loaded: LoadedConfig;
  try {
    loaded = loadFromOptions(global);
  } catch (err) {
    emit({
      name: 'config',
      status: 'fail',
      detail: describeError(err),
      code: 'CONFIG_INVALID',
      fix: 'Correct the keys named above (`polyhunter config show` documents each), then run doctor again.',
    });
    return;
  }
  for (const w of loaded.warnings) output.err(`warning: ${w}`);
  const { config } = loaded;
  emit({
    name: 'config',
    status: 'pass',
    detail: `${loaded.configFileFound ? loaded.configFile : 'no config file, defaults'}: valid; trading.mode ${config.trading.mode}, ${config.accounts.length} account${config.accounts.length === 1 ? '' : 's'}`,
  });

  emit(await checkDatabase(loaded, timeoutMs));

  // --- the venue, all at once: each probe is bounded by the timeout.
  const p = await import('../../execution/preflight/index.ts');
  const probe = { timeoutMs };
  const v = config.venue;
  const chainWs = v.polygon_ws_url;
  const venue: [string, Promise<CheckOutcome>][] = [
    ['gamma', p.probeHttp('Gamma', v.gamma_url, '/markets?limit=1', 'gamma_url', probe)],
    ['clob', p.probeClob(v.clob_url, probe)],
    ['clock', p.probeClockSkew(v.clob_url, () => Date.now(), probe)],
    ['data_api', p.probeHttp('the Data API', v.data_api_url, '/trades?limit=1', 'data_api_url', probe)],
    ['rtds', p.probeWebSocket('RTDS', v.rtds_url, 'rtds_url', probe)],
    [
      'clob_ws',
      p.probeWebSocket(
        'the CLOB market channel',
        `${v.clob_ws_url.replace(/\/+$/, '')}/market`,
        'clob_ws_url',
        probe,
      ),
    ],
    [
      'chain',
      chainWs === ''
        ? Promise.resolve(p.skip('venue.polygon_ws_url is empty: the chain source is off'))
        : p.probeChain(chainWs, v.chain_id, probe),
    ],
    ['region', p.checkRegion({ url: options.geoblockUrl, timeoutMs })],
  ];
  for (const [name, outcome] of venue) emit(fromOutcome(name, await outcome));

  await checkAccounts(loaded, options, timeoutMs, emit);
}

async function checkDatabase(loaded: LoadedConfig, timeoutMs: number): Promise<DoctorCheck> {
  const { describeError } = await import('../../core/errors.ts');
  const { databaseExists, resolvedDatabaseUrl } = await import('../context.ts');
  const { openStore, pendingMigrations } = await import('../../store/index.ts');
  const url = resolvedDatabaseUrl(loaded);
  // Looking must not create it: openStore would make an empty SQLite file.
  if (!databaseExists(url)) {
    return {
      name: 'database',
      status: 'fail',
      detail: `no database at ${url} yet`,
      code: 'DATABASE_UNAVAILABLE',
      fix: 'Create it with `polyhunter db migrate` (`polyhunter start` does it too).',
    };
  }
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(url, { connectTimeoutMs: timeoutMs });
  } catch (err) {
    return {
      name: 'database',
      status: 'fail',
      detail: describeError(err),
      code: 'DATABASE_UNAVAILABLE',
      fix: 'Check database.url and that the database server is running and accepts the credentials.',
    };
  }
  try {
    const pending = await pendingMigrations(store);
    if (pending.length > 0) {
      return {
        name: 'database',
        status: 'fail',
        detail: `${store.displayUrl} (${store.engine}) is reachable but ${pending.length} migration${pending.length === 1 ? ' is' : 's are'} pending (${pending.join(', ')})`,
        code: 'DATABASE_UNAVAILABLE',
        fix: 'Run `polyhunter db migrate`.',
      };
    }
    return {
      name: 'database',
      status: 'pass',
      detail: `${store.displayUrl} (${store.engine}): reachable, schema up to date`,
    };
  } catch (err) {
    return {
      name: 'database',
      status: 'fail',
      detail: `${store.displayUrl}: ${describeError(err)}`,
      code: 'DATABASE_UNAVAILABLE',
      fix: 'Check database.url and that the database server is running and accepts the credentials.',
    };
  } finally {
    await store.close();
  }
}

async function checkAccounts(
  loaded: LoadedConfig,
  options: DoctorOptions,
  timeoutMs: number,
  emit: (check: DoctorCheck) => void,
): Promise<void> {
  const { resolve } = await import('node:path');
  const { describeError } = await import('../../core/errors.ts');
  const { openKeystore } = await import('../../keys/index.ts');
  const { KEYSTORE_FILE } = await import('./keys.ts');
  const { config } = loaded;

  let accounts = config.accounts;
  if (options.account !== undefined) {
    accounts = accounts.filter((a) => a.name === options.account);
    if (accounts.length === 0) {
      const known = config.accounts.map((a) => a.name);
      emit({
        name: 'account',
        account: options.account,
        status: 'fail',
        detail: `no [[accounts]] entry named ${options.account} in ${loaded.configFile}`,
        code: 'CONFIG_INVALID',
        fix:
          known.length === 0
            ? `Add an [[accounts]] entry with name = "${options.account}" to ${loaded.configFile}.`
            : `Pick one of ${known.join(', ')}, or add an [[accounts]] entry named ${options.account}.`,
      });
      return;
    }
  }
  if (accounts.length === 0) {
    emit({
      name: 'accounts',
      status: 'skip',
      detail: 'no [[accounts]] configured: nothing to trade live with (paper needs none)',
    });
    return;
  }

  const path =
    options.keystore !== undefined ? resolve(options.keystore) : resolve(loaded.baseDir, KEYSTORE_FILE);
  let keystore: Keystore;
  try {
    keystore = openKeystore(path);
  } catch (err) {
    emit({
      name: 'keystore',
      status: 'fail',
      detail: describeError(err),
      code: 'KEY_MISSING',
      fix: `Restore ${path} from its backup, or point --keystore at the right file.`,
    });
    return;
  }
  const passphrase = await passphraseFor(
    loaded,
    keystore,
    accounts.map((a) => a.name),
  );

  for (const account of accounts) {
    await checkAccount(loaded, account, keystore, passphrase, timeoutMs, emit);
  }
}

/** The configured passphrase, else one asked for at a terminal when some account's key is there. */
async function passphraseFor(
  loaded: LoadedConfig,
  keystore: Keystore,
  names: readonly string[],
): Promise<string | undefined> {
  const configured = loaded.secrets.keystore.passphrase;
  if (configured !== undefined) return configured;
  if (process.stdin.isTTY !== true || !names.some((n) => keystore.get(n) !== undefined)) return undefined;
  const { askHidden } = await import('../../keys/index.ts');
  const answer = await askHidden('Keystore passphrase (Enter to skip the key checks): ');
  return answer === '' ? undefined : answer;
}

type AccountEntry = LoadedConfig['config']['accounts'][number];

async function checkAccount(
  loaded: LoadedConfig,
  account: AccountEntry,
  keystore: Keystore,
  passphrase: string | undefined,
  timeoutMs: number,
  emit: (check: DoctorCheck) => void,
): Promise<void> {
  const { describeError } = await import('../../core/errors.ts');
  const p = await import('../../execution/preflight/index.ts');
  const { MICRO, usdc } = await import('../../core/money.ts');
  const { getAddress } = await import('viem');
  const name = account.name;
  const at = (check: string, outcome: CheckOutcome) => emit(fromOutcome(check, outcome, name));
  const skipRest = (reason: string, from: readonly string[]) => {
    for (const check of from) at(check, p.skip(reason));
  };
  const VENUE_CHECKS = ['api_key', 'balance', 'allowances', 'closed_only'] as const;

  // --- the key: there, and opened by the passphrase.
  const info = keystore.get(name);
  // The keystore keeps addresses lower-case; every line shows them checksummed.
  const signer = info === undefined ? undefined : getAddress(info.address);
  const wallet = p.checkWallet(account, signer);
  if (info === undefined) {
    at('key', {
      status: 'fail',
      code: 'KEY_MISSING',
      message: `no key named ${name} in ${keystore.path}`,
      fix: `Add it with \`polyhunter keys add ${name}\` (or pass --keystore if it is kept elsewhere).`,
    });
    at('wallet', wallet);
    skipRest('needs the account key', VENUE_CHECKS);
    return;
  }
  if (passphrase === undefined) {
    at(
      'key',
      p.skip(
        `key ${name} (${signer}) is in ${keystore.path} but was not unlocked: no passphrase (set ${PASSPHRASE_ENV} or [keystore] passphrase in ${loaded.secretsFile}, or run in a terminal)`,
      ),
    );
    at('wallet', wallet);
    skipRest('needs the unlocked key', VENUE_CHECKS);
    return;
  }
  let privateKey: Awaited<ReturnType<Keystore['unlock']>>['privateKey'];
  let stored: Awaited<ReturnType<Keystore['apiCreds']>>;
  try {
    privateKey = (await keystore.unlock(name, passphrase)).privateKey;
    stored = await keystore.apiCreds(name, passphrase);
  } catch (err) {
    at('key', {
      status: 'fail',
      code: 'KEY_LOCKED',
      message: `key ${name} in ${keystore.path} could not be unlocked: ${describeError(err)}`,
      fix: `Give the passphrase the keystore was made with (${PASSPHRASE_ENV} or [keystore] passphrase in ${loaded.secretsFile}).`,
    });
    at('wallet', wallet);
    skipRest('needs the unlocked key', VENUE_CHECKS);
    return;
  }
  at('key', p.pass(`key ${name} unlocked from ${keystore.path}: signs for ${signer}`));

  // --- the wallet set-up, then everything that needs the venue.
  at('wallet', wallet);
  if (wallet.status !== 'pass') {
    skipRest('the wallet set-up must pass first', VENUE_CHECKS);
    return;
  }
  const clobUrl = loaded.config.venue.clob_url;
  const funder = account.funder === undefined ? undefined : getAddress(account.funder);
  const clob = new p.ClobAccount({
    clobUrl,
    chainId: loaded.config.venue.chain_id,
    privateKey: privateKey.expose(),
    signatureType: account.signature_type,
    ...(funder === undefined ? {} : { funder }),
    ...(stored === undefined ? {} : { apiCreds: stored.expose() }),
    timeoutMs,
  });
  const apiKey = await p.checkApiKey(clob, { account: name, clobUrl });
  at('api_key', apiKey);
  if (apiKey.status !== 'pass') {
    skipRest('needs a working API key', ['balance', 'allowances', 'closed_only']);
    return;
  }
  // Keep what the venue derived or created, encrypted with the key, so the live broker reuses it
  // instead of creating another (creating revokes the account's other keys).
  if (stored === undefined) {
    const { creds } = await clob.credentials();
    await keystore.storeApiCreds(name, creds, passphrase);
  }
  const { systemClock } = await import('../../core/clock.ts');
  const preflight = p.createPreflight({
    reader: clob,
    chainId: loaded.config.venue.chain_id,
    wallet: account.signature_type === 0 || funder === undefined ? clob.address : funder,
    signatureType: account.signature_type,
    clock: systemClock,
  });
  // Both lines come from one balance-allowance read (the preflight cache shares it).
  at('balance', await preflight.checkBalance(usdc(MIN_BALANCE_USD * MICRO)));
  at('allowances', await preflight.checkAllowances());
  at('closed_only', await p.checkClosedOnly(clob, clobUrl));
}
