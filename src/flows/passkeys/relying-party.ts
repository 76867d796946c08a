import type { Config } from '../../config/types.js';

/** Who passkeys are created for and which pages may use them (WebAuthn L3 §5.1.3, §13.4.9). */
export interface RelyingParty {
  /** A domain (never an IP address: browsers refuse one). */
  rpId: string;
  rpName: string;
  /** Origins (serialised: scheme, host, port) allowed in clientDataJSON. */
  origins: readonly string[];
}

/** The configured relying party; unset values come from the public URL (its host name, its origin). */
export function resolveRelyingParty(config: Pick<Config, 'webauthn' | 'publicUrl'>): RelyingParty {
  const publicUrl = new URL(config.publicUrl);
  return {
    rpId: config.webauthn.rpId ?? publicUrl.hostname,
    rpName: config.webauthn.rpName,
    origins: config.webauthn.origins ?? [publicUrl.origin],
  };
}
