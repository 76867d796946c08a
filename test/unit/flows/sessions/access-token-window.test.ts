import { describe, expect, it } from 'vitest';
import { readRevocationFeed } from '../../../../src/flows/revocation/revocation-feed.js';
import { accessTokenWindowSeconds } from '../../../../src/flows/sessions/access-token-window.js';
import { depsOn } from '../fixtures.js';

describe('accessTokenWindowSeconds', () => {
  it('is the access-token lifetime plus the clock tolerance', () => {
    expect(accessTokenWindowSeconds({ accessTokenTtlSeconds: 900, clockToleranceSeconds: 30 })).toBe(930);
    expect(accessTokenWindowSeconds({ accessTokenTtlSeconds: 60, clockToleranceSeconds: 0 })).toBe(60);
  });

  it('is the window the revocation feed announces', async () => {
    const deps = await depsOn('memory', { accessTokenTtlSeconds: 120, clockToleranceSeconds: 7 });
    try {
      const page = await readRevocationFeed(deps, undefined);
      expect(page.windowSeconds).toBe(127);
      expect(page.windowSeconds).toBe(accessTokenWindowSeconds(deps.config));
    } finally {
      await deps.stores.close();
    }
  });
});
