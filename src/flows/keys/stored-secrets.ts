import type { Config } from '../../config/types.js';
import { createSecretSealer, decodeMasterKey, type SecretSealer } from '../../keys/secret-sealer.js';
import type { SecretStore } from '../../stores/types.js';

const sealers = new WeakMap<Config, SecretSealer>();

/**
 * The sealer for this configuration's TESSERA_MASTER_KEY (plaintext when none is set). Derived once
 * per config object: every flow that reads or writes key material already holds the config, so the
 * master key reaches them without another dependency to thread through.
 */
export function sealerFor(config: Config): SecretSealer {
  let sealer = sealers.get(config);
  if (sealer === undefined) {
    sealer = createSecretSealer(config.masterKey === null ? null : decodeMasterKey(config.masterKey));
    sealers.set(config, sealer);
  }
  return sealer;
}

/** What a signing key's private JWK is sealed for: binds the ciphertext to its kid. */
export function signingKeyPurpose(kid: string): string {
  return `signing key ${kid}`;
}

/** What a server secret (secrets table) is sealed for: binds the ciphertext to its name. */
export function secretPurpose(name: string): string {
  return `secret ${name}`;
}

/**
 * A server secret shared by every instance (first writer wins), stored sealed when a master key is set.
 * A secret stored in clear before the master key was set is sealed in place on first use.
 */
export async function getOrCreateServerSecret(
  secrets: SecretStore,
  config: Config,
  name: string,
  create: () => string,
): Promise<string> {
  const sealer = sealerFor(config);
  const purpose = secretPurpose(name);
  const stored = await secrets.getOrCreate(name, () => sealer.seal(purpose, create()));
  const opened = sealer.open(purpose, stored);
  if (sealer.enabled && !opened.wasSealed)
    await secrets.replace(name, sealer.seal(purpose, opened.plaintext));
  return opened.plaintext;
}
