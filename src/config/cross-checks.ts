import { importSigningJwks } from '../keys/import-jwks.js';
import { ALGORITHMS, type AlgorithmFamily } from '../token/algorithms.js';
import { KeyError } from '../token/errors.js';
import { ConfigError } from './config-error.js';
import { deriveIssuer } from './defaults.js';
import { fieldError } from './field-error.js';
import type { ResolvedFields } from './resolve-fields.js';
import { SCHEMA, type FieldKey } from './schema.js';

type NumericKey = {
  [K in FieldKey]: ResolvedFields[K]['value'] extends number ? K : never;
}[FieldKey];

const KTY_FOR_FAMILY: Record<AlgorithmFamily, string> = {
  hmac: 'oct',
  rsa: 'RSA',
  'rsa-pss': 'RSA',
  ecdsa: 'EC',
  eddsa: 'OKP',
};

function shownBound(key: NumericKey, fields: ResolvedFields): string {
  const codec = SCHEMA[key].codec as { format(value: number): string | null };
  return `${SCHEMA[key].variable} (${codec.format(fields[key].value)})`;
}

/**
 * `low` must not exceed `high` (or must stay below it when `strict`). The error names the variable the
 * operator actually set: raising TESSERA_SESSION_IDLE_TIMEOUT past the default absolute timeout
 * blames the idle timeout, not a default nobody wrote. When both were set, `high` is named.
 */
function requireOrder(fields: ResolvedFields, low: NumericKey, high: NumericKey, strict: boolean): void {
  const ok = strict ? fields[low].value < fields[high].value : fields[low].value <= fields[high].value;
  if (ok) return;
  if (fields[high].source === 'default') {
    throw fieldError(
      low,
      fields[low],
      `${strict ? 'must be less than' : 'must be at most'} ${shownBound(high, fields)}`,
    );
  }
  throw fieldError(
    high,
    fields[high],
    `${strict ? 'must be greater than' : 'must be at least'} ${shownBound(low, fields)}`,
  );
}

function checkBootstrapAdmin(fields: ResolvedFields): void {
  const { bootstrapAdminEmail: email, bootstrapAdminPassword: password } = fields;
  if ((email.value === null) !== (password.value === null)) {
    const missing = email.value === null ? 'bootstrapAdminEmail' : 'bootstrapAdminPassword';
    const other = missing === 'bootstrapAdminEmail' ? 'bootstrapAdminPassword' : 'bootstrapAdminEmail';
    throw new ConfigError(SCHEMA[missing].variable, `must be set together with ${SCHEMA[other].variable}`);
  }
  if (password.value === null) return;
  // Counted as the password flows count it: Unicode code points after NFC (src/flows/auth/password-policy.ts).
  const length = [...password.value.normalize('NFC')].length;
  const { passwordMinLength: min, passwordMaxLength: max } = fields;
  if (length < min.value || length > max.value) {
    const rule = `must be ${min.value} to ${max.value} characters long (TESSERA_PASSWORD_MIN_LENGTH, TESSERA_PASSWORD_MAX_LENGTH)`;
    throw fieldError('bootstrapAdminPassword', password, rule);
  }
}

