import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTesseraClient, TesseraError } from '../../src/client/index.js';
import type { MailTemplateName } from '../../src/stores/mail-outbox.js';
import type { MemoryMailOutbox } from '../../src/stores/memory/memory-mail-outbox.js';
import { createCheckedFetch } from '../helpers/openapi-conformance-recorder.js';
import { createTestApp, TEST_START, type TestDeps } from '../helpers/test-deps.js';
import { createFakeClock } from '../unit/client/fake-clock.js';

/** Every answer the SDK receives is checked against the server's /openapi.json. */
const checkedFetch = createCheckedFetch();
const EMAIL = 'recover@example.com';
const PASSWORD = 'correct horse battery';

/** The SDK's account-recovery methods against a real Tessera on loopback, links read from the outbox. */
describe('tessera/client account recovery', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  const clients: Array<{ dispose(): void }> = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.dispose();
    await app.close();
  });

  const start = async (config: Parameters<typeof createTestApp>[0] = {}) => {
    ({ app, deps } = await createTestApp(config));
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const client = createTesseraClient({
      baseUrl,
      clock: createFakeClock(TEST_START.getTime()),
      fetch: checkedFetch,
    });
    clients.push(client);
    return client;
  };
  const tokenOf = async (template: MailTemplateName, to: string) => {
    const outbox = deps.stores.mailOutbox as MemoryMailOutbox;
    const mail = await vi.waitFor(() => {
      const found = outbox.messages.filter((m) => m.template === template && m.to === to).at(-1);
      if (found === undefined) throw new Error(`no ${template} mail yet`);
      return found;
    });
    return new URL(mail.data['link'] ?? '').hash.split('token=')[1] ?? '';
  };

  it('verifies the address, and the signed-in state takes the verified user', async () => {
    const client = await start();
    await client.register({ email: EMAIL, password: PASSWORD });
    const user = await client.verifyEmail(await tokenOf('verify_email', EMAIL));
    expect(user).toMatchObject({ email: EMAIL, email_verified: true });
    const state = client.getState();
    expect(state.status === 'signed-in' && state.user?.email_verified).toBe(true);
    const error = await client.verifyEmail('not-a-token').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TesseraError);
    expect(error).toMatchObject({ code: 'link_invalid', status: 400 });
  });

  it('requests a reset, resets the password, and resends verification', async () => {
    const client = await start();
    await client.register({ email: EMAIL, password: PASSWORD });
    await client.resendVerification(EMAIL);
    await client.requestPasswordReset('nobody@example.com');
    await client.requestPasswordReset(EMAIL);
    const token = await tokenOf('password_reset', EMAIL);
    await client.resetPassword({ token, newPassword: 'a brand new passphrase' });
    const again = await client
      .resetPassword({ token, newPassword: 'another passphrase' })
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'link_used', status: 410 });
    await client.login({ email: EMAIL, password: 'a brand new passphrase' });
    await expect(client.requestPasswordReset('')).rejects.toBeInstanceOf(TypeError);
  });

  it('changes the address: changeEmail then confirmEmailChange', async () => {
    const client = await start();
    await client.register({ email: EMAIL, password: PASSWORD });
    const wrong = await client
      .changeEmail({ newEmail: 'new@example.com', password: 'nope nope nope' })
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'invalid_credentials' });
    await client.changeEmail({ newEmail: 'new@example.com', password: PASSWORD });
    const user = await client.confirmEmailChange(await tokenOf('email_change_confirm', 'new@example.com'));
    expect(user).toMatchObject({ email: 'new@example.com', email_verified: true });
    expect((await client.me()).email).toBe('new@example.com');
  });

  it('register resolves signed out when the server requires a verified address first', async () => {
    const client = await start({ config: { emailVerification: 'required' } });
    const state = await client.register({ email: EMAIL, password: PASSWORD });
    expect(state.status).toBe('signed-out');
    const refused = await client.login({ email: EMAIL, password: PASSWORD }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'email_not_verified', status: 403 });
  });
});
