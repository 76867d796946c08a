import type { Kysely, Transaction } from 'kysely';
import { assertDecisionApplies } from '../rotation-rules.js';
import type {
  NewRefreshToken,
  RefreshTokenRecord,
  RefreshTokenStore,
  RotationDecision,
  RotationState,
} from '../types.js';
import type { Database } from '../sql/database.js';
import { revokeSessionsWithTokens } from './postgres-session-revoker.js';
import { toRefreshTokenRecord, toRefreshTokenRow, toSessionRecord } from '../sql/row-mappers.js';

type Decide = (state: RotationState) => RotationDecision;
type RotateResult = Awaited<ReturnType<RefreshTokenStore['rotate']>>;

export class PostgresRefreshTokenStore implements RefreshTokenStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(token: NewRefreshToken): Promise<RefreshTokenRecord> {
    const row = await this.#db
      .insertInto('refresh_tokens')
      .values(toRefreshTokenRow(token))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRefreshTokenRecord(row);
  }

  /**
   * One transaction, atomic across every instance sharing the database: row locks are taken before
   * anything is read for `decide`, so a second rotation of the same token waits, then reads the
   * committed successor. UNIQUE(parent_id) stays as the last guard. A `decide` that throws rolls the
   * transaction back and rejects with its error; a revoke-family decision is committed, since the
   * request fails but the revocation must stand.
   */
  async rotate(id: string, decide: Decide): Promise<RotateResult> {
    return this.#db.transaction().execute(async (trx) => {
      const state = await readStateForUpdate(trx, id);
      if (state === undefined) return undefined;
      const decision = decide(state);
      assertDecisionApplies(id, state, decision);
      return { state, decision, successor: await applyDecision(trx, state, decision) };
    });
  }
}

/**
 * Locks the token's session, then the token, then reads its successor. Always session before tokens,
 * the order SessionStore.revoke and user deletion (ON DELETE CASCADE) lock in too, so they cannot
 * deadlock. The session lock serialises every rotation and revocation in the session, so a successor
 * is never inserted behind the back of a revocation that already swept the session's tokens.
 *
 * The successor is read by its own statement, started once the locks are held: under READ COMMITTED a
 * statement that had to wait for a row lock still sees every other row as of its own start, so a
 * single "token or its child" query could miss a successor committed while it waited.
 */
async function readStateForUpdate(
  trx: Transaction<Database>,
  id: string,
): Promise<RotationState | undefined> {
  const sessionRow = await trx
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', (eb) => eb.selectFrom('refresh_tokens').select('session_id').where('id', '=', id))
    .forUpdate()
    .executeTakeFirst();
  const tokenRow = await trx
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (tokenRow === undefined) return undefined;
  if (sessionRow === undefined || sessionRow.id !== tokenRow.session_id) {
    throw new Error('A refresh token outlived its session.');
  }
  const childRow = await trx
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('parent_id', '=', id)
    .executeTakeFirst();
  return {
    token: toRefreshTokenRecord(tokenRow),
    session: toSessionRecord(sessionRow),
    successor: childRow && toRefreshTokenRecord(childRow),
  };
}

/** Writes a checked decision; returns the successor the client now holds, if the decision hands one out. */
async function applyDecision(
  trx: Transaction<Database>,
  state: RotationState,
  decision: RotationDecision,
): Promise<RefreshTokenRecord | undefined> {
  switch (decision.kind) {
    case 'rotate': {
      const atMs = decision.at.getTime();
      await trx
        .updateTable('refresh_tokens')
        .set({ used_at: atMs })
        .where('id', '=', state.token.id)
        .execute();
      await trx
        .updateTable('sessions')
        .set({ last_seen_at: atMs })
        .where('id', '=', state.session.id)
        .execute();
      const row = await trx
        .insertInto('refresh_tokens')
        .values(toRefreshTokenRow(decision.successor))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRefreshTokenRecord(row);
    }
    case 'reuse-successor':
      return state.successor && structuredClone(state.successor);
    case 'revoke-family':
      await revokeSessionsWithTokens(trx, [state.session.id], decision.reason, decision.at.getTime());
      return undefined;
    case 'reject':
      return undefined;
  }
}
