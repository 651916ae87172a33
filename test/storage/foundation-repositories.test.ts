import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ConflictError } from '../../src/core/errors.js';
import type { Scope } from '../../src/core/scope.js';
import { InstancesKysely } from '../../src/modules/access/instances.kysely.js';
import { InstancesService } from '../../src/modules/access/instances.service.js';
import { AccountsKysely } from '../../src/modules/accounts/accounts.kysely.js';
import { AccountsService } from '../../src/modules/accounts/accounts.service.js';
import { IdentityStoreKysely } from '../../src/modules/identity-store/identity-store.kysely.js';
import { IdentityStoreService } from '../../src/modules/identity-store/identity-store.service.js';
import { OrganizationsKysely } from '../../src/modules/organizations/organizations.kysely.js';
import { OrganizationsService } from '../../src/modules/organizations/organizations.service.js';
import type { Database } from '../../src/storage/database.js';
import { kyselyUnitOfWork } from '../../src/storage/kysely-unit-of-work.js';
import { openTestDatabase, postgresUnavailableReason, testDialects } from '../support/test-databases.js';

const postgresSkip = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skip = dialect === 'postgres' ? postgresSkip : undefined;
  describe.skipIf(skip !== undefined)(
    `accounts, organizations and instances on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let database: Database;
      const clock = new ManualClock(new Date('2026-12-01T00:00:00Z'));
      const services = () => {
        const uow = kyselyUnitOfWork(database.db, (db) => ({
          accounts: new AccountsKysely(db),
          organizations: new OrganizationsKysely(db),
          instances: new InstancesKysely(db),
          identityStore: new IdentityStoreKysely(db),
        }));
        return {
          accounts: new AccountsService(uow.repositories.accounts, clock),
          organizations: new OrganizationsService(uow, clock),
          instances: new InstancesService(uow, clock),
          identityStore: new IdentityStoreService(uow, clock),
        };
      };

      beforeAll(async () => {
        database = await openTestDatabase(dialect);
      });
      afterAll(async () => {
        await database?.close();
      });

      it('settles concurrent first starts on one account and one root key', async () => {
        const results = await Promise.all(
          Array.from({ length: 8 }, () => services().accounts.bootstrap({ rootEmail: 'root@example.com' })),
        );
        const accountIds = new Set(results.map((r) => r.account.accountId));
        const keys = new Set(results.map((r) => `${r.rootKey.accessKeyId}:${r.rootKey.secretAccessKey}`));
        expect(accountIds.size).toBe(1);
        expect(keys.size).toBe(1);
        const again = await services().accounts.bootstrap({ rootEmail: 'root@example.com' });
        expect(again.rootKeyGenerated).toBe(false);
        expect(`${again.rootKey.accessKeyId}:${again.rootKey.secretAccessKey}`).toBe([...keys][0]);
      });

      it('makes one organization and one instance per account, even when asked at once', async () => {
        const { accounts, organizations, instances } = services();
        const { account } = await accounts.bootstrap({ rootEmail: 'root@example.com' });
        const scope: Scope = {
          accountId: account.accountId,
          region: 'us-east-1',
          principalArn: 'arn:aws:iam::x:root',
        };

        const orgs = await Promise.allSettled(
          Array.from({ length: 5 }, () => organizations.createOrganization(scope)),
        );
        expect(orgs.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of orgs.filter((r) => r.status === 'rejected')) {
          expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
        }

        const created = await Promise.allSettled(
          Array.from({ length: 5 }, () => instances.createInstance(scope, {})),
        );
        const made = created.filter((r) => r.status === 'fulfilled');
        expect(made).toHaveLength(1);
        const instance = (
          made[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof instances.createInstance>>>
        ).value;
        const view = await organizations.describeOrganization(scope);
        expect(instance.organizationId).toBe(view.organization.organizationId);
      });

      it('deletes the identity store and everything in it with the instance', async () => {
        const { accounts, instances, identityStore } = services();
        const { account } = await accounts.bootstrap({ rootEmail: 'root@example.com' });
        const scope: Scope = {
          accountId: account.accountId,
          region: 'us-east-1',
          principalArn: 'arn:aws:iam::x:root',
        };
        const [instance] = (await instances.listInstances(scope, 10)).items;
        if (instance === undefined) throw new Error('the previous test made an instance');
        const store = instance.identityStoreId;
        const user = await identityStore.createUser(scope, store, {
          userName: 'alice',
          displayName: 'Alice',
          name: { givenName: 'Alice', familyName: 'Doe' },
        });
        const group = await identityStore.createGroup(scope, store, { displayName: 'team' });
        await identityStore.createGroupMembership(scope, store, group.groupId, user.userId);
        await identityStore.linkExternalId(
          scope,
          store,
          { type: 'USER', id: user.userId },
          { issuer: 'scim', id: 'a-1' },
        );

        await instances.deleteInstance(scope, `arn:aws:sso:::instance/${instance.instanceId}`);
        const left = await Promise.all(
          (['users', 'groups', 'group_memberships', 'external_ids', 'identity_stores'] as const).map(
            (table) =>
              database.db
                .selectFrom(table)
                .select(database.db.fn.countAll().as('n'))
                .executeTakeFirstOrThrow(),
          ),
        );
        expect(left.map((row) => Number(row.n))).toEqual([0, 0, 0, 0, 0]);
      });
    },
  );
}
