/**
 * `tessera serve` must handle SIGINT/SIGTERM from before it announces "listening": a signal with no
 * handler kills the process and resets its connections (the flaky shutdown e2e test, under load).
 * The signals come from an EventEmitter here, so nothing is sent to the test process.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { serveUntilSignalled, type ServeHooks } from '../../../src/cli/serve-until-signalled.js';

interface FakeServer {
  stop(): Promise<void>;
  stopped: number;
}

function fakeServer(stop: () => Promise<void> = async () => undefined): FakeServer {
  const server: FakeServer = {
    stopped: 0,
    stop: async () => {
      server.stopped += 1;
      await stop();
    },
  };
  return server;
}

function recordingHooks(): ServeHooks<FakeServer> & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    started: () => events.push('started'),
    stopping: (signal) => events.push(`stopping ${signal}`),
    stopFailed: (error) => events.push(`stop failed: ${(error as Error).message}`),
  };
}

/** A start whose completion the test decides. */
function deferredStart(server: FakeServer) {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const started = new Promise<FakeServer>((resolve, reject) => {
    finish = () => resolve(server);
    fail = reject;
  });
  return { start: () => started, finish, fail };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('serveUntilSignalled', () => {
  it('handles the stop signals while the server is still starting', async () => {
    const signals = new EventEmitter();
    const server = fakeServer();
    const { start, finish } = deferredStart(server);
    const run = serveUntilSignalled(start, recordingHooks(), signals);
    expect(signals.listenerCount('SIGINT')).toBe(1);
    expect(signals.listenerCount('SIGTERM')).toBe(1);
    finish();
    await turn();
    signals.emit('SIGTERM', 'SIGTERM');
    await run;
    expect(server.stopped).toBe(1);
  });

  it('stops as soon as it is up when the signal came during the start', async () => {
    const signals = new EventEmitter();
    const server = fakeServer();
    const hooks = recordingHooks();
    const { start, finish } = deferredStart(server);
    const run = serveUntilSignalled(start, hooks, signals);
    signals.emit('SIGINT', 'SIGINT');
    await turn();
    expect(server.stopped).toBe(0);
    finish();
    await run;
    expect(hooks.events).toEqual(['started', 'stopping SIGINT']);
    expect(server.stopped).toBe(1);
  });

  it('leaves a repeated signal to its default action (a second Ctrl-C still kills)', async () => {
    const signals = new EventEmitter();
    const server = fakeServer();
    const { start, finish } = deferredStart(server);
    const run = serveUntilSignalled(start, recordingHooks(), signals);
    signals.emit('SIGINT', 'SIGINT');
    expect(signals.listenerCount('SIGINT')).toBe(0);
    finish();
    await run;
  });

  it('reports a failed stop and still ends the run', async () => {
    const signals = new EventEmitter();
    const hooks = recordingHooks();
    const server = fakeServer(() => Promise.reject(new Error('store close failed')));
    const run = serveUntilSignalled(async () => server, hooks, signals);
    await turn();
    signals.emit('SIGTERM', 'SIGTERM');
    await run;
    expect(hooks.events).toEqual(['started', 'stopping SIGTERM', 'stop failed: store close failed']);
  });

  it('removes its handlers and rethrows when the start fails', async () => {
    const signals = new EventEmitter();
    const { start, fail } = deferredStart(fakeServer());
    const hooks = recordingHooks();
    const run = serveUntilSignalled(start, hooks, signals);
    fail(new Error('database unreachable'));
    await expect(run).rejects.toThrow('database unreachable');
    expect(signals.listenerCount('SIGINT')).toBe(0);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    expect(hooks.events).toEqual([]);
  });
});
