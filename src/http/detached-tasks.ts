import type { Logger } from '../platform/logger.js';

/**
 * Work a route runs after it has answered (forgot-password, resend verification): the answer then
 * costs the same whether or not an account exists (decision 0044). A failure is logged, never
 * answered; `settled()` lets the app's close wait for what is still running.
 */
export interface DetachedTasks {
  run(name: string, task: () => Promise<void>): void;
  settled(): Promise<void>;
}

export function createDetachedTasks(logger: Logger): DetachedTasks {
  const pending = new Set<Promise<void>>();
  return {
    run(name, task) {
      const running = Promise.resolve()
        .then(task)
        .catch((error: unknown) => logger.error({ err: error, task: name }, 'detached task failed'))
        .finally(() => pending.delete(running));
      pending.add(running);
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
