/**
 * `tessera serve` stops gracefully on SIGINT/SIGTERM: it stops accepting, answers every request that
 * reached it before the signal (fully, not with a 503 or a reset), closes the database and exits 0.
 * "Reached it" is decided without sleeps: a request counts once its bytes are on the server's socket
 * (the client's write finished on an established connection), whether or not the server has run since.
 * @see issue #10 part 5 (an in-flight request reset on SIGINT under load)
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCheckedFetch } from '../helpers/openapi-conformance-recorder.js';
import { spawnInstance, stopAllInstances, type Instance } from '../helpers/spawn-instance.js';

/** Every answer is checked against the server's /openapi.json. */
const checkedFetch = createCheckedFetch();

const dir = mkdtempSync(join(tmpdir(), 'tessera-shutdown-'));
/** A bound on every wait, never a pace: generous, so a loaded machine only makes the test slower. */
const DEADLINE_MS = 60_000;

afterAll(async () => {
  await stopAllInstances();
  rmSync(dir, { recursive: true, force: true });
});

function startInstance(name: string): Promise<Instance> {
  return spawnInstance({
    name,
    env: {
      TESSERA_DATABASE_URL: `sqlite:${join(dir, `${name}.db`)}`,
      TESSERA_RATE_LIMIT_LOGIN_IP: '1000/60s',
      TESSERA_RATE_LIMIT_LOGIN_ACCOUNT: '1000/60s',
    },
  });
}

/** Polls `condition` every 20 ms until it holds; fails with `what` after the deadline. */
async function waitFor(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls with new connections until one is refused: the server has stopped listening. */
async function waitForRefusal(port: number): Promise<void> {
  const refused = () =>
    new Promise<boolean>((resolve) => {
      const probe = connect({ host: '127.0.0.1', port });
      probe.once('connect', () => {
        probe.destroy();
        resolve(false);
      });
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await refused())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the server to stop listening');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Linux's scheduler state of a process: "T" once a SIGSTOP has taken effect. */
function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
}

/** Runs `work` while the process is stopped (SIGSTOP), then lets it continue (SIGCONT). */
async function whileStopped<T>(pid: number, work: () => Promise<T>): Promise<T> {
  process.kill(pid, 'SIGSTOP');
  try {
    await waitFor('the server to stop', () => processState(pid) === 'T');
    return await work();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

/** One raw HTTP/1.1 exchange: what the server sent back before closing, or the socket error's code. */
interface RawExchange {
  socket: Socket;
  /** Resolves once the client has connected and its bytes so far have been handed to the kernel. */
  sent: Promise<void>;
  /** Resolves with the response text, or `error: <code>` when the connection failed or was reset. */
  answer: Promise<string>;
}

function openRawExchange(port: number, firstBytes: string): RawExchange {
  const socket = connect({ host: '127.0.0.1', port });
  const sent = new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => socket.write(firstBytes, () => resolve()));
  });
  sent.catch(() => undefined); // a refused connection is reported by `answer`
  const answer = new Promise<string>((resolve) => {
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`error: ${error.code ?? error.message}`));
    socket.on('close', () => resolve(text));
  });
  return { socket, sent, answer };
}

const HEALTHZ = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';

function statusLine(answer: string): string {
  return answer.split('\r\n', 1)[0]!;
}

/** POST with a JSON body over node:http; resolves with the status once the whole request is sent. */
function postJson(url: string, body: unknown): { sent: Promise<void>; status: Promise<number> } {
  const payload = JSON.stringify(body);
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const status = new Promise<number>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false, // one connection per request: each is its own in-flight exchange
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.end(payload, markSent);
  });
  return { sent, status };
}

describe('tessera serve: graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s answers every request already in flight, then exits 0',
    async (signal) => {
      const instance = await startInstance(signal);
      const credentials = { email: 'ada@example.com', password: 'correct horse battery' };
      const registered = await checkedFetch(`${instance.url}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(credentials),
      });
      expect(registered.status).toBe(201);
      // Each login hashes with argon2id (OWASP parameters): 16 of them keep the server busy for a while.
      const logins = Array.from({ length: 16 }, () => postJson(`${instance.url}/auth/login`, credentials));
      // Every request is on the wire before the signal; none has to have been read yet.
      await Promise.all(logins.map((login) => login.sent));
      await instance.kill(signal);
      const statuses = await Promise.all(logins.map((login) => login.status));
      expect(statuses).toEqual(Array.from({ length: 16 }, () => 200));
      expect(instance.exitStatus()).toEqual({ code: 0, signal: null });
      expect(instance.output()).toContain('shutting down');
      // Stopped accepting: a new connection is refused.
      expect(await openRawExchange(instance.port, HEALTHZ).answer).toBe('error: ECONNREFUSED');
    },
    DEADLINE_MS * 2,
  );

  // A loaded machine can leave the server unscheduled while requests arrive: the kernel completes
  // their connections and buffers their bytes, and the signal comes before Node has accepted or read
  // them. SIGSTOP makes that window as wide as the test needs, so the race is hit every time.
  it(
    'answers requests that arrived while it was not running, when the signal is already pending',
    async () => {
      const instance = await startInstance('stopped');
      const exchanges = await whileStopped(instance.pid, async () => {
        const opened = Array.from({ length: 8 }, () => openRawExchange(instance.port, HEALTHZ));
        await Promise.all(opened.map((exchange) => exchange.sent));
        process.kill(instance.pid, 'SIGINT'); // pending until the process runs again
        return opened;
      });
      const answers = await Promise.all(exchanges.map((exchange) => exchange.answer));
      expect(answers.map(statusLine)).toEqual(Array.from({ length: 8 }, () => 'HTTP/1.1 200 OK'));
      await waitFor('the server to exit', () => instance.exitStatus() !== undefined);
      expect(instance.exitStatus()).toEqual({ code: 0, signal: null });
      expect(instance.output()).toContain('shutting down');
    },
    DEADLINE_MS * 2,
  );

  it(
    'answers a request whose headers were still arriving when the signal came, not with a 503',
    async () => {
      const instance = await startInstance('partial');
      const [head, rest] = [HEALTHZ.slice(0, 20), HEALTHZ.slice(20)];
      const exchange = openRawExchange(instance.port, head);
      await exchange.sent;
      const exited = instance.kill('SIGINT');
      // The listener is closed once the app is closing: the rest of the headers arrive after that.
      await waitForRefusal(instance.port);
      exchange.socket.write(rest);
      const answer = await exchange.answer;
      await exited;
      expect(statusLine(answer)).toBe('HTTP/1.1 200 OK');
      expect(instance.exitStatus()).toEqual({ code: 0, signal: null });
    },
    DEADLINE_MS * 2,
  );
});
