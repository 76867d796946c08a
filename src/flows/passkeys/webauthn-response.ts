import { createHash } from 'node:crypto';
import { decodeAttestationObject, isoBase64URL } from '@simplewebauthn/server/helpers';
import { FlowError } from '../flow-error.js';
import type { RelyingParty } from './relying-party.js';

/** What the browser signed over (WebAuthn L3 §5.8.1), the members Tessera checks itself. */
export interface ClientData {
  type: string;
  challenge: string;
  origin: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** authenticatorData starts with SHA-256 of the RP ID (L3 §6.1). */
const RP_ID_HASH_BYTES = 32;

function malformed(what: string, cause?: unknown): FlowError {
  return new FlowError('passkey_response_invalid', `The passkey response is malformed: ${what}.`, { cause });
}

/** Strict base64url to bytes; anything else is a malformed response, never a 500. */
export function decodeBase64Url(value: string, what: string): ReturnType<typeof isoBase64URL.toBuffer> {
  if (!BASE64URL.test(value)) throw malformed(`${what} is not base64url`);
  return isoBase64URL.toBuffer(value);
}

/** clientDataJSON: base64url of a JSON object with string `type`, `challenge` and `origin`, of the expected type. */
export function readClientData(
  encoded: string,
  expectedType: 'webauthn.create' | 'webauthn.get',
): ClientData {
  const bytes = decodeBase64Url(encoded, 'clientDataJSON');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw malformed('clientDataJSON is not JSON', error);
  }
  const data = parsed as Partial<Record<keyof ClientData, unknown>> | null;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw malformed('clientDataJSON is not an object');
  const { type, challenge, origin } = data;
  if (typeof type !== 'string' || typeof challenge !== 'string' || typeof origin !== 'string') {
    throw malformed('clientDataJSON lacks type, challenge or origin');
  }
  // The other ceremony's response (a registration sent to sign-in) is refused before its challenge is looked at.
  if (type !== expectedType) throw malformed(`clientDataJSON type is not ${expectedType}`);
  if (!BASE64URL.test(challenge)) throw malformed('the challenge is not base64url');
  return { type, challenge, origin };
}

/** The page that ran the ceremony must be one of the configured origins (phishing resistance). */
export function assertAllowedOrigin(clientData: ClientData, rp: RelyingParty): void {
  if (!rp.origins.includes(clientData.origin)) {
    throw new FlowError(
      'passkey_origin_mismatch',
      'The passkey was used from a page this server does not serve.',
    );
  }
}

/** The authenticator data must be for this RP ID, or the credential belongs to another site. */
export function assertRpIdHash(authenticatorData: Uint8Array, rp: RelyingParty): void {
  if (authenticatorData.length < RP_ID_HASH_BYTES + 5) throw malformed('authenticatorData is too short');
  const expected = createHash('sha256').update(rp.rpId).digest();
  if (!expected.equals(Buffer.from(authenticatorData.subarray(0, RP_ID_HASH_BYTES)))) {
    throw new FlowError('passkey_rp_id_mismatch', 'The passkey belongs to another relying party.');
  }
}

/** The authenticator data inside a registration's attestationObject (CBOR), for the RP ID check. */
export function readAttestedAuthenticatorData(attestationObject: string): Uint8Array {
  const bytes = decodeBase64Url(attestationObject, 'attestationObject');
  try {
    const authData = decodeAttestationObject(bytes).get('authData');
    if (!(authData instanceof Uint8Array)) throw new TypeError('no authData');
    return authData;
  } catch (error) {
    throw malformed('attestationObject is not a CBOR attestation', error);
  }
}
