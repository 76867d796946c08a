import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { PasskeyRecord } from '../../stores/types.js';
import type { UserRecord } from '../../stores/types.js';
import {
  ACR_MULTI_FACTOR,
  ACR_SINGLE_FACTOR,
  type AuthenticationMethod,
} from '../../wire/authentication-strength.js';
import { recordAudit } from '../audit.js';
import { normalizeEmail } from '../auth/email-address.js';
import { assertNotLockedOut, recordLoginFailure } from '../auth/lockout.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { consumePasskeyChallenge } from './passkey-challenges.js';
import type { SignInStrength } from '../auth/sign-in-strength.js';
import { resolveRelyingParty } from './relying-party.js';
import { assertAllowedOrigin, assertRpIdHash, decodeBase64Url, readClientData } from './webauthn-response.js';

export interface ProvenPasskey {
  user: UserRecord;
  strength: SignInStrength;
  /** The normalised e-mail the lockout counters are kept under, to reset them on success. */
  lockoutEmail: string;
}

/**
 * Proves a passwordless sign-in: the assertion's passkey, its user, the origin and RP ID, the single-use
 * challenge, the signature, the user handle, and a counter that must move forward. Lockout applies per
 * account as for passwords: a locked account is refused before the signature is checked, and a failed
 * signature or a cloned passkey counts as a failed login.
 */
export async function provePasskey(
  deps: Deps,
  response: AuthenticationResponseJSON,
  context: RequestContext,
): Promise<ProvenPasskey> {
  const rp = resolveRelyingParty(deps.config);
  const clientData = readClientData(response.response.clientDataJSON, 'webauthn.get');
  assertAllowedOrigin(clientData, rp);
  const authenticatorData = decodeBase64Url(response.response.authenticatorData, 'authenticatorData');
  assertRpIdHash(authenticatorData, rp);
  decodeBase64Url(response.response.signature, 'signature');
  await consumePasskeyChallenge(deps, 'authentication', clientData.challenge);
  const passkey = await deps.stores.passkeys.findByCredentialId(response.id);
  const user = passkey && (await deps.stores.users.findById(passkey.userId));
  if (passkey === undefined || user === undefined) {
    await recordAudit(deps, 'login_failed', { context, detail: { method: 'passkey', reason: 'unknown' } });
    throw new FlowError('passkey_unknown', 'This passkey is not registered here.');
  }
  const lockoutEmail = normalizeEmail(user.email);
  await assertNotLockedOut(deps, lockoutEmail);
  const verified = await verifyAssertion(deps, response, clientData.challenge, passkey, user, context);
  await assertCounterMovedOn(deps, passkey, verified.newCounter, user, context);
  const used = await deps.stores.passkeys.recordUse(passkey.id, {
    counter: verified.newCounter,
    expectedCounter: passkey.counter,
    backedUp: verified.credentialBackedUp,
    usedAt: deps.clock.now(),
  });
  // Another assertion moved the counter between our read and our write: one of the two is a copy.
  if (!used) await refuseClone(deps, passkey, verified.newCounter, user, context);
  return { user, strength: strengthOf(passkey, verified.userVerified, deps.clock.now()), lockoutEmail };
}

async function verifyAssertion(
  deps: Deps,
  response: AuthenticationResponseJSON,
  challenge: string,
  passkey: PasskeyRecord,
  user: UserRecord,
  context: RequestContext,
) {
  const rp = resolveRelyingParty(deps.config);
  try {
    if (response.response.userHandle !== undefined && response.response.userHandle !== null) {
      const handle = Buffer.from(decodeBase64Url(response.response.userHandle, 'userHandle')).toString(
        'utf8',
      );
      if (handle !== passkey.userId) throw new Error('the user handle names another account');
    }
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: [...rp.origins],
      expectedRPID: rp.rpId,
      // The counter is compared below (assertCounterMovedOn) to tell a clone from a bad signature.
      credential: {
        id: passkey.credentialId,
        publicKey: Uint8Array.from(Buffer.from(passkey.publicKey, 'base64url')),
        counter: 0,
        transports: passkey.transports,
      },
      requireUserVerification: false,
    });
    if (!verified) throw new Error('not verified');
    return authenticationInfo;
  } catch (error) {
    await countFailure(deps, user, context, 'signature');
    throw new FlowError('passkey_verification_failed', 'The passkey signature could not be verified.', {
      cause: error,
    });
  }
}

/**
 * WebAuthn L3 §6.1.1: when either counter is non-zero, the new one must be greater than the stored one;
 * otherwise two authenticators hold the same private key (a clone) or an assertion was replayed.
 */
async function assertCounterMovedOn(
  deps: Deps,
  passkey: PasskeyRecord,
  newCounter: number,
  user: UserRecord,
  context: RequestContext,
): Promise<void> {
  if ((newCounter > 0 || passkey.counter > 0) && newCounter <= passkey.counter) {
    await refuseClone(deps, passkey, newCounter, user, context);
  }
}

async function refuseClone(
  deps: Deps,
  passkey: PasskeyRecord,
  newCounter: number,
  user: UserRecord,
  context: RequestContext,
): Promise<never> {
  await recordAudit(deps, 'passkey_clone_detected', {
    userId: user.id,
    context,
    detail: { passkey_id: passkey.id, stored_counter: passkey.counter, presented_counter: newCounter },
  });
  await countFailure(deps, user, context, 'cloned');
  throw new FlowError(
    'passkey_cloned',
    'This passkey\u2019s signature counter went back: it may have been copied. Sign in another way.',
  );
}

async function countFailure(
  deps: Deps,
  user: UserRecord,
  context: RequestContext,
  reason: string,
): Promise<void> {
  const lockedForSeconds = await recordLoginFailure(deps, normalizeEmail(user.email));
  await recordAudit(deps, 'login_failed', {
    userId: user.id,
    context,
    detail: { method: 'passkey', reason },
  });
  if (lockedForSeconds !== undefined) {
    await recordAudit(deps, 'lockout', { userId: user.id, context, detail: { seconds: lockedForSeconds } });
  }
}

/**
 * RFC 8176: `hwk` for a key bound to one device (not backup-eligible), `swk` for a synced passkey;
 * `user` when the authenticator verified the user (PIN, biometrics), which makes the passkey two
 * factors in one (possession and knowledge or inherence), hence ACR_MULTI_FACTOR.
 */
function strengthOf(passkey: PasskeyRecord, userVerified: boolean, now: Date): SignInStrength {
  const amr: AuthenticationMethod[] = [passkey.backupEligible ? 'swk' : 'hwk'];
  if (userVerified) amr.push('user');
  return { amr, acr: userVerified ? ACR_MULTI_FACTOR : ACR_SINGLE_FACTOR, authTime: now };
}
