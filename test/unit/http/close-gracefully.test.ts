/**
 * takeInArrivedConnections: before the listener closes, the loop turns while connections are being
 * accepted (Node accepts one per turn), and never longer than its bound. A fake server emits the
 * `connection` events; a counter of event-loop turns measures how long the wait lasted.
 * test/e2e/shutdown.test.ts proves the whole shutdown against a real process.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { takeInArrivedConnections } from '../../../src/http/close-gracefully.js';

/** Emits `connection` once per event-loop turn for `turns` turns (Infinity: forever, until stopped). */
function acceptingServer(turns: number): { server: EventEmitter; stop(): void } {
  const server = new EventEmitter();
  let stopped = false;
  let emitted = 0;
  const turn = () => {
    if (stopped || emitted >= turns) return;
    emitted += 1;
    server.emit('connection');
    setImmediate(turn);
  };
  setImmediate(turn);
  return { server, stop: () => (stopped = true) };
}

/** Counts event-loop turns until stopped. */
function turnCounter(): { count(): number; stop(): void } {
  let turns = 0;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  return { count: () => turns, stop: () => (stopped = true) };
}

describe('takeInArrivedConnections', () => {
  it('returns after a couple of turns when nothing is being accepted', async () => {
    const counter = turnCounter();
    await takeInArrivedConnections(new EventEmitter());
    counter.stop();
    expect(counter.count()).toBeGreaterThanOrEqual(1);
    expect(counter.count()).toBeLessThanOrEqual(3);
  });

  it('keeps turning while connections arrive, then one turn more', async () => {
    const { server } = acceptingServer(50);
    const counter = turnCounter();
    await takeInArrivedConnections(server);
    counter.stop();
    expect(counter.count()).toBeGreaterThanOrEqual(50);
    expect(counter.count()).toBeLessThanOrEqual(53);
    expect(server.listenerCount('connection')).toBe(0);
  });

  it('stops after its bound when clients never stop connecting', async () => {
    const { server, stop } = acceptingServer(Infinity);
    const counter = turnCounter();
    await takeInArrivedConnections(server);
    counter.stop();
    stop();
    expect(counter.count()).toBeGreaterThanOrEqual(1_000);
    expect(counter.count()).toBeLessThanOrEqual(1_030);
    expect(server.listenerCount('connection')).toBe(0);
  });
});
