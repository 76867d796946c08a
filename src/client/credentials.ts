import type { AuthMode, User, WebStorageLike } from './types.js';

/**
 * What the SDK holds for a signed-in user. `bearer` is the access token (JWT mode) or the session token
 * (session mode); it and `refreshToken` are null whenever cookies carry them instead.
 */
export interface Credentials {
  mode: AuthMode;
  bearer: string | null;
  refreshToken: string | null;
  /** Access token / session idle expiry in epoch milliseconds, null when unknown. */
  expiresAt: number | null;
  user: User | null;
  /** The double-submit token from the last sign-in body, for when the CSRF cookie is unreadable. */
  csrfToken: string | null;
}

/** Where credentials persist between page loads: nowhere (memory) or a Web Storage area. */
export interface CredentialStore {
  /** True when other tabs read the same store (they then re-read it instead of being told). */
  readonly shared: boolean;
  load(): Credentials | null;
  save(credentials: Credentials | null): void;
}

export function createMemoryStore(): CredentialStore {
  let held: Credentials | null = null;
  return {
    shared: false,
    load: () => held,
    save: (credentials) => {
      held = credentials;
    },
  };
}

/** localStorage or sessionStorage: one JSON entry under `<namespace>.auth`. */
export function createWebStorageStore(area: WebStorageLike, namespace: string): CredentialStore {
  const key = `${namespace}.auth`;
  return {
    shared: true,
    load: () => parseCredentials(readItem(area, key)),
    save: (credentials) => {
      try {
        if (credentials === null) area.removeItem(key);
        else area.setItem(key, JSON.stringify(credentials));
      } catch {
        // Quota exceeded or storage disabled (private mode): the tab keeps working from memory.
      }
    },
  };
}

function readItem(area: WebStorageLike, key: string): string | null {
  try {
    return area.getItem(key);
  } catch {
    return null;
  }
}

/** Anything else (hand-edited, an older shape, another app's key) reads as signed out. */
export function parseCredentials(text: string | null): Credentials | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  const nullableString = (v: unknown) => v === null || typeof v === 'string';
  const valid =
    (c.mode === 'jwt' || c.mode === 'session') &&
    nullableString(c.bearer) &&
    nullableString(c.refreshToken) &&
    nullableString(c.csrfToken) &&
    (c.expiresAt === null || typeof c.expiresAt === 'number') &&
    (c.user === null || (typeof c.user === 'object' && c.user !== undefined));
  return valid ? (c as unknown as Credentials) : null;
}
