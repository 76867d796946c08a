import { readFile } from 'node:fs/promises';
import { importJwks, importVerificationKeys } from '../../../keys/import-jwks.js';
import { importPublishedJwks } from '../../../keys/import-published-jwks.js';
import type { JwsAlgorithm } from '../../../token/algorithms.js';
import type { KeyLookup } from '../../../token/key.js';
import { withProgress, writeNote } from '../../output.js';

export type KeySource = { jwksUrl: string } | { jwksFile: string } | { keyFile: string };

const FETCH_TIMEOUT_MS = 10_000;

/** The verification keys named on the command line: fetched or read, then imported by src/keys. */
export async function loadVerificationKeys(
  source: KeySource,
  alg: JwsAlgorithm | undefined,
): Promise<KeyLookup> {
  const options = alg === undefined ? {} : { alg };
  // A fetched JWKS is a server's published set: members it cannot use are skipped, and said so.
  // A JWKS file is configured by the person at the terminal: every member must import.
  if ('jwksUrl' in source) {
    return importPublishedJwks(await fetchJwks(source.jwksUrl), {
      ...options,
      onSkipped: ({ member, reason }) => writeNote(`tessera: the JWKS's ${member} ${reason}; skipped`),
    });
  }
  if ('jwksFile' in source)
    return importJwks(parseJson(await readText(source.jwksFile), source.jwksFile), options);
  return importVerificationKeys(await readText(source.keyFile), options);
}

async function fetchJwks(url: string): Promise<unknown> {
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new Error(`--jwks: not a URL: ${url}`);
  }
  const response = await withProgress('Fetching JWKS', async () => {
    try {
      return await fetch(parsedUrl, {
        headers: { accept: 'application/jwk-set+json, application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (cause) {
      const reason = cause instanceof Error && cause.name === 'TimeoutError' ? 'timed out' : 'failed';
      throw new Error(`fetching the JWKS from ${parsedUrl.origin} ${reason}`, { cause });
    }
  });
  if (!response.ok) throw new Error(`fetching the JWKS: HTTP ${response.status} from ${parsedUrl.href}`);
  return parseJson(await response.text(), parsedUrl.href);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${path}${code === undefined ? '' : ` (${code})`}`, { cause });
  }
}

function parseJson(text: string, from: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new Error(`${from} is not JSON`, { cause });
  }
}
