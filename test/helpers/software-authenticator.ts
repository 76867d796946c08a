/**
 * A software WebAuthn authenticator in Node (node:crypto ES256, CBOR by @simplewebauthn's helpers): it
 * answers the options Tessera hands out exactly as a browser plus a platform authenticator would, so
 * the HTTP tests and bench:http run real ceremonies without a browser. Every field can be bent (origin,
 * RP ID, counter, flags) to build the responses the server must refuse.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

export interface SoftwareCredential {
  credentialId: Buffer;
  privateKey: KeyObject;
  publicJwk: { x: string; y: string };
  /** The WebAuthn user handle the credential was created for (discoverable credentials keep it). */
  userHandle: string;
  rpId: string;
  counter: number;
}

export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  type?: string;
  /** Signs with this counter instead of counting up. */
  counter?: number;
  userVerified?: boolean;
  /** Replaces the challenge the options carried. */
  challenge?: string;
}

const b64url = (bytes: Uint8Array | Buffer): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

function counterBytes(counter: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(counter);
  return out;
}

function cosePublicKey(jwk: { x: string; y: string }): Uint8Array {
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x, 'base64url')],
      [-3, Buffer.from(jwk.y, 'base64url')],
    ]),
  );
}

export class SoftwareAuthenticator {
  readonly credentials: SoftwareCredential[] = [];
  readonly #origin: string;
  readonly #backupEligible: boolean;

  constructor(options: { origin: string; backupEligible?: boolean }) {
    this.#origin = options.origin;
    this.#backupEligible = options.backupEligible ?? false;
  }

  #flags(userVerified: boolean, attested: boolean): number {
    let flags = UP | (userVerified ? UV : 0);
    if (this.#backupEligible) flags |= BE | BS;
    return attested ? flags | AT : flags;
  }

  #clientData(type: string, challenge: string, overrides: CeremonyOverrides): string {
    const json = JSON.stringify({
      type: overrides.type ?? type,
      challenge: overrides.challenge ?? challenge,
      origin: overrides.origin ?? this.#origin,
      crossOrigin: false,
    });
    return b64url(Buffer.from(json));
  }

  /** navigator.credentials.create(): a new ES256 discoverable credential, attestation "none". */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    overrides: CeremonyOverrides = {},
  ): RegistrationResponseJSON {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    const rpId = overrides.rpId ?? options.rp.id!;
    const credential: SoftwareCredential = {
      credentialId: randomBytes(32),
      privateKey,
      publicJwk: { x: jwk.x, y: jwk.y },
      userHandle: options.user.id,
      rpId,
      counter: overrides.counter ?? 0,
    };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.credentialId.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([this.#flags(overrides.userVerified ?? true, true)]),
      counterBytes(credential.counter),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      credential.credentialId,
      cosePublicKey(credential.publicJwk),
    ]);
    type Cbor = Parameters<typeof isoCBOR.encode>[0];
    const attestationObject = isoCBOR.encode(
      new Map<string, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, Cbor>()],
        ['authData', Uint8Array.from(authData)],
      ]),
    );
    this.credentials.push(credential);
    return {
      id: b64url(credential.credentialId),
      rawId: b64url(credential.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: this.#clientData('webauthn.create', options.challenge, overrides),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: { credProps: { rk: true } },
    };
  }

  /** navigator.credentials.get(): an assertion by `credential` (the last one created by default). */
  assert(
    options: PublicKeyCredentialRequestOptionsJSON,
    overrides: CeremonyOverrides = {},
    credential: SoftwareCredential = this.credentials.at(-1)!,
  ): AuthenticationResponseJSON {
    if (overrides.counter === undefined) credential.counter += 1;
    const counter = overrides.counter ?? credential.counter;
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? credential.rpId),
      Buffer.from([this.#flags(overrides.userVerified ?? true, false)]),
      counterBytes(counter),
    ]);
    const clientDataJSON = this.#clientData('webauthn.get', options.challenge, overrides);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]),
      credential.privateKey,
    );
    return {
      id: b64url(credential.credentialId),
      rawId: b64url(credential.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }
}
