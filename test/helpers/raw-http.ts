/**
 * Raw HTTP/1.1 over a socket, for what fetch and inject cannot send: broken framing, folded or
 * oversized headers, and clients that send slowly.
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses the first response in what a server sent (one answer, `connection: close`). */
export function parseRawResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) throw new Error(`no complete response head in ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(end + 4) };
}

/** Opens a connection to 127.0.0.1:port and resolves once it is connected. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Everything the server sent until it closed the connection. Rejects when the connection is still
 * open after `deadlineMs`: a server that should have closed it did not.
 */
export function readUntilClosed(socket: Socket, deadlineMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection still open after ${deadlineMs} ms`));
    }, deadlineMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answer (unread bytes on the server side) is still a closed connection.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** Sends the bytes and returns the server's answer, parsed, once it has closed the connection. */
export async function sendRaw(port: number, bytes: string): Promise<RawResponse> {
  const socket = await openSocket(port);
  const answer = readUntilClosed(socket);
  socket.write(bytes);
  return parseRawResponse(await answer);
}
