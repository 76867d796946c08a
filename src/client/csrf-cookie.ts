/**
 * The double-submit CSRF cookie, which the server makes readable by page script on purpose
 * (src/http/cookies.ts): `__Host-tessera_csrf` on HTTPS and loopback, `tessera_csrf` on plain HTTP.
 */
const CSRF_COOKIE_NAMES = ['__Host-tessera_csrf', 'tessera_csrf'];

export function readCsrfCookie(readCookie: (name: string) => string | undefined): string | undefined {
  for (const name of CSRF_COOKIE_NAMES) {
    const value = readCookie(name);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Reads document.cookie when there is a document; Node and workers have none. */
export function readDocumentCookie(name: string): string | undefined {
  const doc = (globalThis as { document?: { cookie?: string } }).document;
  if (typeof doc?.cookie !== 'string') return undefined;
  for (const pair of doc.cookie.split(';')) {
    const index = pair.indexOf('=');
    if (index > 0 && pair.slice(0, index).trim() === name) return decodeValue(pair.slice(index + 1).trim());
  }
  return undefined;
}

function decodeValue(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
