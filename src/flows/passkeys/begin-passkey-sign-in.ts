import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { Deps } from '../deps.js';
import { issuePasskeyChallenge } from './passkey-challenges.js';
import { resolveRelyingParty } from './relying-party.js';

/**
 * The options for navigator.credentials.get() for a passwordless sign-in: no allowCredentials (the
 * browser offers the discoverable passkeys it holds for this RP ID, also as autofill with
 * `mediation: 'conditional'`), so nothing here reveals who has an account.
 */
export async function beginPasskeySignIn(deps: Deps): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = resolveRelyingParty(deps.config);
  const challenge = await issuePasskeyChallenge(deps, 'authentication');
  return generateAuthenticationOptions({ rpID: rp.rpId, challenge, userVerification: 'preferred' });
}
