/**
 * The documents address "your Tessera server" as http://127.0.0.1:3000 (localhost:3000 in curl lines,
 * the default address of `npm start`) or, where a deployment is meant, https://auth.example.com. The doc
 * test runs them against a server on an ephemeral port, so before running a block it replaces exactly
 * these spellings (whole host names only), and nothing else, with the live server's origin.
 */
const DEPLOYMENT = String.raw`https://auth\.example\.com(?![\w.-])`;
const LOCAL = String.raw`(?<![\w.-])(?:http://)?(?:localhost|127\.0\.0\.1):3000(?![0-9])`;
const EXAMPLE_ORIGINS = new RegExp(`${DEPLOYMENT}|${LOCAL}`, 'g');

export function substituteServerUrl(code: string, liveOrigin: string): string {
  const origin = new URL(liveOrigin);
  return code.replace(EXAMPLE_ORIGINS, (found) => (found.includes('://') ? origin.origin : origin.host));
}
