import { isTesseraError } from '../../src/client/index.js';

/** `200 OK` and the body, pretty-printed when it is JSON: what a developer would want to see. */
export async function describeResponse(response: Response): Promise<string> {
  const text = await response.text();
  let body = text;
  try {
    body = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON (an empty 204 body, say): shown as it is
  }
  return `${response.status} ${response.statusText}\n${body}`.trimEnd();
}

/** An SDK error shows its stable code and status; anything else its message. */
export function describeError(error: unknown): string {
  if (isTesseraError(error)) return `${error.status} ${error.code}\n${error.message}`;
  return error instanceof Error ? `Error: ${error.message}` : `Error: ${String(error)}`;
}

export function show(target: HTMLElement, text: string, outcome: 'ok' | 'refused'): void {
  target.textContent = text;
  target.dataset.outcome = outcome;
}
