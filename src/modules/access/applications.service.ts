import { applicationArnParts, arns } from '../../core/arns.js';
import type { Clock } from '../../core/clock.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { ids } from '../../core/ids.js';
import { decodePageToken, type Page, toPage } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import { joinedUnitOfWork, type UnitOfWork } from '../../core/unit-of-work.js';
import {
  APPLICATION_PROVIDERS,
  CUSTOM_PROVIDER_ARN,
  findApplicationProvider,
} from './application-providers.js';
import type { ApplicationsRepository, PrincipalRef } from './applications.repository.js';
import type {
  Application,
  ApplicationAssignment,
  ApplicationProvider,
  ApplicationStatus,
  PortalOptions,
  Principal,
  SignInOptions,
} from './applications.types.js';
import type { InstancesRepository } from './instances.repository.js';
import type { InstancesService } from './instances.service.js';
import type { Instance } from './instances.types.js';

export interface ApplicationsRepositories {
  instances: InstancesRepository;
  applications: ApplicationsRepository;
}

export interface CreateApplicationRequest {
  instanceArn: string;
  providerArn: string;
  name: string;
  description?: string;
  portalOptions?: PortalOptions;
  status?: ApplicationStatus;
  clientToken?: string;
}

export interface UpdateApplicationRequest {
  name?: string;
  description?: string;
  status?: ApplicationStatus;
  /** Replaces the sign-in options; the portal visibility is not updatable (as UpdateApplication's). */
  signInOptions?: SignInOptions;
}

export interface ListApplicationsRequest {
  limit: number;
  nextToken?: string;
  filter?: { accountId?: string; providerArn?: string };
}

export interface PageRequest {
  limit: number;
  nextToken?: string;
}

/** What an AWS service (SageMaker) registers for a resource of its own, e.g. a Studio domain. */
export interface RegisterManagedApplicationRequest {
  instance: Instance;
  name: string;
  /** An AWS-managed provider of the catalog, e.g. SAGEMAKER_PROVIDER_ARN. */
  providerArn: string;
  description?: string;
  portalOptions?: PortalOptions;
  /** The caller's ARN, recorded as the creator. */
  createdBy?: string;
}

/** The transaction's repositories (or the plain ones) that a managed registration writes through. */
export type ManagedApplicationRepositories = Pick<ApplicationsRepositories, 'applications'>;

const applicationNotFound = (applicationArn: string): NotFoundError =>
  new NotFoundError('APPLICATION_NOT_FOUND', `Application ${applicationArn} does not exist.`, {
    resourceType: 'APPLICATION',
    resourceId: applicationArn,
  });

const principalNotFound = (principal: Principal): NotFoundError =>
  new NotFoundError(
    principal.type === 'USER' ? 'USER_NOT_FOUND' : 'GROUP_NOT_FOUND',
    `${principal.type === 'USER' ? 'User' : 'Group'} ${principal.id} does not exist in the identity store of this instance.`,
    { resourceType: principal.type, resourceId: principal.id },
  );

const checkPortalOptions = (options: PortalOptions | undefined): void => {
  const signIn = options?.signInOptions;
  if (signIn?.origin === 'APPLICATION' && signIn.applicationUrl === undefined) {
    throw new ValidationError('ApplicationUrl is required when the sign-in Origin is APPLICATION.');
  }
};

/**
 * IAM Identity Center applications (AWS sso-admin) and their assignments: the stored facts. What
 * they mean for a user, effective access, is AccessService's, in one place.
 *
 * Customer-managed applications come and go through CreateApplication/DeleteApplication. AWS-managed
 * ones (the "Amazon SageMaker Studio (d-…)" application of an SSO domain) are registered and removed
 * by the module that manages them, inside its own transaction, through `registerManagedApplication`
 * and `removeManagedApplication`; the API can assign them, configure their assignment requirement,
 * and neither update nor delete them.
 */
