const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The caller's request plus the client's credential: a Bearer header (unless the caller set its own),
 * or, when cookies carry the credential, `credentials: 'include'` and, for state changes, the
 * double-submit X-CSRF-Token header the server requires of cookie-authorised requests.
 */
export function addCredentials(
  input: string | URL | Request,
  init: RequestInit | undefined,
  credential: { bearer: string | null; cookies: boolean; csrfToken: () => string | undefined },
): RequestInit {
  const headers = new Headers(input instanceof Request ? input.headers : undefined);
  new Headers(init?.headers).forEach((value, key) => headers.set(key, value));
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  if (credential.bearer && !headers.has('authorization')) {
    headers.set('authorization', `Bearer ${credential.bearer}`);
  }
  const csrf = credential.cookies && !SAFE_METHODS.has(method) ? credential.csrfToken() : undefined;
  if (csrf !== undefined) headers.set('x-csrf-token', csrf);
  const mode = init?.credentials ?? (credential.cookies ? 'include' : undefined);
  return { ...init, headers, ...(mode === undefined ? {} : { credentials: mode }) };
}
