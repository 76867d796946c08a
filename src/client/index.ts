/**
 * `tessera/client`: the browser + Node SDK. Fetch and Web APIs only (no node: imports), so the same
 * bundle runs in a page, a worker or Node 20. See docs/client.md.
 */
export { createTesseraClient } from './create-client.js';
export { TesseraError, isTesseraError } from './tessera-error.js';
export type { FactorInfo, MfaApi, MfaRequired, SecondFactorAnswer, TotpEnrolment } from './second-factor.js';
export { SERVER_ERROR_CODES, CLIENT_ERROR_CODES, isServerErrorCode } from './error-codes.js';
export { stepUpChallengeOf } from './step-up.js';
export type {
  AccessClaims,
  AuthEvent,
  AuthListener,
  AuthMode,
  AuthState,
  BroadcastChannelLike,
  ClientClock,
  ClientErrorCode,
  ClientOptions,
  LockManagerLike,
  LoginInput,
  ResetPasswordInput,
  ChangeEmailInput,
  LogoutScope,
  PasskeyInfo,
  RegisterInput,
  ServerErrorCode,
  SessionInfo,
  SignedInState,
  SignedOutState,
  StepUpChallenge,
  StorageStrategy,
  TesseraClient,
  TesseraErrorCode,
  TesseraErrorInit,
  User,
  WebStorageLike,
} from './types.js';
