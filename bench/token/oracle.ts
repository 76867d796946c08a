import { isDeepStrictEqual } from 'node:util';
import { jwtVerify } from 'jose';
import { AUDIENCE, ISSUER, TOKEN_TYPE, type Fixture } from './fixtures.js';

/**
 * Checks a token some signer produced, independently of Tessera: jose verifies the signature, alg,
 * typ, iss and aud, and the payload and kid must be exactly what was asked for. A signer whose
 * output fails here would be measured doing something other than the others, so the run aborts.
 */
export async function assertSignedCorrectly(fixture: Fixture, token: string, who: string): Promise<void> {
  let verified;
  try {
    verified = await jwtVerify(token, fixture.publicKey, {
      algorithms: [fixture.alg],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: TOKEN_TYPE,
    });
  } catch (cause) {
    throw new Error(`${who}: jose refuses the token this signer produced.`, { cause });
  }
  const { payload, protectedHeader } = verified;
  if (protectedHeader.kid !== fixture.key.kid) {
    throw new Error(`${who}: the header kid is ${String(protectedHeader.kid)}.`);
  }
  if (!isDeepStrictEqual(payload, structuredClone(fixture.claims))) {
    throw new Error(`${who}: the signed payload differs from the claims: ${JSON.stringify(payload)}`);
  }
}