export class ApplicationsService {
  constructor(
    private readonly uow: UnitOfWork<ApplicationsRepositories>,
    private readonly instances: InstancesService,
    private readonly clock: Clock,
  ) {}

  private get repository(): ApplicationsRepository {
    return this.uow.repositories.applications;
  }

  // Providers

  listApplicationProviders(request: PageRequest): Page<ApplicationProvider> {
    const after = decodePageToken('application-providers', request.nextToken);
    const rows = APPLICATION_PROVIDERS.filter((p) => after === undefined || p.arn > after).slice(
      0,
      request.limit + 1,
    );
    return toPage('application-providers', rows, request.limit, (p) => p.arn);
  }

  describeApplicationProvider(providerArn: string): ApplicationProvider {
    const provider = findApplicationProvider(providerArn);
    if (provider === undefined) {
      throw new NotFoundError(
        'APPLICATION_PROVIDER_NOT_FOUND',
        `Application provider ${providerArn} does not exist.`,
        { resourceType: 'APPLICATION_PROVIDER', resourceId: providerArn },
      );
    }
    return provider;
  }

  // Applications

  /**
   * A customer-managed application of the custom OAuth provider. A retried call with the same
   * ClientToken gets the application the first call made.
   */
  async createApplication(scope: Scope, request: CreateApplicationRequest): Promise<Application> {
    const instance = await this.instances.ownedInstance(scope, request.instanceArn);
    const provider = this.describeApplicationProvider(request.providerArn);
    if (!provider.creatableThroughApi) {
      throw new ValidationError(
        provider.managedBy !== undefined
          ? `${provider.displayName} applications are AWS managed: the AWS service creates them (Amazon SageMaker, for each domain that uses IAM Identity Center). CreateApplication creates customer managed applications of ${CUSTOM_PROVIDER_ARN} only.`
          : `${provider.displayName}s are created in the console only. CreateApplication creates customer managed applications of ${CUSTOM_PROVIDER_ARN} only.`,
        'APPLICATION_PROVIDER_NOT_SUPPORTED',
      );
    }
    checkPortalOptions(request.portalOptions);
    if (request.clientToken !== undefined) {
      const existing = await this.repository.findApplicationByClientToken(
        instance.instanceId,
        request.clientToken,
      );
      if (existing !== undefined) return existing;
    }
    const application: Application = {
      applicationId: ids.applicationId(),
      instanceId: instance.instanceId,
      identityStoreId: instance.identityStoreId,
      accountId: instance.ownerAccountId,
      region: instance.region,
      name: request.name,
      description: request.description,
      providerArn: provider.arn,
      status: request.status ?? 'ENABLED',
      portalOptions: request.portalOptions,
      assignmentRequired: true,
      clientToken: request.clientToken,
      createdAt: this.clock.now(),
      createdBy: scope.principalArn,
    };
    try {
      await this.repository.insertApplication(application);
    } catch (error) {
      // Two retries of one call at the same moment: the one that lost returns the winner's.
      if (request.clientToken !== undefined) {
        const winner = await this.repository.findApplicationByClientToken(
          instance.instanceId,
          request.clientToken,
        );
        if (winner !== undefined) return winner;
      }
      throw error;
    }
    return application;
  }

  async describeApplication(scope: Scope, applicationArn: string): Promise<Application> {
    return this.ownedApplication(scope, applicationArn);
  }

  async listApplications(
    scope: Scope,
    instanceArn: string,
    request: ListApplicationsRequest,
  ): Promise<Page<Application>> {
    const instance = await this.instances.ownedInstance(scope, instanceArn);
    const listing = `applications:${instance.instanceId}`;
    const after = decodePageToken(listing, request.nextToken);
    const rows = await this.repository.listApplications(instance.instanceId, request.filter ?? {}, {
      after,
      limit: request.limit + 1,
    });
    return toPage(listing, rows, request.limit, (a) => a.applicationId);
  }

