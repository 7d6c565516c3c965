/**
 * The keystore file: JSON, one entry per key, read strictly (an unknown field or version is an
 * error, never silently dropped on the next write) and written whole or not at all (a temp file
 * beside it, fsync, rename), mode 0600.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { KEY_NAME } from './private-key.ts';
import { isPowerOfTwo, MAX_SCRYPT_MEMORY, MAX_SCRYPT_N, MIN_SCRYPT_N, SEAL_SIZES } from './seal.ts';

export const KEYSTORE_VERSION = 1;

const hexBytes = (bytes: number) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), { error: `${bytes} bytes of lower-case hex` });

const scryptSchema = z
  .strictObject({
    name: z.literal('scrypt'),
    n: z.number().int().min(MIN_SCRYPT_N).max(MAX_SCRYPT_N).refine(isPowerOfTwo, { error: 'a power of two' }),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
  })
  .refine((k) => 128 * k.n * k.r * k.p <= MAX_SCRYPT_MEMORY, { error: 'asks scrypt for more than 1 GiB' });

const sealedSchema = z.strictObject({
  kdf: scryptSchema,
  cipher: z.literal('aes-256-gcm'),
  salt: hexBytes(SEAL_SIZES.salt),
  iv: hexBytes(SEAL_SIZES.iv),
  ciphertext: z.string().regex(/^(?:[0-9a-f]{2})+$/, { error: 'lower-case hex' }),
  tag: hexBytes(SEAL_SIZES.tag),
});

const entrySchema = z.strictObject({
  name: z.string().regex(KEY_NAME),
  address: z.string().regex(/^0x[0-9a-f]{40}$/, { error: 'a lower-case 0x address' }),
  created_at: z.iso.datetime(),
  private_key: sealedSchema,
  api_creds: sealedSchema.optional(),
});

const fileSchema = z.strictObject({
  version: z.literal(KEYSTORE_VERSION),
  keys: z.array(entrySchema).refine((keys) => new Set(keys.map((k) => k.name)).size === keys.length, {
    error: 'two keys have the same name',
  }),
});

export type KeystoreEntry = z.output<typeof entrySchema>;
export type KeystoreFile = z.output<typeof fileSchema>;

export function emptyKeystore(): KeystoreFile {
  return { version: KEYSTORE_VERSION, keys: [] };
}

/** The file's content; an empty keystore when the file does not exist yet. */
export function readKeystoreFile(path: string): KeystoreFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyKeystore();
    throw new ConfigError(
      `cannot read the keystore ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the file; say only what is wrong.
    throw new ConfigError(`the keystore ${path} is not valid JSON`);
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > KEYSTORE_VERSION) {
    throw new ConfigError(
      `the keystore ${path} is version ${version}; this PolyHunter reads version ${KEYSTORE_VERSION}: upgrade PolyHunter`,
    );
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    // Paths and rule messages only: zod's messages do not quote values, and these never do.
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`)
      .join('; ');
    throw new ConfigError(`the keystore ${path} is not a valid PolyHunter keystore: ${issues}`);
  }
  return parsed.data;
}

/** Replaces the file atomically: a reader sees the old keystore or the new one, never half of one. */
export function writeKeystoreFile(path: string, content: KeystoreFile): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${dir}/.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    try {
      writeSync(fd, `${JSON.stringify(content, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  syncDirectory(dir);
}

/** Makes the rename itself durable; not every platform can open a directory, which is fine. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A warning when others may read the file (POSIX only); the next write resets it to 0600. */
export function permissionWarning(path: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      return `the keystore ${path} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${path}`;
    }
  } catch {
    // No file yet: nothing to warn about.
  }
  return undefined;
}
