/**
 * OpenAPI links (3.1 §4.8.20): how the answer of one operation feeds the next. Keyed by operationId
 * and status; a test checks that every target operation and parameter exists. Bearer credentials go
 * in a header, which links cannot express, so those links say it in their description.
 */
type Json = Record<string, unknown>;

const bearer = (operationId: string, does: string): Json => ({
  operationId,
  description: `${does}, sending access_token (or session_token) as Authorization: Bearer.`,
});

const signedIn: Json = {
  refresh: {
    operationId: 'postAuthRefresh',
    requestBody: { refresh_token: '{$response.body#/refresh_token}' },
    description: 'Rotates the pair with refresh_token (JWT mode, body delivery).',
  },
  me: bearer('getAuthMe', 'Reads the signed-in user'),
  sessions: bearer('getAuthSessions', "Lists the user's sessions"),
  logout: bearer('postAuthLogout', 'Signs out'),
};

const issuedByOAuth: Json = {
  revoke: {
    operationId: 'postOauthRevoke',
    requestBody: { token: '{$response.body#/refresh_token}', token_type_hint: 'refresh_token' },
    description: 'Revokes the refresh token (and its session).',
  },
  introspect: {
    operationId: 'postOauthIntrospect',
    requestBody: { token: '{$response.body#/access_token}', token_type_hint: 'access_token' },
    description: 'Introspects the access token (confidential clients).',
  },
  refresh: {
    operationId: 'postOauthToken',
    requestBody: { grant_type: 'refresh_token', refresh_token: '{$response.body#/refresh_token}' },
    description: 'The refresh_token grant with the issued refresh token.',
  },
};

export const OPERATION_LINKS: Readonly<Record<string, Readonly<Record<string, Json>>>> = {
  postAuthRegister: { '201': signedIn },
  postAuthLogin: { '200': signedIn },
  postAuthRefresh: { '200': signedIn },
  getAuthSessions: {
    '200': {
      revoke: {
        operationId: 'deleteAuthSessionsId',
        parameters: { id: '$response.body#/sessions/0/id' },
        description: 'Revokes a listed session (here the first), sending the same credentials.',
      },
    },
  },
  postOauthToken: { '200': issuedByOAuth },
  getAuthRevocations: {
    '200': {
      next: {
        operationId: 'getAuthRevocations',
        parameters: { since: '$response.body#/cursor' },
        description: 'Reads the revocations after this page.',
      },
    },
  },
};
