/**
 * The OAuth scope-token grammar (RFC 6749 §3.3): printable ASCII except space, `"` and `\`, here
 * capped at 64 characters. It lives in the wire contract because it is a fact about the protocol, not
 * about configuration or a use case: config/ (registered client scopes), flows/ (the `scope`
 * parameter) and the CLI all check against it, and since wire/ imports nothing, none of them has to
 * import another layer to get it (config must never import flows, flows must not import config's codecs).
 */
export const SCOPE_TOKEN_SHAPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/;
