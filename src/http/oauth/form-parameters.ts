/**
 * Parses an application/x-www-form-urlencoded body (RFC 6749 Appendix B) into a null-prototype
 * object. It never throws: a repeated parameter is kept as an array, so the OAuth scope can refuse it
 * with a clear `invalid_request` (RFC 6749 §3.2: parameters MUST NOT be included more than once), and
 * an empty value is dropped, since §3.2 says it MUST be treated as omitted.
 */
export function parseFormParameters(text: string): Record<string, string | string[]> {
  const parameters = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(text)) {
    if (value === '') continue;
    const existing = parameters[name];
    if (existing === undefined) parameters[name] = value;
    else parameters[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return parameters;
}

/** The first parameter given more than once, if any. */
export function repeatedParameter(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  return Object.entries(body).find(([, value]) => Array.isArray(value))?.[0];
}
