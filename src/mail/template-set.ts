import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAIL_TEMPLATE_NAMES, type MailRecord, type MailTemplateName } from '../stores/mail-outbox.js';
import { DEFAULT_TEMPLATES, SERVER_VALUES, TEMPLATE_VALUES } from './default-templates.js';
import { readPlaceholders, renderTemplate, type MailTemplate, type RenderedMail } from './render-template.js';

export type TemplateSet = Readonly<Record<MailTemplateName, MailTemplate>>;

/** An override file is wrong; the message names the file and the rule, for a one-line start-up error. */
export class MailTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailTemplateError';
  }
}

const PARTS = { 'subject.txt': 'subject', txt: 'text', html: 'html' } as const;
type PartFile = keyof typeof PARTS;
const OVERRIDE_FILE = /^([a-z_]+)\.(subject\.txt|txt|html)$/;
/** Larger than any sane e-mail template; a bigger file is a mistake (a wrong directory). */
const MAX_FILE_BYTES = 256 * 1024;

/**
 * The built-in templates with an operator's overrides laid over them: `<name>.subject.txt`, `<name>.txt`
 * and `<name>.html` in `directory`, each part optional. Checked whole at start: an unknown file, an
 * unknown placeholder, a malformed tag, an empty or multi-line subject are refused with the file named.
 */
export function loadTemplateSet(directory: string | null): TemplateSet {
  if (directory === null) return DEFAULT_TEMPLATES;
  const templates = Object.fromEntries(
    MAIL_TEMPLATE_NAMES.map((name) => [name, { ...DEFAULT_TEMPLATES[name] }]),
  ) as Record<MailTemplateName, MailTemplate>;
  for (const file of listDirectory(directory)) {
    const match = OVERRIDE_FILE.exec(file);
    const name = match?.[1] as MailTemplateName | undefined;
    if (match === null || name === undefined || !MAIL_TEMPLATE_NAMES.includes(name)) {
      throw new MailTemplateError(
        `${file}: not a template file; expected <name>.subject.txt, <name>.txt or <name>.html with <name> one of ${MAIL_TEMPLATE_NAMES.join(', ')}`,
      );
    }
    const part = PARTS[match[2] as PartFile];
    const source = readOverride(directory, file);
    checkOverride(file, name, part, source);
    templates[name][part] = part === 'subject' ? source.trim() : source;
  }
  return templates;
}

function listDirectory(directory: string): string[] {
  try {
    return readdirSync(directory)
      .filter((file) => !file.startsWith('.'))
      .sort();
  } catch (error) {
    throw new MailTemplateError(`${directory}: cannot read the directory (${(error as Error).message})`);
  }
}

function readOverride(directory: string, file: string): string {
  const path = join(directory, file);
  const size = statSync(path).size;
  if (size > MAX_FILE_BYTES) throw new MailTemplateError(`${file}: larger than ${MAX_FILE_BYTES} bytes`);
  const source = readFileSync(path, 'utf8');
  if (source.includes('\uFFFD')) throw new MailTemplateError(`${file}: not valid UTF-8`);
  return source;
}

function checkOverride(file: string, name: MailTemplateName, part: keyof MailTemplate, source: string): void {
  if (part === 'subject' && (source.trim() === '' || source.trim().includes('\n'))) {
    throw new MailTemplateError(`${file}: the subject must be one non-empty line`);
  }
  if (source.trim() === '') throw new MailTemplateError(`${file}: empty`);
  const { names, malformed } = readPlaceholders(source);
  if (malformed.length > 0) {
    throw new MailTemplateError(
      `${file}: malformed tag ${malformed[0]} (use {{name}} or {{#name}}…{{/name}})`,
    );
  }
  const known = [...TEMPLATE_VALUES[name], ...SERVER_VALUES];
  const unknown = names.find((value) => !known.includes(value));
  if (unknown !== undefined) {
    throw new MailTemplateError(
      `${file}: unknown placeholder {{${unknown}}}; ${name} knows ${known.join(', ')}`,
    );
  }
}

/** 2026-12-02T13:41:00.000Z → "2026-12-02 13:41 UTC": how `at` reads in a message. */
function formatInstant(value: string): string {
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time)) return value;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A stored message rendered with its template: the data, `at` made readable, and the server's values. */
export function renderMail(
  templates: TemplateSet,
  mail: Pick<MailRecord, 'template' | 'data' | 'to'>,
  publicUrl: string,
): RenderedMail {
  const values: Record<string, string> = { email: mail.to, ...mail.data, public_url: publicUrl };
  if (values.at !== undefined) values.at = formatInstant(values.at);
  return renderTemplate(templates[mail.template], values);
}
