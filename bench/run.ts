/**
 * `npm run bench [-- filter]`: runs every bench/*.bench.ts (or those whose name contains the
 * filter), prints their figures and exits non-zero when any case falls below its floor.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { results } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches "${filter}" in ${here}`);
  process.exit(2);
}

console.log(`node ${process.version}, ${files.length} benchmark file(s)`);
for (const f of files) {
  await import(pathToFileURL(join(here, f)).href);
}

const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length === 0 ? 0 : 1);
