/**
 * Postinstall: installs the platform-native optional packages that the lockfile names but npm
 * skipped.
 *
 * Why: npm checks a package's `engines` against the Node that runs npm itself. On a machine whose
 * system Node is 20, npm skips optional native packages that require Node 22 (EDR's binding, for
 * one), although the project runs on its own Node 22 (the `node` devDependency). npm has no
 * setting to change the version it checks, so this fetches each skipped package from the same
 * registry with `npm pack`, checks it against the lockfile's integrity, and unpacks it where npm
 * would have put it. It runs as a lifecycle script, so on the project's Node 22.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface LockEntry {
  version?: string;
  integrity?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

const root = join(import.meta.dirname, '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
const libc = report.header?.glibcVersionRuntime ? 'glibc' : 'musl';

/** npm's os/cpu/libc lists: allowed values, or `!value` exclusions. */
function allows(list: string[] | undefined, value: string): boolean {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  const positives = list.filter((v) => !v.startsWith('!'));
  return positives.length === 0 || positives.includes(value);
}

const missing = Object.entries(lock.packages).filter(
  ([path, entry]) =>
    path.startsWith('node_modules/') &&
    entry.optional === true &&
    // Only platform-native packages: other optional entries belong to skipped parents (wasm fallbacks).
    (entry.os !== undefined || entry.cpu !== undefined) &&
    allows(entry.os, process.platform) &&
    allows(entry.cpu, process.arch) &&
    (process.platform !== 'linux' || allows(entry.libc, libc)) &&
    !existsSync(join(root, path, 'package.json')),
);

for (const [path, entry] of missing) {
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const spec = `${name}@${entry.version}`;
  const work = mkdtempSync(join(tmpdir(), 'polyhunter-optional-'));
  try {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', spec, '--json', '--pack-destination', work], {
        cwd: work,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    ) as { filename: string; integrity: string }[];
    const tarball = packed[0];
    if (!tarball) throw new Error(`npm pack ${spec} returned nothing`);
    if (entry.integrity && tarball.integrity !== entry.integrity) {
      throw new Error(
        `${spec}: integrity ${tarball.integrity} does not match the lockfile's ${entry.integrity}`,
      );
    }
    const dest = join(root, path);
    mkdirSync(dest, { recursive: true });
    execFileSync('tar', ['-xzf', join(work, tarball.filename), '-C', dest, '--strip-components=1']);
    const npmNode = /node\/(v[\d.]+)/.exec(process.env.npm_config_user_agent ?? '')?.[1] ?? 'another Node';
    console.log(`postinstall: installed ${spec}, which npm (on ${npmNode}) skipped`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
