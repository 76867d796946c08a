/**
 * Fails the test during which a response drifted from /openapi.json, even when the test swallowed the
 * error its call threw (test/helpers/openapi-conformance-recorder.ts).
 */
import { afterEach } from 'vitest';
import { takeViolations } from '../helpers/openapi-conformance-recorder.js';

afterEach(() => {
  const violations = takeViolations();
  if (violations.length > 0) {
    throw new Error(`Responses drifted from /openapi.json:\n  ${violations.join('\n  ')}`);
  }
});
