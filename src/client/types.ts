/**
 * Public types of `tessera/client`. The shapes of users, sessions and claims are the wire contract's
 * (src/wire/, snake_case as on the wire), so nothing is renamed or copied between the server and the page.
 *
 * No DOM library types are referenced: the SDK compiles against ES2023 + fetch only and describes the
 * few Web APIs it touches (Storage, Web Locks, BroadcastChannel) structurally, so it runs in browsers,
 * workers and Node 20 alike.
 */
import type { MfaApi, MfaRequired, SecondFactorAnswer } from './second-factor.js';
import type {
  AccessClaims,
  PasskeyView as PasskeyInfo,
  SessionView as SessionInfo,
  UserView as User,
} from '../wire/index.js';
import type { TesseraErrorCode } from './error-codes.js';
import type { StepUpChallenge } from './step-up.js';

export type { StepUpChallenge };

export type { ServerErrorCode, ClientErrorCode, TesseraErrorCode } from './error-codes.js';
/**
 * The user, session and claim shapes are the wire contract's (src/wire/), which the server builds its
 * answers from: `User` is its `UserView`, `SessionInfo` its `SessionView`.
 */
export type { AccessClaims, PasskeyInfo, SessionInfo, User };

/** Where the credentials live. See docs/client.md for the XSS/CSRF trade-off of each. */
export type StorageStrategy = 'memory' | 'localStorage' | 'sessionStorage' | 'cookie';

/** `jwt`: access token + rotating refresh token. `session`: one opaque stateful session token. */
export type AuthMode = 'jwt' | 'session';

export type LogoutScope = 'local' | 'others' | 'global';

/** The clock the SDK schedules with: epoch milliseconds, and timers that can be faked in tests. */
export interface ClientClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The part of the Web Storage API the SDK uses (window.localStorage / sessionStorage or a fake). */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of the Web Locks API (`navigator.locks`) the SDK uses. */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The part of BroadcastChannel the SDK uses. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

export interface ClientOptions {
  /** Origin (and optional path prefix) of the Tessera server. Default '' (same origin). */
  baseUrl?: string;
  /** Default 'memory'. */
  storage?: StorageStrategy;
  /** Default 'jwt'. */
  mode?: AuthMode;
  /**
   * Memory strategy, JWT mode: where the refresh token lives. 'cookie' (an HTTP-only cookie the page
   * never sees; needs a browser's cookie jar) or 'body' (kept in memory; the Node path, since Node's
   * fetch has no cookie jar). Default: 'cookie' when a `document` exists, else 'body'.
   */
  refreshTokenIn?: 'cookie' | 'body';
  /**
   * Origins besides the Tessera server's to which client.fetch adds the credential (your API on
   * another origin). Requests anywhere else go out without it. Default [].
   */
  trustedOrigins?: string[];
  /** Proactive refresh this long before `exp`, plus up to 20% random jitter. Default 60. */
  refreshLeewaySeconds?: number;
  /** Share sign-in, sign-out and refreshes with other tabs. Default true when BroadcastChannel exists. */
  crossTab?: boolean;
  /** Prefix of storage keys, the channel name and lock names. Default 'tessera'. */
  namespace?: string;
  /** Injection points for tests and non-browser hosts; the defaults are the global Web APIs. */
  fetch?: typeof fetch;
  clock?: ClientClock;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Overrides window.localStorage / sessionStorage for the web-storage strategies. */
  webStorage?: WebStorageLike;
  /** Overrides navigator.locks; `null` forces the BroadcastChannel fallback. */
  locks?: LockManagerLike | null;
  /** Overrides `new BroadcastChannel(name)`. */
  createChannel?: (name: string) => BroadcastChannelLike;
  /** Overrides reading a cookie from document.cookie (the CSRF cookie is readable by design). */
  readCookie?: (name: string) => string | undefined;
  /**
   * Called when an API answers 401 `insufficient_user_authentication` (RFC 9470 step-up) to a request
   * sent with the user's credential: run a fresh sign-in that meets `acrValues` / `maxAgeSeconds`
   * (e.g. ask for the password and second factor, then `client.login(…)`) and resolve true to have the
   * request retried once with the new credential; false (or a rejection) hands the 401 back. Concurrent
   * challenges share one call. Without it the 401 comes back (SDK methods throw a TesseraError whose
   * `acrValues` and `maxAgeSeconds` say what is needed).
   */
  onStepUpRequired?: (challenge: StepUpChallenge) => Promise<boolean> | boolean;
}

export type SignedOutState = { status: 'signed-out' };

export type SignedInState<Claims extends object> = {
  status: 'signed-in';
  mode: AuthMode;
  /** Known after sign-in, kept current by `me()`; null when restored from a token alone. */
  user: User | null;
  /** JWT mode with a visible access token; null in session mode and in the cookie strategy. */
  claims: (AccessClaims & Claims) | null;
  /** When the access token (JWT) or session idle window ends, in epoch milliseconds; null if unknown. */
  expiresAt: number | null;
};

export type AuthState<Claims extends object = Record<string, never>> = SignedOutState | SignedInState<Claims>;

