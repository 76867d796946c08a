import { el } from './dom.js';
import { splitJwt, type JwtParts } from './jwt-parts.js';

/**
 * Shows the credential the SDK holds: a JWT as its three coloured, labelled parts with the decoded
 * header and payload and an expiry countdown; an opaque session token as such; nothing when the
 * token lives in an HTTP-only cookie the page cannot read (which is the point of that strategy).
 */
export interface TokenInspector {
  show(token: string | null, why: string): void;
  /** The JWT on display, for the verify buttons and the tamper demo. */
  current(): JwtParts | null;
}

export function createTokenInspector(container: HTMLElement): TokenInspector {
  let parts: JwtParts | null = null;
  let countdown: number | undefined;

  function stopCountdown(): void {
    if (countdown !== undefined) window.clearInterval(countdown);
    countdown = undefined;
  }

  function startCountdown(output: HTMLElement, exp: unknown): void {
    if (typeof exp !== 'number') {
      output.textContent = 'No exp claim.';
      return;
    }
    const tick = () => {
      const seconds = Math.round(exp - Date.now() / 1000);
      output.textContent = seconds > 0 ? `Expires in ${seconds} s` : `Expired ${-seconds} s ago`;
      output.dataset.expired = String(seconds <= 0);
    };
    tick();
    countdown = window.setInterval(tick, 1000);
  }

  function renderJwt(jwt: JwtParts): void {
    const [header, payload, signature] = jwt.segments;
    const coloured = el('p', { className: 'jwt', attrs: { 'aria-label': 'The token, part by part' } }, [
      el('span', { className: 'jwt-header', text: header, attrs: { title: 'Header' } }),
      el('span', { text: '.' }),
      el('span', { className: 'jwt-payload', text: payload, attrs: { title: 'Payload' } }),
      el('span', { text: '.' }),
      el('span', { className: 'jwt-signature', text: signature, attrs: { title: 'Signature' } }),
    ]);
    const countdownOutput = el('p', {
      className: 'countdown',
      attrs: { id: 'expiry-countdown', role: 'timer' },
    });
    container.append(
      coloured,
      el('div', { className: 'jwt-parts' }, [
        part('jwt-header', 'Header (algorithm and key id)', JSON.stringify(jwt.header, null, 2)),
        part(
          'jwt-payload',
          'Payload (claims: readable by anyone, protected by the signature)',
          JSON.stringify(jwt.payload, null, 2),
        ),
        part('jwt-signature', 'Signature (base64url)', signature),
      ]),
      countdownOutput,
    );
    startCountdown(countdownOutput, jwt.payload.exp);
  }

  return {
    show(token, why) {
      stopCountdown();
      container.replaceChildren();
      parts = token === null ? null : splitJwt(token);
      if (token === null) container.append(el('p', { text: why, attrs: { id: 'inspector-empty' } }));
      else if (parts === null)
        container.append(
          el('p', {
            text: 'An opaque token (session mode): nothing to decode, only the server knows what it means.',
          }),
        );
      else renderJwt(parts);
    },
    current: () => parts,
  };
}

/** One labelled, coloured block: the label says in words what the colour says. */
function part(className: string, label: string, text: string): HTMLElement {
  return el('section', { className: `part ${className}` }, [el('h3', { text: label }), el('pre', { text })]);
}
