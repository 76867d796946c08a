/**
 * The few browser globals the browser tests touch inside `page.evaluate` callbacks, typed structurally.
 * The root tsconfig has no DOM library on purpose (src/client must compile without it), so callbacks
 * write `const { document } = globalThis as unknown as PageGlobals;` — a type-only cast, erased before
 * Playwright serialises the callback into the page.
 */
export interface PageElement {
  id: string;
  textContent: string | null;
  outerHTML: string;
  dataset: Record<string, string | undefined>;
  labels?: { length: number } | null;
  addEventListener(type: string, listener: () => void, options?: { capture?: boolean }): void;
  blur?(): void;
}

export interface PageStorage {
  length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
}

export interface PageGlobals {
  document: {
    getElementById(id: string): PageElement | null;
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
    body: PageElement;
    activeElement: PageElement | null;
    cookie: string;
  };
  localStorage: PageStorage;
  sessionStorage: PageStorage;
  getComputedStyle(element: PageElement): { outlineStyle: string };
  MutationObserver: new (callback: () => void) => {
    observe(target: PageElement, options: { attributes: boolean }): void;
  };
}
