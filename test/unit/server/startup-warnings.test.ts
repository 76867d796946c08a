import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { startupWarnings } from '../../../src/server/startup-warnings.js';

const MASTER_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

describe('startupWarnings', () => {
  it('says nothing on loopback, where the defaults are right', () => {
    expect(startupWarnings(loadConfig({ env: {} }))).toEqual([]);
    expect(startupWarnings(loadConfig({ env: { TESSERA_COOKIE_SECURE: 'never' } }))).toEqual([]);
  });

  it('reachable from other hosts: keys in clear, plain-HTTP issuer, cookies without Secure', () => {
    const warnings = startupWarnings(
      loadConfig({
        env: { TESSERA_HOST: '0.0.0.0', TESSERA_COOKIE_SECURE: 'never', TESSERA_MAIL_DEV_OUTBOX: 'true' },
      }),
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^TESSERA_MASTER_KEY is not set/),
      expect.stringMatching(/^TESSERA_COOKIE_SECURE=never/),
      expect.stringMatching(/^the issuer http:\/\/0\.0\.0\.0:3000 is plain HTTP/),
      expect.stringMatching(
        /^TESSERA_MAIL_DEV_OUTBOX=true on a non-loopback address: mail is kept, not sent/,
      ),
    ]);
  });

  it('is quiet when each is taken care of', () => {
    const config = loadConfig({
      env: {
        TESSERA_HOST: '0.0.0.0',
        TESSERA_MASTER_KEY: MASTER_KEY,
        TESSERA_ISSUER: 'https://auth.example.com',
        TESSERA_SMTP_URL: 'smtp://mail.example.com:587',
        TESSERA_MAIL_FROM: 'Example <no-reply@example.com>',
      },
    });
    expect(startupWarnings(config)).toEqual([]);
  });
});
