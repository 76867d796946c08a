import { verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { CredentialIdTakenError, type PasskeyTransport } from '../../stores/types.js';
import type { PasskeyView } from '../../wire/passkey-view.js';
import { recordAudit } from '../audit.js';
import type { Principal } from '../authenticate/principal.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { newId } from '../sessions/open-jwt-session.js';
import { consumePasskeyChallenge } from './passkey-challenges.js';
import { toPasskeyView } from './passkey-views.js';
import { resolveRelyingParty } from './relying-party.js';
import {
  assertAllowedOrigin,
  assertRpIdHash,
  readAttestedAuthenticatorData,
  readClientData,
} from './webauthn-response.js';

export interface PasskeyRegistrationInput {
  /** The user's label; a default naming the date is used when absent. */
  name?: string;
  response: RegistrationResponseJSON;
}

const KNOWN_TRANSPORTS: ReadonlySet<string> = new Set([
  'ble',
  'cable',
  'hybrid',
  'internal',
  'nfc',
  'smart-card',
  'usb',
]);

/**
 * Checks the browser's answer to beginPasskeyRegistration and stores the passkey. Cheap structural
 * checks, the origin and the RP ID come first, so a refused request leaves even its challenge unspent;
 * then the challenge is consumed (single use, this user's, registration's) and the attestation verified.
 */
export async function finishPasskeyRegistration(
  deps: Deps,
  principal: Principal,
  input: PasskeyRegistrationInput,
  context: RequestContext,
): Promise<PasskeyView> {
  const rp = resolveRelyingParty(deps.config);
  const clientData = readClientData(input.response.response.clientDataJSON, 'webauthn.create');
  assertAllowedOrigin(clientData, rp);
  assertRpIdHash(readAttestedAuthenticatorData(input.response.response.attestationObject), rp);
  await consumePasskeyChallenge(deps, 'registration', clientData.challenge, principal.userId);
  const info = await verifyAttestation(input.response, clientData.challenge, rp);
  const now = deps.clock.now();
  try {
    const passkey = await deps.stores.passkeys.create({
      id: newId(deps),
      userId: principal.userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: (input.response.response.transports ?? []).filter((t): t is PasskeyTransport =>
        KNOWN_TRANSPORTS.has(t),
      ),
      backupEligible: info.credentialDeviceType === 'multiDevice',
      backedUp: info.credentialBackedUp,
      name: input.name ?? `Passkey added ${now.toISOString().slice(0, 10)}`,
      createdAt: now,
      lastUsedAt: null,
    });
    await recordAudit(deps, 'passkey_added', {
      userId: principal.userId,
      sessionId: principal.sessionId,
      context,
      detail: { passkey_id: passkey.id, backup_eligible: passkey.backupEligible },
    });
    return toPasskeyView(passkey);
  } catch (error) {
    if (error instanceof CredentialIdTakenError) {
      throw new FlowError('passkey_already_registered', 'This passkey is registered already.');
    }
    throw error;
  }
}

async function verifyAttestation(
  response: RegistrationResponseJSON,
  challenge: string,
  rp: ReturnType<typeof resolveRelyingParty>,
) {
  try {
    const verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: [...rp.origins],
      expectedRPID: rp.rpId,
      requireUserVerification: false,
      supportedAlgorithmIDs: [-7, -8, -257],
    });
    if (verification.verified) return verification.registrationInfo;
    throw new Error('not verified');
  } catch (error) {
    throw new FlowError('passkey_response_invalid', 'The passkey registration could not be verified.', {
      cause: error,
    });
  }
}
