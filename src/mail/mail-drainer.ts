import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Random } from '../platform/random.js';
import type { MailQueue, MailRecord } from '../stores/mail-outbox.js';
import type { AuditEventType, AuditStore } from '../stores/types.js';
import { MailDeliveryError, type MailTransport } from './mail-transport.js';
import { computeRetryAt, randomUnit, type RetryPolicy } from './retry-backoff.js';
import { renderMail, type TemplateSet } from './template-set.js';

export interface MailDrainerDeps {
  queue: MailQueue;
  transport: MailTransport;
  templates: TemplateSet;
  audit: AuditStore;
  clock: Clock;
  random: Random;
  logger: Logger;
  from: string;
  publicUrl: string;
  retry: RetryPolicy;
  /** How often the table is polled for other instances' messages and retries due (default 1 s). */
  pollIntervalMs?: number;
  /** How long a claim holds: past it, another instance may send the message (default 60 s). */
  leaseSeconds?: number;
  /** Messages claimed at once (default 10). */
  batchSize?: number;
}

/** What this instance has done since it started (the outbox's own counts come from countByStatus). */
export interface MailDeliveryCounts {
  delivered: number;
  failedAttempts: number;
  failed: number;
}

export interface MailDrainer {
  /** The lease owner id of this instance. */
  readonly owner: string;
  start(): void;
  /** Looks at the outbox now (called after an in-process enqueue). */
  wake(): void;
  /** Claims and delivers one batch; resolves with how many messages it handled. */
  drainOnce(): Promise<number>;
  counts(): MailDeliveryCounts;
  /** Stops polling, lets the message being sent finish, releases this instance's leases. */
  stop(): Promise<void>;
}

/**
 * The outbox drainer (docs/decisions/0040): runs inside the server, claims due messages with a lease,
 * renders and hands each to the transport, and records the outcome. A failure is retried with
 * exponential backoff and jitter until the last attempt, then the message is `failed` (audited, logged,
 * counted). Data values and rendered bodies are never logged.
 */
export function createMailDrainer(deps: MailDrainerDeps): MailDrainer {
  const owner = `instance-${Buffer.from(deps.random.bytes(9)).toString('base64url')}`;
  const pollIntervalMs = deps.pollIntervalMs ?? 1000;
  const leaseMs = (deps.leaseSeconds ?? 60) * 1000;
  const batchSize = deps.batchSize ?? 10;
  const counts: MailDeliveryCounts = { delivered: 0, failedAttempts: 0, failed: 0 };
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  let unavailableLogged = false;

  /** As recordAudit (src/flows/audit.ts): a lost audit row is logged, never thrown. */
  async function audit(type: AuditEventType, detail: Record<string, unknown>): Promise<void> {
    try {
      await deps.audit.record({
        at: deps.clock.now(),
        type,
        userId: null,
        sessionId: null,
        ip: null,
        detail,
      });
    } catch (error) {
      deps.logger.error({ err: error, auditType: type }, 'audit event could not be recorded');
    }
  }

  async function deliver(record: MailRecord): Promise<void> {
    let rendered;
    try {
      rendered = renderMail(deps.templates, record, deps.publicUrl);
    } catch (error) {
      // A row this version cannot render (an unknown template name) will not render on retry either.
      await recordFailure(
        record,
        new MailDeliveryError('the message could not be rendered', { permanent: true, cause: error }),
      );
      return;
    }
    try {
      await deps.transport.send({ from: deps.from, to: record.to, ...rendered });
    } catch (error) {
      await recordFailure(record, error);
      return;
    }
    const status = deps.transport.kind === 'dev' ? 'dev' : 'sent';
    const marked = await deps.queue.markDelivered(record.id, owner, { status, at: deps.clock.now() });
    counts.delivered += 1;
    // Not marked: the lease ran out while sending and another instance has it; it may send it again (0040).
    if (!marked)
      deps.logger.warn({ mailId: record.id }, 'mail sent after its lease expired; it may be sent twice');
    if (status === 'sent') {
      await audit('mail_sent', { mail_id: record.id, template: record.template, to: record.to });
    }
  }

  async function recordFailure(record: MailRecord, error: unknown): Promise<void> {
    const failure =
      error instanceof MailDeliveryError
        ? error
        : new MailDeliveryError(error instanceof Error ? error.message : String(error), {
            permanent: false,
            cause: error,
          });
    const attempts = record.attempts + 1;
    const now = deps.clock.now();
    const retryAt = failure.permanent
      ? null
      : computeRetryAt(attempts, now, deps.retry, randomUnit(deps.random.bytes(4)));
    await deps.queue.markAttemptFailed(record.id, owner, { error: failure.message, retryAt });
    counts.failedAttempts += 1;
    const fields = { mailId: record.id, template: record.template, attempts, error: failure.message };
    if (retryAt !== null) {
      deps.logger.warn({ ...fields, retryAt: retryAt.toISOString() }, 'mail delivery failed; will retry');
      return;
    }
    counts.failed += 1;
    deps.logger.error(fields, 'mail delivery failed for good; `tessera mail outbox retry` puts it back');
    await audit('mail_failed', {
      mail_id: record.id,
      template: record.template,
      to: record.to,
      attempts,
      error: failure.message,
    });
  }

  async function drainOnce(): Promise<number> {
    const now = deps.clock.now();
    const claimed = await deps.queue.claimDue({
      owner,
      now,
      leaseExpiresAt: new Date(now.getTime() + leaseMs),
      limit: batchSize,
    });
    for (const record of claimed) {
      if (!running && loop !== undefined) break;
      await deliver(record);
    }
    return claimed.length;
  }

  function pause(): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function run(): Promise<void> {
    while (running) {
      let handled = 0;
      try {
        handled = await drainOnce();
        unavailableLogged = false;
      } catch (error) {
        // The database is down or busy: mail waits in it, nothing is lost. Say so once per outage.
        if (!unavailableLogged) deps.logger.warn({ err: error }, 'mail outbox unavailable; will keep trying');
        unavailableLogged = true;
      }
      if (running && handled < batchSize) await pause();
    }
  }

  return {
    owner,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    drainOnce,
    counts: () => ({ ...counts }),
    async stop() {
      if (!running) return;
      running = false;
      wakeUp?.();
      await loop;
      try {
        await deps.queue.releaseClaims(owner);
      } catch (error) {
        deps.logger.warn({ err: error }, 'mail leases not released; they expire by themselves');
      }
      await deps.transport.close();
    },
  };
}
