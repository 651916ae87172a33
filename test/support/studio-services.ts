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
import { createStudioService } from '../../src/modules/studio/studio.service.js';
import type { StudioLinks } from '../../src/modules/studio/studio.types.js';
import type { Database } from '../../src/storage/database.js';
import { kyselyUnitOfWork } from '../../src/storage/kysely-unit-of-work.js';

/** Presigned URLs of the service tests point here. */
export const TEST_STUDIO_LINKS: StudioLinks = {
  presignedDomainUrl: (domainId, token) => `https://studio.test/studio/${domainId}/presigned?token=${token}`,
};

/** The studio service with the access and identity-store services it uses, wired as app.ts wires them. */
export const studioServicesOn = (database: Database, clock: Clock) => {
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
  return {
    uow,
    instances,
    identityStore,
    applications,
    access: new AccessService(uow, applications, identityStore),
    studio: createStudioService({ uow, instances, identityStore, links: TEST_STUDIO_LINKS, clock }),
    /** A fresh account; with its own Identity Center instance in `instanceRegion` unless that is null. */
    newAccount: async (
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
    },
  };
};

export type StudioServices = ReturnType<typeof studioServicesOn>;