  async updateApplication(
    scope: Scope,
    applicationArn: string,
    request: UpdateApplicationRequest,
  ): Promise<void> {
    const application = await this.ownedApplication(scope, applicationArn);
    this.refuseManaged(application, 'updated');
    const portalOptions =
      request.signInOptions === undefined
        ? undefined
        : { ...application.portalOptions, signInOptions: request.signInOptions };
    checkPortalOptions(portalOptions);
    const updated = await this.repository.updateApplication(application.applicationId, {
      ...(request.name !== undefined ? { name: request.name } : {}),
      ...(request.description !== undefined ? { description: request.description } : {}),
      ...(request.status !== undefined ? { status: request.status } : {}),
      ...(portalOptions !== undefined ? { portalOptions } : {}),
    });
    if (!updated) throw applicationNotFound(applicationArn);
  }

  /** Deletes the application with every assignment to it. */
  async deleteApplication(scope: Scope, applicationArn: string): Promise<void> {
    const application = await this.ownedApplication(scope, applicationArn);
    this.refuseManaged(application, 'deleted');
    if (!(await this.repository.deleteApplication(application.applicationId))) {
      throw applicationNotFound(applicationArn);
    }
  }

  async putAssignmentConfiguration(
    scope: Scope,
    applicationArn: string,
    assignmentRequired: boolean,
  ): Promise<void> {
    const application = await this.ownedApplication(scope, applicationArn);
    if (!(await this.repository.updateApplication(application.applicationId, { assignmentRequired }))) {
      throw applicationNotFound(applicationArn);
    }
  }

  async getAssignmentConfiguration(scope: Scope, applicationArn: string): Promise<boolean> {
    return (await this.ownedApplication(scope, applicationArn)).assignmentRequired;
  }

  // Assignments

  /**
   * Assigns a user or group of the instance's identity store. A principal of any other store does
   * not exist as far as this instance is concerned (ResourceNotFound); a second assignment of the
   * same principal is a ConflictError.
   */
  async createAssignment(
    scope: Scope,
    applicationArn: string,
    principal: Principal,
  ): Promise<ApplicationAssignment> {
    const application = await this.ownedApplication(scope, applicationArn);
    await this.existingPrincipal(application.identityStoreId, principal);
    const assignment: ApplicationAssignment = {
      applicationId: application.applicationId,
      principal,
      createdAt: this.clock.now(),
      createdBy: scope.principalArn,
    };
    await this.repository.insertAssignment(assignment);
    return assignment;
  }

  /**
   * Assigns several users and groups at once (the console's "Assign users and groups"), in one
   * transaction: when one of them cannot be assigned (already assigned, gone), none is, and the
   * error says which. A principal named twice is assigned once.
   */
  async createAssignments(
    scope: Scope,
    applicationArn: string,
    principals: readonly Principal[],
  ): Promise<ApplicationAssignment[]> {
    const distinct = [
      ...new Map(principals.map((principal) => [`${principal.type}:${principal.id}`, principal])).values(),
    ];
    return this.uow.transaction(async (within) => {
      const inTransaction = new ApplicationsService(joinedUnitOfWork(within), this.instances, this.clock);
      const assignments: ApplicationAssignment[] = [];
      for (const principal of distinct) {
        assignments.push(await inTransaction.createAssignment(scope, applicationArn, principal));
      }
      return assignments;
    });
  }

  async deleteAssignment(scope: Scope, applicationArn: string, principal: Principal): Promise<void> {
    const application = await this.ownedApplication(scope, applicationArn);
    if (!(await this.repository.deleteAssignment(application.applicationId, principal))) {
      throw assignmentNotFound(applicationArn, principal);
    }
  }

  async describeAssignment(
    scope: Scope,
    applicationArn: string,
    principal: Principal,
  ): Promise<ApplicationAssignment> {
    const application = await this.ownedApplication(scope, applicationArn);
    const assignment = await this.repository.findAssignment(application.applicationId, principal);
    if (assignment === undefined) throw assignmentNotFound(applicationArn, principal);
    return assignment;
  }

