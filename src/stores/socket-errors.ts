/** Node socket error codes that mean a network store is away (refused, reset, timed out, closed). */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isSocketUnavailable(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== undefined && UNAVAILABLE_SOCKET_CODES.has(code);
}
