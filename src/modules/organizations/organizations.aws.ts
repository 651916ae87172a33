import { defineAwsService } from '../../aws/aws-service.js';
import { loadServiceModel } from '../../aws/models/load-model.js';
import type {
  OrganizationsOperations,
  Account as WireAccount,
  Organization as WireOrganization,
} from '../../aws/models/organizations.types.js';
import { arns } from '../../core/arns.js';
import type { Account } from '../accounts/accounts.types.js';
import type { OrganizationsService } from './organizations.service.js';
import type { Organization, OrganizationView } from './organizations.types.js';

const toWireOrganization = ({ organization, managementAccount }: OrganizationView): WireOrganization => ({
  Id: organization.organizationId,
  Arn: arns.organization(organization.managementAccountId, organization.organizationId),
  FeatureSet: organization.featureSet,
  MasterAccountArn: arns.account(
    organization.managementAccountId,
    organization.organizationId,
    organization.managementAccountId,
  ),
  MasterAccountId: organization.managementAccountId,
  MasterAccountEmail: managementAccount.email,
  // Deprecated member that AWS still returns: SCPs are available with all features only.
  AvailablePolicyTypes:
    organization.featureSet === 'ALL' ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] : [],
});

const toWireAccount = (organization: Organization, account: Account): WireAccount => ({
  Id: account.accountId,
  Arn: arns.account(organization.managementAccountId, organization.organizationId, account.accountId),
  Email: account.email,
  Name: account.name,
  Status: 'ACTIVE',
  State: 'ACTIVE',
  JoinedMethod: account.joinedMethod ?? 'INVITED',
  JoinedTimestamp: account.joinedAt ?? account.createdAt,
  Paths: [`${organization.organizationId}/${organization.rootId}/${account.accountId}/`],
});

/** AWS Organizations (awsJson1_1, target AWSOrganizationsV20161128): wire ⇄ domain only. */
export const organizationsAwsService = (service: OrganizationsService) =>
  defineAwsService<OrganizationsOperations>('organizations', loadServiceModel('organizations'), {
    CreateOrganization: async (input, { scope }) => ({
      Organization: toWireOrganization(await service.createOrganization(scope, input.FeatureSet)),
    }),
    DescribeOrganization: async (_input, { scope }) => ({
      Organization: toWireOrganization(await service.describeOrganization(scope)),
    }),
    ListAccounts: async (input, { scope }) => {
      // The model caps MaxResults at 20; without it AWS pages by 20 as well.
      const { organization, page } = await service.listAccounts(
        scope,
        input.MaxResults ?? 20,
        input.NextToken,
      );
      return { Accounts: page.items.map((a) => toWireAccount(organization, a)), NextToken: page.nextToken };
    },
    DescribeAccount: async (input, { scope }) => {
      const { organization, account } = await service.describeAccount(scope, input.AccountId);
      return { Account: toWireAccount(organization, account) };
    },
  });
