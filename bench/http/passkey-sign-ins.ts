/**
 * Passkey sign-ins per second against a target on loopback: each sign-in is a real ceremony (options,
 * then an assertion signed in this process by a software authenticator: node:crypto ES256 over
 * authenticatorData || SHA-256(clientDataJSON)), so every request spends a fresh challenge. A fixed
 * number of workers loop for the duration; the rate is successful sign-ins per second.
 */
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { SoftwareAuthenticator } from '../../test/helpers/software-authenticator.js';
import { median } from '../lib/stats.js';
import type { RunningTarget } from './spawn-target.js';

/** The origin the software authenticator writes into clientDataJSON; the target allows it. */
export const BENCH_PASSKEY_ORIGIN = 'http://localhost:3000';
export const BENCH_PASSKEY_ENV = {
  TESSERA_WEBAUTHN_RP_ID: 'localhost',
  TESSERA_WEBAUTHN_ORIGINS: BENCH_PASSKEY_ORIGIN,
};

const JSON_HEADERS = { 'content-type': 'application/json' };

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Registers a passkey for the target's bench user; returns the authenticator holding it. */
async function enrol(target: RunningTarget): Promise<SoftwareAuthenticator> {
  const auth = { authorization: `Bearer ${target.accessToken}` };
  const options = (await postJson(
    `${target.url}/auth/passkeys/registration/options`,
    {},
    auth,
  )) as PublicKeyCredentialCreationOptionsJSON;
  const authenticator = new SoftwareAuthenticator({ origin: BENCH_PASSKEY_ORIGIN });
  await postJson(`${target.url}/auth/passkeys`, { response: authenticator.register(options) }, auth);
  return authenticator;
}

export async function measurePasskeySignIns(
  target: RunningTarget,
  options: { workers: number; seconds: number },
): Promise<{ reqPerSec: number; p50Ms: number; p99Ms: number }> {
  // One passkey per worker: one authenticator never runs two ceremonies at once, and two concurrent
  // assertions of one passkey are (rightly) refused as a clone by the counter check.
  const authenticators = await Promise.all(Array.from({ length: options.workers }, () => enrol(target)));
  const latencies: number[] = [];
  const deadline = performance.now() + options.seconds * 1000;
  const started = performance.now();
  const worker = async (authenticator: SoftwareAuthenticator) => {
    while (performance.now() < deadline) {
      const begun = performance.now();
      const request = (await postJson(
        `${target.url}/auth/passkeys/sign-in/options`,
        {},
      )) as PublicKeyCredentialRequestOptionsJSON;
      await postJson(`${target.url}/auth/passkeys/sign-in`, { response: authenticator.assert(request) });
      latencies.push(performance.now() - begun);
    }
  };
  await Promise.all(authenticators.map(worker));
  const elapsedSeconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    reqPerSec: latencies.length / elapsedSeconds,
    p50Ms: Number(median(latencies).toFixed(2)),
    p99Ms: Number((sorted[Math.floor(sorted.length * 0.99)] ?? 0).toFixed(2)),
  };
}
