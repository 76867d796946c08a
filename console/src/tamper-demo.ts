import { byId, onClick } from './dom.js';
import { replacePayload } from './jwt-parts.js';
import { describeResponse, describeError, show } from './show-result.js';
import type { TokenInspector } from './token-inspector.js';

/**
 * Edit the payload, keep the original header and signature, send it: the signature no longer
 * matches, so the server answers 401 (token_signature_invalid). Sent with plain fetch, not the SDK:
 * the SDK would (rightly) refresh and retry with a good token.
 */
export function setUpTamperDemo(inspector: TokenInspector): { reset(): void } {
  const editor = byId<HTMLTextAreaElement>('tamper-payload');
  const result = byId('tamper-result');

  const send = async (path: string) => {
    const parts = inspector.current();
    if (parts === null) {
      show(
        result,
        'No JWT visible to the page: sign in in JWT mode with a script-readable storage first.',
        'refused',
      );
      return;
    }
    try {
      JSON.parse(editor.value);
    } catch {
      show(result, 'The payload is not valid JSON: fix it before sending.', 'refused');
      return;
    }
    try {
      const response = await fetch(path, {
        headers: { authorization: `Bearer ${replacePayload(parts, editor.value)}` },
        credentials: 'omit',
      });
      show(result, `${path} → ${await describeResponse(response)}`, response.ok ? 'ok' : 'refused');
    } catch (error) {
      show(result, describeError(error), 'refused');
    }
  };

  onClick(byId<HTMLButtonElement>('tamper-make-admin'), async () => {
    try {
      const payload = JSON.parse(editor.value) as Record<string, unknown>;
      editor.value = JSON.stringify({ ...payload, roles: ['admin'] }, null, 2);
    } catch {
      show(result, 'The payload is not valid JSON.', 'refused');
    }
  });
  onClick(byId<HTMLButtonElement>('tamper-send-admin'), () => send('/api/admin'));
  onClick(byId<HTMLButtonElement>('tamper-send-secure'), () => send('/api/secure'));

  return {
    reset() {
      const parts = inspector.current();
      editor.value = parts === null ? '' : JSON.stringify(parts.payload, null, 2);
    },
  };
}
