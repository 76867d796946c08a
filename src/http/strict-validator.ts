import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';

/** Schemas are strict: no coercion, no silently removed members, no defaults filled in. */
export const STRICT_AJV_OPTIONS = Object.freeze({
  removeAdditional: false,
  coerceTypes: false,
  useDefaults: false,
  allErrors: false,
});

/**
 * Tessera's request schemas are compiled by Tessera's own Ajv, with the strict options, in `app` and
 * the contexts under it. Embedded, `app` is Tessera's encapsulated context: a host's validator options
 * (Fastify's defaults coerce types and drop unknown members) do not change Tessera's answers, and the
 * host's own routes keep its validator.
 */
export function installStrictValidator(app: FastifyInstance): void {
  // addUsedSchema: false, as Fastify's own compiler: a schema object shared by two routes compiles twice.
  const ajv = new Ajv({ ...STRICT_AJV_OPTIONS, addUsedSchema: false });
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
}
