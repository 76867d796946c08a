import type { AuditEventType } from '../stores/types.js';
import type { Deps, RequestContext } from './deps.js';

/**
 * Records an audit event. A failing audit write is logged, never thrown: losing one audit row must not
 * turn a successful login into an error (the security-relevant state change has already happened).
 */
export async function recordAudit(
  deps: Pick<Deps, 'stores' | 'clock' | 'logger'>,
  type: AuditEventType,
  fields: {
    userId?: string | null;
    sessionId?: string | null;
    context?: RequestContext;
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  try {
    await deps.stores.audit.record({
      at: deps.clock.now(),
      type,
      userId: fields.userId ?? null,
      sessionId: fields.sessionId ?? null,
      ip: fields.context?.ip ?? null,
      detail: fields.detail ?? null,
    });
  } catch (error) {
    deps.logger.error({ err: error, auditType: type }, 'audit event could not be recorded');
  }
}
