import type { JwsAlgorithm } from '../../src/token/index.js';

/**
 * What every contender is configured to check, so the rows differ only in the library: the ES256
 * allow-list, iss, aud, typ = at+jwt (RFC 9068), exp and sub required, 30 s clock tolerance.
 */
export const ALGORITHM = 'ES256' as const satisfies JwsAlgorithm;
export const ISSUER = 'https://auth.tessera.test';
export const AUDIENCE = 'https://api.tessera.test';
export const TOKEN_TYPE = 'at+jwt';
export const REQUIRED_CLAIMS = ['exp', 'sub'];
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Lifetime of the benchmark token: far longer than a run, so no row ever sees it expire. */
export const TOKEN_TTL_SECONDS = 15 * 60;
