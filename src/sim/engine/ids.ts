/** Deterministic trade ids shaped like the CLOB's (UUID v4 text), from a seed. */
import { createRandom } from '../random.ts';

export type IdGenerator = () => string;

export function seededIds(seed: number): IdGenerator {
  const random = createRandom(seed).fork('engine-ids');
  return () => {
    const hex = random.hex(16);
    // Version 4 and the RFC 4122 variant, so the ids pass UUID validators.
    const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}
