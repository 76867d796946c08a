import { pageHref } from './request-url.js';

/**
 * client.fetch adds the user's credential only to requests for the Tessera origin (baseUrl, or the page
 * when baseUrl is relative) and the origins the app lists in `trustedOrigins`: a Bearer token or a
 * CSRF token must never ride along to a third-party URL that happens to go through client.fetch.
 */
export function createTargetCheck(baseUrl: string, trustedOrigins: readonly string[]) {
  const page = pageHref();
  const base = originOf(baseUrl, page);
  const trusted = new Set([
    ...(base === null ? [] : [base]),
    ...trustedOrigins.map((o) => originOf(o, page)),
  ]);
  return (input: string | URL | Request): boolean => {
    const target = originOf(input instanceof Request ? input.url : String(input), page ?? baseUrl);
    return target !== null && trusted.has(target);
  };
}

function originOf(url: string, base: string | undefined): string | null {
  try {
    return new URL(url, base || undefined).origin;
  } catch {
    return null;
  }
}