function checkSigningKeys(fields: ResolvedFields): void {
  const set = fields.signingKeys.value;
  if (set === null) return;
  const algorithm = fields.algorithm.value;
  const kty = KTY_FOR_FAMILY[ALGORITHMS[algorithm].family];
  if (!set.keys.some((key) => key.kty === kty)) {
    throw fieldError(
      'signingKeys',
      fields.signingKeys,
      `must hold a kty ${kty} key for TESSERA_ALGORITHM ${algorithm}`,
    );
  }
  // Every member must import, by the rules the server applies at start (src/keys/import-jwks.ts).
  try {
    importSigningJwks(set, algorithm);
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    throw fieldError(
      'signingKeys',
      fields.signingKeys,
      error.message.replace(/^The JWK Set('s)? /, '').replace(/\.$/, ''),
    );
  }
}

function checkCors(fields: ResolvedFields): void {
  // Credentialed requests may not use a wildcard origin (Fetch standard, CORS protocol), and
  // reflecting any origin with cookies attached would hand the session to every site.
  if (fields.cookieMode.value && fields.corsOrigins.value.includes('*')) {
    throw fieldError(
      'corsOrigins',
      fields.corsOrigins,
      'must list explicit origins, not *, when TESSERA_COOKIE_MODE is on',
    );
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Mail is never silently dropped (docs/decisions/0041): with SMTP it leaves, without it it stays in the
 * development outbox, which is for a laptop. A server others can reach must say which one it wants.
 */
function checkMail(fields: ResolvedFields): void {
  const { smtpUrl, mailFrom, mailDevOutbox, host } = fields;
  if (smtpUrl.value !== null) {
    if (mailFrom.value === null) {
      throw new ConfigError(SCHEMA.mailFrom.variable, `must be set when ${SCHEMA.smtpUrl.variable} is set`);
    }
    if (mailDevOutbox.value === 'true') {
      throw fieldError(
        'mailDevOutbox',
        mailDevOutbox,
        `cannot be true when ${SCHEMA.smtpUrl.variable} is set (mail would be kept, never sent): unset one of them`,
      );
    }
    return;
  }
  if (mailDevOutbox.value === 'false') {
    throw fieldError(
      'mailDevOutbox',
      mailDevOutbox,
      `cannot be false without ${SCHEMA.smtpUrl.variable}: mail would have nowhere to go`,
    );
  }
  if (mailDevOutbox.value === 'auto' && !LOOPBACK_HOSTS.has(host.value)) {
    throw new ConfigError(
      SCHEMA.smtpUrl.variable,
      `is not set and ${SCHEMA.host.variable} (${host.value}) is not loopback: set ${SCHEMA.smtpUrl.variable} to send mail, or ${SCHEMA.mailDevOutbox.variable}=true to keep it in the development outbox`,
    );
  }
}

/**
 * A passkey is bound to its RP ID, and a browser uses one only on a page whose host is that domain or a
 * subdomain of it (WebAuthn L3 §5.1.3). An origin outside it could never complete a ceremony, so the
 * mismatch stops the server at start. Unset values are derived from the public URL, as at run time.
 */
function checkWebauthn(fields: ResolvedFields): void {
  const { webauthnRpId: rpId, webauthnOrigins: origins } = fields;
  if (rpId.value === null && origins.value === null) return;
  const publicUrl =
    fields.publicUrl.value ?? fields.issuer.value ?? deriveIssuer(fields.host.value, fields.port.value);
  const effectiveRpId = rpId.value ?? new URL(publicUrl).hostname;
  const effectiveOrigins = origins.value ?? [new URL(publicUrl).origin];
  const outside = effectiveOrigins.find((origin) => {
    const host = new URL(origin).hostname;
    return host !== effectiveRpId && !host.endsWith(`.${effectiveRpId}`);
  });
  if (outside === undefined) return;
  const blamed = origins.source === 'default' ? 'webauthnRpId' : 'webauthnOrigins';
  throw fieldError(
    blamed,
    fields[blamed],
    `origin ${outside} is not on the RP ID ${effectiveRpId} or a subdomain of it (TESSERA_WEBAUTHN_RP_ID, TESSERA_WEBAUTHN_ORIGINS)`,
  );
}

/** The rules that involve two or more fields, checked once every field has parsed on its own. */
export function checkCrossFieldRules(fields: ResolvedFields): void {
  checkSigningKeys(fields);
  requireOrder(fields, 'accessTokenTtlSeconds', 'refreshTokenTtlSeconds', true);
  requireOrder(fields, 'sessionIdleTimeoutSeconds', 'sessionAbsoluteTimeoutSeconds', false);
  checkCors(fields);
  requireOrder(fields, 'lockoutBaseSeconds', 'lockoutMaxSeconds', false);
  requireOrder(fields, 'passwordMinLength', 'passwordMaxLength', false);
  // Node refuses a headers timeout longer than the request timeout it is part of.
  requireOrder(fields, 'headersTimeoutSeconds', 'requestTimeoutSeconds', false);
  checkBootstrapAdmin(fields);
  requireOrder(fields, 'mailRetryBaseSeconds', 'mailRetryMaxSeconds', false);
  checkMail(fields);
  checkWebauthn(fields);
}
