import { assertDecisionApplies } from '../rotation-rules.js';
import type {
  NewRefreshToken,
  RefreshTokenRecord,
  RefreshTokenStore,
  RotationDecision,
  RotationState,
} from '../types.js';
import { constraintFailed, copyRecord, revokeSessionAndTokens } from './memory-tables.js';
import type { MemoryTables } from './memory-tables.js';

type RotateResult = Awaited<ReturnType<RefreshTokenStore['rotate']>>;

export class MemoryRefreshTokenStore implements RefreshTokenStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async insert(token: NewRefreshToken): Promise<RefreshTokenRecord> {
    return copyRecord(this.#insertRow(token));
  }

  /**
   * Read, decide and write with no `await` in between: the whole step runs in one turn of the event
   * loop, so concurrent calls in this process see each other's writes and a token gets one successor.
   */
  async rotate(id: string, decide: (state: RotationState) => RotationDecision): Promise<RotateResult> {
    const state = this.#readState(id);
    if (state === undefined) return undefined;
    const decision = decide(state);
    assertDecisionApplies(id, state, decision);
    const successor = this.#apply(state, decision);
    return { state, decision, successor: successor && copyRecord(successor) };
  }

  #readState(id: string): RotationState | undefined {
    const token = this.#tables.refreshTokens.get(id);
    if (token === undefined) return undefined;
    const session = this.#tables.sessions.get(token.sessionId);
    if (session === undefined) throw new Error('A refresh token outlived its session.');
    const successorId = this.#tables.refreshTokenChildren.get(id);
    const successor = successorId === undefined ? undefined : this.#tables.refreshTokens.get(successorId);
    return {
      token: copyRecord(token),
      session: copyRecord(session),
      successor: successor && copyRecord(successor),
    };
  }

  /** Applies a checked decision; returns the successor the client now holds, if the decision hands one out. */
  #apply(state: RotationState, decision: RotationDecision): RefreshTokenRecord | undefined {
    switch (decision.kind) {
      case 'rotate': {
        const presented = this.#tables.refreshTokens.get(state.token.id);
        if (presented !== undefined) presented.usedAt = new Date(decision.at);
        const session = this.#tables.sessions.get(state.session.id);
        if (session !== undefined) session.lastSeenAt = new Date(decision.at);
        return this.#insertRow(decision.successor);
      }
      case 'reuse-successor':
        return state.successor;
      case 'revoke-family':
        revokeSessionAndTokens(this.#tables, state.session.id, decision.reason, decision.at);
        return undefined;
      case 'reject':
        return undefined;
    }
  }

  #insertRow(token: NewRefreshToken): RefreshTokenRecord {
    const { refreshTokens, refreshTokenChildren, sessions } = this.#tables;
    if (!sessions.has(token.sessionId))
      throw constraintFailed('refresh_tokens.session_id references sessions');
    if (refreshTokens.has(token.id)) throw constraintFailed('refresh_tokens.id');
    if (token.parentId !== null && refreshTokenChildren.has(token.parentId)) {
      throw constraintFailed('refresh_tokens.parent_id');
    }
    const record: RefreshTokenRecord = { ...copyRecord(token), usedAt: null, revokedAt: null };
    refreshTokens.set(record.id, record);
    if (record.parentId !== null) refreshTokenChildren.set(record.parentId, record.id);
    return record;
  }
}
