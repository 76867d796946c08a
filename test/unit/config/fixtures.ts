/** Shared by the config tests: public RFC example keys and a helper that returns the ConfigError thrown. */
import { expect } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { loadConfig, type LoadConfigOptions } from '../../../src/config/load-config.js';

/** RFC 7515 Appendix A.3 (ES256), a public example key. */
export const EC_PRIVATE_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
};

/** RFC 7515 Appendix A.1 (HS256), a public example secret. */
export const OCT_JWK = {
  kty: 'oct',
  k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
};

/** 32 bytes, hex: a valid master key that is obviously a test value. */
export const MASTER_KEY_HEX = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

/** Loads and returns the ConfigError; fails the test when loading succeeds or throws something else. */
export function configError(options: LoadConfigOptions): ConfigError {
  try {
    loadConfig(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw a ConfigError, but it returned');
}
