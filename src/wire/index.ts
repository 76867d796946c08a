/**
 * The wire contract shared by the server and the SDK (tessera/client): error codes, access-token
 * claims, user and session views. It imports nothing (lint enforces it), so the browser bundle can
 * take it whole and the server cannot drift from what the SDK expects.
 */
export * from './error-codes.js';
export type { AccessClaims } from './access-claims.js';
export type { UserView } from './user-view.js';
export type { SessionView } from './session-view.js';
export type { PasskeyView } from './passkey-view.js';
export * from './authentication-strength.js';
