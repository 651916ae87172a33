import { instanceIdFromArn } from '../../core/arns.js';
import type { Clock } from '../../core/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { ids } from '../../core/ids.js';
import { decodePageToken, type Page, toPage } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { InstancesRepository } from './instances.repository.js';
import { INSTANCE_EXISTS_MESSAGE, type Instance, type KmsKeyType } from './instances.types.js';

export interface InstancesRepositories {
  accounts: AccountsRepository;
  instances: InstancesRepository;
}

export interface CreateInstanceRequest {
  name?: string;
  clientToken?: string;
}

export interface UpdateInstanceRequest {
  name?: string;
  encryption?: { keyType: KmsKeyType; kmsKeyArn?: string };
}

/**
 * IAM Identity Center instances. AWS makes the organization instance only through the console's
 * "Enable"; here CreateInstance called by an organization's management account makes that
 * organization instance (the console calls this same service), so the whole guide can be driven
 * from the CLI. Anywhere else it makes an account instance. One instance per account, all Regions.
 */
export class InstancesService {
  constructor(
    private readonly uow: UnitOfWork<InstancesRepositories>,
    private readonly clock: Clock,
  ) {}

  async createInstance(scope: Scope, request: CreateInstanceRequest): Promise<Instance> {
    const { accounts, instances } = this.uow.repositories;
    const existing = await instances.findInstanceOfAccount(scope.accountId);
    if (existing !== undefined) {
      // A retried call with the same idempotency token gets the instance it made the first time.
      if (request.clientToken !== undefined && existing.clientToken === request.clientToken) return existing;
      throw new ConflictError('INSTANCE_EXISTS', INSTANCE_EXISTS_MESSAGE);
    }
    const account = await accounts.findAccount(scope.accountId);
    const instanceId = ids.instanceId();
    const instance: Instance = {
      instanceId,
      ownerAccountId: scope.accountId,
      organizationId: account?.organizationId,
      region: scope.region,
      name: request.name,
      // Creation is immediate here; AWS passes through CREATE_IN_PROGRESS for a few seconds.
      status: 'ACTIVE',
      identityStoreId: ids.identityStoreId(),
      clientToken: request.clientToken,
      kmsKeyType: 'AWS_OWNED_KMS_KEY',
      createdAt: this.clock.now(),
    };
    await this.uow.transaction((repositories) =>
      repositories.instances.insertInstanceWithIdentityStore(instance),
    );
    return instance;
  }

  async listInstances(scope: Scope, limit: number, nextToken?: string): Promise<Page<Instance>> {
    const after = decodePageToken('instances', nextToken);
    const rows = await this.uow.repositories.instances.listInstances(
      scope.accountId,
      scope.region,
      after,
      limit + 1,
    );
    return toPage('instances', rows, limit, (i) => i.instanceId);
  }

  async describeInstance(scope: Scope, instanceArn: string): Promise<Instance> {
    return this.ownedInstance(scope, instanceArn);
  }

  async updateInstance(scope: Scope, instanceArn: string, request: UpdateInstanceRequest): Promise<void> {
    const instance = await this.ownedInstance(scope, instanceArn);
    if (
      request.encryption?.keyType === 'CUSTOMER_MANAGED_KEY' &&
      request.encryption.kmsKeyArn === undefined
    ) {
      throw new ValidationError('KmsKeyArn is required when KeyType is CUSTOMER_MANAGED_KEY.');
    }
    await this.uow.repositories.instances.updateInstance(instance.instanceId, {
      ...(request.name !== undefined ? { name: request.name } : {}),
      ...(request.encryption !== undefined
        ? { kmsKeyType: request.encryption.keyType, kmsKeyArn: request.encryption.kmsKeyArn }
        : {}),
    });
  }

  /** Deletes the instance and, with it, its identity store and everything in it. */
  async deleteInstance(scope: Scope, instanceArn: string): Promise<void> {
    const instance = await this.ownedInstance(scope, instanceArn);
    await this.uow.transaction((repositories) =>
      repositories.instances.deleteInstanceWithIdentityStore(instance),
    );
  }

  /**
   * The caller's own instance (an account has at most one), for callers that name no instance:
   * the studio-sso commands and the console. Not found when the account has none in this Region.
   */
  async callerInstance(scope: Scope): Promise<Instance> {
    const instance = await this.uow.repositories.instances.findInstanceOfAccount(scope.accountId);
    if (instance === undefined || instance.region !== scope.region) {
      throw new NotFoundError(
        'INSTANCE_NOT_FOUND',
        `Account ${scope.accountId} has no IAM Identity Center instance in ${scope.region}.`,
        { resourceType: 'INSTANCE' },
      );
    }
    return instance;
  }

  /** The instance, if the caller owns it and it lives in the caller's Region; else not found. */
  async ownedInstance(scope: Scope, instanceArn: string): Promise<Instance> {
    const instanceId = instanceIdFromArn(instanceArn);
    const instance =
      instanceId === undefined ? undefined : await this.uow.repositories.instances.findInstance(instanceId);
    if (
      instance === undefined ||
      instance.ownerAccountId !== scope.accountId ||
      instance.region !== scope.region
    ) {
      throw new NotFoundError('INSTANCE_NOT_FOUND', `Instance ${instanceArn} does not exist.`, {
        resourceType: 'INSTANCE',
        resourceId: instanceArn,
      });
    }
    return instance;
  }
}
