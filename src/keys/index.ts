/** The public face of keys: the encrypted local keystore and the boxes secrets travel in. */
export { configuredLiveAccount, defaultKeystorePath, KEYSTORE_FILE } from './accounts.ts';
export {
  type ApiCreds,
  type KeyInfo,
  Keystore,
  type KeystoreOptions,
  openKeystore,
  type UnlockedKey,
} from './keystore.ts';
export { addressOfKey, checkKeyName, KEY_NAME, parsePrivateKey } from './private-key.ts';
export { askHidden, askLine, type PromptInput, type PromptOutput } from './prompt.ts';
export { DEFAULT_SCRYPT_N } from './seal.ts';
export { REDACTED, Secret } from './secret.ts';
