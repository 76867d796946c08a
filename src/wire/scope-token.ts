/**
 * RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. The grammar is part of the
 * protocol, so the configuration codec, the OAuth use cases and the CLI all read it from here.
 */
export const SCOPE_TOKEN_SHAPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/;
