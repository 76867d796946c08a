import type { MailTemplateName } from '../stores/mail-outbox.js';
import type { MailTemplate } from './render-template.js';

/** Values every message may use, filled in by the server rather than the flow. */
export const SERVER_VALUES = ['public_url'] as const;

/**
 * The values each message's data may carry (the flows of src/flows/recovery/ fill them). An operator's
 * override may use these and SERVER_VALUES, nothing else: a misspelt name is an error at start, not a
 * blank in a user's inbox.
 */
export const TEMPLATE_VALUES: Readonly<Record<MailTemplateName, readonly string[]>> = {
  verify_email: ['link', 'name', 'email'],
  password_reset: ['link', 'name', 'email'],
  password_changed: ['name', 'email', 'at', 'link', 'report_link'],
  email_change_confirm: ['link', 'name', 'email', 'new_email', 'old_email'],
  email_change_notice: ['name', 'email', 'new_email', 'old_email', 'at', 'link', 'report_link'],
  test: ['email'],
};

const SIGNATURE_TEXT = '\n-- \nSent by Tessera at {{public_url}}\n';

/** Wraps a message body in a small, mail-client-safe HTML page (inline styles only). */
function page(body: string): string {
  return `<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5; color: #1f2328; max-width: 560px;">
${body}
<p style="color: #59636e; font-size: 13px;">Sent by Tessera at <a href="{{public_url}}">{{public_url}}</a></p>
</body></html>
`;
}

function button(label: string): string {
  return `<p><a href="{{link}}" style="display: inline-block; padding: 8px 16px; background: #1f6feb; color: #fff; text-decoration: none; border-radius: 6px;">${label}</a></p>
<p style="font-size: 13px;">Or paste this address into your browser:<br><a href="{{link}}">{{link}}</a></p>`;
}

const GREETING_TEXT = 'Hello{{#name}} {{name}}{{/name}},\n\n';
const GREETING_HTML = '<p>Hello{{#name}} {{name}}{{/name}},</p>';

/** The built-in templates: friendly, short, plain text and HTML. */
export const DEFAULT_TEMPLATES: Readonly<Record<MailTemplateName, MailTemplate>> = {
  verify_email: {
    subject: 'Confirm your e-mail address',
    text: `${GREETING_TEXT}Please confirm that {{email}} is your address by opening this link:\n\n{{link}}\n\nIf you did not create an account, you can ignore this message.\n${SIGNATURE_TEXT}`,
    html: page(
      `${GREETING_HTML}\n<p>Please confirm that {{email}} is your address.</p>\n${button('Confirm my address')}\n<p>If you did not create an account, you can ignore this message.</p>`,
    ),
  },
  password_reset: {
    subject: 'Reset your password',
    text: `${GREETING_TEXT}Someone (hopefully you) asked to reset the password of {{email}}. Choose a new one here:\n\n{{link}}\n\nThe link works once and expires soon. If you did not ask, ignore this message: your password stays as it is.\n${SIGNATURE_TEXT}`,
    html: page(
      `${GREETING_HTML}\n<p>Someone (hopefully you) asked to reset the password of {{email}}.</p>\n${button('Choose a new password')}\n<p>The link works once and expires soon. If you did not ask, ignore this message: your password stays as it is.</p>`,
    ),
  },
  password_changed: {
    subject: 'Your password was changed',
    text: `${GREETING_TEXT}The password of {{email}} was changed{{#at}} on {{at}}{{/at}}.\n\nIf this was you, there is nothing to do. If it was not, reset your password now{{#link}}:\n\n{{link}}{{/link}}{{#report_link}}\n\nand tell us: {{report_link}}{{/report_link}}\n${SIGNATURE_TEXT}`,
    html: page(
      `${GREETING_HTML}\n<p>The password of {{email}} was changed{{#at}} on {{at}}{{/at}}.</p>\n<p>If this was you, there is nothing to do. If it was not, reset your password now{{#link}}: <a href="{{link}}">{{link}}</a>{{/link}}{{#report_link}} and <a href="{{report_link}}">tell us</a>{{/report_link}}.</p>`,
    ),
  },
  email_change_confirm: {
    subject: 'Confirm your new e-mail address',
    text: `${GREETING_TEXT}Please confirm that this address should become the sign-in address of your account{{#old_email}} (until now {{old_email}}){{/old_email}}:\n\n{{link}}\n\nIf you did not ask for this, ignore this message: nothing changes.\n${SIGNATURE_TEXT}`,
    html: page(
      `${GREETING_HTML}\n<p>Please confirm that this address should become the sign-in address of your account{{#old_email}} (until now {{old_email}}){{/old_email}}.</p>\n${button('Confirm the new address')}\n<p>If you did not ask for this, ignore this message: nothing changes.</p>`,
    ),
  },
  email_change_notice: {
    subject: 'Your e-mail address is being changed',
    text: `${GREETING_TEXT}Someone asked{{#at}} on {{at}}{{/at}} to change the sign-in address of your account from {{email}}{{#new_email}} to {{new_email}}{{/new_email}}.\n\nIf this was you, there is nothing to do. If it was not, tell us{{#report_link}}:\n\n{{report_link}}{{/report_link}}{{#link}}\n\nand secure your account: {{link}}{{/link}}\n${SIGNATURE_TEXT}`,
    html: page(
      `${GREETING_HTML}\n<p>Someone asked{{#at}} on {{at}}{{/at}} to change the sign-in address of your account from {{email}}{{#new_email}} to {{new_email}}{{/new_email}}.</p>\n<p>If this was you, there is nothing to do. If it was not, {{#report_link}}<a href="{{report_link}}">tell us</a>{{/report_link}}{{#link}} and <a href="{{link}}">secure your account</a>{{/link}}.</p>`,
    ),
  },
  test: {
    subject: 'Tessera test message',
    text: `This is a test message from Tessera to {{email}}. If you can read it, mail delivery works.\n${SIGNATURE_TEXT}`,
    html: page(
      '<p>This is a test message from Tessera to {{email}}. If you can read it, mail delivery works.</p>',
    ),
  },
};
