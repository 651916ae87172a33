import { defineAwsService } from '../../aws/aws-service.js';
import { loadServiceModel } from '../../aws/models/load-model.js';
import type { InstanceMetadata, SsoAdminOperations } from '../../aws/models/sso-admin.types.js';
import { arns } from '../../core/arns.js';
import type { InstancesService } from './instances.service.js';
import type { Instance } from './instances.types.js';

const toInstanceMetadata = (instance: Instance): InstanceMetadata => ({
  InstanceArn: arns.instance(instance.instanceId),
  IdentityStoreId: instance.identityStoreId,
  OwnerAccountId: instance.ownerAccountId,
  Name: instance.name,
  CreatedDate: instance.createdAt,
  Status: instance.status,
});

/** ListInstances never returns more than 10 instances per page, whatever MaxResults says. */
const LIST_INSTANCES_PAGE = 10;

/** IAM Identity Center admin API (awsJson1_1, target SWBExternalService, signing name `sso`). */
export const ssoAdminAwsService = (instances: InstancesService) =>
  defineAwsService<SsoAdminOperations>('sso-admin', loadServiceModel('sso-admin'), {
    CreateInstance: async (input, { scope }) => {
      const instance = await instances.createInstance(scope, {
        name: input.Name,
        clientToken: input.ClientToken,
      });
      return { InstanceArn: arns.instance(instance.instanceId) };
    },
    ListInstances: async (input, { scope }) => {
      const limit = Math.min(input.MaxResults ?? LIST_INSTANCES_PAGE, LIST_INSTANCES_PAGE);
      const page = await instances.listInstances(scope, limit, input.NextToken);
      return { Instances: page.items.map(toInstanceMetadata), NextToken: page.nextToken };
    },
    DescribeInstance: async (input, { scope }) => {
      const instance = await instances.describeInstance(scope, input.InstanceArn);
      return {
        ...toInstanceMetadata(instance),
        EncryptionConfigurationDetails: {
          KeyType: instance.kmsKeyType,
          KmsKeyArn: instance.kmsKeyArn,
          EncryptionStatus: 'ENABLED',
        },
      };
    },
    UpdateInstance: async (input, { scope }) => {
      await instances.updateInstance(scope, input.InstanceArn, {
        name: input.Name,
        encryption:
          input.EncryptionConfiguration === undefined
            ? undefined
            : {
                keyType: input.EncryptionConfiguration.KeyType,
                kmsKeyArn: input.EncryptionConfiguration.KmsKeyArn,
              },
      });
      return {};
    },
    DeleteInstance: async (input, { scope }) => {
      await instances.deleteInstance(scope, input.InstanceArn);
      return {};
    },
  });
