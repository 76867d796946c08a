import { describe, expect, it } from 'vitest';
import { describeFailure, InterruptedError, UsageError } from '../../../src/cli/errors.js';
import { ConfigError } from '../../../src/config/index.js';
import { FlowError } from '../../../src/flows/flow-error.js';
import { KeyError, TokenError } from '../../../src/token/errors.js';

describe('describeFailure', () => {
  it.each<[string, unknown, number, string]>([
    [
      'a usage error, with the --help hint of its command',
      new UsageError('missing <email>', 'users add'),
      2,
      'users add: missing <email> (run "tessera users add --help" for usage)',
    ],
    [
      'a configuration error',
      new ConfigError('TESSERA_PORT', 'must be an integer', { shown: 'got "abc"' }),
      78,
      'configuration error: TESSERA_PORT: must be an integer (got "abc")',
    ],
    [
      'a token error, with its code',
      new TokenError('token_expired', 'The token has expired.'),
      1,
      'invalid token: token_expired: The token has expired.',
    ],
    [
      'a flow error, with its code',
      new FlowError('user_not_found', 'No such user.'),
      1,
      'user_not_found: No such user.',
    ],
    ['a key error', new KeyError('Bad key.'), 1, 'key_invalid: Bad key.'],
    ['any other error: its first line only', new Error('first\n    at stack (x.js:1)'), 1, 'first'],
    ['a thrown non-error', 'oops', 1, 'oops'],
    [
      'a command line node:util parseArgs refused',
      Object.assign(new TypeError("Unknown option '--x'"), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }),
      2,
      "Unknown option '--x'",
    ],
    ['Ctrl-C at a prompt', new InterruptedError(), 130, 'interrupted'],
  ])('%s', (_name, error, exitCode, line) => {
    expect(describeFailure(error)).toEqual({ exitCode, line });
  });
});
