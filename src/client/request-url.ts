/**
 * Where a request really goes. A browser's fetch resolves a relative URL against the page; outside a
 * page (Node, a worker without `location`) fetch cannot resolve one at all and fails as if the server
 * were unreachable. There the SDK resolves relative URLs against `baseUrl`, the same base the
 * credential check (trusted-target.ts) already judges them by, so `client.fetch('/api/orders')` means
 * the same request to both.
 */

/** The page's URL, or undefined outside a page. */
export function pageHref(): string | undefined {
  return (globalThis as { location?: { href?: string } }).location?.href;
}

/** A resolver for the inputs of fetch: relative strings become absolute when there is no page. */
export function createUrlResolver(baseUrl: string) {
  const page = pageHref();
  return (input: string | URL | Request): string | URL | Request => {
    if (page !== undefined || typeof input !== 'string' || isAbsolute(input)) return input;
    if (!isAbsolute(baseUrl)) {
      throw new TypeError(
        `Cannot resolve the relative URL "${input}" outside a browser: give createTesseraClient an absolute baseUrl.`,
      );
    }
    return new URL(input, baseUrl).href;
  };
}

function isAbsolute(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}
