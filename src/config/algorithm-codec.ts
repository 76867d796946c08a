import { JWS_ALGORITHMS, type JwsAlgorithm } from '../token/algorithms.js';
import { InvalidValue, type Codec } from './codec.js';
import { oneOf } from './scalar-codecs.js';

const listed = oneOf(JWS_ALGORITHMS);

/** One of the algorithms Tessera implements; "none" gets its own sentence, as it is the classic attack. */
export const jwsAlgorithm: Codec<JwsAlgorithm> = {
  ...listed,
  parse(input) {
    if (typeof input === 'string' && input.toLowerCase() === 'none') {
      throw new InvalidValue(`"none" is never allowed (RFC 8725 §3.2); ${listed.rule}`);
    }
    return listed.parse(input);
  },
};