  /** Which of these users and groups (by ID) are assigned to the application themselves: one query. */
  async assignedAmong(scope: Scope, applicationArn: string, principalIds: string[]): Promise<Set<string>> {
    const application = await this.ownedApplication(scope, applicationArn);
    return new Set(await this.repository.findAssignedPrincipalIds(application.applicationId, principalIds));
  }

  /** The application's own (direct) assignments, users and groups, by principal ID. */
  async listAssignments(
    scope: Scope,
    applicationArn: string,
    request: PageRequest,
  ): Promise<Page<ApplicationAssignment>> {
    const application = await this.ownedApplication(scope, applicationArn);
    const listing = `application-assignments:${application.applicationId}`;
    const after = decodePageToken(listing, request.nextToken);
    const rows = await this.repository.listAssignmentsOfApplication(application.applicationId, {
      after,
      limit: request.limit + 1,
    });
    return toPage(listing, rows, request.limit, (a) => a.principal.id);
  }

  /**
   * The instance's applications the principal is assigned to, one entry per application, by ID.
   * For a USER that means the assignments that count for it: its own, and those of the groups it is
   * a DIRECT member of (never through nested groups, as effective access has it); for a GROUP, its
   * own. AWS documents only "the applications to which a specified principal is assigned"; counting
   * direct groups makes the listing answer the question callers ask it (which applications does
   * alice get), and agree with the access decision. Whether an application requires assignment at
   * all is not considered: this lists assignments, not access.
   */
  async listAssignmentsForPrincipal(
    scope: Scope,
    instanceArn: string,
    principal: Principal,
    request: PageRequest & { applicationArn?: string },
  ): Promise<Page<{ applicationArn: string; applicationId: string }>> {
    const instance = await this.instances.ownedInstance(scope, instanceArn);
    await this.existingPrincipal(instance.identityStoreId, principal);
    let applicationId: string | undefined;
    if (request.applicationArn !== undefined) {
      const parts = applicationArnParts(request.applicationArn);
      // A filter naming another instance's application (or none) matches nothing.
      if (
        parts === undefined ||
        parts.instanceId !== instance.instanceId ||
        parts.accountId !== instance.ownerAccountId
      )
        return { items: [] };
      applicationId = parts.applicationId;
    }
    const listing = `assignments-for:${principal.type}:${principal.id}:${applicationId ?? ''}`;
    const after = decodePageToken(listing, request.nextToken);
    const rows = await this.repository.listApplicationIdsAssignedTo(instance.instanceId, principal, {
      after,
      limit: request.limit + 1,
      applicationId,
    });
    const page = toPage(listing, rows, request.limit, (id) => id);
    return {
      ...page,
      // Every application of an instance belongs to the instance's owner (see createApplication).
      items: page.items.map((id) => ({
        applicationId: id,
        applicationArn: arns.application(instance.ownerAccountId, instance.instanceId, id),
      })),
    };
  }

  // AWS-managed applications, for the modules that manage them

  /**
   * Registers an AWS-managed application through the given repositories, so that it lands in the
   * caller's transaction: `uow.transaction(async (r) => { …; await applications.registerManagedApplication(r, …) })`.
   * Assignment is required, as for every new application.
   */
  async registerManagedApplication(
    within: ManagedApplicationRepositories,
    request: RegisterManagedApplicationRequest,
  ): Promise<Application> {
    const provider = this.describeApplicationProvider(request.providerArn);
    if (provider.managedBy === undefined) {
      throw new ValidationError(`${request.providerArn} is not the provider of an AWS managed application.`);
    }
    checkPortalOptions(request.portalOptions);
    const { instance } = request;
    const application: Application = {
      applicationId: ids.applicationId(),
      instanceId: instance.instanceId,
      identityStoreId: instance.identityStoreId,
      accountId: instance.ownerAccountId,
      region: instance.region,
      name: request.name,
      description: request.description,
      providerArn: provider.arn,
      status: 'ENABLED',
      portalOptions: request.portalOptions,
      assignmentRequired: true,
      managedBy: provider.managedBy,
      createdAt: this.clock.now(),
      createdBy: request.createdBy,
    };
    await within.applications.insertApplication(application);
    return application;
  }

