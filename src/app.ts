import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { AwsJsonProtocol } from './aws/aws-json.js';
import { AwsQueryProtocol } from './aws/aws-query.js';
import type { AwsService } from './aws/aws-service.js';
import { SigV4Verifier } from './aws/sigv4.js';
import type { Config } from './config.js';
import { arns } from './core/arns.js';
import { type Clock, systemClock } from './core/clock.js';
import { joinedUnitOfWork } from './core/unit-of-work.js';
import { buildHttpServer, type HttpServer } from './http/server.js';
import { MailDeliveryWorker } from './mail/delivery-worker.js';
import { outboxOnlyMailer } from './mail/mailer.js';
import { OutboxKysely } from './mail/outbox.kysely.js';
import { OutboxService } from './mail/outbox.service.js';
import { SmtpMailer } from './mail/smtp-mailer.js';
import { ssoAdminAwsService } from './modules/access/access.aws.js';
import { accessResourceProviders } from './modules/access/access.cfn.js';
import { AccessService } from './modules/access/access.service.js';
import { ApplicationsKysely } from './modules/access/applications.kysely.js';
import { ApplicationsService } from './modules/access/applications.service.js';
import { InstancesKysely } from './modules/access/instances.kysely.js';
import { InstancesService } from './modules/access/instances.service.js';
import { AccountsKysely } from './modules/accounts/accounts.kysely.js';
import { AccountsService, type BootstrapResult } from './modules/accounts/accounts.service.js';
import { cloudFormationAwsService } from './modules/cloudformation/cloudformation.aws.js';
import { CloudFormationKysely } from './modules/cloudformation/cloudformation.kysely.js';
import { CloudFormationService } from './modules/cloudformation/cloudformation.service.js';
import { recordedResourceProviders } from './modules/cloudformation/recorded-resources.cfn.js';
import { providerRegistry } from './modules/cloudformation/resource-providers.js';
import { StackEngine } from './modules/cloudformation/stack-engine.js';
import { StackOperations } from './modules/cloudformation/stack-operations.js';
import { ConsoleKysely } from './modules/console/console.kysely.js';
import { ConsoleAdminService } from './modules/console/console-admin.service.js';
import { consoleMfaRepository } from './modules/console/console-mfa.kysely.js';
import { CredentialsKysely } from './modules/credentials/credentials.kysely.js';
import { CredentialsService } from './modules/credentials/credentials.service.js';
import { installationKey } from './modules/credentials/installation-key.js';
import { Argon2PasswordHasher } from './modules/credentials/password-hasher.js';
import { identityStoreAwsService } from './modules/identity-store/identity-store.aws.js';
import { identityStoreResourceProviders } from './modules/identity-store/identity-store.cfn.js';
import { IdentityStoreKysely } from './modules/identity-store/identity-store.kysely.js';
import { IdentityStoreService } from './modules/identity-store/identity-store.service.js';
import { InvitationsKysely } from './modules/invitations/invitations.kysely.js';
import { InvitationsService } from './modules/invitations/invitations.service.js';
import { EmailVerificationKysely } from './modules/organizations/email-verification.kysely.js';
import { EmailVerificationService } from './modules/organizations/email-verification.service.js';
import { organizationsAwsService } from './modules/organizations/organizations.aws.js';
import { OrganizationsKysely } from './modules/organizations/organizations.kysely.js';
import { OrganizationsService } from './modules/organizations/organizations.service.js';
import { LauncherService } from './modules/portal/launcher.service.js';
import { MfaKysely } from './modules/portal/mfa.kysely.js';
import { MfaService } from './modules/portal/mfa.service.js';
import { PasswordResetService } from './modules/portal/password-reset.service.js';
import { PortalDirectories } from './modules/portal/portal-directory.js';
import { SessionsKysely } from './modules/portal/sessions.kysely.js';
import { SessionsService } from './modules/portal/sessions.service.js';
import { SignInService } from './modules/portal/sign-in.service.js';
import { SignInGuardKysely } from './modules/portal/sign-in-guard.kysely.js';
import { SignInGuard } from './modules/portal/sign-in-guard.service.js';
import { UserLifecycleService } from './modules/portal/user-lifecycle.service.js';
import { SettingsKysely } from './modules/settings/settings.kysely.js';
import { SettingsService } from './modules/settings/settings.service.js';
import { sageMakerAwsService } from './modules/studio/studio.aws.js';
import { studioResourceProviders } from './modules/studio/studio.cfn.js';
import { StudioKysely } from './modules/studio/studio.kysely.js';
import { createStudioService, type StudioService } from './modules/studio/studio.service.js';
import { sageMakerAppsAwsService } from './modules/studio/studio-apps.aws.js';
import { StudioAppsKysely } from './modules/studio/studio-apps.kysely.js';
import { StudioAppsService } from './modules/studio/studio-apps.service.js';
import type { Database } from './storage/database.js';
import { kyselyUnitOfWork } from './storage/kysely-unit-of-work.js';
import type { Schema } from './storage/schema.js';
import { adminRoutes } from './web/admin/admin-routes.js';
import { registerConsolePages } from './web/console/console.routes.js';
import type { ConsoleRoute } from './web/console/console-kit.js';
import { CsrfProtection } from './web/csrf.js';
import { PublicLinks } from './web/links.js';
import { registerStudioPages, studioLinks } from './web/studio/studio-pages.js';
import { WebContext } from './web/web-context.js';
import { webPages } from './web/web-pages.js';

