import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { assertDecisionApplies } from '../rotation-rules.js';
import type {
  NewRefreshToken,
  RefreshTokenRecord,
  RefreshTokenStore,
  RotationDecision,
  RotationState,
} from '../types.js';
import type { Database } from '../sql/database.js';
import { toRefreshTokenRecord, toRefreshTokenRow, toSessionRecord } from '../sql/row-mappers.js';
import type { RefreshTokenRow, SessionRow } from '../sql/row-mappers.js';
import { prepareSessionRevoker } from './sqlite-session-revoker.js';
import type { RevokeSession } from './sqlite-session-revoker.js';

type Decide = (state: RotationState) => RotationDecision;
type RotateResult = Awaited<ReturnType<RefreshTokenStore['rotate']>>;

/** Rotation's statements, prepared once when the store is built. */
interface RotationStatements {
  selectToken: BetterSqlite3.Statement<[string], RefreshTokenRow>;
  selectSession: BetterSqlite3.Statement<[string], SessionRow>;
  selectChild: BetterSqlite3.Statement<[string], RefreshTokenRow>;
  markUsed: BetterSqlite3.Statement<[number, string]>;
  touchSession: BetterSqlite3.Statement<[number, string]>;
  insertToken: BetterSqlite3.Statement<[RefreshTokenRow], RefreshTokenRow>;
  revokeSession: RevokeSession;
}

export class SqliteRefreshTokenStore implements RefreshTokenStore {
  readonly #db: Kysely<Database>;
  readonly #rotateTx: (id: string, decide: Decide) => RotateResult;

  constructor(db: Kysely<Database>, raw: BetterSqlite3.Database) {
    this.#db = db;
    const statements = prepareRotationStatements(raw);
    const rotateTx = raw.transaction((id: string, decide: Decide) =>
      rotateInTransaction(statements, id, decide),
    );
    /**
     * BEGIN IMMEDIATE takes the write lock before the read, so two processes sharing the file cannot
     * both read "no successor" and both insert one; better-sqlite3 is synchronous, so nothing else on
     * this connection runs in between either. (Kysely's transaction() would issue a plain, deferred
     * BEGIN.) UNIQUE(parent_id) stays as the last guard.
     */
    this.#rotateTx = (id, decide) => rotateTx.immediate(id, decide);
  }

  async insert(token: NewRefreshToken): Promise<RefreshTokenRecord> {
    const row = await this.#db
      .insertInto('refresh_tokens')
      .values(toRefreshTokenRow(token))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRefreshTokenRecord(row);
  }

  /** A `decide` that throws rolls the transaction back and rejects with its error. */
  async rotate(id: string, decide: Decide): Promise<RotateResult> {
    return this.#rotateTx(id, decide);
  }
}

function prepareRotationStatements(raw: BetterSqlite3.Database): RotationStatements {
  return {
    selectToken: raw.prepare('SELECT * FROM refresh_tokens WHERE id = ?'),
    selectSession: raw.prepare('SELECT * FROM sessions WHERE id = ?'),
    selectChild: raw.prepare('SELECT * FROM refresh_tokens WHERE parent_id = ?'),
    markUsed: raw.prepare('UPDATE refresh_tokens SET used_at = ? WHERE id = ?'),
    touchSession: raw.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?'),
    insertToken: raw.prepare(
      `INSERT INTO refresh_tokens (id, session_id, parent_id, token_hash, created_at, expires_at, used_at, revoked_at)
       VALUES (@id, @session_id, @parent_id, @token_hash, @created_at, @expires_at, @used_at, @revoked_at)
       RETURNING *`,
    ),
    revokeSession: prepareSessionRevoker(raw),
  };
}

function rotateInTransaction(statements: RotationStatements, id: string, decide: Decide): RotateResult {
  const tokenRow = statements.selectToken.get(id);
  if (tokenRow === undefined) return undefined;
  const sessionRow = statements.selectSession.get(tokenRow.session_id);
  if (sessionRow === undefined) throw new Error('A refresh token outlived its session.');
  const childRow = statements.selectChild.get(id);
  const state: RotationState = {
    token: toRefreshTokenRecord(tokenRow),
    session: toSessionRecord(sessionRow),
    successor: childRow && toRefreshTokenRecord(childRow),
  };
  const decision = decide(state);
  assertDecisionApplies(id, state, decision);
  return { state, decision, successor: applyDecision(statements, state, decision) };
}

/** Writes a checked decision; returns the successor the client now holds, if the decision hands one out. */
function applyDecision(
  statements: RotationStatements,
  state: RotationState,
  decision: RotationDecision,
): RefreshTokenRecord | undefined {
  switch (decision.kind) {
    case 'rotate': {
      statements.markUsed.run(decision.at.getTime(), state.token.id);
      statements.touchSession.run(decision.at.getTime(), state.session.id);
      const row = statements.insertToken.get(toRefreshTokenRow(decision.successor));
      if (row === undefined) throw new Error('INSERT … RETURNING returned no row.');
      return toRefreshTokenRecord(row);
    }
    case 'reuse-successor':
      return state.successor && structuredClone(state.successor);
    case 'revoke-family':
      statements.revokeSession(state.session.id, decision.reason, decision.at.getTime());
      return undefined;
    case 'reject':
      return undefined;
  }
}
