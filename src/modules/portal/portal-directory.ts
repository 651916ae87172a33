import type { InstancesRepository } from '../access/instances.repository.js';

/** The identity store whose users sign in at /start: that of the installation's own instance. */
export interface PortalDirectory {
  identityStoreId: string;
  instanceId: string;
  /** The account and Region of the instance: the scope the portal asks the access decision in. */
  accountId: string;
  region: string;
}

/** Finds the portal's directory, which exists once IAM Identity Center is enabled. */
export class PortalDirectories {
  constructor(
    private readonly instances: InstancesRepository,
    /** The account whose IAM Identity Center instance the portal serves: the installation's own. */
    private readonly accountId: string,
  ) {}

  async find(): Promise<PortalDirectory | undefined> {
    const instance = await this.instances.findInstanceOfAccount(this.accountId);
    return instance === undefined
      ? undefined
      : {
          identityStoreId: instance.identityStoreId,
          instanceId: instance.instanceId,
          accountId: this.accountId,
          region: instance.region,
        };
  }
}