  /** Removes an AWS-managed application and its assignments, in the caller's transaction; false when gone. */
  async removeManagedApplication(
    within: ManagedApplicationRepositories,
    applicationId: string,
  ): Promise<boolean> {
    const application = await within.applications.findApplication(applicationId);
    if (application === undefined) return false;
    if (application.managedBy === undefined) {
      throw new ValidationError(
        `Application ${applicationId} is customer managed; delete it with DeleteApplication.`,
      );
    }
    return within.applications.deleteApplication(applicationId);
  }

  // Lookups shared with other modules

  /** The application, when the caller's account owns it in the caller's Region; else not found. */
  async ownedApplication(scope: Scope, applicationArn: string): Promise<Application> {
    const parts = applicationArnParts(applicationArn);
    const application =
      parts === undefined ? undefined : await this.repository.findApplication(parts.applicationId);
    if (
      parts === undefined ||
      application === undefined ||
      application.instanceId !== parts.instanceId ||
      application.accountId !== parts.accountId ||
      application.accountId !== scope.accountId ||
      application.region !== scope.region
    ) {
      throw applicationNotFound(applicationArn);
    }
    return application;
  }

  /**
   * The application a person names: by ARN, or by its exact name in the caller's instance. Names
   * need not be unique; when several applications share one, the caller must use the ARN.
   */
  async resolveApplication(scope: Scope, nameOrArn: string): Promise<Application> {
    if (nameOrArn.startsWith('arn:')) return this.ownedApplication(scope, nameOrArn);
    const instance = await this.uow.repositories.instances.findInstanceOfAccount(scope.accountId);
    const found =
      instance === undefined || instance.region !== scope.region
        ? []
        : await this.repository.findApplicationsByName(instance.instanceId, nameOrArn);
    const [first, ...others] = found;
    if (first === undefined) {
      throw new NotFoundError('APPLICATION_NOT_FOUND', `No application is named ${nameOrArn}.`, {
        resourceType: 'APPLICATION',
        resourceId: nameOrArn,
      });
    }
    if (others.length > 0) {
      throw new ValidationError(
        `${found.length} applications are named ${nameOrArn}; name one by its ARN: ${found.map(applicationArnOf).join(', ')}.`,
        'AMBIGUOUS_APPLICATION_NAME',
      );
    }
    return first;
  }

  private async existingPrincipal(identityStoreId: string, principal: Principal): Promise<PrincipalRef> {
    const found = await this.repository.findPrincipal(identityStoreId, principal);
    if (found === undefined) throw principalNotFound(principal);
    return found;
  }

  private refuseManaged(application: Application, verb: 'updated' | 'deleted'): void {
    if (application.managedBy === undefined) return;
    const provider = findApplicationProvider(application.providerArn);
    throw new ValidationError(
      `Application ${application.name} is AWS managed (${provider?.displayName ?? application.managedBy}) and cannot be ${verb} through this API; ${
        application.managedBy === 'sagemaker'
          ? 'it goes with the SageMaker domain that registered it.'
          : 'the AWS service that registered it manages it.'
      }`,
      'MANAGED_APPLICATION',
    );
  }
}

/** The ARN of an application. */
export const applicationArnOf = (application: Application): string =>
  arns.application(application.accountId, application.instanceId, application.applicationId);

const assignmentNotFound = (applicationArn: string, principal: Principal): NotFoundError =>
  new NotFoundError(
    'APPLICATION_ASSIGNMENT_NOT_FOUND',
    `${principal.type === 'USER' ? 'User' : 'Group'} ${principal.id} is not assigned to application ${applicationArn}.`,
    { resourceType: 'APPLICATION_ASSIGNMENT', resourceId: principal.id },
  );
