import { type Html, html } from '../web/html.js';
import type { MailDraft } from './mail.types.js';

/**
 * Every message the system sends, as text and HTML from the same facts. HTML goes through the
 * escaping template; the text part is plain text and needs no escaping.
 */

const when = (date: Date): string => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const layout = (title: string, body: Html): string =>
  html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #16191f; line-height: 1.5; max-width: 36rem; margin: 0 auto; padding: 1.5rem;">
${body}
<p style="color: #5f6b7a; font-size: 0.85rem; margin-top: 2rem;">Sent by studio-sso.</p>
</body></html>`.value;

const button = (href: string, label: string): Html =>
  html`<p><a href="${href}" style="display: inline-block; background: #0972d3; color: #ffffff; padding: 0.6rem 1.2rem; border-radius: 1.2rem; text-decoration: none; font-weight: bold;">${label}</a></p>`;

export interface InvitationMailFacts {
  to: string;
  displayName: string;
  userName: string;
  link: string;
  portalUrl: string;
  expiresAt: Date;
  reference: string;
}

export const INVITATION_SUBJECT = 'Invitation to join studio-sso';

export const invitationMail = (facts: InvitationMailFacts): MailDraft => ({
  kind: 'invitation',
  to: facts.to,
  subject: INVITATION_SUBJECT,
  link: facts.link,
  reference: facts.reference,
  text: [
    `Hello ${facts.displayName},`,
    '',
    'You have been invited to the studio-sso access portal, where you open the applications you are assigned to.',
    '',
    `Accept invitation: ${facts.link}`,
    '',
    `Your user name: ${facts.userName}`,
    `Portal URL: ${facts.portalUrl}`,
    '',
    `This invitation expires on ${when(facts.expiresAt)}. If it has expired, ask your administrator to send a new one.`,
  ].join('\n'),
  html: layout(
    INVITATION_SUBJECT,
    html`<p>Hello ${facts.displayName},</p>
<p>You have been invited to the studio-sso access portal, where you open the applications you are assigned to.</p>
${button(facts.link, 'Accept invitation')}
<p>Your user name: <strong>${facts.userName}</strong><br>Portal URL: <a href="${facts.portalUrl}">${facts.portalUrl}</a></p>
<p>This invitation expires on ${when(facts.expiresAt)}. If it has expired, ask your administrator to send a new one.</p>`,
  ),
});

export interface VerificationMailFacts {
  to: string;
  accountId: string;
  organizationId: string;
  link: string;
  expiresAt: Date;
  reference: string;
}

export const VERIFICATION_SUBJECT = 'Verify your e-mail address for your studio-sso organization';

export const emailVerificationMail = (facts: VerificationMailFacts): MailDraft => ({
  kind: 'email-verification',
  to: facts.to,
  subject: VERIFICATION_SUBJECT,
  link: facts.link,
  reference: facts.reference,
  text: [
    `This address is the e-mail address of account ${facts.accountId}, the management account of organization ${facts.organizationId}.`,
    '',
    `Verify it: ${facts.link}`,
    '',
    `The link is valid until ${when(facts.expiresAt)}. If you did not expect this message, ignore it.`,
  ].join('\n'),
  html: layout(
    VERIFICATION_SUBJECT,
    html`<p>This address is the e-mail address of account ${facts.accountId}, the management account of organization ${facts.organizationId}.</p>
${button(facts.link, 'Verify e-mail address')}
<p>The link is valid until ${when(facts.expiresAt)}. If you did not expect this message, ignore it.</p>`,
  ),
});

export interface EmailCodeMailFacts {
  to: string;
  displayName: string;
  code: string;
  validMinutes: number;
  reference: string;
}

export const EMAIL_CODE_SUBJECT = 'Your studio-sso verification code';

export const emailCodeMail = (facts: EmailCodeMailFacts): MailDraft => ({
  kind: 'email-code',
  to: facts.to,
  subject: EMAIL_CODE_SUBJECT,
  reference: facts.reference,
  text: [
    `Hello ${facts.displayName},`,
    '',
    `Your verification code is ${facts.code}`,
    '',
    `It is valid for ${facts.validMinutes} minutes and can be used once. If you did not try to sign in, ignore this message.`,
  ].join('\n'),
  html: layout(
    EMAIL_CODE_SUBJECT,
    html`<p>Hello ${facts.displayName},</p>
<p>Your verification code is</p>
<p style="font-size: 1.6rem; font-weight: bold; letter-spacing: 0.2em;">${facts.code}</p>
<p>It is valid for ${facts.validMinutes} minutes and can be used once. If you did not try to sign in, ignore this message.</p>`,
  ),
});

export interface PasswordResetMailFacts {
  to: string;
  displayName: string;
  userName: string;
  link: string;
  validMinutes: number;
  reference: string;
}

export const PASSWORD_RESET_SUBJECT = 'Reset your studio-sso password';

export const passwordResetMail = (facts: PasswordResetMailFacts): MailDraft => ({
  kind: 'password-reset',
  to: facts.to,
  subject: PASSWORD_RESET_SUBJECT,
  link: facts.link,
  reference: facts.reference,
  text: [
    `Hello ${facts.displayName},`,
    '',
    `Someone asked to reset the password of your user name ${facts.userName} on the studio-sso access portal.`,
    '',
    `Reset password: ${facts.link}`,
    '',
    `The link works once, for ${facts.validMinutes} minutes. If you did not ask for it, ignore this message: your password stays as it is.`,
  ].join('\n'),
  html: layout(
    PASSWORD_RESET_SUBJECT,
    html`<p>Hello ${facts.displayName},</p>
<p>Someone asked to reset the password of your user name <strong>${facts.userName}</strong> on the studio-sso access portal.</p>
${button(facts.link, 'Reset password')}
<p>The link works once, for ${facts.validMinutes} minutes. If you did not ask for it, ignore this message: your password stays as it is.</p>`,
  ),
});
