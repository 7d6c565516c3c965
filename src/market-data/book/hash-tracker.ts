/**
 * Whether this feed may enforce book hashes, and how checks went. A hash is enforced once the
 * feed has reproduced one (`auto`), from the start (`strict`), or never (`off`): enforcing a hash
 * the client cannot compute would resync every book on every change.
 */
import type { HashPolicy, HashVerdict } from './consistency.ts';

/**
 * `auto`: check hashes, and enforce them once one has been reproduced on this feed. `strict`:
 * enforce from the start (the simulator). `off`: top-of-book checks only.
 */
export type HashCheckMode = 'auto' | 'strict' | 'off';

export class HashTracker {
  readonly mode: HashCheckMode;
  matched = 0;
  mismatched = 0;
  skipped = 0;
  #proven = false;
  readonly #onProven: () => void;

  constructor(mode: HashCheckMode, onProven: () => void) {
    this.mode = mode;
    this.#onProven = onProven;
  }

  policy(): HashPolicy {
    if (this.mode === 'off') return 'off';
    return this.mode === 'strict' || this.#proven ? 'enforce' : 'observe';
  }

  record(verdict: HashVerdict): void {
    if (verdict === 'mismatch') this.mismatched++;
    else if (verdict === 'skipped') this.skipped++;
    else {
      this.matched++;
      if (!this.#proven) {
        this.#proven = true;
        this.#onProven();
      }
    }
  }

  status(): 'enforced' | 'observing' | 'off' {
    const policy = this.policy();
    return policy === 'enforce' ? 'enforced' : policy === 'observe' ? 'observing' : 'off';
  }
}
