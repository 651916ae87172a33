import type { MailKind } from './mail.types.js';

/** One message as the delivery worker hands it to a Mailer. */
export interface OutgoingMail {
  messageId: string;
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  link?: string;
}

/**
 * The way out for mail. `send` resolves once the message is handed over and rejects with the
 * reason when it is not (the worker retries later).
 */
export interface Mailer {
  /** The state a message is in once `send` resolved: `sent` over SMTP, `kept` when only the outbox has it. */
  readonly deliveredState: 'sent' | 'kept';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Without SMTP_URL: messages stay in the outbox, where the admin reads them (and in the log). */
export const outboxOnlyMailer: Mailer = {
  deliveredState: 'kept',
  send: async () => {},
  close: () => {},
};
