import { isIP } from 'node:net';
import { InvalidValue, type Codec } from './codec.js';
import { text } from './scalar-codecs.js';
import { parseOrigin } from './url-codecs.js';

const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * A WebAuthn RP ID (WebAuthn L3 §5.1.3): a lower-case domain name. Browsers refuse an IP address as an
 * RP ID, so one is refused here at start rather than on every passkey ceremony.
 */
export const relyingPartyId = text(
  'must be a lower-case domain name such as example.com or localhost (not an IP address)',
  (value) => DOMAIN.test(value) && isIP(value) === 0,
);

/** Origins of the pages that run passkey ceremonies: explicit, never `*` (the origin is what binds a passkey). */
export const webauthnOrigins: Codec<string[]> = {
  rule: 'must be a comma-separated, non-empty list of origins like https://app.example.com (scheme, host, port; no path)',
  parse(input) {
    const items = typeof input === 'string' ? input.split(',').map((item) => item.trim()) : input;
    if (!Array.isArray(items) || items.length === 0) throw new InvalidValue();
    if (!items.every((item): item is string => typeof item === 'string' && item !== '' && item !== '*')) {
      throw new InvalidValue();
    }
    return [...new Set(items.map(parseOrigin))];
  },
  format: (value) => value.join(','),
};
