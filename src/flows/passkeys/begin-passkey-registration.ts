import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server';
import type { Principal } from '../authenticate/principal.js';
import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { issuePasskeyChallenge } from './passkey-challenges.js';
import { resolveRelyingParty } from './relying-party.js';

/**
 * The options for navigator.credentials.create(): a discoverable credential (resident key required,
 * so the passkey can later sign in without an e-mail), user verification preferred, no attestation
 * (Tessera trusts no authenticator vendor list), and the user's passkeys excluded so one authenticator
 * is not registered twice. The challenge is bound to this user and to registration.
 */
export async function beginPasskeyRegistration(
  deps: Deps,
  principal: Principal,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const user = await deps.stores.users.findById(principal.userId);
  if (user === undefined) throw new FlowError('user_not_found', 'The user no longer exists.');
  const rp = resolveRelyingParty(deps.config);
  const existing = await deps.stores.passkeys.listForUser(user.id);
  const challenge = await issuePasskeyChallenge(deps, 'registration', user.id);
  return generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    // The WebAuthn user handle is the user's id: a sign-in's userHandle names the account directly.
    userID: new TextEncoder().encode(user.id),
    userName: user.email,
    userDisplayName: user.name ?? user.email,
    challenge,
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({
      id: passkey.credentialId,
      transports: passkey.transports,
    })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    // ES256 first (every platform authenticator), then EdDSA and RS256.
    supportedAlgorithmIDs: [-7, -8, -257],
  });
}
