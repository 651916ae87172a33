import {
  ConflictException,
  CreateUserCommand,
  DescribeUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import { CreateInstanceCommand, ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import {
  dropSchema,
  postgresUnavailableReason,
  TEST_DATABASE_URL,
  uniqueSchemaName,
} from '../support/test-databases.js';
import { newTestCredentials } from '../support/test-server.js';

const unavailable = await postgresUnavailableReason();

describe.skipIf(unavailable !== undefined)(
  `two server processes on one PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const schema = uniqueSchemaName();
    const credentials = newTestCredentials();
    const servers: ServerProcess[] = [];
    const clientsFor = (url: string) => ({
      identityStore: new IdentitystoreClient({
        endpoint: url,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      }),
      ssoAdmin: new SSOAdminClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }),
    });

    beforeAll(async () => {
      const env = {
        DATABASE_URL: TEST_DATABASE_URL,
        STUDIO_SSO_DATABASE_SCHEMA: schema,
        STUDIO_SSO_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
        STUDIO_SSO_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      };
      // Both start at once: migrations and the first account must settle exactly once.
      servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    });

    afterAll(async () => {
      const codes = await Promise.all(servers.map((s) => s.stop()));
      expect(codes).toEqual(servers.map(() => 0));
      await dropSchema(schema);
    });

    it('agree on the account, and each sees what the other wrote', async () => {
      const [a, b] = servers.map((s) => clientsFor(s.url));
      if (a === undefined || b === undefined) throw new Error('two servers expected');
      await a.ssoAdmin.send(new CreateInstanceCommand({ Name: 'shared' }));
      const { Instances } = await b.ssoAdmin.send(new ListInstancesCommand({}));
      expect(Instances).toHaveLength(1);
      const identityStoreId = Instances?.[0]?.IdentityStoreId ?? '';

      // 50 parallel CreateUser calls for one user name in different cases, spread over both.
      const attempts = Array.from({ length: 50 }, (_, i) => {
        const client = i % 2 === 0 ? a.identityStore : b.identityStore;
        const userName = i % 3 === 0 ? 'Racer' : i % 3 === 1 ? 'racer' : 'RACER';
        return client
          .send(
            new CreateUserCommand({
              IdentityStoreId: identityStoreId,
              UserName: userName,
              DisplayName: 'Racer',
              Name: { GivenName: 'Race', FamilyName: 'Er' },
            }),
          )
          .then(
            (out) => ({ ok: true as const, userId: out.UserId }),
            (error: unknown) => ({ ok: false as const, error }),
          );
      });
      const results = await Promise.all(attempts);
      const winners = results.filter((r) => r.ok);
      const losers = results.filter((r) => !r.ok);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(49);
      for (const loser of losers) expect(loser.error).toBeInstanceOf(ConflictException);

      const described = await b.identityStore.send(
        new DescribeUserCommand({ IdentityStoreId: identityStoreId, UserId: winners[0]?.userId }),
      );
      expect(described.UserName?.toLowerCase()).toBe('racer');
      for (const c of [a, b]) {
        c.identityStore.destroy();
        c.ssoAdmin.destroy();
      }
    });
  },
);
