/**
 * RFC 9470 step-up, as the SDK sees it: an API answered 401 with
 * `WWW-Authenticate: Bearer error="insufficient_user_authentication", acr_values="…", max_age="…"`.
 */

/** What a new sign-in must achieve before the request can succeed. */
export interface StepUpChallenge {
  /** Acceptable `acr` levels, in the API's order of preference; empty when it asked only for freshness. */
  acrValues: string[];
  /** The sign-in may be at most this old (seconds); null when the API asked only for a level. */
  maxAgeSeconds: number | null;
}

/** token / quoted-string / token68 value of an auth-param (RFC 9110 §11.2). */
const PARAM = /^\s*([!#$%&'*+.^_`|~\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+.^_`|~\w/-]+=*))/;
const SCHEME = /^\s*([!#$%&'*+.^_`|~\w-]+)(?=\s|,|$)/;

/**
 * The challenges of a WWW-Authenticate value: scheme (lower-cased) and its parameters (names
 * lower-cased, quoted strings unescaped). Tolerant of what servers send: several challenges in one
 * value, commas in quoted strings, empty list elements, a token68 instead of parameters.
 */
export function parseChallenges(header: string): { scheme: string; params: Record<string, string> }[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let rest = header;
  while (rest.length > 0) {
    rest = rest.replace(/^[\s,]+/, '');
    const param = PARAM.exec(rest);
    const current = challenges[challenges.length - 1];
    if (param !== null && current !== undefined) {
      current.params[param[1]!.toLowerCase()] = param[2]?.replace(/\\(.)/g, '$1') ?? param[3]!;
      rest = rest.slice(param[0].length);
      continue;
    }
    const scheme = SCHEME.exec(rest);
    if (scheme === null) {
      rest = rest.replace(/^[^,]*/, ''); // something unreadable: skip to the next element
      continue;
    }
    challenges.push({ scheme: scheme[1]!.toLowerCase(), params: {} });
    rest = rest.slice(scheme[0].length).replace(/^\s*[\w.~+/-]+=*\s*(?=,|$)/, ''); // a token68, if any
  }
  return challenges;
}

/**
 * The step-up challenge of a response, or null when it is not one: a 401 whose Bearer challenge says
 * `error="insufficient_user_authentication"`. `acr_values` is split on spaces; `max_age` must be a
 * non-negative integer (anything else is read as absent rather than trusted).
 *
 * @example
 * ```ts
 * const response = await client.fetch('/api/payments', { method: 'POST', body });
 * const stepUp = stepUpChallengeOf(response); // { acrValues: ['urn:tessera:acr:2fa'], maxAgeSeconds: 300 } or null
 * ```
 */
export function stepUpChallengeOf(response: Response): StepUpChallenge | null {
  if (response.status !== 401) return null;
  const header = response.headers.get('www-authenticate');
  if (header === null) return null;
  const bearer = parseChallenges(header).find(
    (challenge) =>
      challenge.scheme === 'bearer' && challenge.params.error === 'insufficient_user_authentication',
  );
  if (bearer === undefined) return null;
  const maxAge = bearer.params.max_age;
  return {
    acrValues: (bearer.params.acr_values ?? '').split(' ').filter((value) => value !== ''),
    maxAgeSeconds: maxAge !== undefined && /^\d{1,9}$/.test(maxAge) ? Number(maxAge) : null,
  };
}
