import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config/types.js';
import { HttpError } from '../http-error.js';

/** Decides who may scrape: throws the refusal (403 address, 401 token) or returns when allowed. */
export type MetricsGuard = (request: FastifyRequest) => void;

/**
 * The guard of GET /metrics from the settings: the address first (TESSERA_METRICS_ALLOW; an address
 * outside it learns nothing more, not even that a token exists), then the bearer token when one is set
 * (TESSERA_METRICS_TOKEN). The address is `request.ip`, which honours TESSERA_TRUST_PROXY.
 */
export function createMetricsGuard(settings: Config['metrics']): MetricsGuard {
  const allowed = allowListOf(settings.allow);
  const tokenDigest = settings.token === null ? undefined : sha256(settings.token);
  return (request) => {
    if (!allowed(request.ip)) {
      throw new HttpError('metrics_address_refused', 'Metrics are not served to this address.');
    }
    if (tokenDigest === undefined) return;
    const presented = bearerTokenOf(request.headers.authorization);
    if (presented === undefined) {
      throw new HttpError('metrics_token_missing', 'Metrics need the scrape token (Authorization: Bearer).');
    }
    // Digests of equal length, compared in constant time: timing reveals nothing of the token.
    if (!timingSafeEqual(sha256(presented), tokenDigest)) {
      throw new HttpError('metrics_token_invalid', 'The scrape token is not valid.');
    }
  };
}

/** `loopback`, `any`, addresses and CIDR ranges (validated by the config codec) as one membership test. */
export function allowListOf(entries: readonly string[]): (address: string) => boolean {
  if (entries.includes('any')) return () => true;
  const list = new BlockList();
  for (const entry of entries) {
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    const plain = unmapIpv4(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/** `::ffff:127.0.0.1` (an IPv4 client on a dual-stack socket) is the IPv4 address it carries. */
function unmapIpv4(address: string): string {
  const match = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return match?.[1] ?? address;
}

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive), or undefined. */
function bearerTokenOf(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