/** Every repository, built on the database or on one transaction of it. */
const repositoriesOn = (db: Kysely<Schema>) => ({
  accounts: new AccountsKysely(db),
  organizations: new OrganizationsKysely(db),
  instances: new InstancesKysely(db),
  applications: new ApplicationsKysely(db),
  identityStore: new IdentityStoreKysely(db),
  outbox: new OutboxKysely(db),
  emailVerifications: new EmailVerificationKysely(db),
  settings: new SettingsKysely(db),
  credentials: new CredentialsKysely(db),
  invitations: new InvitationsKysely(db),
  sessions: new SessionsKysely(db),
  mfa: new MfaKysely(db),
  signInGuard: new SignInGuardKysely(db),
  studio: new StudioKysely(db),
  studioApps: new StudioAppsKysely(db),
  cloudformation: new CloudFormationKysely(db),
});

export type Repositories = ReturnType<typeof repositoriesOn>;

export interface Services {
  accounts: AccountsService;
  organizations: OrganizationsService<Repositories>;
  instances: InstancesService;
  identityStore: IdentityStoreService;
  applications: ApplicationsService;
  access: AccessService;
  outbox: OutboxService;
  emailVerification: EmailVerificationService;
  settings: SettingsService;
  credentials: CredentialsService;
  invitations: InvitationsService;
  sessions: SessionsService;
  mfa: MfaService;
  studio: StudioService;
  studioApps: StudioAppsService;
  cloudformation: CloudFormationService;
  consoleAdmin: ConsoleAdminService;
  userLifecycle: UserLifecycleService;
}

