import { loadServiceModel } from '../../aws/models/load-model.js';
import { isAppError } from '../../core/errors.js';
import { modelInput } from '../cloudformation/model-properties.js';
import type { ResourceProvider } from '../cloudformation/resource-providers.js';
import type { IdentityStoreService } from './identity-store.service.js';

/**
 * CloudFormation's AWS::IdentityStore types, on IdentityStoreService. Ref returns
 * `GroupId|IdentityStoreId` and `MembershipId|IdentityStoreId`, as AWS documents.
 */

export interface IdentityStoreCfnServices {
  identityStore: IdentityStoreService;
}

const model = loadServiceModel('identitystore');
const createGroupInput = modelInput(model, 'CreateGroup');
const createMembershipInput = modelInput(model, 'CreateGroupMembership');

/** Deleting what is already gone succeeds, as CloudFormation's delete handlers treat NotFound. */
const unlessGone = async (work: () => Promise<void>): Promise<void> => {
  try {
    await work();
  } catch (error) {
    if (!(isAppError(error) && error.kind === 'NotFound')) throw error;
  }
};

const groupIdOf = (physicalId: string): string => physicalId.split('|')[0] ?? physicalId;

const group: ResourceProvider<IdentityStoreCfnServices> = {
  type: 'AWS::IdentityStore::Group',
  properties: {
    IdentityStoreId: { required: true, replace: true },
    DisplayName: { required: true },
    Description: {},
  },
  attributes: ['GroupId'],
  create: async (ctx, properties) => {
    const input = createGroupInput<{ IdentityStoreId: string; DisplayName: string; Description?: string }>(
      ctx.logicalId,
      properties,
    );
    const created = await ctx.services.identityStore.createGroup(ctx.scope, input.IdentityStoreId, {
      displayName: input.DisplayName,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
    });
    return {
      physicalId: `${created.groupId}|${created.identityStoreId}`,
      attributes: { GroupId: created.groupId },
    };
  },
  update: async (ctx, current, properties) => {
    const input = createGroupInput<{ IdentityStoreId: string; DisplayName: string; Description?: string }>(
      ctx.logicalId,
      properties,
    );
    await ctx.services.identityStore.updateGroup(
      ctx.scope,
      input.IdentityStoreId,
      groupIdOf(current.physicalId),
      [
        { path: 'displayName', value: input.DisplayName },
        { path: 'description', value: input.Description },
      ],
    );
    return {};
  },
  delete: async (ctx, current) =>
    unlessGone(() =>
      ctx.services.identityStore.deleteGroup(
        ctx.scope,
        String(current.properties.IdentityStoreId),
        groupIdOf(current.physicalId),
      ),
    ),
};

const membership: ResourceProvider<IdentityStoreCfnServices> = {
  type: 'AWS::IdentityStore::GroupMembership',
  properties: {
    IdentityStoreId: { required: true, replace: true },
    GroupId: { required: true, replace: true },
    MemberId: { required: true, replace: true },
  },
  attributes: ['MembershipId'],
  create: async (ctx, properties) => {
    const input = createMembershipInput<{
      IdentityStoreId: string;
      GroupId: string;
      MemberId: { UserId: string };
    }>(ctx.logicalId, properties);
    const created = await ctx.services.identityStore.createGroupMembership(
      ctx.scope,
      input.IdentityStoreId,
      input.GroupId,
      input.MemberId.UserId,
    );
    return {
      physicalId: `${created.membershipId}|${created.identityStoreId}`,
      attributes: { MembershipId: created.membershipId },
    };
  },
  delete: async (ctx, current) =>
    unlessGone(() =>
      ctx.services.identityStore.deleteGroupMembership(
        ctx.scope,
        String(current.properties.IdentityStoreId),
        String(current.attributes.MembershipId),
      ),
    ),
};

export const identityStoreResourceProviders: ResourceProvider<IdentityStoreCfnServices>[] = [
  group,
  membership,
];
