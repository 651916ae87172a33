import type { Account } from '../accounts/accounts.types.js';

export type FeatureSet = 'ALL' | 'CONSOLIDATED_BILLING';

export interface Organization {
  organizationId: string;
  managementAccountId: string;
  featureSet: FeatureSet;
  rootId: string;
  createdAt: Date;
}

/** The organization together with its management account, as DescribeOrganization shows it. */
export interface OrganizationView {
  organization: Organization;
  managementAccount: Account;
}
