import type { Config } from '../config/types.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * What an operator should know at start that is not an error: shown in the terminal banner and logged
 * as warnings in JSON mode. Pure: a function of the configuration only.
 */
export function startupWarnings(config: Config): string[] {
  const warnings: string[] = [];
  // On a laptop (loopback only) the defaults are right; these matter once others can reach the server.
  if (LOOPBACK.has(config.host)) return warnings;
  if (config.masterKey === null && config.signingKeys === null) {
    warnings.push(
      'TESSERA_MASTER_KEY is not set: private signing keys are stored unencrypted in the database',
    );
  }
  if (config.cookieSecure === 'never') {
    warnings.push('TESSERA_COOKIE_SECURE=never on a non-loopback address: cookies can travel without TLS');
  }
  if (config.issuer.startsWith('http://')) {
    warnings.push(`the issuer ${config.issuer} is plain HTTP on a non-loopback address; put TLS in front`);
  }
  if (config.mail.smtpUrl === null) {
    // Only reachable with TESSERA_MAIL_DEV_OUTBOX=true (cross-checks.ts refuses `auto` here).
    warnings.push(
      'TESSERA_MAIL_DEV_OUTBOX=true on a non-loopback address: mail is kept, not sent, and GET /dev/mail shows its links to anyone who can reach the server',
    );
  }
  return warnings;
}
