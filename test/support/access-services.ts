import type { Clock } from '../../src/core/clock.js';
import { ids } from '../../src/core/ids.js';
import type { Scope } from '../../src/core/scope.js';
import { AccessService } from '../../src/modules/access/access.service.js';
import { ApplicationsKysely } from '../../src/modules/access/applications.kysely.js';
import { ApplicationsService } from '../../src/modules/access/applications.service.js';
import { InstancesKysely } from '../../src/modules/access/instances.kysely.js';
import { InstancesService } from '../../src/modules/access/instances.service.js';
import type { Instance } from '../../src/modules/access/instances.types.js';
import { AccountsKysely } from '../../src/modules/accounts/accounts.kysely.js';
import { IdentityStoreKysely } from '../../src/modules/identity-store/identity-store.kysely.js';
import { IdentityStoreService } from '../../src/modules/identity-store/identity-store.service.js';
import { StudioKysely } from '../../src/modules/studio/studio.kysely.js';
import type { Database } from '../../src/storage/database.js';
import { kyselyUnitOfWork } from '../../src/storage/kysely-unit-of-work.js';

/**
 * The access module's services (and the identity store's) on a test database, wired as app.ts
 * wires them. The studio repository is part of the unit of work so studio-services.ts can build on it.
 */
export const accessServicesOn = (database: Database, clock: Clock) => {
  const uow = kyselyUnitOfWork(database.db, (db) => ({
    accounts: new AccountsKysely(db),
    instances: new InstancesKysely(db),
    identityStore: new IdentityStoreKysely(db),
    applications: new ApplicationsKysely(db),
    studio: new StudioKysely(db),
  }));
  const instances = new InstancesService(uow, clock);
  const applications = new ApplicationsService(uow, instances, clock);
  const identityStore = new IdentityStoreService(uow, clock);

  /** A fresh account; with its own Identity Center instance in `instanceRegion` unless that is null. */
  const newAccount = async (
    region = 'us-east-1',
    instanceRegion: string | null = region,
  ): Promise<{ scope: Scope; instance?: Instance }> => {
    const accountId = ids.accountId();
    await uow.repositories.accounts.insertAccountIfAbsent({
      accountId,
      name: 'test',
      email: 'root@example.com',
      createdAt: clock.now(),
    });
    const scope: Scope = { accountId, region, principalArn: `arn:aws:iam::${accountId}:root` };
    if (instanceRegion === null) return { scope };
    const instance = await instances.createInstance({ ...scope, region: instanceRegion }, {});
    return { scope, instance };
  };

  return {
    uow,
    instances,
    identityStore,
    applications,
    access: new AccessService(uow, applications, identityStore),
    newAccount,
    /** A fresh account with its own instance (and so its own empty identity store). */
    newTenant: async (
      region = 'us-east-1',
    ): Promise<{ scope: Scope; instance: Instance; instanceArn: string }> => {
      const { scope, instance } = await newAccount(region);
      if (instance === undefined) throw new Error('newAccount made no instance');
      return { scope, instance, instanceArn: `arn:aws:sso:::instance/${instance.instanceId}` };
    },
  };
};

export type AccessServices = ReturnType<typeof accessServicesOn>;
