import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Our own X-Studio-SSO-Message-Id header: the outbox message it came from. */
  outboxId?: string;
  parsed: ParsedMail;
}

export interface SmtpReceiver {
  port: number;
  /** SMTP_URL for the server under test. */
  url: string;
  received: ReceivedMail[];
  /** User names and passwords clients authenticated with. */
  logins: { username: string; password: string }[];
  /** The first message (already received or still to come) that matches. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export interface SmtpReceiverOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Require these credentials (AUTH PLAIN/LOGIN, allowed without TLS here). */
  credentials?: { username: string; password: string };
}

/** A real SMTP server (smtp-server) that parses what arrives with mailparser: the receiving end of a test. */
export const startSmtpReceiver = async (options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> => {
  const received: ReceivedMail[] = [];
  const logins: { username: string; password: string }[] = [];
  const waiters: { match: (mail: ReceivedMail) => boolean; resolve: (mail: ReceivedMail) => void }[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: no certificate for nodemailer to distrust.
    disabledCommands: ['STARTTLS'],
    authOptional: options.credentials === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const login = { username: auth.username ?? '', password: auth.password ?? '' };
      logins.push(login);
      const expected = options.credentials;
      if (
        expected !== undefined &&
        (login.username !== expected.username || login.password !== expected.password)
      ) {
        callback(new Error('Invalid username or password'));
        return;
      }
      callback(null, { user: login.username });
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const header = parsed.headers.get('x-studio-sso-message-id');
          const mail: ReceivedMail = {
            to:
              parsed.to === undefined
                ? ''
                : (Array.isArray(parsed.to) ? parsed.to : [parsed.to]).map((a) => a.text).join(', '),
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            outboxId: typeof header === 'string' ? header : undefined,
            parsed,
          };
          received.push(mail);
          for (const waiter of [...waiters]) {
            if (waiter.match(mail)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(mail);
            }
          }
          callback();
        },
        (error: unknown) => callback(error as Error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const auth =
    options.credentials === undefined
      ? ''
      : `${encodeURIComponent(options.credentials.username)}:${encodeURIComponent(options.credentials.password)}@`;
  return {
    port,
    url: `smtp://${auth}127.0.0.1:${port}`,
    received,
    logins,
    waitFor: (match, timeoutMs = 15_000) => {
      const found = received.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (mail: ReceivedMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(
            new Error(
              `no matching mail within ${timeoutMs} ms; received: ${received.map((m) => `${m.to}: ${m.subject}`).join('; ')}`,
            ),
          );
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** A port nothing listens on now: SMTP_URL for a dead mail server (started later on the same port). */
export const unusedPort = async (): Promise<number> => {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
};

/** The first http(s) link in a text that contains `path`. */
export const linkIn = (text: string, path: string): string => {
  const link = text.match(/https?:\/\/[^\s"'<>]+/g)?.find((url) => url.includes(path));
  if (link === undefined) throw new Error(`no link to ${path} in:\n${text}`);
  return link;
};
