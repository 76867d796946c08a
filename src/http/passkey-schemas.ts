/**
 * JSON schemas of the /auth/passkeys/* routes. The WebAuthn responses are the JSON forms browsers
 * produce (PublicKeyCredential.toJSON(), @simplewebauthn/browser): closed objects of capped base64url
 * strings, so a malformed shape is a 400 before any decoding, and no field can carry a megabyte.
 */
import type { PasskeyView } from '../wire/passkey-view.js';

const base64url = (maxLength: number) =>
  ({ type: 'string', minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+$' }) as const;
const TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;
const transports = { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 32 } } as const;

/** A passkey's label: no control characters (they would corrupt logs and lists). */
const passkeyName = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  pattern: '^[^\\u0000-\\u001f\\u007f]*$',
} as const;

/** Client extension outputs browsers add (credProps on creation); anything else is refused. */
const clientExtensionResults = {
  type: 'object',
  additionalProperties: false,
  properties: {
    credProps: { type: 'object', additionalProperties: false, properties: { rk: { type: 'boolean' } } },
    appid: { type: 'boolean' },
    hmacCreateSecret: { type: 'boolean' },
  },
} as const;

const credentialMembers = {
  id: base64url(1366),
  rawId: base64url(1366),
  type: { type: 'string', enum: ['public-key'] },
  authenticatorAttachment: { type: 'string', enum: ['platform', 'cross-platform'] },
  clientExtensionResults,
} as const;

/** RegistrationResponseJSON (WebAuthn L3 §5.1, toJSON()). */
const registrationResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'rawId', 'type', 'response', 'clientExtensionResults'],
  properties: {
    ...credentialMembers,
    response: {
      type: 'object',
      additionalProperties: false,
      required: ['clientDataJSON', 'attestationObject'],
      properties: {
        clientDataJSON: base64url(4096),
        attestationObject: base64url(8192),
        authenticatorData: base64url(8192),
        transports,
        publicKeyAlgorithm: { type: 'integer' },
        publicKey: base64url(2048),
      },
    },
  },
} as const;

/** AuthenticationResponseJSON (WebAuthn L3 §5.1, toJSON()). */
const authenticationResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'rawId', 'type', 'response', 'clientExtensionResults'],
  properties: {
    ...credentialMembers,
    response: {
      type: 'object',
      additionalProperties: false,
      required: ['clientDataJSON', 'authenticatorData', 'signature'],
      properties: {
        clientDataJSON: base64url(4096),
        authenticatorData: base64url(4096),
        signature: base64url(1024),
        userHandle: { anyOf: [base64url(128), { type: 'null' }] },
      },
    },
  },
} as const;

export const passkeyRegistrationBody = {
  type: 'object',
  additionalProperties: false,
  required: ['response'],
  properties: { name: passkeyName, response: registrationResponse },
} as const;

export const passkeySignInBody = {
  type: 'object',
  additionalProperties: false,
  required: ['response'],
  properties: { response: authenticationResponse },
} as const;

/** The options routes take no input. */
export const emptyBody = { type: ['object', 'null'], additionalProperties: false, properties: {} } as const;

export const passkeyRenameBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: passkeyName },
} as const;

export const passkeyIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } },
} as const;

const descriptor = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    transports: { type: 'array', items: { type: 'string', enum: TRANSPORTS } },
  },
} as const;

/** PublicKeyCredentialCreationOptionsJSON: what navigator.credentials.create() needs (L3 §5.4). */
export const creationOptionsResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['challenge', 'rp', 'user', 'pubKeyCredParams'],
  properties: {
    challenge: { type: 'string' },
    rp: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string' }, id: { type: 'string' } },
    },
    user: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name', 'displayName'],
      properties: { id: { type: 'string' }, name: { type: 'string' }, displayName: { type: 'string' } },
    },
    pubKeyCredParams: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['alg', 'type'],
        properties: { alg: { type: 'integer' }, type: { type: 'string' } },
      },
    },
    timeout: { type: 'integer' },
    attestation: { type: 'string' },
    excludeCredentials: { type: 'array', items: descriptor },
    authenticatorSelection: {
      type: 'object',
      additionalProperties: false,
      properties: {
        authenticatorAttachment: { type: 'string' },
        residentKey: { type: 'string' },
        requireResidentKey: { type: 'boolean' },
        userVerification: { type: 'string' },
      },
    },
    extensions: {
      type: 'object',
      additionalProperties: false,
      properties: { credProps: { type: 'boolean' } },
    },
    hints: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** PublicKeyCredentialRequestOptionsJSON: what navigator.credentials.get() needs (L3 §5.5). */
export const requestOptionsResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['challenge', 'rpId'],
  properties: {
    challenge: { type: 'string' },
    rpId: { type: 'string' },
    timeout: { type: 'integer' },
    userVerification: { type: 'string' },
    allowCredentials: { type: 'array', items: descriptor },
  },
} as const;

const passkeyView = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'name',
    'created_at',
    'last_used_at',
    'transports',
    'backup_eligible',
    'backed_up',
  ] satisfies (keyof PasskeyView)[],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    last_used_at: { type: ['string', 'null'], format: 'date-time' },
    transports: { type: 'array', items: { type: 'string' } },
    backup_eligible: { type: 'boolean', description: 'The passkey may be synced to other devices.' },
    backed_up: { type: 'boolean', description: 'It is backed up now (as of its last use).' },
  } satisfies Record<keyof PasskeyView, unknown>,
} as const;

export const passkeyResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['passkey'],
  properties: { passkey: passkeyView },
} as const;

export const passkeysResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['passkeys'],
  properties: { passkeys: { type: 'array', items: passkeyView } },
} as const;
