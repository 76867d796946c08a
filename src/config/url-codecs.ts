import { isIP } from 'node:net';
import { InvalidValue, type Codec } from './codec.js';
import { text } from './scalar-codecs.js';

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** What the server binds to; it also goes into the derived issuer, so it must be a plain name or IP. */
export const host = text(
  'must be a host name or IP address',
  (value) => HOST_NAME.test(value) || isIP(value) !== 0,
);

/** RFC 8414 §2 and RFC 7519 §4.1.1: `iss` is compared as a string, so no query or fragment to drift. */
export const issuerUrl = text('must be an absolute http(s) URL without query or fragment', (value) => {
  const url = parseUrl(value);
  return (
    url !== undefined &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    !value.includes('?') &&
    !value.includes('#')
  );
});

export const databaseUrl = text(
  'must be sqlite:<path>, sqlite::memory: or a postgres:// (postgresql://) URL',
  (value) =>
    /^sqlite:.+$/.test(value) || (/^postgres(ql)?:\/\/./.test(value) && parseUrl(value) !== undefined),
);

export const redisUrl = text('must be a redis:// or rediss:// URL', (value) => {
  const url = parseUrl(value);
  return (
    url !== undefined && (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== ''
  );
});

/**
 * An Origin header value (RFC 6454 §7): scheme, host and optional port, nothing after. Stored in the
 * serialised form browsers send (lower-case, default port dropped), so matching is a string compare.
 */
export function parseOrigin(value: string): string {
  const url = parseUrl(value);
  const plain = url !== undefined && url.username === '' && url.password === '' && url.pathname === '/';
  if (!plain || !/^https?:$/.test(url.protocol) || /[/?#]/.test(value.slice(url.protocol.length + 2))) {
    throw new InvalidValue();
  }
  return url.origin;
}

export const originList: Codec<string[]> = {
  rule: 'must be a comma-separated list of origins like https://app.example.com (scheme, host, port; no path), or *',
  parse(input) {
    const items =
      typeof input === 'string' ? (input === '' ? [] : input.split(',').map((item) => item.trim())) : input;
    if (!Array.isArray(items) || !items.every((item): item is string => typeof item === 'string')) {
      throw new InvalidValue();
    }
    if (items.includes('*')) {
      if (items.length > 1) throw new InvalidValue('must be * alone or a list of origins, not both');
      return ['*'];
    }
    return [...new Set(items.map(parseOrigin))];
  },
  format: (value) => value.join(','),
};
