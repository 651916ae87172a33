import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { CreateInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/cli/admin-client.js';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import type { MailMessage } from '../../src/mail/mail.types.js';
import type { AddUserResponse, UserOnboardingResponse } from '../../src/web/admin/users.routes.js';
import { runStudioSso } from '../support/run-cli.js';
import { linkIn, type SmtpReceiver, startSmtpReceiver, unusedPort } from '../support/smtp-receiver.js';
import {
  dropSchema,
  postgresUnavailableReason,
  testDialects,
  uniqueSchemaName,
} from '../support/test-databases.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/test-server.js';
import { textOf, WebClient } from '../support/web-client.js';

const postgresSkip = await postgresUnavailableReason();

const adminOf = (server: TestServer) =>
  new AdminClient({ endpoint: server.url, region: server.region, credentials: server.credentials });

const enableIdentityCenter = async (server: TestServer) => {
  const client = new SSOAdminClient(server.sdkConfig());
  await client.send(new CreateInstanceCommand({}));
  client.destroy();
};

const invite = (server: TestServer, userName: string) =>
  adminOf(server).post<AddUserResponse>('/users', {
    userName,
    email: `${userName}@example.com`,
    givenName: userName,
    familyName: 'Mail',
    displayName: `${userName} Mail`,
    passwordSetup: 'send-email',
  });

/** Runs delivery passes until the message is in the state wanted (the background worker may get there first). */
const deliveredUntil = async (
  server: TestServer,
  messageId: string,
  wanted: (message: MailMessage) => boolean,
): Promise<MailMessage> => {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await server.server.app.mailDelivery.deliverDue();
    const message = await server.server.app.services.outbox.describeMessage(messageId);
    if (wanted(message)) return message;
    if (Date.now() > deadline) throw new Error(`message never got there: ${JSON.stringify(message)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

for (const dialect of testDialects()) {
  const skip = dialect === 'postgres' ? postgresSkip : undefined;
  describe.skipIf(skip !== undefined)(
    `mail delivery on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      /** The same data for a server and the one that replaces it after a restart. */
      let data: Pick<TestServerOptions, 'schema' | 'dataDir'>;
      let cleanup: () => Promise<void>;
      const servers: TestServer[] = [];
      const receivers: SmtpReceiver[] = [];

      beforeAll(async () => {
        if (dialect === 'postgres') {
          const schema = uniqueSchemaName();
          data = { schema };
          cleanup = () => dropSchema(schema);
        } else {
          const dataDir = await mkdtemp(path.join(tmpdir(), 'studio-sso-mail-'));
          data = { dataDir };
          cleanup = () => rm(dataDir, { recursive: true, force: true });
        }
      });
      afterAll(async () => {
        for (const server of servers) await server.close();
        for (const receiver of receivers) await receiver.close();
        await cleanup?.();
      });

      it('retries with backoff while the SMTP server is down, survives a restart, and sends each message once', async () => {
        const port = await unusedPort();
        const clock = new ManualClock();
        const env = { SMTP_URL: `smtp://127.0.0.1:${port}` };
        const first = await startTestServer({ database: dialect, ...data, clock, env });
        servers.push(first);
        await enableIdentityCenter(first);
        const kim = await invite(first, 'kim');
        const leo = await invite(first, 'leo');
        const kimMail = kim.invitation?.delivery?.messageId ?? '';
        const leoMail = leo.invitation?.delivery?.messageId ?? '';

        const failed = await deliveredUntil(first, kimMail, (m) => m.attempts === 1 && m.state === 'failed');
        expect(failed.lastError).toContain('ECONNREFUSED');
        expect(failed.nextAttemptAt?.getTime()).toBe(clock.now().getTime() + 30_000);
        const shown = (await runStudioSso(first, ['users', 'show', 'kim', '--json'])).stdout;
        expect((JSON.parse(shown) as UserOnboardingResponse).invitations[0]?.delivery).toMatchObject({
          state: 'failed',
          attempts: 1,
        });
        const outboxText = (await runStudioSso(first, ['outbox', '--state', 'failed'])).stdout;
        expect(outboxText).toContain('failed (attempt 1), retry at');
        expect(outboxText).toContain('ECONNREFUSED');

        clock.advance(30_000);
        const retried = await deliveredUntil(first, kimMail, (m) => m.attempts === 2);
        expect(retried).toMatchObject({ state: 'failed' });
        expect(retried.nextAttemptAt?.getTime()).toBe(clock.now().getTime() + 60_000);
        await deliveredUntil(first, leoMail, (m) => m.attempts === 2);

        // A restart (graceful, with messages still due) loses nothing: the next process sends them.
        await first.close();
        servers.splice(servers.indexOf(first), 1);
        const receiver = await startSmtpReceiver({ port });
        receivers.push(receiver);
        const second = await startTestServer({ database: dialect, ...data, clock, env });
        servers.push(second);
        clock.advance(60_000);
        const sent = await deliveredUntil(second, kimMail, (m) => m.state === 'sent');
        expect(sent.attempts).toBe(3);
        await deliveredUntil(second, leoMail, (m) => m.state === 'sent');
        const kimReceived = await receiver.waitFor((m) => m.to.includes('kim@example.com'));
        expect(kimReceived.outboxId).toBe(kimMail);
        expect(kimReceived.parsed.messageId).toContain(kimMail);

        // The link from the mail works on the new process (on its own port: the test's servers listen on port 0).
        const browser = new WebClient(second.url);
        const link = new URL(linkIn(kimReceived.text, '/start/accept-invitation'));
        const page = await browser.get(`${link.pathname}${link.search}`);
        expect(textOf(page.html)).toContain('Set new password');

        // Nothing is sent twice, however often the worker looks.
        clock.advance(60 * 60_000);
        await second.server.app.mailDelivery.deliverDue();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(receiver.received.filter((m) => m.outboxId === kimMail)).toHaveLength(1);
        expect(receiver.received.filter((m) => m.outboxId === leoMail)).toHaveLength(1);
      });

      it('authenticates to the SMTP server with the credentials in SMTP_URL, from MAIL_FROM', async () => {
        const receiver = await startSmtpReceiver({
          credentials: { username: 'mailer', password: 'p@ss word' },
        });
        receivers.push(receiver);
        const server = await startTestServer({
          database: dialect,
          env: { SMTP_URL: receiver.url, MAIL_FROM: 'Studio SSO <sso@example.org>' },
        });
        servers.push(server);
        await enableIdentityCenter(server);
        await invite(server, 'mona');
        const mail = await receiver.waitFor((m) => m.to.includes('mona@example.com'));
        expect(mail.from).toBe('"Studio SSO" <sso@example.org>');
        expect(receiver.logins).toContainEqual({ username: 'mailer', password: 'p@ss word' });
      });

      it('without SMTP_URL keeps mail in the outbox: one log line and `studio-sso outbox` show the link', async () => {
        const lines: Record<string, unknown>[] = [];
        const sink = new Writable({
          write(chunk: Buffer, _encoding, done) {
            for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line));
            done();
          },
        });
        const server = await startTestServer({
          database: dialect,
          env: { STUDIO_SSO_PUBLIC_URL: 'https://sso.example.com/' },
          logger: pino({ level: 'info' }, sink),
        });
        servers.push(server);
        await enableIdentityCenter(server);
        const added = await invite(server, 'nina');
        const messageId = added.invitation?.delivery?.messageId ?? '';
        const kept = await deliveredUntil(server, messageId, (m) => m.state === 'kept');
        expect(kept.link).toMatch(
          /^https:\/\/sso\.example\.com\/start\/accept-invitation\?token=[A-Za-z0-9_-]{43}$/,
        );

        const logged = lines.filter((l) => l.msg === 'mail kept in the outbox (no SMTP_URL)');
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatchObject({ mail: messageId, to: 'nina@example.com', link: kept.link });

        const listed = await runStudioSso(server, ['outbox']);
        expect(listed.stdout).toContain('nina@example.com  Invitation to join studio-sso');
        expect(listed.stdout).toContain('kept (no SMTP_URL)');
        expect(listed.stdout).toContain(kept.link);
        const shown = JSON.parse(
          (await runStudioSso(server, ['users', 'show', 'nina', '--json'])).stdout,
        ) as UserOnboardingResponse;
        expect(shown.invitations[0]?.delivery?.state).toBe('kept');

        // The request log never holds the token of a link that was opened.
        const token = new URL(kept.link ?? '').searchParams.get('token') ?? '';
        await fetch(`${server.url}/start/accept-invitation?token=${token}`);
        const requestLines = lines.filter(
          (l) => l.msg === 'request' && String(l.url).startsWith('/start/accept-invitation'),
        );
        expect(requestLines).toHaveLength(1);
        expect(requestLines[0]?.url).toBe('/start/accept-invitation?token=(redacted)');
        expect(JSON.stringify(requestLines)).not.toContain(token);
      });
    },
  );
}

describe('mail configuration', () => {
  it('accepts smtp:// and smtps:// URLs, never echoing one it refuses (it may hold a password)', () => {
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465' }).smtpUrl).toBe(
      'smtps://u:p@mail.example.com:465',
    );
    expect(() => loadConfig({ SMTP_URL: 'http://u:secret@mail' })).toThrow(
      /^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/,
    );
    expect(() => loadConfig({ SMTP_URL: 'http://u:secret@mail' })).not.toThrow(/secret/);
    expect(loadConfig({}).mailFrom).toBe('studio-sso <no-reply@studio-sso.local>');
    expect(loadConfig({ STUDIO_SSO_PUBLIC_URL: 'https://sso.example.com/' }).publicUrl).toBe(
      'https://sso.example.com',
    );
    expect(() => loadConfig({ STUDIO_SSO_PUBLIC_URL: 'ftp://x' })).toThrow(/STUDIO_SSO_PUBLIC_URL/);
  });
});