export interface App {
  services: Services;
  http: HttpServer;
  bootstrap: BootstrapResult;
  /** Public links; main.ts gives them the server's address when STUDIO_SSO_PUBLIC_URL is unset. */
  links: PublicLinks;
  /** Delivers the outbox; main.ts starts it once listening and stops it at shutdown. */
  mailDelivery: MailDeliveryWorker;
  /** Runs CloudFormation stack operations; main.ts starts it once listening and stops it at shutdown. */
  stackOperations: StackOperations;
  /** The console's routes, each marked admin-only or public (tests check every admin one is guarded). */
  consoleRoutes: ConsoleRoute[];
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
  const instances = new InstancesService(uow, clock);
  const applications = new ApplicationsService(uow, instances, clock);
  const identityStore = new IdentityStoreService(uow, clock);
  // Mail, e-mail verification, settings, passwords, invitations and portal sessions.
  const links = new PublicLinks(config.publicUrl);
  const mailDelivery = new MailDeliveryWorker({
    outbox: uow.repositories.outbox,
    mailer:
      config.smtpUrl === undefined
        ? outboxOnlyMailer
        : new SmtpMailer({ url: config.smtpUrl, from: config.mailFrom }),
    clock,
    logger: logger.child({ component: 'mail' }),
  });
  const outbox = new OutboxService(uow.repositories.outbox, clock, () => mailDelivery.wake());
  const emailVerification = new EmailVerificationService(uow, outbox, links, clock);
  const settings = new SettingsService(uow, clock);
  const key = await installationKey(uow.repositories.accounts);
  const credentials = new CredentialsService(uow, new Argon2PasswordHasher(), settings, outbox, clock, key);
  const invitations = new InvitationsService(
    uow,
    identityStore,
    (within) => new IdentityStoreService(joinedUnitOfWork(within), clock),
    credentials,
    settings,
    outbox,
    links,
    clock,
  );
  const sessions = new SessionsService(uow, settings, clock);
  const userLifecycle = new UserLifecycleService(
    uow,
    identityStore,
    (within) => new IdentityStoreService(joinedUnitOfWork(within), clock),
    clock,
  );
  const mfa = new MfaService(uow, key, clock);
  // CloudFormation: resource providers call the services, bound to each step's transaction.
  const cfnServicesOn = (within: Repositories) => {
    const joined = joinedUnitOfWork(within);
    const instancesWithin = new InstancesService(joined, clock);
    const identityStoreWithin = new IdentityStoreService(joined, clock);
    const studioWithin = createStudioService({
      uow: joined,
      instances: instancesWithin,
      identityStore: identityStoreWithin,
      links: studioLinks(links),
      clock,
      liveApps: (domainId, nameKey, now) => within.studioApps.liveAppNames(domainId, nameKey, now),
    });
    return {
      instances: instancesWithin,
      identityStore: identityStoreWithin,
      applications: new ApplicationsService(joined, instancesWithin, clock),
      studio: studioWithin,
      studioApps: new StudioAppsService(joined, studioWithin, clock),
    };
  };
  const providers = providerRegistry([
    ...recordedResourceProviders,
    ...identityStoreResourceProviders,
    ...accessResourceProviders,
    ...studioResourceProviders,
  ]);
  let stackOperations: StackOperations | undefined;
  const stackEngine = new StackEngine({
    uow,
    servicesOn: cfnServicesOn,
    providers,
    clock,
    logger: logger.child({ component: 'cloudformation' }),
    ...(config.cfnStepDelayMs !== undefined ? { stepDelayMs: config.cfnStepDelayMs } : {}),
    shouldStop: () => stackOperations?.shuttingDown === true,
  });
  stackOperations = new StackOperations({
    runner: stackEngine,
    repository: uow.repositories.cloudformation,
    clock,
    logger: logger.child({ component: 'cloudformation' }),
  });
  const cloudformation = new CloudFormationService({ uow, providers, operations: stackOperations, clock });
  const studio = createStudioService({
    uow,
    instances,
    identityStore,
    links: studioLinks(links),
    clock,
    liveApps: (domainId, nameKey, now) => uow.repositories.studioApps.liveAppNames(domainId, nameKey, now),
  });
  // The console's root admin: tables of its own (password, sessions, MFA), the portal's MFA on them.
  const consoleUow = kyselyUnitOfWork(database.db, (db) => ({
    console: new ConsoleKysely(db),
    mfa: consoleMfaRepository(db),
  }));
  const services: Services = {
    accounts,
    organizations: new OrganizationsService<Repositories>(uow, clock, emailVerification),
    instances,
    identityStore,
    applications,
    access: new AccessService(uow, applications, identityStore),
    outbox,
    emailVerification,
    settings,
    credentials,
    invitations,
    sessions,
    mfa,
    studio,
    studioApps: new StudioAppsService(uow, studio, clock),
    cloudformation,
    userLifecycle,
    consoleAdmin: new ConsoleAdminService({
      uow: consoleUow,
      hasher: new Argon2PasswordHasher(),
      root: () => ({ accountId: bootstrap.account.accountId, email: bootstrap.account.email }),
      setupUrl: (token) => links.consoleSetup(token),
      clock,
      mfa: new MfaService(consoleUow, key, clock),
      signInAttempts: uow.repositories.signInGuard,
    }),
  };
  const bootstrap = await accounts.bootstrap({
    accountId: config.accountId,
    rootEmail: config.rootEmail,
    rootAccessKeyId: config.rootAccessKeyId,
    rootSecretAccessKey: config.rootSecretAccessKey,
  });

  const awsServices: AwsService[] = [
    organizationsAwsService(services.organizations),
    ssoAdminAwsService(services.instances, services.applications),
    identityStoreAwsService(services.identityStore),
    sageMakerAwsService(services.studio),
    sageMakerAppsAwsService(services.studioApps),
  ];
  const verifier = new SigV4Verifier(async (accessKeyId) => accounts.findActiveAccessKey(accessKeyId), clock);
  const awsJson = new AwsJsonProtocol(awsServices, verifier, logger);
  const awsQuery = new AwsQueryProtocol(cloudFormationAwsService(services.cloudformation), verifier, logger);
  // The access portal: sign-in with MFA and brute-force limits, password reset, the launcher.
  const directories = new PortalDirectories(uow.repositories.instances, bootstrap.account.accountId);
  const guard = new SignInGuard(uow.repositories.signInGuard, clock);
  const portalPages = {
    web: new WebContext(sessions, new CsrfProtection(key), clock),
    signIn: new SignInService({ uow, credentials, invitations, sessions, settings, mfa, guard, directories }),
    invitations,
    settings,
    mfa,
    passwordReset: new PasswordResetService({
      uow,
      credentials,
      sessions,
      outbox,
      links,
      guard,
      directories,
      clock,
    }),
    launcher: new LauncherService(services.access, services.studio, directories),
  };
  const http = buildHttpServer({
    config,
    logger,
    awsJson,
    awsQuery,
    database,
    verifier,
    adminRoutes: adminRoutes(services),
    webPages: webPages({ ...portalPages, emailVerification }),
  });
  registerStudioPages(http, services.studio);
  const consoleRoutes = registerConsolePages(http, {
    services: { ...services, passwordReset: portalPages.passwordReset },
    csrf: new CsrfProtection(key),
    clock,
    mailIsKept: config.smtpUrl === undefined,
    scope: () => ({
      accountId: bootstrap.account.accountId,
      region: config.region,
      principalArn: arns.root(bootstrap.account.accountId),
    }),
  });
  return { services, http, bootstrap, links, mailDelivery, stackOperations, consoleRoutes };
};
