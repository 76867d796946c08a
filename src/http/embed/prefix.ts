/** '' (the host's root) or '/segment[/segment…]': no trailing slash, no dot segments, no characters to escape. */
export function checkPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '') return '';
  if (typeof prefix !== 'string' || !/^(\/(?!\.{1,2}(?:\/|$))[A-Za-z0-9._~-]+)+$/.test(prefix))
    throw new TypeError(`prefix must be "" or like "/auth-service" (got ${JSON.stringify(prefix)}).`);
  return prefix;
}
