import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { KeyError } from '../token/errors.js';

/**
 * Encryption at rest for what the store must never hold in clear when TESSERA_MASTER_KEY is set:
 * private signing keys and server secrets (docs/decisions/0016-private-keys-sealed-at-rest.md).
 *
 * AES-256-GCM with a fresh 96-bit IV per value. The AES key is derived from the master key with HKDF
 * (RFC 5869) rather than used directly, so the master key itself never touches a cipher and a later
 * purpose can derive its own key from it. Each value is bound to what it is (`purpose`, e.g. the
 * signing key's kid) as additional authenticated data: a sealed value copied onto another row fails
 * to open instead of silently becoming that row's key.
 *
 * The envelope is one line of text, `tessera-sealed.v1.<master key id>.<iv>.<ciphertext>.<tag>`
 * (base64url), so it fits the same text columns as the plaintext it replaces and cannot be mistaken
 * for a JWK (which starts with `{`) or a base64url secret (which has no `.`). The master key id is a
 * derived 48-bit fingerprint: it tells "wrong master key" apart from "altered value" without
 * revealing anything about the key.
 */
export interface SecretSealer {
  /** True when a master key is configured: new values are sealed and plaintext ones should be upgraded. */
  readonly enabled: boolean;
  /** Seals `plaintext` for `purpose`; returns it unchanged when no master key is configured. */
  seal(purpose: string, plaintext: string): string;
  /** Opens a stored value (sealed or, from before the master key was set, plaintext). */
  open(purpose: string, stored: string): OpenedSecret;
}

export interface OpenedSecret {
  plaintext: string;
  /** False for a value stored in clear, which a sealer with a master key should re-seal. */
  wasSealed: boolean;
}

const PREFIX = 'tessera-sealed.v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEX_KEY = /^[0-9a-f]{64}$/i;

/** Decodes TESSERA_MASTER_KEY as the config accepts it: 64 hex digits, or base64/base64url of 32 bytes. */
export function decodeMasterKey(text: string): Buffer {
  const bytes = HEX_KEY.test(text)
    ? Buffer.from(text, 'hex')
    : Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== 32) throw new KeyError('The master key must be 32 bytes.');
  return bytes;
}

export function createSecretSealer(masterKey: Uint8Array | null): SecretSealer {
  if (masterKey === null) return plaintextSealer;
  if (masterKey.length !== 32) throw new KeyError('The master key must be 32 bytes.');
  const aesKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tessera sealed secrets v1', 32));
  const keyId = Buffer.from(
    hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tessera master key id', 6),
  ).toString('base64url');

  return {
    enabled: true,
    seal(purpose, plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', aesKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(purpose, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [PREFIX, keyId, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(purpose, stored) {
      if (!isSealed(stored)) return { plaintext: stored, wasSealed: false };
      const envelope = parseEnvelope(purpose, stored);
      if (envelope.keyId !== keyId) {
        throw new KeyError(
          `${describe(purpose)} was encrypted with another master key than TESSERA_MASTER_KEY; set the key it was sealed with.`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', aesKey, envelope.iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(purpose, 'utf8'));
        decipher.setAuthTag(envelope.tag);
        const plaintext = Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
        return { plaintext: plaintext.toString('utf8'), wasSealed: true };
      } catch (cause) {
        throw new KeyError(`${describe(purpose)} failed to decrypt: the stored value was altered.`, {
          cause,
        });
      }
    },
  };
}

/** Without a master key nothing is sealed, and a sealed value cannot be opened: say which setting is missing. */
const plaintextSealer: SecretSealer = {
  enabled: false,
  seal: (_purpose, plaintext) => plaintext,
  open(purpose, stored) {
    if (isSealed(stored)) {
      throw new KeyError(
        `${describe(purpose)} is encrypted at rest; set TESSERA_MASTER_KEY to the key it was sealed with.`,
      );
    }
    return { plaintext: stored, wasSealed: false };
  },
};

export function isSealed(stored: string): boolean {
  return stored.startsWith(`${PREFIX}.`);
}

function parseEnvelope(purpose: string, stored: string) {
  const parts = stored.slice(PREFIX.length + 1).split('.');
  const [keyId, iv, ciphertext, tag] = parts.map((part) => Buffer.from(part, 'base64url'));
  if (
    parts.length !== 4 ||
    parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part)) ||
    iv?.length !== IV_BYTES ||
    tag?.length !== TAG_BYTES ||
    keyId === undefined ||
    ciphertext === undefined
  ) {
    throw new KeyError(`${describe(purpose)} is not a valid sealed value.`);
  }
  return { keyId: parts[0], iv, ciphertext, tag };
}

/** Names the value in errors by its purpose (a kid or a secret's name: neither is secret). */
function describe(purpose: string): string {
  return `The stored ${purpose}`;
}
