/**
 * Which wallet a configured `[[accounts]]` entry trades from: its funder, or for an EOA (type 0)
 * the address of its key in the keystore (readable without the passphrase). Every face that
 * creates an account row (the CLI's and the dashboard's `follow add`, the live start) asks here,
 * so a configured account is created live, never as a paper account of the same name.
 */
import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/index.ts';
import { ValidationError } from '../core/errors.ts';
import type { LiveAccountRow } from '../store/index.ts';
import { openKeystore } from './keystore.ts';

/** The keystore's file name beside the config, unless a command is told otherwise. */
export const KEYSTORE_FILE = 'keystore.json';

export function defaultKeystorePath(loaded: LoadedConfig): string {
  return resolve(loaded.baseDir, KEYSTORE_FILE);
}

/** The live account row `name` stands for; undefined when it is not a configured account. */
export function configuredLiveAccount(
  loaded: LoadedConfig,
  name: string | undefined,
  keystorePath = defaultKeystorePath(loaded),
): LiveAccountRow | undefined {
  const entry = loaded.config.accounts.find((a) => a.name === name);
  if (entry === undefined) return undefined;
  let address = entry.funder;
  if (entry.signature_type === 0 || address === undefined) {
    const key = openKeystore(keystorePath).get(entry.name);
    if (key === undefined) {
      throw new ValidationError(
        `account ${entry.name} is a live [[accounts]] entry without a key in ${keystorePath}: add it first with \`polyhunter keys add ${entry.name}\``,
      );
    }
    address = key.address;
  }
  const lower = address.toLowerCase();
  return {
    name: entry.name,
    address: lower,
    signatureType: entry.signature_type,
    funderAddress: entry.signature_type === 0 ? null : lower,
  };
}
