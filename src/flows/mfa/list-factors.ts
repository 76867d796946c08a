import type { Deps } from '../deps.js';
import { toFactorView, type FactorView } from './factor-view.js';

export interface FactorList {
  factors: FactorView[];
  recoveryCodesRemaining: number;
}

/** A user's factors (pending ones included) and how many recovery codes are left. */
export async function listFactors(deps: Pick<Deps, 'stores'>, userId: string): Promise<FactorList> {
  const [factors, recoveryCodesRemaining] = await Promise.all([
    deps.stores.secondFactors.listForUser(userId),
    deps.stores.secondFactors.countUnusedRecoveryCodes(userId),
  ]);
  return { factors: factors.map(toFactorView), recoveryCodesRemaining };
}
