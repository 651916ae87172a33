import { defineAwsService } from '../../aws/aws-service.js';
import type {
  DescribeGroupMembershipResponse,
  Filter,
  IdentityStoreOperations,
  MemberId,
  AlternateIdentifier as WireAlternateIdentifier,
  AttributeOperation as WireAttributeOperation,
  Group as WireGroup,
  GroupMembership as WireGroupMembership,
  User as WireUser,
} from '../../aws/models/identitystore.types.js';
import { loadServiceModel } from '../../aws/models/load-model.js';
import { ValidationError } from '../../core/errors.js';
import type { IdentityStoreService } from './identity-store.service.js';
import type {
  AlternateIdentifier,
  AttributeOperation,
  ExternalId,
  Group,
  GroupMembership,
  ListFilter,
  User,
} from './identity-store.types.js';
import { userProfileFromWire, userProfileToWire } from './user-attributes.js';

const toWireExternalIds = (externalIds: ExternalId[]) =>
  externalIds.length === 0 ? undefined : externalIds.map((e) => ({ Issuer: e.issuer, Id: e.id }));

const toWireUser = (user: User): WireUser => ({
  IdentityStoreId: user.identityStoreId,
  UserId: user.userId,
  ...userProfileToWire(user),
  ExternalIds: toWireExternalIds(user.externalIds),
  UserStatus: user.status,
  CreatedAt: user.createdAt,
  CreatedBy: user.createdBy,
  UpdatedAt: user.updatedAt,
  UpdatedBy: user.updatedBy,
});

const toWireGroup = (group: Group): WireGroup => ({
  IdentityStoreId: group.identityStoreId,
  GroupId: group.groupId,
  DisplayName: group.displayName,
  Description: group.description,
  ExternalIds: toWireExternalIds(group.externalIds),
  CreatedAt: group.createdAt,
  CreatedBy: group.createdBy,
  UpdatedAt: group.updatedAt,
  UpdatedBy: group.updatedBy,
});

const toWireMembership = (
  membership: GroupMembership,
): WireGroupMembership & DescribeGroupMembershipResponse => ({
  IdentityStoreId: membership.identityStoreId,
  MembershipId: membership.membershipId,
  GroupId: membership.groupId,
  MemberId: { UserId: membership.userId },
  CreatedAt: membership.createdAt,
  CreatedBy: membership.createdBy,
  UpdatedAt: membership.updatedAt,
  UpdatedBy: membership.updatedBy,
});

/** MemberId is a union whose only member is UserId; the model validator has made sure it is set. */
const memberUserId = (memberId: MemberId): string => {
  if (memberId.UserId === undefined) throw new ValidationError('MemberId must have exactly one member set.');
  return memberId.UserId;
};

const toOperations = (operations: WireAttributeOperation[]): AttributeOperation[] =>
  operations.map((o) => ({ path: o.AttributePath, value: o.AttributeValue }));

const toAlternateIdentifier = (identifier: WireAlternateIdentifier): AlternateIdentifier =>
  identifier.ExternalId !== undefined
    ? {
        kind: 'externalId',
        externalId: { issuer: identifier.ExternalId.Issuer, id: identifier.ExternalId.Id },
      }
    : {
        kind: 'uniqueAttribute',
        path: identifier.UniqueAttribute?.AttributePath ?? '',
        value: identifier.UniqueAttribute?.AttributeValue,
      };

const toFilter = (filters: Filter[] | undefined): ListFilter | undefined => {
  const filter = filters?.[0];
  return filter === undefined
    ? undefined
    : { attributePath: filter.AttributePath, attributeValue: filter.AttributeValue };
};

