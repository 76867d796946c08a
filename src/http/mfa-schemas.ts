/**
 * JSON schemas of the second-factor routes (mfa-routes.ts). Closed bodies, length-capped strings; the
 * flows check the shapes of tickets and codes themselves, with their own 400 codes
 * (mfa_ticket_malformed, mfa_code_malformed).
 */
const ticket = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  description: 'The `mfa_ticket` of mfa_required.',
} as const;
const totpCode = {
  type: 'string',
  minLength: 1,
  maxLength: 32,
  description: 'Six digits from the authenticator app.',
} as const;
const recoveryCode = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  description: 'One of the recovery codes.',
} as const;

/**
 * POST /auth/mfa/verify: the ticket and exactly one answer. Each answer kind is one closed branch of
 * `oneOf`, so a new kind (a passkey's `webauthn` response) is one more branch.
 */
export const mfaVerifyBody = {
  type: 'object',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['ticket', 'code'],
      properties: { ticket, code: totpCode },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['ticket', 'recovery_code'],
      properties: { ticket, recovery_code: recoveryCode },
    },
  ],
} as const;

export const totpEnrolBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    label: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]*$' },
  },
} as const;

export const totpConfirmBody = {
  type: 'object',
  additionalProperties: false,
  required: ['code'],
  properties: { code: totpCode },
} as const;

export const factorIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } },
} as const;

const factorView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'label', 'created_at', 'confirmed_at'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['totp'] },
    label: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    confirmed_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const recoveryCodes = {
  type: 'array',
  items: { type: 'string' },
  description: 'Shown once: store them somewhere safe. Each works once.',
} as const;

export const factorListResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['factors', 'recovery_codes_remaining'],
  properties: {
    factors: { type: 'array', items: factorView },
    recovery_codes_remaining: { type: 'integer' },
  },
} as const;

export const totpEnrolResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['factor_id', 'secret', 'otpauth_uri', 'qr_svg'],
  properties: {
    factor_id: { type: 'string' },
    secret: { type: 'string', description: 'The seed in base32, for entering by hand.' },
    otpauth_uri: { type: 'string' },
    qr_svg: { type: 'string', description: 'The otpauth URI as an SVG QR code.' },
  },
} as const;

export const totpConfirmResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['factor'],
  properties: { factor: factorView, recovery_codes: recoveryCodes },
} as const;

export const recoveryCodesResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['recovery_codes'],
  properties: { recovery_codes: recoveryCodes },
} as const;
