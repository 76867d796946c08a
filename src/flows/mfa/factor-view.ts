import type { SecondFactorKind, SecondFactorRecord } from '../../stores/types.js';

/** A factor as its owner and administrators see it: never its secret. */
export interface FactorView {
  id: string;
  kind: SecondFactorKind;
  label: string;
  created_at: string;
  /** null while the enrolment waits for its first code. */
  confirmed_at: string | null;
}

export function toFactorView(factor: SecondFactorRecord): FactorView {
  return {
    id: factor.id,
    kind: factor.kind,
    label: factor.label,
    created_at: factor.createdAt.toISOString(),
    confirmed_at: factor.confirmedAt?.toISOString() ?? null,
  };
}
