/**
 * Loading the effective configuration: schema defaults, then polyhunter.toml, then POLYHUNTER_*
 * environment variables; secrets from secrets.toml and the environment. Every leaf remembers its
 * source. Any problem, in any layer, becomes one ConfigError that lists each key at fault.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { closest, displayPath, formatIssues } from './issues.ts';
import { type Config, configSchema, type Secrets, secretsSchema } from './schema.ts';
import { coerceText, findLeaf, leavesOf } from './schema-walk.ts';
import { deepMerge, getAt, setAt, type Tree } from './tree.ts';

export type ValueSource =
  | { kind: 'default' }
  | { kind: 'file'; file: string }
  | { kind: 'env'; variable: string }
  | { kind: 'database'; setBy: string; updatedAt: number };

export interface LoadOptions {
  /** Explicit config file; it must exist. Default: $POLYHUNTER_CONFIG or ./polyhunter.toml (optional). */
  configPath?: string | undefined;
  /** Explicit secrets file; it must exist. Default: $POLYHUNTER_SECRETS or secrets.toml beside the config. */
  secretsPath?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

export interface LoadedConfig {
  config: Config;
  secrets: Secrets;
  /** The source of every config leaf, by dotted path. */
  sources: ReadonlyMap<string, ValueSource>;
  /** The source of every secret that is set, by dotted path. */
  secretSources: ReadonlyMap<string, ValueSource>;
  configFile: string;
  configFileFound: boolean;
  secretsFile: string;
  secretsFileFound: boolean;
  /** Relative paths in the config (the SQLite file) resolve against this directory. */
  baseDir: string;
  /** Things worth telling the user that are not errors. */
  warnings: string[];
}

export const ENV_PREFIX = 'POLYHUNTER_';
/** POLYHUNTER_* variables that are options rather than config keys. */
export const OPTION_VARIABLES = ['POLYHUNTER_CONFIG', 'POLYHUNTER_SECRETS', 'POLYHUNTER_DEBUG'] as const;

/** `server.port` -> `POLYHUNTER_SERVER__PORT`. */
export function envNameOf(path: string): string {
  return ENV_PREFIX + path.split('.').join('__').toUpperCase();
}

const CONFIG_LEAVES = leavesOf(configSchema).map((l) => l.path);
const SECRET_LEAVES = leavesOf(secretsSchema).map((l) => l.path);

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const warnings: string[] = [];
  const problems: string[] = [];

  const explicitConfig = options.configPath ?? env.POLYHUNTER_CONFIG;
  const configFile = resolve(cwd, explicitConfig ?? 'polyhunter.toml');
  const explicitSecrets = options.secretsPath ?? env.POLYHUNTER_SECRETS;
  const secretsFile = resolve(cwd, explicitSecrets ?? resolve(dirname(configFile), 'secrets.toml'));
  const show = (file: string) => displayFile(file, cwd);

  const fileTree = readTomlFile(configFile, explicitConfig !== undefined, 'config');
  const secretsTree = readTomlFile(secretsFile, explicitSecrets !== undefined, 'secrets');
  if (secretsTree) warnIfWorldReadable(secretsFile, show(secretsFile), warnings);
  if (!fileTree) {
    warnings.push(
      `no config file at ${show(configFile)}; using defaults (run \`polyhunter init\` to create one)`,
    );
  }

  const envLayers = readEnvironment(env, problems);

  const configInput = deepMerge(fileTree ?? {}, envLayers.config);
  const secretsInput = deepMerge(secretsTree ?? {}, envLayers.secrets);

  const originOf = (fileLabel: string, envTree: Tree) => (path: readonly PropertyKey[]) => {
    const keys = path.filter((p): p is string => typeof p === 'string');
    for (let n = keys.length; n > 0; n--) {
      const prefix = keys.slice(0, n);
      if (getAt(envTree, prefix) !== undefined) return `environment variable ${envNameOf(prefix.join('.'))}`;
    }
    return fileLabel;
  };

  const configResult = configSchema.safeParse(configInput);
  if (!configResult.success) {
    problems.push(
      ...formatIssues(configResult.error.issues, {
        schema: configSchema,
        input: configInput,
        originOf: originOf(show(configFile), envLayers.config),
        adviceForUnknown: (path) => {
          const key = displayPath(path);
          const secret = SECRET_LEAVES.find((l) => l === key || l.startsWith(`${key}.`));
          return secret
            ? `${secret} is a secret: put it in ${show(secretsFile)} or ${envNameOf(secret)}, never in the config file`
            : undefined;
        },
      }),
    );
  }
  const secretsResult = secretsSchema.safeParse(secretsInput);
  if (!secretsResult.success) {
    problems.push(
      ...formatIssues(secretsResult.error.issues, {
        schema: secretsSchema,
        input: secretsInput,
        originOf: originOf(show(secretsFile), envLayers.secrets),
        adviceForUnknown: (path) =>
          CONFIG_LEAVES.includes(displayPath(path))
            ? `not a secret: it belongs in ${show(configFile)}`
            : undefined,
      }),
    );
  }
  if (problems.length > 0 || !configResult.success || !secretsResult.success) {
    throw new ConfigError(
      `Invalid configuration (${problems.length} problem(s)):\n  - ${problems.join('\n  - ')}`,
    );
  }

  const sourceOf = (tree: Tree | null, envTree: Tree, file: string) => (path: string) => {
    const parts = path.split('.');
    if (getAt(envTree, parts) !== undefined) return { kind: 'env', variable: envNameOf(path) } as const;
    if (tree && getAt(tree, parts) !== undefined) return { kind: 'file', file } as const;
    return { kind: 'default' } as const;
  };
  const configSourceOf = sourceOf(fileTree, envLayers.config, configFile);
  const sources = new Map<string, ValueSource>(CONFIG_LEAVES.map((p) => [p, configSourceOf(p)]));
  const secretSourceOf = sourceOf(secretsTree, envLayers.secrets, secretsFile);
  const secretSources = new Map<string, ValueSource>();
  for (const p of SECRET_LEAVES) {
    if (getAt(secretsResult.data, p.split('.')) !== undefined) secretSources.set(p, secretSourceOf(p));
  }

  return {
    config: configResult.data,
    secrets: secretsResult.data,
    sources,
    secretSources,
    configFile,
    configFileFound: fileTree !== null,
    secretsFile,
    secretsFileFound: secretsTree !== null,
    baseDir: dirname(configFile),
    warnings,
  };
}

