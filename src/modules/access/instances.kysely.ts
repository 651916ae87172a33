import type { Kysely, Selectable } from 'kysely';
import { ConflictError } from '../../core/errors.js';
import { onUniqueViolation } from '../../storage/constraint-violations.js';
import type { Schema } from '../../storage/schema.js';
import type { SsoInstancesTable } from './access.tables.js';
import type { InstancesRepository } from './instances.repository.js';
import {
  INSTANCE_EXISTS_MESSAGE,
  type Instance,
  type InstanceStatus,
  type KmsKeyType,
} from './instances.types.js';

const toInstance = (row: Selectable<SsoInstancesTable>): Instance => ({
  instanceId: row.instance_id,
  ownerAccountId: row.owner_account_id,
  organizationId: row.organization_id ?? undefined,
  region: row.region,
  name: row.name ?? undefined,
  status: row.status as InstanceStatus,
  identityStoreId: row.identity_store_id,
  clientToken: row.client_token ?? undefined,
  kmsKeyType: row.kms_key_type as KmsKeyType,
  kmsKeyArn: row.kms_key_arn ?? undefined,
  createdAt: new Date(row.created_at),
});

export class InstancesKysely implements InstancesRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async insertInstanceWithIdentityStore(instance: Instance): Promise<void> {
    await onUniqueViolation(
      async () => {
        await this.db
          .insertInto('identity_stores')
          .values({
            identity_store_id: instance.identityStoreId,
            account_id: instance.ownerAccountId,
            region: instance.region,
            created_at: instance.createdAt.getTime(),
          })
          .execute();
        await this.db
          .insertInto('sso_instances')
          .values({
            instance_id: instance.instanceId,
            owner_account_id: instance.ownerAccountId,
            organization_id: instance.organizationId ?? null,
            region: instance.region,
            name: instance.name ?? null,
            status: instance.status,
            identity_store_id: instance.identityStoreId,
            client_token: instance.clientToken ?? null,
            kms_key_type: instance.kmsKeyType,
            kms_key_arn: instance.kmsKeyArn ?? null,
            created_at: instance.createdAt.getTime(),
          })
          .execute();
      },
      () => new ConflictError('INSTANCE_EXISTS', INSTANCE_EXISTS_MESSAGE),
    );
  }

  async findInstance(instanceId: string): Promise<Instance | undefined> {
    const row = await this.db
      .selectFrom('sso_instances')
      .selectAll()
      .where('instance_id', '=', instanceId)
      .executeTakeFirst();
    return row === undefined ? undefined : toInstance(row);
  }

  async findInstanceOfAccount(accountId: string): Promise<Instance | undefined> {
    const row = await this.db
      .selectFrom('sso_instances')
      .selectAll()
      .where('owner_account_id', '=', accountId)
      .executeTakeFirst();
    return row === undefined ? undefined : toInstance(row);
  }

  async listInstances(
    accountId: string,
    region: string,
    after: string | undefined,
    limit: number,
  ): Promise<Instance[]> {
    let query = this.db
      .selectFrom('sso_instances')
      .selectAll()
      .where('owner_account_id', '=', accountId)
      .where('region', '=', region);
    if (after !== undefined) query = query.where('instance_id', '>', after);
    return (await query.orderBy('instance_id').limit(limit).execute()).map(toInstance);
  }

  async updateInstance(
    instanceId: string,
    changes: Partial<Pick<Instance, 'name' | 'kmsKeyType' | 'kmsKeyArn'>>,
  ): Promise<void> {
    const set: Partial<Selectable<SsoInstancesTable>> = {};
    if ('name' in changes) set.name = changes.name ?? null;
    if (changes.kmsKeyType !== undefined) set.kms_key_type = changes.kmsKeyType;
    if ('kmsKeyArn' in changes) set.kms_key_arn = changes.kmsKeyArn ?? null;
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('sso_instances').set(set).where('instance_id', '=', instanceId).execute();
  }

  async deleteInstanceWithIdentityStore(instance: Instance): Promise<void> {
    await this.db.deleteFrom('sso_instances').where('instance_id', '=', instance.instanceId).execute();
    // External IDs have no foreign key (they point at users or groups), so they go explicitly.
    await this.db
      .deleteFrom('external_ids')
      .where('identity_store_id', '=', instance.identityStoreId)
      .execute();
    // Users, groups and memberships go with the store (ON DELETE CASCADE in both dialects).
    await this.db
      .deleteFrom('identity_stores')
      .where('identity_store_id', '=', instance.identityStoreId)
      .execute();
  }
}
