/**
 * The template language, deliberately tiny: `{{key}}` inserts a value, `{{#key}}…{{/key}}` keeps its
 * text only when the value is present and non-empty (no nesting, no logic). In HTML every value is
 * escaped; in the subject and the plain text, line breaks in values become spaces (no header injection,
 * no forged paragraphs).
 */

/** One template: the three parts of a message. */
export interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const SECTION = /\{\{#([a-z_]+)\}\}([\s\S]*?)\{\{\/\1\}\}/g;
const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;
/** Any `{{…}}` left once sections and placeholders are known: a malformed tag. */
const ANY_TAG = /\{\{[^}]*\}\}/g;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

function flattenLines(value: string): string {
  return value.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

function fill(
  source: string,
  values: Readonly<Record<string, string>>,
  escape: (value: string) => string,
): string {
  return source
    .replace(SECTION, (_, key: string, inner: string) => ((values[key] ?? '') === '' ? '' : inner))
    .replace(PLACEHOLDER, (_, key: string) => escape(values[key] ?? ''));
}

/** Renders one template with `values` (the message's data plus the server's own, such as public_url). */
export function renderTemplate(
  template: MailTemplate,
  values: Readonly<Record<string, string>>,
): RenderedMail {
  return {
    subject: flattenLines(fill(template.subject, values, flattenLines)).trim(),
    text: fill(template.text, values, flattenLines),
    html: fill(template.html, values, escapeHtml),
  };
}

/**
 * The names a template source uses, or a description of what is wrong with it: for validating an
 * operator's override against the values its message has.
 */
export function readPlaceholders(source: string): { names: string[]; malformed: string[] } {
  const names = new Set<string>();
  const rest = source
    .replace(SECTION, (_, key: string, inner: string) => {
      names.add(key);
      return inner;
    })
    .replace(PLACEHOLDER, (_, key: string) => {
      names.add(key);
      return '';
    });
  return { names: [...names], malformed: rest.match(ANY_TAG) ?? [] };
}
