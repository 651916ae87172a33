/**
 * Mail as the rest of the system sees it: a message recorded in the outbox (a table) in the same
 * transaction as whatever caused it, then delivered by the delivery worker. No SMTP here.
 */

/** What a message is about; the console and `studio-sso outbox` show it. */
export type MailKind = 'invitation' | 'email-verification' | 'email-code' | 'password-reset';

/**
 * queued: waiting for its first attempt. sent: accepted by the SMTP server. failed: the last
 * attempt failed (`lastError`); it is retried at `nextAttemptAt`, or never again when that is
 * unset. kept: no SMTP server is configured, so the outbox (and the log) is where it is read.
 */
export type DeliveryState = 'queued' | 'sent' | 'failed' | 'kept';

/** A message as a service composes it. */
export interface MailDraft {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The one link the message is about (to show in the outbox and the log). */
  link?: string;
  /** What the message belongs to, e.g. `invitation:<id>`, so its delivery state can be shown there. */
  reference?: string;
}

export interface MailMessage {
  messageId: string;
  kind: MailKind;
  to: string;
  subject: string;
  /**
   * Bodies and link, until the message is sent: they carry a one-time token, which the database
   * otherwise holds only as a hash, so they are removed once the SMTP server has the message.
   */
  text?: string;
  html?: string;
  link?: string;
  reference?: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt?: Date;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
  sentAt?: Date;
}

/** The delivery state of one message, as shown next to what it belongs to (an invitation). */
export interface DeliveryStatus {
  messageId: string;
  state: DeliveryState;
  attempts: number;
  lastError?: string;
  nextAttemptAt?: Date;
  sentAt?: Date;
}

export const deliveryStatusOf = (message: MailMessage): DeliveryStatus => ({
  messageId: message.messageId,
  state: message.state,
  attempts: message.attempts,
  lastError: message.lastError,
  nextAttemptAt: message.nextAttemptAt,
  sentAt: message.sentAt,
});
