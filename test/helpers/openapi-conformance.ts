/**
 * Checks one HTTP exchange against the server's own OpenAPI document (GET /openapi.json): the status is
 * declared for the operation, the content type is one the response lists, the body matches its schema
 * (JSON Schema 2020-12, as OpenAPI 3.1 uses), every required header is there, every declared header
 * matches its schema, and the headers a client acts on are never sent undeclared. The HTTP and e2e
 * suites run every response they receive through it (openapi-conformance-recorder.ts), so the document
 * cannot drift from the server without a test failing.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

/** One response as a test received it. */
export interface Exchange {
  method: string;
  /** The request URL: a path with an optional query, or an absolute URL. */
  url: string;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The raw body text ('' when none). */
  body: string;
}

/** Headers a client acts on: sent only where the document says they may be. */
export const CONTRACT_HEADERS = ['www-authenticate', 'retry-after', 'set-cookie'] as const;

const COMPONENTS_ID = 'urn:tessera:openapi:components';

/** Returns a checker: the violations of one exchange, or [] when it conforms (or names no operation). */
export function createConformanceChecker(document: Json): (exchange: Exchange) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const components = (document.components ?? {}) as Json;
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: components.schemas ?? {} });
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (key: string, schema: unknown): ValidateFunction => {
    let validate = compiled.get(key);
    if (validate === undefined) {
      validate = ajv.compile(relocateRefs(schema) as Json);
      compiled.set(key, validate);
    }
    return validate;
  };
  const matchers = pathMatchers(document);

  return (exchange) => {
    const method = exchange.method.toLowerCase();
    if (method === 'head' || method === 'options') return []; // Fastify's own, not documented
    const path = new URL(exchange.url, 'http://localhost').pathname;
    const template = matchers.find((matcher) => matcher.regex.test(path))?.template;
    const paths = document.paths as Record<string, Record<string, Json>>;
    const operation = template === undefined ? undefined : paths[template]?.[method];
    if (template === undefined || operation === undefined) {
      return checkOutsideOperations({ ...exchange, url: path }, validatorOf);
    }
    const where = `${exchange.method.toUpperCase()} ${template} -> ${exchange.status}`;
    const responses = operation.responses as Record<string, Json>;
    const key = [String(exchange.status), `${String(exchange.status)[0]}XX`, 'default'].find(
      (candidate) => responses[candidate] !== undefined,
    );
    if (key === undefined) return [`${where}: status not declared (${exchange.body.slice(0, 200)})`];
    const response = resolve(document, responses[key]!);
    const pointer = `${template} ${method} ${key}`;
    return [
      ...checkHeaders(document, response, exchange, where, validatorOf, pointer),
      ...checkBody(response, exchange, where, validatorOf, pointer),
    ];
  };
}

type ValidatorOf = (key: string, schema: unknown) => ValidateFunction;

/**
 * An answer outside every operation (an unknown path or method, a URL the router refuses): the console's
 * page and assets are not API, but an error is still an RFC 9457 problem like every other.
 */
function checkOutsideOperations(exchange: Exchange, validatorOf: ValidatorOf): string[] {
  if (exchange.status < 400) return [];
  const where = `${exchange.method.toUpperCase()} ${exchange.url} (no operation) -> ${exchange.status}`;
  const problem = {
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  return checkBody(problem, exchange, where, validatorOf, 'outside operations');
}

function checkBody(
  response: Json,
  exchange: Exchange,
  where: string,
  validatorOf: ValidatorOf,
  pointer: string,
): string[] {
  const content = response.content as Record<string, { schema?: unknown }> | undefined;
  if (content === undefined) {
    return exchange.body === '' ? [] : [`${where}: a body was sent where none is declared`];
  }
  const contentType = headerValues(exchange.headers, 'content-type')[0] ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  const media = content[mediaType];
  if (media === undefined) {
    return [`${where}: content type "${mediaType}" not declared (${Object.keys(content).join(', ')})`];
  }
  if (media.schema === undefined || !/^application\/([\w.-]+\+)?json$/.test(mediaType)) return [];
  let body: unknown;
  try {
    body = JSON.parse(exchange.body);
  } catch {
    return [`${where}: the ${mediaType} body is not JSON`];
  }
  const validate = validatorOf(`${pointer} ${mediaType}`, media.schema);
  if (validate(body)) return [];
  return [`${where}: body does not match the schema: ${describeErrors(validate)}`];
}

function checkHeaders(
  document: Json,
  response: Json,
  exchange: Exchange,
  where: string,
  validatorOf: ValidatorOf,
  pointer: string,
): string[] {
  const declared = new Map(
    Object.entries((response.headers ?? {}) as Record<string, Json>).map(([name, header]) => [
      name.toLowerCase(),
      resolve(document, header),
    ]),
  );
  const violations: string[] = [];
  for (const name of CONTRACT_HEADERS) {
    if (!declared.has(name) && headerValues(exchange.headers, name).length > 0) {
      violations.push(`${where}: header ${name} is sent but not declared`);
    }
  }
  for (const [name, header] of declared) {
    const values = headerValues(exchange.headers, name);
    if (values.length === 0) {
      if (header.required === true) violations.push(`${where}: required header ${name} is missing`);
      continue;
    }
    const validate = validatorOf(`${pointer} header ${name}`, header.schema ?? {});
    for (const value of values) {
      if (!validate(value))
        violations.push(`${where}: header ${name} "${value}": ${describeErrors(validate)}`);
    }
  }
  return violations;
}

function headerValues(headers: Exchange['headers'], name: string): string[] {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  if (entry === undefined) return [];
  return Array.isArray(entry) ? entry : [String(entry)];
}

/** Static paths first, so /auth/sessions never matches a template meant for /auth/sessions/{id}. */
function pathMatchers(document: Json): { template: string; regex: RegExp }[] {
  return Object.keys(document.paths as Json)
    .sort((a, b) => Number(a.includes('{')) - Number(b.includes('{')))
    .map((template) => ({
      template,
      regex: new RegExp(
        `^${template
          .split(/\{[^}]+\}/)
          .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
          .join('[^/]+')}$`,
      ),
    }));
}

function resolve(document: Json, value: Json): Json {
  const ref = value.$ref;
  if (typeof ref !== 'string') return value;
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, part) => (node as Json | undefined)?.[part.replace(/~1/g, '/')], document);
  if (target === undefined) throw new Error(`OpenAPI $ref ${ref} does not resolve`);
  return resolve(document, target as Json);
}

/** `#/components/schemas/X` -> the components schema registered with Ajv. */
function relocateRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relocateRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/')
        ? [key, `${COMPONENTS_ID}#/$defs/${inner.slice('#/components/schemas/'.length)}`]
        : [key, relocateRefs(inner)],
    ),
  );
}

function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 3)
    .map(
      (error) => `${error.instancePath || '/'} ${error.message ?? 'invalid'} ${JSON.stringify(error.params)}`,
    )
    .join('; ');
}
