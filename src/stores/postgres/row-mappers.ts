/**
 * Row ↔ record mapping is the SQLite adapter's, unchanged: the schema is shared and the pool parses
 * bigint as a number, so a PostgreSQL row has exactly the shape (and values) of a SQLite row.
 */
export {
  toAuditEvent,
  toAuditEventRow,
  toRefreshTokenRecord,
  toRefreshTokenRow,
  toSessionRecord,
  toSessionRow,
  toSigningKeyRecord,
  toSigningKeyRow,
  toUserRecord,
  toUserRow,
  toUserUpdate,
} from '../sqlite/row-mappers.js';
export type { RefreshTokenRow, SessionRow } from '../sqlite/row-mappers.js';
