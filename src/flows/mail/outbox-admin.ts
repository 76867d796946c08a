import type { MailRecord, MailStatus, RetrySelection } from '../../stores/mail-outbox.js';
import { recordAudit } from '../audit.js';
import { parseEmail } from '../auth/email-address.js';
import type { Deps } from '../deps.js';

type OutboxDeps = Pick<Deps, 'stores' | 'clock' | 'logger'>;

/** A message as the operator sees it: never its data (one-time links), which the outbox keeps to itself. */
export interface OutboxEntryView {
  id: string;
  status: MailStatus;
  to: string;
  template: string;
  attempts: number;
  created_at: string;
  next_attempt_at: string | null;
  delivered_at: string | null;
  last_error: string | null;
}

function toView(record: MailRecord): OutboxEntryView {
  return {
    id: record.id,
    status: record.status,
    to: record.to,
    template: record.template,
    attempts: record.attempts,
    created_at: record.createdAt.toISOString(),
    next_attempt_at: record.status === 'pending' ? record.nextAttemptAt.toISOString() : null,
    delivered_at: record.deliveredAt?.toISOString() ?? null,
    last_error: record.lastError,
  };
}

/** The newest messages (all, or of one status) and how many stand in each status. */
export async function listOutbox(
  deps: OutboxDeps,
  filter: { status?: MailStatus; limit?: number },
): Promise<{ messages: OutboxEntryView[]; counts: Record<MailStatus, number> }> {
  const [records, counts] = await Promise.all([
    deps.stores.mailQueue.list(filter),
    deps.stores.mailQueue.countByStatus(),
  ]);
  return { messages: records.map(toView), counts };
}

/**
 * Puts failed messages back in the queue (`tessera mail outbox retry`): due now, attempts reset. Returns
 * how many; 0 for an id that is unknown or not failed (nothing changes). Audited when any moved.
 */
export async function retryMail(deps: OutboxDeps, selection: RetrySelection): Promise<number> {
  const retried = await deps.stores.mailQueue.retry(selection, deps.clock.now());
  if (retried > 0) {
    await recordAudit(deps, 'mail_retried', {
      detail: 'id' in selection ? { mail_id: selection.id } : { failed: true, count: retried },
    });
  }
  return retried;
}

/** Enqueues the `test` message (`tessera mail test --to …`); the running server delivers it. */
export async function enqueueTestMail(deps: OutboxDeps, to: string): Promise<string> {
  const address = parseEmail(to);
  await deps.stores.mailOutbox.enqueue({ to: address, template: 'test', data: {} });
  return address;
}
