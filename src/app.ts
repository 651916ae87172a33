import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { AwsJsonProtocol } from './aws/aws-json.js';
import type { AwsService } from './aws/aws-service.js';
import { SigV4Verifier } from './aws/sigv4.js';
import type { Config } from './config.js';
import { type Clock, systemClock } from './core/clock.js';
import { buildHttpServer, type HttpServer } from './http/server.js';
import { ssoAdminAwsService } from './modules/access/access.aws.js';
import { InstancesKysely } from './modules/access/instances.kysely.js';
import { InstancesService } from './modules/access/instances.service.js';
import { AccountsKysely } from './modules/accounts/accounts.kysely.js';
import { AccountsService, type BootstrapResult } from './modules/accounts/accounts.service.js';
import { identityStoreAwsService } from './modules/identity-store/identity-store.aws.js';
import { IdentityStoreKysely } from './modules/identity-store/identity-store.kysely.js';
import { IdentityStoreService } from './modules/identity-store/identity-store.service.js';
import { organizationsAwsService } from './modules/organizations/organizations.aws.js';
import { OrganizationsKysely } from './modules/organizations/organizations.kysely.js';
import { OrganizationsService } from './modules/organizations/organizations.service.js';
import type { Database } from './storage/database.js';
import { kyselyUnitOfWork } from './storage/kysely-unit-of-work.js';
import type { Schema } from './storage/schema.js';
import { adminRoutes } from './web/admin/admin-routes.js';

/** Every repository, built on the database or on one transaction of it. */
const repositoriesOn = (db: Kysely<Schema>) => ({
  accounts: new AccountsKysely(db),
  organizations: new OrganizationsKysely(db),
  instances: new InstancesKysely(db),
  identityStore: new IdentityStoreKysely(db),
});

export type Repositories = ReturnType<typeof repositoriesOn>;

export interface Services {
  accounts: AccountsService;
  organizations: OrganizationsService;
  instances: InstancesService;
  identityStore: IdentityStoreService;
}

export interface App {
  services: Services;
  http: HttpServer;
  bootstrap: BootstrapResult;
}

export interface AppOptions {
  config: Config;
  database: Database;
  logger: Logger;
  clock?: Clock;
}

/** The composition root: the only place that knows every part; no singletons elsewhere. */
export const createApp = async ({
  config,
  database,
  logger,
  clock = systemClock,
}: AppOptions): Promise<App> => {
  const uow = kyselyUnitOfWork(database.db, repositoriesOn);
  const accounts = new AccountsService(uow.repositories.accounts, clock);
  const services: Services = {
    accounts,
    organizations: new OrganizationsService(uow, clock),
    instances: new InstancesService(uow, clock),
    identityStore: new IdentityStoreService(uow, clock),
  };
  const bootstrap = await accounts.bootstrap({
    accountId: config.accountId,
    rootEmail: config.rootEmail,
    rootAccessKeyId: config.rootAccessKeyId,
    rootSecretAccessKey: config.rootSecretAccessKey,
  });

  const awsServices: AwsService[] = [
    organizationsAwsService(services.organizations),
    ssoAdminAwsService(services.instances),
    identityStoreAwsService(services.identityStore),
  ];
  const verifier = new SigV4Verifier(async (accessKeyId) => accounts.findActiveAccessKey(accessKeyId), clock);
  const awsJson = new AwsJsonProtocol(awsServices, verifier, logger);
  const http = buildHttpServer({
    config,
    logger,
    awsJson,
    database,
    verifier,
    adminRoutes: adminRoutes(services),
  });
  return { services, http, bootstrap };
};
