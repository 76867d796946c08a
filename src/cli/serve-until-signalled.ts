/** The signals that stop `tessera serve` gracefully. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Where the signals come from: the process, or an EventEmitter in tests. */
export interface SignalSource {
  once(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ServeHooks<T> {
  /** Called once the server is up. */
  started?(server: T): void;
  /** Called when the stop signal is acted on. */
  stopping(signal: NodeJS.Signals): void;
  /** Called when the graceful stop failed; the run still ends. */
  stopFailed(error: unknown): void;
}

/**
 * Starts the server, then stops it gracefully on the first SIGINT or SIGTERM; resolves once stopped.
 *
 * The handlers are installed before `start` runs: the server announces "listening" from inside
 * `start`, and a signal that arrives before a handler exists takes the default action, killing the
 * process and resetting every connection it holds. On a loaded machine a client can connect and
 * signal before the server runs again after that line, so a handler installed after `start` resolved
 * came too late. A signal received while starting stops the server as soon as it is up. Each handler
 * is a `once`: a second identical signal takes the default action, so a repeated Ctrl-C still kills a
 * start or a drain that hangs.
 */
export async function serveUntilSignalled<T extends { stop(): Promise<void> }>(
  start: () => Promise<T>,
  hooks: ServeHooks<T>,
  signals: SignalSource = process,
): Promise<void> {
  let onSignal!: (signal: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  for (const signal of STOP_SIGNALS) signals.once(signal, onSignal);
  try {
    const server = await start();
    hooks.started?.(server);
    const signal = await received;
    hooks.stopping(signal);
    await server.stop().catch((error: unknown) => hooks.stopFailed(error));
  } catch (error) {
    // The start failed: no handler may linger to swallow a later Ctrl-C.
    for (const signal of STOP_SIGNALS) signals.off(signal, onSignal);
    throw error;
  }
}
