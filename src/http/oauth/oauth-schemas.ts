/**
 * JSON schemas of the /oauth/* routes: the form parameters (as parsed by form-parameters.ts) and the
 * answers. Unknown parameters are allowed because RFC 6749 §3.2 says they MUST be ignored; every
 * known one is a single string of bounded length (a repeated one is refused before validation), and
 * so is every unknown one: the form parser yields only strings, and arrays for repeats.
 */
const unknownParameter = { type: 'string', description: 'Ignored (RFC 6749 §3.2).' } as const;
const param = (description: string, maxLength = 4096) => ({
  type: 'string',
  minLength: 1,
  maxLength,
  description,
});

const clientParams = {
  client_id: param('The client, when not sent with HTTP Basic (client_secret_post, or a public client).', 64),
  client_secret: param('client_secret_post: the confidential client secret.', 256),
};

export const tokenRequestBody = {
  type: 'object',
  required: ['grant_type'],
  additionalProperties: unknownParameter,
  properties: {
    grant_type: param('password, refresh_token or urn:tessera:params:oauth:grant-type:mfa', 64),
    username: param('password grant: the e-mail address', 320),
    password: param('password grant', 1024),
    refresh_token: param('refresh_token grant', 256),
    scope: param('space-delimited scope values registered for the client', 1024),
    mfa_ticket: param('MFA grant: the mfa_ticket of an mfa_required answer', 128),
    otp: param('MFA grant: six digits from the authenticator app', 32),
    recovery_code: param('MFA grant: a recovery code (instead of otp)', 128),
    ...clientParams,
  },
} as const;

export const tokenLookupBody = {
  type: 'object',
  required: ['token'],
  additionalProperties: unknownParameter,
  properties: {
    token: param('an access token, refresh token or session token', 8192),
    token_type_hint: param('access_token, refresh_token or session_token', 64),
    ...clientParams,
  },
} as const;

export const oauthTokenResponse = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in', 'refresh_token'],
  properties: {
    access_token: { type: 'string' },
    token_type: { type: 'string', enum: ['Bearer'] },
    expires_in: { type: 'integer' },
    refresh_token: { type: 'string' },
    scope: { type: 'string' },
  },
} as const;

export const revokeResponse = {
  type: 'null',
  description: 'Revoked, or nothing to revoke (RFC 7009 §2.2).',
} as const;

export const introspectionResponse = {
  type: 'object',
  required: ['active'],
  properties: {
    active: { type: 'boolean' },
    client_id: { type: 'string' },
    sub: { type: 'string' },
    exp: { type: 'integer' },
    iat: { type: 'integer' },
    iss: { type: 'string' },
    sid: { type: 'string' },
    scope: { type: 'string' },
    token_type: { type: 'string' },
    aud: { type: 'string' },
    jti: { type: 'string' },
  },
} as const;

export const authorizationServerMetadata = {
  type: 'object',
  required: ['issuer', 'token_endpoint', 'response_types_supported'],
  properties: {
    issuer: { type: 'string' },
    token_endpoint: { type: 'string' },
    jwks_uri: { type: 'string' },
    revocation_endpoint: { type: 'string' },
    introspection_endpoint: { type: 'string' },
    grant_types_supported: { type: 'array', items: { type: 'string' } },
    response_types_supported: { type: 'array', items: { type: 'string' } },
    token_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
    revocation_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
    introspection_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
    scopes_supported: { type: 'array', items: { type: 'string' } },
  },
} as const;
