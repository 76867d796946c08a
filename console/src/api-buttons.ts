import type { ClientHolder } from './client-holder.js';
import { byId, onClick } from './dom.js';
import { describeError, describeResponse, show } from './show-result.js';

/** "Call secure API" / "Call admin API" through the SDK's fetch (credentials added, refresh on 401). */
export function setUpApiButtons(holder: ClientHolder): void {
  const result = byId('result');
  const call = async (path: string) => {
    try {
      const response = await holder.current().fetch(path);
      show(result, `${path} → ${await describeResponse(response)}`, response.ok ? 'ok' : 'refused');
    } catch (error) {
      show(result, `${path} → ${describeError(error)}`, 'refused');
    }
  };
  onClick(byId<HTMLButtonElement>('call-secure'), () => call('/api/secure'));
  onClick(byId<HTMLButtonElement>('call-admin'), () => call('/api/admin'));
  onClick(byId<HTMLButtonElement>('refresh-now'), async () => {
    try {
      await holder.current().refresh();
      show(result, 'Refreshed: a new access token (and a rotated refresh token).', 'ok');
    } catch (error) {
      show(result, describeError(error), 'refused');
    }
  });
}
