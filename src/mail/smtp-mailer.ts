import nodemailer, { type Transporter } from 'nodemailer';
import type { Mailer, OutgoingMail } from './mailer.js';

export interface SmtpMailerOptions {
  /** smtp://user:pass@host:port or smtps://… (nodemailer reads TLS options from the query too). */
  url: string;
  from: string;
}

/** Nodemailer's errors carry the SMTP reply and the command it answered; the outbox shows both. */
const describeSmtpError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const { code, command, responseCode } = error as Error & {
    code?: string;
    command?: string;
    responseCode?: number;
  };
  const context = [
    code,
    command === undefined ? undefined : `command ${command}`,
    responseCode === undefined ? undefined : `reply ${responseCode}`,
  ].filter((part) => part !== undefined);
  return context.length === 0 ? error.message : `${error.message} (${context.join(', ')})`;
};

/** Sends over SMTP with nodemailer: one connection per message, bounded by timeouts. */
export class SmtpMailer implements Mailer {
  readonly deliveredState = 'sent' as const;
  private readonly transport: Transporter;
  private readonly domain: string;

  constructor(options: SmtpMailerOptions) {
    this.transport = nodemailer.createTransport(
      {
        url: options.url,
        // Timeouts well inside the worker's claim, so a hung server cannot outlive it.
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 30_000,
      },
      { from: options.from },
    );
    this.domain = /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'studio-sso.local';
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transport.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // The same Message-ID on every attempt, so a receiver can drop a duplicate after a crash.
        messageId: `<${mail.messageId}@${this.domain}>`,
        headers: { 'X-Studio-SSO-Message-Id': mail.messageId, 'X-Studio-SSO-Kind': mail.kind },
      });
    } catch (error) {
      throw new Error(describeSmtpError(error));
    }
  }

  close(): void {
    this.transport.close();
  }
}
