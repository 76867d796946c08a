import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// A CommonJS module whose types declare `export default`: under NodeNext the import is module.exports,
// which carries the plugin as `.default` too (in Node and in tsx alike).
const addFormats = ajvFormats.default;

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
  // As Fastify's default compiler: the formats (email, date-time, uri…), and addUsedSchema: false so
  // a schema with an $id shared by two routes compiles for each.
  const ajv = new Ajv({ ...STRICT_AJV_OPTIONS, addUsedSchema: false });
  addFormats(ajv);
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
}
