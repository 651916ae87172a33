import { CreateInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/cli/admin-client.js';
import type { OutboxListResponse } from '../../src/web/admin/outbox.routes.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.js';
import {
  dropSchema,
  postgresUnavailableReason,
  TEST_DATABASE_URL,
  uniqueSchemaName,
} from '../support/test-databases.js';
import { newTestCredentials } from '../support/test-server.js';

const unavailable = await postgresUnavailableReason();
const USERS = 40;

describe.skipIf(unavailable !== undefined)(
  `mail from two server processes on one PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const schema = uniqueSchemaName();
    const credentials = newTestCredentials();
    const servers: ServerProcess[] = [];
    let receiver: SmtpReceiver;

    beforeAll(async () => {
      receiver = await startSmtpReceiver();
      const env = {
        DATABASE_URL: TEST_DATABASE_URL,
        STUDIO_SSO_DATABASE_SCHEMA: schema,
        STUDIO_SSO_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
        STUDIO_SSO_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        SMTP_URL: receiver.url,
        LOG_LEVEL: 'info',
      };
      // One after the other: starting at once is multi-process-postgres.test.ts's subject; this one's is the outbox.
      servers.push(await startServerProcess(env));
      servers.push(await startServerProcess(env));
    });
    afterAll(async () => {
      const codes = await Promise.all(servers.map((s) => s.stop()));
      expect(codes).toEqual(servers.map(() => 0));
      await receiver?.close();
      await dropSchema(schema);
    });

    it('send every message exactly once between them', async () => {
      const [a, b] = servers.map(
        (s) => new AdminClient({ endpoint: s.url, region: 'us-east-1', credentials }),
      );
      if (a === undefined || b === undefined) throw new Error('two servers expected');
      const ssoAdmin = new SSOAdminClient({
        endpoint: servers[0]?.url,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      await ssoAdmin.send(new CreateInstanceCommand({}));
      ssoAdmin.destroy();

      // Invitations arrive through both processes at once; both workers race for the outbox.
      await Promise.all(
        Array.from({ length: USERS }, (_, i) =>
          (i % 2 === 0 ? a : b).post('/users', {
            userName: `racer${i}`,
            email: `racer${i}@example.com`,
            givenName: 'Race',
            familyName: `R${i}`,
            displayName: `Racer ${i}`,
            passwordSetup: 'send-email',
          }),
        ),
      );
      const deadline = Date.now() + 30_000;
      while (receiver.received.length < USERS && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // A while longer: a duplicate would arrive now.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const ids = receiver.received.map((m) => m.outboxId);
      expect(ids).toHaveLength(USERS);
      expect(new Set(ids).size).toBe(USERS);

      // Each process logged the messages it sent: together, every message once.
      const sentBy = servers.map(
        (s) =>
          s
            .output()
            .split('\n')
            .filter((line) => line.includes('"msg":"mail sent"')).length,
      );
      expect(sentBy.reduce((x, y) => x + y, 0)).toBe(USERS);

      const outbox = await a.get<OutboxListResponse>('/outbox', { limit: '500' });
      expect(outbox.messages).toHaveLength(USERS);
      expect(outbox.messages.every((m) => m.state === 'sent' && m.attempts === 1)).toBe(true);
    });
  },
);
