/** Small DOM helpers: the console has no framework, and every element it needs is in index.html. */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new TypeError(`console: #${id} is missing from index.html`);
  return element as T;
}

/** Creates an element with text content (never innerHTML: token claims are untrusted input). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { text?: string; className?: string; attrs?: Record<string, string> } = {},
  children: Node[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.text !== undefined) element.textContent = props.text;
  if (props.className !== undefined) element.className = props.className;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Runs an async click handler, disabling the button meanwhile so a double click sends one request. */
export function onClick(button: HTMLButtonElement, handler: () => Promise<void>): void {
  button.addEventListener('click', () => {
    button.disabled = true;
    handler().finally(() => {
      button.disabled = false;
    });
  });
}
