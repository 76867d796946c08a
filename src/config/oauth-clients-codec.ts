import { SCOPE_TOKEN_SHAPE } from '../wire/oauth-scope.js';
import { InvalidValue, type Codec } from './codec.js';
import { readJsonSource } from './json-source.js';
import type { ConfiguredClient } from './types.js';

/** RFC 3986 unreserved characters only: such an id needs no escaping in Basic auth or a URL. */
export const CLIENT_ID_SHAPE = /^[A-Za-z0-9._~-]{1,64}$/;
/** SHA-256 written as unpadded base64url (43 characters), as `tessera clients add` prints it. */
const SHA256_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const GRANT_TYPES = ['password', 'refresh_token'] as const;
const MEMBERS = new Set(['client_id', 'name', 'type', 'client_secret_sha256', 'grant_types', 'scopes']);

const RULE =
  'must be a JSON array (inline or @/path/to/file) of clients {client_id, type: "public"|"confidential", client_secret_sha256 (confidential only), name?, grant_types?, scopes?}';

function stringList(value: unknown, where: string, check: (item: string) => boolean): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && check(item))) {
    throw new InvalidValue(`${where} must be an array of valid values`);
  }
  return [...new Set(value as string[])];
}

function parseClient(raw: unknown, index: number, seen: Set<string>): ConfiguredClient {
  const at = `clients[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InvalidValue(`${at} must be an object`);
  const entry = raw as Record<string, unknown>;
  const unknown = Object.keys(entry).find((key) => !MEMBERS.has(key));
  if (unknown !== undefined) throw new InvalidValue(`${at} has an unknown member "${unknown.slice(0, 40)}"`);
  const { client_id: clientId, type, client_secret_sha256: secretHash, name } = entry;
  if (typeof clientId !== 'string' || !CLIENT_ID_SHAPE.test(clientId)) {
    throw new InvalidValue(`${at}.client_id must be 1-64 characters of A-Z a-z 0-9 . _ ~ -`);
  }
  if (seen.has(clientId)) throw new InvalidValue(`${at}.client_id repeats an earlier client`);
  seen.add(clientId);
  if (type !== 'public' && type !== 'confidential')
    throw new InvalidValue(`${at}.type must be public or confidential`);
  if (type === 'confidential' && (typeof secretHash !== 'string' || !SHA256_SHAPE.test(secretHash))) {
    throw new InvalidValue(
      `${at}.client_secret_sha256 must be the base64url SHA-256 of the secret (43 characters)`,
    );
  }
  if (type === 'public' && secretHash !== undefined) {
    throw new InvalidValue(`${at} is public: it has no client_secret_sha256`);
  }
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '' || name.length > 200)) {
    throw new InvalidValue(`${at}.name must be a non-empty string of at most 200 characters`);
  }
  const grantTypes = stringList(entry.grant_types ?? [...GRANT_TYPES], `${at}.grant_types`, (item) =>
    (GRANT_TYPES as readonly string[]).includes(item),
  ) as ConfiguredClient['grantTypes'];
  const scopes = stringList(entry.scopes ?? [], `${at}.scopes`, (item) => SCOPE_TOKEN_SHAPE.test(item));
  return {
    clientId,
    name: typeof name === 'string' ? name : clientId,
    type,
    secretHash: type === 'confidential' ? (secretHash as string) : null,
    grantTypes,
    scopes,
  };
}

/** OAuth clients registered by configuration (besides those the CLI stores); secrets only as hashes. */
export const oauthClients: Codec<readonly ConfiguredClient[]> = {
  rule: RULE,
  parse(input) {
    const list =
      typeof input === 'string' ? readJsonSource(input, { rule: RULE, file: 'clients file' }) : input;
    if (!Array.isArray(list)) throw new InvalidValue();
    const seen = new Set<string>();
    return list.map((raw, index) => parseClient(raw, index, seen));
  },
  // Never printed: the list may carry secret hashes, and its default is simply "none".
  format: () => null,
};
