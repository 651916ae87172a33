import type { Clock } from '../../core/clock.js';
import { AccessDeniedError, ConflictError, NotFoundError } from '../../core/errors.js';
import { ids } from '../../core/ids.js';
import { decodePageToken, type Page, toPage } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { Account } from '../accounts/accounts.types.js';
import type { OrganizationsRepository } from './organizations.repository.js';
import type { FeatureSet, Organization, OrganizationView } from './organizations.types.js';

export interface OrganizationsRepositories {
  accounts: AccountsRepository;
  organizations: OrganizationsRepository;
}

/**
 * Hears of a management account whose e-mail address needs verifying, inside the transaction that
 * creates the organization, with that transaction's repositories: whatever it records (the
 * verification mail) commits or rolls back with the organization. The service knows no more of mail.
 */
export interface OrganizationsNotifier<R> {
  managementEmailUnverified(within: R, view: OrganizationView): Promise<void>;
  /** The transaction it heard of committed: what it recorded may go out now (the mail, at once). */
  notificationsCommitted(): void;
}

const notInUse = (): NotFoundError =>
  new NotFoundError(
    'ORGANIZATION_NOT_IN_USE',
    'Your account is not a member of an organization. To make this request, you must use the credentials of an account that belongs to an organization.',
  );

/** AWS Organizations, as far as Identity Center needs it: one organization, its accounts. */
export class OrganizationsService<R extends OrganizationsRepositories = OrganizationsRepositories> {
  constructor(
    private readonly uow: UnitOfWork<R>,
    private readonly clock: Clock,
    private readonly notifier?: OrganizationsNotifier<R>,
  ) {}

  /**
   * The caller's account becomes the management account. As in AWS, an address that was never
   * verified gets a verification link (valid 24 hours); creating the organization does not wait.
   */
  async createOrganization(scope: Scope, featureSet: FeatureSet = 'ALL'): Promise<OrganizationView> {
    const { view, notified } = await this.uow.transaction(async (repositories) => {
      const { accounts, organizations } = repositories;
      const account = await this.callerAccount(accounts, scope);
      if (account.organizationId !== undefined) {
        throw new ConflictError(
          'ALREADY_IN_ORGANIZATION',
          'The AWS account is already a member of an organization.',
        );
      }
      const now = this.clock.now();
      const organization: Organization = {
        organizationId: ids.organizationId(),
        managementAccountId: account.accountId,
        featureSet,
        rootId: ids.rootId(),
        createdAt: now,
      };
      await organizations.insertOrganization(organization);
      // AWS lists the management account as INVITED in its own examples, so we do too.
      await accounts.joinOrganization(account.accountId, organization.organizationId, 'INVITED', now);
      const view: OrganizationView = {
        organization,
        managementAccount: {
          ...account,
          organizationId: organization.organizationId,
          joinedMethod: 'INVITED',
          joinedAt: now,
        },
      };
      const unverified = account.emailVerifiedAt === undefined;
      if (unverified) await this.notifier?.managementEmailUnverified(repositories, view);
      return { view, notified: unverified };
    });
    if (notified) this.notifier?.notificationsCommitted();
    return view;
  }

  async describeOrganization(scope: Scope): Promise<OrganizationView> {
    const { accounts, organizations } = this.uow.repositories;
    const account = await this.callerAccount(accounts, scope);
    const organization =
      account.organizationId === undefined
        ? undefined
        : await organizations.findOrganization(account.organizationId);
    if (organization === undefined) throw notInUse();
    const managementAccount =
      organization.managementAccountId === account.accountId
        ? account
        : await accounts.findAccount(organization.managementAccountId);
    if (managementAccount === undefined) throw notInUse();
    return { organization, managementAccount };
  }

  async listAccounts(
    scope: Scope,
    limit: number,
    nextToken?: string,
  ): Promise<{ organization: Organization; page: Page<Account> }> {
    const { organization } = await this.managedOrganization(scope);
    const after = decodePageToken('accounts', nextToken);
    const rows = await this.uow.repositories.accounts.listAccountsInOrganization(
      organization.organizationId,
      after,
      limit + 1,
    );
    return { organization, page: toPage('accounts', rows, limit, (a) => a.accountId) };
  }

  async describeAccount(
    scope: Scope,
    accountId: string,
  ): Promise<{ organization: Organization; account: Account }> {
    const { organization } = await this.managedOrganization(scope);
    const account = await this.uow.repositories.accounts.findAccount(accountId);
    if (account === undefined || account.organizationId !== organization.organizationId) {
      throw new NotFoundError('ACCOUNT_NOT_FOUND', "You specified an account that doesn't exist.");
    }
    return { organization, account };
  }

  /** Listing and describing accounts is for the management account only, as in AWS. */
  private async managedOrganization(scope: Scope): Promise<OrganizationView> {
    const view = await this.describeOrganization(scope);
    if (view.organization.managementAccountId !== scope.accountId) {
      throw new AccessDeniedError(
        "You don't have permissions to access this resource. This operation can be called only from the organization's management account.",
      );
    }
    return view;
  }

  private async callerAccount(accounts: AccountsRepository, scope: Scope): Promise<Account> {
    const account = await accounts.findAccount(scope.accountId);
    if (account === undefined) throw notInUse();
    return account;
  }
}