/**
 * `restored`: the initial restore found a session. `tab-sync`: another tab signed in, refreshed,
 * updated the user or signed out and this tab adopted its state. `user-updated`: `me()` returned a
 * user different from the one in the state (same session, same credential).
 */
export type AuthEvent = 'signed-in' | 'refreshed' | 'signed-out' | 'restored' | 'tab-sync' | 'user-updated';

export type AuthListener<Claims extends object> = (state: AuthState<Claims>, event: AuthEvent) => void;

export interface RegisterInput {
  email: string;
  password: string;
  name?: string;
}

export interface ResetPasswordInput {
  /** The `token` of the reset link (from its URL fragment). */
  token: string;
  newPassword: string;
}

export interface ChangeEmailInput {
  newEmail: string;
  /** The current password: asking to move the account proves it again. */
  password: string;
}

export interface LoginInput {
  email: string;
  password: string;
}

export interface TesseraClient<Claims extends object = Record<string, never>> {
  /** Settles when the initial restore (storage, refresh cookie, other tabs) has finished. Never rejects. */
  readonly ready: Promise<void>;
  /**
   * Creates the account and signs in. When the server requires a verified address first
   * (`TESSERA_EMAIL_VERIFICATION=required`, answer 202), it resolves signed out: follow the mailed link.
   */
  register(input: RegisterInput): Promise<AuthState<Claims>>;
  /**
   * Signs in with the password. For a user with a second factor the answer is `{ status: 'mfa_required',
   * ticket, methods }` and nothing is signed in yet: complete it with `verifySecondFactor`.
   */
  login(input: LoginInput): Promise<AuthState<Claims> | MfaRequired>;
  /** The second step of a sign-in that answered `mfa_required`: the ticket and a code or recovery code. */
  verifySecondFactor(answer: SecondFactorAnswer): Promise<AuthState<Claims>>;
  /** The signed-in user's second factors: enrol an authenticator app, recovery codes, removal. */
  mfa: MfaApi;
  /** Creates a passkey on this device (WebAuthn) for the signed-in user and registers it. Browser only. */
  registerPasskey(options?: { name?: string }): Promise<PasskeyInfo>;
  /**
   * Signs in with a passkey alone. `conditional: true` offers the passkeys as autofill of an input
   * with `autocomplete="username webauthn"` (mediation "conditional"). Browser only.
   */
  signInWithPasskey(options?: { conditional?: boolean }): Promise<AuthState<Claims>>;
  /** The signed-in user's passkeys, oldest first. */
  listPasskeys(): Promise<PasskeyInfo[]>;
  renamePasskey(id: string, name: string): Promise<PasskeyInfo>;
  /** Refused with `passkey_last_sign_in_method` when it is a passwordless account's only passkey. */
  deletePasskey(id: string): Promise<void>;
  /** Ends the session on the server (best effort) and always signs this client out. */
  logout(options?: { scope?: LogoutScope }): Promise<void>;
  /** Refreshes now (single-flight: concurrent calls share one request, across tabs too). */
  refresh(): Promise<AuthState<Claims>>;
  /**
   * The user as the server has it now. When it differs from `getState().user`, the state takes it and
   * listeners hear `user-updated`. A 401 follows the same refresh/sign-out rules as `fetch`.
   */
  me(): Promise<User>;
  sessions: {
    list(): Promise<SessionInfo[]>;
    revoke(id: string): Promise<void>;
  };
  /** Mails a password-reset link; resolves the same whether or not the address has an account. */
  requestPasswordReset(email: string): Promise<void>;
  /** Sets a new password with a reset link's token; every session of the user ends. */
  resetPassword(input: ResetPasswordInput): Promise<void>;
  /** Confirms the address with a verification link's token. */
  verifyEmail(token: string): Promise<User>;
  /** Mails a new verification link; resolves the same whether or not the address has an account. */
  resendVerification(email: string): Promise<void>;
  /** Signed in: asks to move the account to a new address; nothing changes until its link is confirmed. */
  changeEmail(input: ChangeEmailInput): Promise<void>;
  /** Confirms an e-mail change with the token of the link sent to the new address. */
  confirmEmailChange(token: string): Promise<User>;
  /**
   * fetch() with the user's credentials added; refreshes and retries once on 401 invalid_token, and
   * after a 401 step-up challenge, retries once when `onStepUpRequired` resolved true.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  getState(): AuthState<Claims>;
  /** The Bearer credential (access or session token); null when signed out or in the cookie strategy. */
  getAccessToken(): string | null;
  /** Listeners run asynchronously (a microtask later), so they may call any client method. */
  onAuthChange(listener: AuthListener<Claims>): () => void;
  /** Stops timers and cross-tab listeners. The client must not be used afterwards. */
  dispose(): void;
}

/** Options of `TesseraError`, for code that builds one (tests, adapters). */
export interface TesseraErrorInit {
  code: TesseraErrorCode;
  status: number;
  message: string;
  retryAfterSeconds?: number | null;
  /** The RFC 9470 challenge of an `insufficient_user_authentication` answer. */
  stepUp?: StepUpChallenge | null;
  cause?: unknown;
}
