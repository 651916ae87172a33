import type { Instance } from './instances.types.js';

export interface InstancesRepository {
  /**
   * Inserts the instance and its identity store. Throws the core's ConflictError when the account
   * (or the organization) already has an instance: the database's unique constraints decide.
   */
  insertInstanceWithIdentityStore(instance: Instance): Promise<void>;
  findInstance(instanceId: string): Promise<Instance | undefined>;
  findInstanceOfAccount(accountId: string): Promise<Instance | undefined>;
  listInstances(
    accountId: string,
    region: string,
    after: string | undefined,
    limit: number,
  ): Promise<Instance[]>;
  updateInstance(
    instanceId: string,
    changes: Partial<Pick<Instance, 'name' | 'kmsKeyType' | 'kmsKeyArn'>>,
  ): Promise<void>;
  /** Deletes the instance and its identity store with every user, group and membership in it. */
  deleteInstanceWithIdentityStore(instance: Instance): Promise<void>;
}
