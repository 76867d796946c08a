import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';

/** A WebAuthn ceremony has minutes, not hours: long enough for a user to find their key. */
export const PASSKEY_CHALLENGE_TTL_SECONDS = 300;
/** 256 bits: WebAuthn asks for at least 16 random bytes (L3 §13.4.3). */
const CHALLENGE_BYTES = 32;

export type ChallengePurpose = 'registration' | 'authentication';

/** Authentication challenges are not bound to anyone: a discoverable passkey names its user itself. */
const NOBODY = '-';

function keyOf(purpose: ChallengePurpose, challenge: string): string {
  return `passkey-challenge:${purpose}:${challenge}`;
}

/**
 * A fresh challenge, remembered in the ephemeral store (shared by every instance when Redis is
 * configured) for one purpose and, for registration, one user.
 */
export async function issuePasskeyChallenge(
  deps: Pick<Deps, 'random' | 'stores'>,
  purpose: ChallengePurpose,
  userId?: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = Uint8Array.from(deps.random.bytes(CHALLENGE_BYTES));
  // Stored as the base64url text clientDataJSON carries it back in.
  const challenge = Buffer.from(bytes).toString('base64url');
  await deps.stores.ephemeral.set(keyOf(purpose, challenge), userId ?? NOBODY, PASSKEY_CHALLENGE_TTL_SECONDS);
  return bytes;
}

/**
 * Takes the challenge out of the store (getAndDelete: single use, so a replayed response finds nothing)
 * and checks it was issued for this purpose and, for registration, to this user. Unknown, used,
 * expired, of the other purpose or of another user: all `passkey_challenge_invalid`.
 */
export async function consumePasskeyChallenge(
  deps: Pick<Deps, 'stores'>,
  purpose: ChallengePurpose,
  challenge: string,
  userId?: string,
): Promise<void> {
  const owner = await deps.stores.ephemeral.getAndDelete(keyOf(purpose, challenge));
  if (owner === undefined || owner !== (userId ?? NOBODY)) {
    throw new FlowError(
      'passkey_challenge_invalid',
      'The passkey challenge is unknown, already used or expired; start again.',
    );
  }
}
