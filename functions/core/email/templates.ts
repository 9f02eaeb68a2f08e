/**
 * The mails' words, per kind: subject, text and HTML with {{placeholders}}. The product name and
 * link base come from settings; any template can be replaced by setting (EMAIL_TEMPLATES).
 */
import type { MailKind, OutgoingMail } from './ports.js';

export interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}

export type MailTemplates = Record<MailKind, MailTemplate>;

export const DEFAULT_TEMPLATES: MailTemplates = {
  'verify-email': {
    subject: 'Verify your email for {{product}}',
    text: 'Hello {{username}},\n\nConfirm this address for your {{product}} account by opening:\n{{link}}\n\nThe link works once and expires. If you did not sign up, ignore this mail.',
    html: '<p>Hello {{username}},</p><p>Confirm this address for your {{product}} account:</p><p><a href="{{link}}">Verify my email</a></p><p>The link works once and expires. If you did not sign up, ignore this mail.</p>',
  },
  'password-reset': {
    subject: 'Reset your {{product}} password',
    text: 'Hello {{username}},\n\nSomeone asked to reset the password of your {{product}} account. To choose a new one, open:\n{{link}}\n\nThe link works once and expires soon. If it was not you, ignore this mail: your password stays as it is.',
    html: '<p>Hello {{username}},</p><p>Someone asked to reset the password of your {{product}} account.</p><p><a href="{{link}}">Choose a new password</a></p><p>The link works once and expires soon. If it was not you, ignore this mail: your password stays as it is.</p>',
  },
  'password-changed': {
    subject: 'Your {{product}} password was changed',
    text: 'Hello {{username}},\n\nThe password of your {{product}} account was just reset and every session was signed out. If this was not you, reset it again at once and contact support.',
    html: '<p>Hello {{username}},</p><p>The password of your {{product}} account was just reset and every session was signed out.</p><p>If this was not you, reset it again at once and contact support.</p>',
  },
  'email-change-confirm': {
    subject: 'Confirm your new email for {{product}}',
    text: 'Hello {{username}},\n\nTo make {{newEmail}} the address of your {{product}} account, open:\n{{link}}\n\nUntil then your account keeps its current address.',
    html: '<p>Hello {{username}},</p><p>To make {{newEmail}} the address of your {{product}} account:</p><p><a href="{{link}}">Confirm my new email</a></p><p>Until then your account keeps its current address.</p>',
  },
  'email-change-notice': {
    subject: 'Email change requested for your {{product}} account',
    text: 'Hello {{username}},\n\nSomeone asked to move your {{product}} account to {{newEmail}}. It happens only once that address confirms. If this was not you, change your password now.',
    html: '<p>Hello {{username}},</p><p>Someone asked to move your {{product}} account to {{newEmail}}. It happens only once that address confirms.</p><p>If this was not you, change your password now.</p>',
  },
};

/** The path of each kind's link under the link base URL; the token travels in the fragment (never in server logs or Referer). */
export const LINK_PATHS: Partial<Record<MailKind, string>> = {
  'verify-email': '/verify-email',
  'password-reset': '/reset-password',
  'email-change-confirm': '/confirm-email-change',
};

export function linkFor(baseUrl: string, kind: MailKind, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${LINK_PATHS[kind] ?? '/'}#token=${token}`;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function fill(template: string, values: Record<string, string>, escape: (v: string) => string): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? escape(values[name] ?? '') : whole));
}

/** The mail of a kind with its values filled in; in the HTML every value is escaped. */
export function renderMail(templates: MailTemplates, kind: MailKind, to: string, values: Record<string, string>): OutgoingMail {
  const template = templates[kind];
  return {
    to,
    subject: fill(template.subject, values, (v) => v.replace(/[\r\n]+/g, ' ')),
    text: fill(template.text, values, (v) => v),
    html: fill(template.html, values, escapeHtml),
  };
}
