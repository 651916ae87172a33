import type { Kysely } from 'kysely';
import { ConflictError } from '../../core/errors.js';
import { onUniqueViolation } from '../../storage/constraint-violations.js';
import type { Schema } from '../../storage/schema.js';
import type { OrganizationsRepository } from './organizations.repository.js';
import type { FeatureSet, Organization } from './organizations.types.js';

export class OrganizationsKysely implements OrganizationsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async insertOrganization(organization: Organization): Promise<void> {
    await onUniqueViolation(
      () =>
        this.db
          .insertInto('organizations')
          .values({
            organization_id: organization.organizationId,
            management_account_id: organization.managementAccountId,
            feature_set: organization.featureSet,
            root_id: organization.rootId,
            created_at: organization.createdAt.getTime(),
          })
          .execute(),
      () =>
        new ConflictError(
          'ALREADY_IN_ORGANIZATION',
          'The AWS account is already a member of an organization.',
        ),
    );
  }

  async findOrganization(organizationId: string): Promise<Organization | undefined> {
    const row = await this.db
      .selectFrom('organizations')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      organizationId: row.organization_id,
      managementAccountId: row.management_account_id,
      featureSet: row.feature_set as FeatureSet,
      rootId: row.root_id,
      createdAt: new Date(row.created_at),
    };
  }
}
