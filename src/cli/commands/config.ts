/** `polyhunter config show|set`: the effective configuration and runtime settings. */
import { type ConfigRow, effectiveConfigRows, type LoadedConfig } from '../../config/index.ts';
import { describeError } from '../../core/errors.ts';
import { changeRuntimeSetting, migrateToLatest, openStore, readRuntimeSettings } from '../../store/index.ts';
import {
  databaseExists,
  type GlobalOptions,
  loadFromOptions,
  type Output,
  printWarnings,
  resolvedDatabaseUrl,
} from '../context.ts';

/** Lays the database's runtime settings over the config, without creating or migrating anything. */
async function withDatabaseValues(loaded: LoadedConfig, output: Output): Promise<LoadedConfig> {
  const url = resolvedDatabaseUrl(loaded);
  if (!databaseExists(url)) {
    output.err('note: the database does not exist yet; runtime settings show their seed values');
    return loaded;
  }
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(url);
  } catch (err) {
    output.err(`warning: ${describeError(err)}; runtime settings show their seed values`);
    return loaded;
  }
  try {
    return await readRuntimeSettings(store, loaded);
  } catch (err) {
    output.err(
      `warning: cannot read settings from the database (${describeError(err)}); run \`polyhunter db migrate\``,
    );
    return loaded;
  } finally {
    await store.close();
  }
}

function table(rows: ConfigRow[]): string[] {
  const keyWidth = Math.max(...rows.map((r) => r.key.length));
  const valueWidth = Math.min(48, Math.max(...rows.map((r) => r.value.length)));
  return rows.map((r) => `${r.key.padEnd(keyWidth)}  ${r.value.padEnd(valueWidth)}  ${r.source}`);
}

export async function runConfigShow(
  global: GlobalOptions,
  options: { json?: boolean },
  output: Output,
): Promise<void> {
  const loaded = await withDatabaseValues(loadFromOptions(global), output);
  printWarnings(loaded, output);
  const rows = effectiveConfigRows(loaded);
  if (options.json) {
    output.out(
      JSON.stringify(
        {
          configFile: loaded.configFileFound ? loaded.configFile : null,
          secretsFile: loaded.secretsFileFound ? loaded.secretsFile : null,
          settings: rows.map((r) => ({ ...r, value: r.secret ? r.value : JSON.parse(r.value) })),
        },
        null,
        2,
      ),
    );
    return;
  }
  output.out(
    `config file:  ${loaded.configFile}${loaded.configFileFound ? '' : ' (not found, defaults in use)'}`,
  );
  output.out(`secrets file: ${loaded.secretsFile}${loaded.secretsFileFound ? '' : ' (not found)'}`);
  output.out('');
  for (const line of table(rows)) output.out(line);
}

export async function runConfigSet(
  global: GlobalOptions,
  key: string,
  value: string,
  output: Output,
): Promise<void> {
  const loaded = loadFromOptions(global);
  printWarnings(loaded, output);
  const store = await openStore(resolvedDatabaseUrl(loaded));
  try {
    await migrateToLatest(store);
    const change = await changeRuntimeSetting(store, loaded, key, value, 'cli', Date.now());
    output.out(`${key}: ${JSON.stringify(change.previous)} -> ${JSON.stringify(change.value)}`);
    const env = loaded.sources.get(key);
    if (env?.kind === 'env') {
      output.err(`warning: ${env.variable} is set and overrides this value until it is unset`);
    }
  } finally {
    await store.close();
  }
}
