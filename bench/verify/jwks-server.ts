import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JwksDocument } from '../../src/keys/index.js';

export interface JwksServer {
  /** http://127.0.0.1:<port>/.well-known/jwks.json */
  readonly url: string;
  /** How many times the key set was fetched: remote verifiers should fetch it once, then cache it. */
  fetches(): number;
  close(): Promise<void>;
}

const PATH = '/.well-known/jwks.json';

/**
 * A real HTTP server on loopback (ephemeral port) serving the JWKS the way Tessera does: JSON with
 * `Cache-Control: public, max-age=300`. Anything else is a 404.
 */
export async function startJwksServer(jwks: JwksDocument): Promise<JwksServer> {
  const body = JSON.stringify(jwks);
  let fetches = 0;
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== PATH) {
      response.writeHead(404).end();
      return;
    }
    fetches++;
    response
      .writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'public, max-age=300',
        'content-length': Buffer.byteLength(body),
      })
      .end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${PATH}`,
    fetches: () => fetches,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
