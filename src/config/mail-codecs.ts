import { InvalidValue, type Codec } from './codec.js';
import { text } from './scalar-codecs.js';

/**
 * Where mail leaves: `smtp://` (plain, upgraded with STARTTLS whenever the server offers it) or
 * `smtps://` (TLS from the first byte), with optional `user:pass@` and port. A secret: it may carry a password.
 */
export const smtpUrl: Codec<string> = {
  rule: 'must be smtp://[user:pass@]host[:port] or smtps://[user:pass@]host[:port]',
  parse(input) {
    if (typeof input !== 'string') throw new InvalidValue();
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new InvalidValue();
    }
    const plain = (url.pathname === '' || url.pathname === '/') && url.search === '' && url.hash === '';
    if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '' || !plain) {
      throw new InvalidValue();
    }
    return input;
  },
  format: String,
};

const ADDRESS = /^[^\s<>@",;]+@[^\s<>@",;]+$/;
/** A display name without the characters that would end or split the header. */
const DISPLAY_NAME = /^[^<>\r\n"]*$/;

/** An RFC 5322 mailbox in its common forms: `no-reply@example.com` or `Example <no-reply@example.com>`. */
export const mailbox = text(
  'must be an address or Name <address>, e.g. "Example <no-reply@example.com>"',
  (value) => {
    const named = /^(.*)<([^<>]*)>$/.exec(value.trim());
    if (named === null) return ADDRESS.test(value.trim());
    return DISPLAY_NAME.test(named[1]!) && ADDRESS.test(named[2]!);
  },
);
