import type { SecondFactorRecord } from '../../stores/types.js';
import type { Deps } from '../deps.js';
import type { FactorPresence } from '../auth/factor-presence.js';

/**
 * The ways a user can answer the second step, as `methods` on the wire. A new factor kind (the
 * passkeys feature's `webauthn`) adds its member here and in methodsOf; the ticket, the policy and
 * the verify route read this list, never a kind directly.
 */
export type SecondFactorMethod = 'totp' | 'recovery_code';

/** The user's factors that are active (confirmed); pending enrolments do not count. */
export async function listActiveFactors(
  deps: Pick<Deps, 'stores'>,
  userId: string,
): Promise<SecondFactorRecord[]> {
  return (await deps.stores.secondFactors.listForUser(userId)).filter(
    (factor) => factor.confirmedAt !== null,
  );
}

/** What this user may answer with: one entry per active kind, and recovery codes while any is unused. */
export async function methodsOf(deps: Pick<Deps, 'stores'>, userId: string): Promise<SecondFactorMethod[]> {
  const factors = await listActiveFactors(deps, userId);
  if (factors.length === 0) return [];
  const methods: SecondFactorMethod[] = [];
  if (factors.some((factor) => factor.kind === 'totp')) methods.push('totp');
  if ((await deps.stores.secondFactors.countUnusedRecoveryCodes(userId)) > 0) methods.push('recovery_code');
  return methods;
}

/** The FactorPresence port (src/flows/auth/factor-presence.ts) over the second-factor store. */
export function createFactorPresence(deps: Pick<Deps, 'stores'>): FactorPresence {
  return {
    async hasSecondFactor(userId) {
      return (await listActiveFactors(deps, userId)).length > 0;
    },
  };
}
