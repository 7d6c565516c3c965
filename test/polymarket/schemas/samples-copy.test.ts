import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES, SHARED_SAMPLES } from '../../support/shape.ts';

// The copy is what the tests read; the originals live in shared/, beside the repository. A machine
// without shared/ (a bare clone) has nothing to compare with, so the check is skipped there.
describe.skipIf(!existsSync(SHARED_SAMPLES))('the repository copy of the Polymarket samples', () => {
  it('has exactly the files of shared/polymarket/samples, byte for byte', () => {
    const shared = readdirSync(SHARED_SAMPLES).sort();
    expect(readdirSync(SAMPLES).sort()).toEqual(shared);
    for (const file of shared) {
      expect(readFileSync(join(SAMPLES, file), 'utf8'), file).toBe(
        readFileSync(join(SHARED_SAMPLES, file), 'utf8'),
      );
    }
  });
});