/** AWS Identity Store (awsJson1_1, target AWSIdentityStore): wire ⇄ domain only. */
export const identityStoreAwsService = (service: IdentityStoreService) =>
  defineAwsService<IdentityStoreOperations>('identitystore', loadServiceModel('identitystore'), {
    CreateUser: async ({ IdentityStoreId, ...profile }, { scope }) => {
      const user = await service.createUser(scope, IdentityStoreId, userProfileFromWire(profile));
      return { IdentityStoreId, UserId: user.userId };
    },
    DescribeUser: async (input, { scope }) =>
      toWireUser(
        await service.describeUser(scope, input.IdentityStoreId, input.UserId, {
          extensions: input.Extensions,
        }),
      ),
    UpdateUser: async (input, { scope }) => {
      await service.updateUser(scope, input.IdentityStoreId, input.UserId, toOperations(input.Operations));
      return {};
    },
    DeleteUser: async (input, { scope }) => {
      await service.deleteUser(scope, input.IdentityStoreId, input.UserId);
      return {};
    },
    ListUsers: async (input, { scope }) => {
      const page = await service.listUsers(scope, input.IdentityStoreId, {
        limit: input.MaxResults,
        nextToken: input.NextToken,
        filter: toFilter(input.Filters),
        extensions: input.Extensions,
      });
      return { Users: page.items.map(toWireUser), NextToken: page.nextToken };
    },
    GetUserId: async (input, { scope }) => ({
      IdentityStoreId: input.IdentityStoreId,
      UserId: await service.getUserId(
        scope,
        input.IdentityStoreId,
        toAlternateIdentifier(input.AlternateIdentifier),
      ),
    }),

    CreateGroup: async (input, { scope }) => {
      const group = await service.createGroup(scope, input.IdentityStoreId, {
        displayName: input.DisplayName,
        description: input.Description,
      });
      return { IdentityStoreId: input.IdentityStoreId, GroupId: group.groupId };
    },
    DescribeGroup: async (input, { scope }) =>
      toWireGroup(await service.describeGroup(scope, input.IdentityStoreId, input.GroupId)),
    UpdateGroup: async (input, { scope }) => {
      await service.updateGroup(scope, input.IdentityStoreId, input.GroupId, toOperations(input.Operations));
      return {};
    },
    DeleteGroup: async (input, { scope }) => {
      await service.deleteGroup(scope, input.IdentityStoreId, input.GroupId);
      return {};
    },
    ListGroups: async (input, { scope }) => {
      const page = await service.listGroups(scope, input.IdentityStoreId, {
        limit: input.MaxResults,
        nextToken: input.NextToken,
        filter: toFilter(input.Filters),
      });
      return { Groups: page.items.map(toWireGroup), NextToken: page.nextToken };
    },
    GetGroupId: async (input, { scope }) => ({
      IdentityStoreId: input.IdentityStoreId,
      GroupId: await service.getGroupId(
        scope,
        input.IdentityStoreId,
        toAlternateIdentifier(input.AlternateIdentifier),
      ),
    }),

    CreateGroupMembership: async (input, { scope }) => {
      const membership = await service.createGroupMembership(
        scope,
        input.IdentityStoreId,
        input.GroupId,
        memberUserId(input.MemberId),
      );
      return { IdentityStoreId: input.IdentityStoreId, MembershipId: membership.membershipId };
    },
    DescribeGroupMembership: async (input, { scope }) =>
      toWireMembership(
        await service.describeGroupMembership(scope, input.IdentityStoreId, input.MembershipId),
      ),
    DeleteGroupMembership: async (input, { scope }) => {
      await service.deleteGroupMembership(scope, input.IdentityStoreId, input.MembershipId);
      return {};
    },
    GetGroupMembershipId: async (input, { scope }) => ({
      IdentityStoreId: input.IdentityStoreId,
      MembershipId: await service.getGroupMembershipId(
        scope,
        input.IdentityStoreId,
        input.GroupId,
        memberUserId(input.MemberId),
      ),
    }),
    ListGroupMemberships: async (input, { scope }) => {
      const page = await service.listGroupMemberships(scope, input.IdentityStoreId, input.GroupId, {
        limit: input.MaxResults,
        nextToken: input.NextToken,
      });
      return { GroupMemberships: page.items.map(toWireMembership), NextToken: page.nextToken };
    },
    ListGroupMembershipsForMember: async (input, { scope }) => {
      const page = await service.listGroupMembershipsForMember(
        scope,
        input.IdentityStoreId,
        memberUserId(input.MemberId),
        {
          limit: input.MaxResults,
          nextToken: input.NextToken,
        },
      );
      return { GroupMemberships: page.items.map(toWireMembership), NextToken: page.nextToken };
    },
    IsMemberInGroups: async (input, { scope }) => {
      const results = await service.isMemberInGroups(
        scope,
        input.IdentityStoreId,
        memberUserId(input.MemberId),
        input.GroupIds,
      );
      return {
        Results: results.map((r) => ({
          GroupId: r.groupId,
          MemberId: { UserId: r.userId },
          MembershipExists: r.membershipExists,
        })),
      };
    },
  });
