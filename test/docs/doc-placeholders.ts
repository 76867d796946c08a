/**
 * The reader's own things that the TypeScript examples use without defining them, as globals: the
 * e-mail and password their sign-in form collected, the token their API received, their UI callbacks,
 * their data access, their Express app and Fastify instance. Keeping them here, in one visible list,
 * lets the examples stay short and still run: the values are real (a user registered on the live
 * server, one of its access tokens, an Express app, a Fastify instance) and nothing is faked.
 *
 * The verify.md guide creates `verifier` in its first block and uses it in the next ones; each block
 * runs on its own, so the later ones get an equal verifier from here.
 */
import express, { type Express, type RequestHandler } from 'express';
import createFastify, { type FastifyInstance } from 'fastify';
import type { createVerifier as CreateVerifier, Verifier } from '../../src/verify/index.js';

/** What the doc test hands each block's process (DOC_TEST_CONTEXT, JSON). */
export interface DocTestContext {
  /** The live server, e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  readonly email: string;
  readonly password: string;
  readonly token: string;
}

/** The globals and their types (declared for the blocks only: see typescript-blocks.ts). */
export interface Placeholders {
  email: string;
  password: string;
  /** An access token issued by the live server to another user than `email` (the client examples sign `email` out everywhere). */
  token: string;
  render: (state: unknown) => void;
  showWrongPassword: () => void;
  /** Takes `sub`, which the claim types declare optional. */
  listOrders: (userId: string | undefined) => unknown[];
  removeOrder: RequestHandler;
  /** A route handler; verify.md hands it to Express and to Fastify alike. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  remove: (...args: any[]) => unknown;
  app: Express;
  fastify: FastifyInstance;
  verifier: Verifier;
}

/** Sets the globals. `tessera/verify` is imported as the examples import it (the built package). */
export async function installPlaceholders(context: DocTestContext): Promise<void> {
  const verifyModule: string = 'tessera/verify'; // resolved at run time, after the doc test built dist/
  const { createVerifier } = (await import(verifyModule)) as { createVerifier: typeof CreateVerifier };
  const values: Placeholders = {
    email: context.email,
    password: context.password,
    token: context.token,
    render: () => undefined,
    showWrongPassword: () => {
      throw new Error('the example signed in with a wrong password');
    },
    listOrders: () => [],
    removeOrder: () => undefined,
    remove: () => undefined,
    app: express(),
    fastify: createFastify(),
    verifier: createVerifier({
      jwksUri: `${context.origin}/.well-known/jwks.json`,
      issuer: context.origin,
      audience: 'tessera',
      algorithms: ['ES256'],
    }),
  };
  Object.assign(globalThis, values);
}

/** `declare global` for the blocks, derived from Placeholders (kept out of the project's own type check). */
export function placeholderDeclarations(modulePath: string): string {
  const names: Record<keyof Placeholders, true> = {
    email: true,
    password: true,
    token: true,
    render: true,
    showWrongPassword: true,
    listOrders: true,
    removeOrder: true,
    remove: true,
    app: true,
    fastify: true,
    verifier: true,
  };
  const vars = Object.keys(names).map((name) => `  var ${name}: Placeholders['${name}'];`);
  return `import type { Placeholders } from '${modulePath}';\n\ndeclare global {\n${vars.join('\n')}\n}\n`;
}