function displayFile(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Parses a TOML file; null when it does not exist and was not asked for by name. */
function readTomlFile(file: string, required: boolean, what: 'config' | 'secrets'): Tree | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return null;
    const reason =
      code === 'ENOENT'
        ? `not found${what === 'config' ? ' (run `polyhunter init` to create one)' : ''}`
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (err as Error).message;
    throw new ConfigError(`cannot read ${what} file ${file}: ${reason}`, { cause: err });
  }
  try {
    return parseToml(text) as Tree;
  } catch (err) {
    if (err instanceof TomlError) {
      const [headline] = err.message.split('\n');
      const detail = headline?.replace(/^Invalid TOML document: /, '') ?? err.message;
      throw new ConfigError(`${file}:${err.line}:${err.column}: invalid TOML: ${detail}\n${err.codeblock}`, {
        cause: err,
      });
    }
    throw new ConfigError(`cannot parse ${file}: ${(err as Error).message}`, { cause: err });
  }
}

function warnIfWorldReadable(file: string, label: string, warnings: string[]): void {
  try {
    if ((statSync(file).mode & 0o077) !== 0) {
      warnings.push(`${label} can be read by other users; run \`chmod 600 ${label}\``);
    }
  } catch {
    // It was readable a moment ago; a stat failure here changes nothing we can act on.
  }
}

/** Splits POLYHUNTER_* variables into config and secrets layers; unknown names are problems. */
function readEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): { config: Tree; secrets: Tree } {
  const config: Tree = {};
  const secrets: Tree = {};
  const allLeaves = [...CONFIG_LEAVES, ...SECRET_LEAVES];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    if ((OPTION_VARIABLES as readonly string[]).includes(name) || name.startsWith(`${ENV_PREFIX}TEST_`))
      continue;
    const rest = name.slice(ENV_PREFIX.length);
    const path = rest.toLowerCase().split('__').join('.');
    if (!allLeaves.includes(path)) {
      const guess = closest(path, allLeaves);
      problems.push(
        `environment variable ${name}: unknown setting` +
          (guess
            ? ` (did you mean ${envNameOf(guess)}?)`
            : ` (config keys look like ${envNameOf('server.port')})`),
      );
      continue;
    }
    const isSecret = SECRET_LEAVES.includes(path);
    const leaf = findLeaf(isSecret ? secretsSchema : configSchema, path)!;
    setAt(isSecret ? secrets : config, path.split('.'), coerceText(leaf, raw));
  }
  return { config, secrets };
}

/** Every config leaf path, for listings and completion. */
export function configKeys(): readonly string[] {
  return CONFIG_LEAVES;
}

/** Validates one value for a leaf on its own; returns the parsed value or a ConfigError. */
export function parseLeafValue(path: string, value: unknown, origin: string): unknown {
  const leaf = findLeaf(configSchema, path);
  if (!leaf) {
    const guess = closest(path, [...CONFIG_LEAVES]);
    throw new ConfigError(`${origin}: unknown key "${path}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
  }
  const input = typeof value === 'string' ? coerceText(leaf, value) : value;
  const result = (leaf as z.ZodType).safeParse(input);
  if (!result.success) {
    const wrapped: Tree = {};
    setAt(wrapped, path.split('.'), input);
    const lines = formatIssues(
      result.error.issues.map((i) => ({ ...i, path: [...path.split('.'), ...i.path] })),
      { schema: configSchema, input: wrapped, originOf: () => origin },
    );
    throw new ConfigError(lines.join('\n'));
  }
  return result.data;
}
