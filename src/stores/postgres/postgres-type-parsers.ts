import pg from 'pg';
import type { CustomTypesConfig } from 'pg';

/** pg_type OID of int8 (bigint): our times in milliseconds and the audit identity. */
const INT8_OID = 20;

/**
 * pg hands int8 back as a string because it may exceed 2^53. Ours never do (epoch milliseconds reach
 * 2^53 in the year 287 396), so they are parsed as numbers, and a value that would lose precision fails
 * loudly instead of being rounded.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError('A bigint column holds a value beyond 2^53.');
  return value;
}

/**
 * Given to the Pool (and so to each of its clients) instead of changing pg.types globally, so other
 * pg users in the same process keep pg's defaults.
 */
export const postgresTypeParsers: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};
