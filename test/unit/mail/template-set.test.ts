import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES, TEMPLATE_VALUES } from '../../../src/mail/default-templates.js';
import { loadTemplateSet, MailTemplateError, renderMail } from '../../../src/mail/template-set.js';
import { escapeHtml, renderTemplate } from '../../../src/mail/render-template.js';
import { MAIL_TEMPLATE_NAMES } from '../../../src/stores/mail-outbox.js';
import { loadTemplates } from '../../../src/server/open-mail-delivery.js';
import { ConfigError } from '../../../src/config/config-error.js';

const PUBLIC_URL = 'https://id.example.com';
const LINK = 'https://id.example.com/reset?token=abc&x=1';
const dirs: string[] = [];

function overrides(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-templates-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('default templates', () => {
  it.each(MAIL_TEMPLATE_NAMES)('%s renders subject, text and HTML using only its known values', (name) => {
    const data = Object.fromEntries(TEMPLATE_VALUES[name].map((key) => [key, `<${key}&value>`]));
    const mail = renderMail(DEFAULT_TEMPLATES, { template: name, to: 'ada@example.com', data }, PUBLIC_URL);
    expect(mail.subject).not.toBe('');
    expect(mail.subject).not.toContain('\n');
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/\{\{|\}\}/);
    // Every value reaches the HTML escaped, never raw.
    expect(mail.html).not.toMatch(/<[a-z_]+&value>/);
    expect(mail.html).toContain(PUBLIC_URL);
  });

  it('puts the link in both bodies, escaped in HTML, as written in text', () => {
    const mail = renderMail(
      DEFAULT_TEMPLATES,
      { template: 'password_reset', to: 'ada@example.com', data: { link: LINK, name: 'Ada' } },
      PUBLIC_URL,
    );
    expect(mail.subject).toBe('Reset your password');
    expect(mail.text).toContain(`\n${LINK}\n`);
    expect(mail.text).toContain('Hello Ada,');
    expect(mail.html).toContain(`href="${escapeHtml(LINK)}"`);
    expect(mail.html).not.toContain(LINK);
  });

  it('reads well without an optional value, and shows `at` as a readable UTC time', () => {
    const mail = renderMail(
      DEFAULT_TEMPLATES,
      { template: 'password_changed', to: 'ada@example.com', data: { at: '2026-12-02T13:41:24.000Z' } },
      PUBLIC_URL,
    );
    expect(mail.text).toContain('Hello,');
    expect(mail.text).toContain('on 2026-12-02 13:41 UTC.');
    expect(mail.text).not.toContain('report_link');
  });
});

describe('renderTemplate', () => {
  const template = {
    subject: 'Hi {{name}}',
    text: 'T {{name}}{{#link}} L={{link}}{{/link}}',
    html: '<b>{{name}}</b>',
  };

  it('escapes HTML in values and flattens line breaks in subject and text', () => {
    const mail = renderTemplate(template, { name: '<script>"x"\r\nBcc: evil@example.com' });
    expect(mail.html).toBe('<b>&lt;script&gt;&quot;x&quot;\r\nBcc: evil@example.com</b>');
    expect(mail.subject).toBe('Hi <script>"x" Bcc: evil@example.com');
    expect(mail.text).toBe('T <script>"x" Bcc: evil@example.com');
  });

  it('keeps a section only when its value is present and non-empty', () => {
    expect(renderTemplate(template, { name: 'A', link: 'u' }).text).toBe('T A L=u');
    expect(renderTemplate(template, { name: 'A', link: '' }).text).toBe('T A');
    expect(renderTemplate(template, { name: 'A' }).text).toBe('T A');
  });
});

describe('operator overrides (TESSERA_MAIL_TEMPLATES)', () => {
  it('replaces the parts given and keeps the built-in ones for the rest', () => {
    const dir = overrides({
      'password_reset.subject.txt': 'Reset for {{email}}\n',
      'password_reset.html': '<p>Go: <a href="{{link}}">{{link}}</a> ({{public_url}})</p>',
      '.DS_Store': 'ignored: hidden',
    });
    const set = loadTemplateSet(dir);
    const mail = renderMail(
      set,
      { template: 'password_reset', to: 'a<b>@example.com', data: { link: LINK } },
      PUBLIC_URL,
    );
    expect(mail.subject).toBe('Reset for a<b>@example.com');
    expect(mail.html).toBe(
      `<p>Go: <a href="${escapeHtml(LINK)}">${escapeHtml(LINK)}</a> (${PUBLIC_URL})</p>`,
    );
    expect(mail.text).toBe(
      renderMail(
        DEFAULT_TEMPLATES,
        { template: 'password_reset', to: 'a<b>@example.com', data: { link: LINK } },
        PUBLIC_URL,
      ).text,
    );
    expect(set.verify_email).toEqual(DEFAULT_TEMPLATES.verify_email);
  });

  it.each([
    [
      { 'verify_email.txt': 'Open {{linkk}}' },
      'verify_email.txt: unknown placeholder {{linkk}}; verify_email knows link, name, email, public_url',
    ],
    [{ 'test.html': '<p>{{link}}</p>' }, 'test.html: unknown placeholder {{link}}'],
    [{ 'verify_email.html': '<p>{{ link }}</p>' }, 'verify_email.html: malformed tag {{ link }}'],
    [{ 'verify_email.txt': '{{#link}}open it' }, 'verify_email.txt: malformed tag {{#link}}'],
    [{ 'welcome.txt': 'Hi' }, 'welcome.txt: not a template file'],
    [{ 'verify_email.md': 'Hi' }, 'verify_email.md: not a template file'],
    [
      { 'verify_email.subject.txt': 'Line one\nLine two' },
      'verify_email.subject.txt: the subject must be one non-empty line',
    ],
    [
      { 'verify_email.subject.txt': '  \n' },
      'verify_email.subject.txt: the subject must be one non-empty line',
    ],
    [{ 'verify_email.html': '' }, 'verify_email.html: empty'],
  ])('refuses %j', (files, message) => {
    const dir = overrides(files as Record<string, string>);
    expect(() => loadTemplateSet(dir)).toThrow(MailTemplateError);
    expect(() => loadTemplateSet(dir)).toThrow(message);
  });

  it('refuses a directory that cannot be read, as a configuration error naming the variable', () => {
    const missing = join(tmpdir(), 'tessera-no-such-templates-dir');
    expect(() => loadTemplates(missing)).toThrow(ConfigError);
    expect(() => loadTemplates(missing)).toThrow(/^TESSERA_MAIL_TEMPLATES: .*cannot read the directory/);
  });

  it('refuses a file that is not UTF-8', () => {
    const dir = overrides({});
    writeFileSync(join(dir, 'verify_email.txt'), Buffer.from([0x48, 0xff, 0xfe, 0x49]));
    expect(() => loadTemplateSet(dir)).toThrow('verify_email.txt: not valid UTF-8');
  });

  it('uses the built-in templates when no directory is set', () => {
    expect(loadTemplateSet(null)).toBe(DEFAULT_TEMPLATES);
  });
});
