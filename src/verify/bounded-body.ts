/** A remote answer was refused (status, size, syntax): the message names the rule, never the content. */
export class RemoteDocumentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RemoteDocumentError';
  }
}

/**
 * Reads a response body as UTF-8 text, refusing it once it exceeds `maxBytes` (checked against
 * Content-Length first, then while streaming, so a huge or endless body never sits in memory).
 */
export async function readBoundedText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new RemoteDocumentError(`The response is larger than ${maxBytes} bytes.`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new RemoteDocumentError(`The response is larger than ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch (cause) {
    throw new RemoteDocumentError('The response is not valid UTF-8.', { cause });
  }
}

/** Parses a JSON object out of bounded text; anything else is a RemoteDocumentError. */
export function parseJsonDocument(text: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new RemoteDocumentError(`The ${what} is not valid JSON.`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new RemoteDocumentError(`The ${what} is not a JSON object.`);
  return parsed as Record<string, unknown>;
}
