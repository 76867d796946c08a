import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { register, type RegisterInput } from '../../../../src/flows/auth/register.js';
import { login } from '../../../../src/flows/auth/login.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, registerUser, STORE_KINDS } from '../fixtures.js';

const EMOJI = '\u{1F511}'; // 🔑: one code point, two UTF-16 units

describe.each(STORE_KINDS)('register over %s stores', (kind) => {
  let deps: TestDeps;

  beforeEach(async () => {
    deps = await depsOn(kind);
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  const attempt = (input: Partial<RegisterInput>) =>
    register(deps, { email: 'ada@example.com', password: PASSWORD, ...input }, CONTEXT);

  it('creates a user with no roles and signs them in', async () => {
    const pair = await attempt({ email: '  Ada@Example.COM ', name: '  Ada Lovelace  ' });
    expect(pair.user).toEqual({
      id: expect.any(String),
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      roles: [],
      email_verified: false,
      created_at: deps.clock.now().toISOString(),
    });
    const stored = (await deps.stores.users.findByEmail('ada@example.com'))!;
    expect(stored.id).toBe(pair.user.id);
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain(PASSWORD);
    expect(deps.accessTokens.verify(pair.accessToken, deps.clock.now())).toMatchObject({
      sub: pair.user.id,
      sid: pair.sessionId,
      roles: [],
    });
    expect(await deps.stores.sessions.findById(pair.sessionId)).toMatchObject({
      userId: pair.user.id,
      kind: 'jwt',
    });
    const audit = await deps.stores.audit.list({ type: 'register' });
    expect(audit).toEqual([expect.objectContaining({ userId: pair.user.id, sessionId: pair.sessionId })]);
  });

  it.each<[string, string | undefined]>([
    ['absent', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])('a name that is %s is stored as null', async (_name, name) => {
    const pair = await attempt({ name });
    expect(pair.user.name).toBeNull();
  });

  it('never takes roles from the input', async () => {
    const input = { email: 'eve@example.com', password: PASSWORD, roles: ['admin'] } as RegisterInput;
    const pair = await register(deps, input, CONTEXT);
    expect(pair.user.roles).toEqual([]);
    expect((await deps.stores.users.findById(pair.user.id))!.roles).toEqual([]);
  });

  it.each<[string, string]>([
    ['no @', 'ada.example.com'],
    ['no domain dot', 'ada@localhost'],
    ['a space', 'ada lovelace@example.com'],
    ['a newline', 'ada@example.com\r\nBcc: eve@example.com'],
    ['empty', ''],
    ['too long', `${'a'.repeat(250)}@example.com`],
  ])('invalid_email: %s, checked before any hashing', async (_name, email) => {
    const hash = vi.spyOn(deps.hasher, 'hash');
    try {
      await flowError(attempt({ email }), 'invalid_email');
      expect(hash).not.toHaveBeenCalled();
    } finally {
      hash.mockRestore();
    }
  });

  describe('weak_password: code points, after NFC', () => {
    it.each<[string, string]>([
      ['empty', ''],
      ['7 ASCII characters', 'a'.repeat(7)],
      ['7 emoji (14 UTF-16 units)', EMOJI.repeat(7)],
      ['7 NFD "é" (14 code points as typed, 7 after NFC)', 'e\u0301'.repeat(7)],
      ['129 ASCII characters', 'a'.repeat(129)],
      ['129 emoji', EMOJI.repeat(129)],
    ])('rejects %s', async (_name, password) => {
      const error = await flowError(attempt({ password }), 'weak_password');
      if (password !== '') expect(error.message).not.toContain(password);
      expect(await deps.stores.users.findByEmail('ada@example.com')).toBeUndefined();
    });

    it.each<[string, string]>([
      ['8 emoji', EMOJI.repeat(8)],
      ['128 emoji (256 UTF-16 units)', EMOJI.repeat(128)],
      ['8 ASCII characters', 'a'.repeat(8)],
      ['128 ASCII characters', 'a'.repeat(128)],
      ['128 NFD "é" (256 code points as typed)', 'e\u0301'.repeat(128)],
    ])('accepts %s', async (_name, password) => {
      await expect(attempt({ password })).resolves.toBeDefined();
    });

    it('follows the configured policy', async () => {
      const strict = await depsOn(kind, { password: { minLength: 12, maxLength: 16 } });
      try {
        await flowError(
          register(strict, { email: 'a@example.com', password: 'a'.repeat(11) }, CONTEXT),
          'weak_password',
        );
        await flowError(
          register(strict, { email: 'a@example.com', password: 'a'.repeat(17) }, CONTEXT),
          'weak_password',
        );
        await expect(
          register(strict, { email: 'a@example.com', password: 'a'.repeat(12) }, CONTEXT),
        ).resolves.toBeDefined();
      } finally {
        await strict.stores.close();
      }
    });

    it('the NFC form is what gets hashed: either spelling logs in', async () => {
      const nfd = 'pa\u0308sswo\u0308rter'; // ä, ö decomposed
      await attempt({ password: nfd });
      await expect(
        login(deps, { email: 'ada@example.com', password: nfd.normalize('NFC') }, CONTEXT),
      ).resolves.toBeDefined();
      await expect(login(deps, { email: 'ada@example.com', password: nfd }, CONTEXT)).resolves.toBeDefined();
    });
  });

  describe('email_taken', () => {
    it.each<[string, string]>([
      ['the same e-mail', 'ada@example.com'],
      ['another case', 'ADA@Example.com'],
      ['surrounding spaces', '  ada@example.com\t'],
    ])('%s', async (_name, email) => {
      const first = await registerUser(deps);
      const hash = vi.spyOn(deps.hasher, 'hash');
      try {
        const error = await flowError(attempt({ email, password: 'another password' }), 'email_taken');
        expect(error.message).not.toContain('ada@example.com');
        // The password was hashed anyway: a taken e-mail costs the same time as a free one.
        expect(hash).toHaveBeenCalledTimes(1);
      } finally {
        hash.mockRestore();
      }
      const stored = (await deps.stores.users.findByEmail('ada@example.com'))!;
      expect(stored.id).toBe(first.user.id);
      // The original password still works; the attempt changed nothing.
      await expect(
        login(deps, { email: 'ada@example.com', password: PASSWORD }, CONTEXT),
      ).resolves.toBeDefined();
      await flowError(
        login(deps, { email: 'ada@example.com', password: 'another password' }, CONTEXT),
        'invalid_credentials',
      );
    });

    it('an NFD spelling of an NFC e-mail', async () => {
      await registerUser(deps, 'ren\u00e9@example.com');
      await flowError(attempt({ email: 'rene\u0301@example.com' }), 'email_taken');
    });
  });
});
