/** Places the operator address into SimExchange's runtime code, where solc left the immutable. */
import { type Address, type Hex, isAddress } from 'viem';
import type { CompiledSimExchange } from './compile.ts';

/**
 * The runtime code as a constructor run with `operator_ = operator` would have left it. Placing
 * this code at an address (genesis state) deploys the contract there with no constructor and no
 * storage.
 */
export function runtimeCodeFor(compiled: CompiledSimExchange, operator: Address): Hex {
  if (!isAddress(operator, { strict: false })) throw new TypeError(`not an address: ${operator}`);
  const word = operator.slice(2).toLowerCase().padStart(64, '0');
  let code = compiled.runtimeCode.slice(2);
  for (const ref of compiled.operatorRefs) {
    const at = ref.start * 2;
    code = code.slice(0, at) + word + code.slice(at + ref.length * 2);
  }
  return `0x${code}`;
}
