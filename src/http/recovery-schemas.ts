/**
 * JSON schemas of the account-recovery routes (routes/recovery-routes.ts). Bodies are closed and
 * every string is capped: a link token has a fixed shape the flow checks (400 link_invalid), so the cap
 * only keeps megabytes out.
 */
import { newAccountEmail, newPassword, userView } from './schemas.js';

const email = { type: 'string', minLength: 3, maxLength: 320 } as const;
const password = { type: 'string', minLength: 1, maxLength: 1024 } as const;
const linkToken = {
  type: 'string',
  minLength: 1,
  maxLength: 256,
  description: 'The `token` of the link (from its URL fragment, `#/…?token=…`).',
} as const;

export const linkTokenBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token'],
  properties: { token: linkToken },
} as const;

export const emailBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email'],
  properties: { email },
} as const;

export const resetPasswordBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'new_password'],
  properties: { token: linkToken, new_password: newPassword },
} as const;

export const changeEmailBody = {
  type: 'object',
  additionalProperties: false,
  required: ['new_email', 'password'],
  properties: { new_email: newAccountEmail, password },
} as const;

/** 202: the same body whatever the address (no enumeration). */
export const acceptedResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['message'],
  properties: { message: { type: 'string' } },
} as const;

/** 200 after a link was used, and 202 from a registration that waits for verification. */
export const userOnlyResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['user'],
  properties: { user: userView },
} as const;
