import type { Organization } from './organizations.types.js';

export interface OrganizationsRepository {
  /** Fails with the core's ConflictError when the management account already has one. */
  insertOrganization(organization: Organization): Promise<void>;
  findOrganization(organizationId: string): Promise<Organization | undefined>;
}
