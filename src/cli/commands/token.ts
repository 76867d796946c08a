import { commandGroup } from '../command.js';
import { decodeTokenCommand } from './token/decode.js';
import { verifyTokenCommand } from './token/verify.js';

/** `tessera token …`: look inside a token, or check it (src/token). Needs no configuration or database. */
export const tokenCommand = commandGroup('token', 'decode or verify a JWT', {
  decode: decodeTokenCommand,
  verify: verifyTokenCommand,
});
