import {
  FIELD_KEYS,
  NULLABLE_GROUPS,
  SCHEMA,
  type FieldKey,
  type FieldValue,
  type Schema,
} from './schema.js';

/** Each config-file field ("port", "lockout.threshold") with the type its codec yields. */
type FlatFields = { -readonly [K in FieldKey as Schema[K]['field']]: FieldValue<K> };

type TopLevel<F> = { [P in keyof F as P extends `${string}.${string}` ? never : P]: F[P] };
type GroupName<P> = P extends `${infer G}.${string}` ? G : never;
type Members<F, G extends string> = { [P in keyof F as P extends `${G}.${infer M}` ? M : never]: F[P] };
type NonNullMembers<F, G extends string> = { [M in keyof Members<F, G>]: NonNullable<Members<F, G>[M]> };
/** A group listed in NULLABLE_GROUPS: all members set, or the whole group null. */
type Group<F, G extends string> = G extends (typeof NULLABLE_GROUPS)[number]
  ? NonNullMembers<F, G> | null
  : Members<F, G>;

/** The configuration as the schema shapes it: nested fields grouped, before the issuer is derived. */
export type SchemaShape = TopLevel<FlatFields> & { [G in GroupName<keyof FlatFields>]: Group<FlatFields, G> };

/** Merges an intersection into one object type, so editors show Config as one plain object. */
type Plain<T> = { [K in keyof T]: T[K] };

/** The whole configuration: the schema's shape, with the issuer and public URL always known (derived when unset). */
export type ConfigShape = Plain<
  Omit<SchemaShape, 'issuer' | 'publicUrl'> & { issuer: string; publicUrl: string }
>;

export type FieldValues = { readonly [K in FieldKey]: FieldValue<K> };

/**
 * Puts each field's value where its config-file field says ("lockout.threshold" under `lockout`); a
 * nullable group with a null member is null as a whole. Values are copied (structuredClone), so
 * freezing the result never reaches the shared defaults or an embedder's settings objects.
 */
export function shapeConfig(values: FieldValues): SchemaShape {
  const shaped: Record<string, unknown> = {};
  for (const key of FIELD_KEYS) {
    const [head, member] = SCHEMA[key].field.split('.') as [string, string | undefined];
    const value = structuredClone(values[key]);
    if (member === undefined) shaped[head] = value;
    else ((shaped[head] ??= {}) as Record<string, unknown>)[member] = value;
  }
  for (const group of NULLABLE_GROUPS) {
    const members = Object.values(shaped[group] as Record<string, unknown>);
    if (members.some((value) => value === null)) shaped[group] = null;
  }
  return shaped as SchemaShape;
}
