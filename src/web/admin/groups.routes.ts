import type { Services } from '../../app.js';
import type { Scope } from '../../core/scope.js';
import type { Group, NestedGroupMembership } from '../../modules/identity-store/identity-store.types.js';
import { type AdminRoute, adminRoute } from './admin-api.js';

export interface GroupSummary {
  groupId: string;
  displayName: string;
}

/** A group inside a group, with both named. */
export interface MemberGroupResponse {
  membershipId: string;
  identityStoreId: string;
  group: GroupSummary;
  memberGroup: GroupSummary;
  createdAt: string;
}

const summary = (group: Group): GroupSummary => ({ groupId: group.groupId, displayName: group.displayName });

const NAME_OR_ID = { type: 'string', minLength: 1, maxLength: 1024 } as const;

/**
 * Nested groups: the admin path to what AWS's CreateGroupMembership cannot do (it takes a UserId
 * only). Groups are named by display name or ID, in the caller's own instance's identity store.
 */
export const groupsRoutes = (services: Services): AdminRoute[] => {
  const inCallerStore = async (scope: Scope, group: string) => {
    const instance = await services.instances.callerInstance(scope);
    const resolved = await services.identityStore.resolveGroup(scope, instance.identityStoreId, group);
    return { storeId: instance.identityStoreId, group: resolved };
  };
  const response = (membership: NestedGroupMembership, group: Group, member: Group): MemberGroupResponse => ({
    membershipId: membership.membershipId,
    identityStoreId: membership.identityStoreId,
    group: summary(group),
    memberGroup: summary(member),
    createdAt: membership.createdAt.toISOString(),
  });

  return [
    adminRoute<{ memberGroup: string }, unknown, { group: string }>({
      method: 'POST',
      path: '/groups/:group/member-groups',
      status: 201,
      schema: {
        params: { type: 'object', required: ['group'], properties: { group: NAME_OR_ID } },
        body: {
          type: 'object',
          required: ['memberGroup'],
          additionalProperties: false,
          properties: { memberGroup: NAME_OR_ID },
        },
      },
      handler: async ({ params, body }, { scope }): Promise<MemberGroupResponse> => {
        const { storeId, group } = await inCallerStore(scope, params.group);
        const member = await services.identityStore.resolveGroup(scope, storeId, body.memberGroup);
        const membership = await services.identityStore.addGroupToGroup(
          scope,
          storeId,
          group.groupId,
          member.groupId,
        );
        return response(membership, group, member);
      },
    }),
    adminRoute<unknown, unknown, { group: string; memberGroup: string }>({
      method: 'DELETE',
      path: '/groups/:group/member-groups/:memberGroup',
      schema: {
        params: {
          type: 'object',
          required: ['group', 'memberGroup'],
          properties: { group: NAME_OR_ID, memberGroup: NAME_OR_ID },
        },
      },
      handler: async ({ params }, { scope }): Promise<undefined> => {
        const { storeId, group } = await inCallerStore(scope, params.group);
        const member = await services.identityStore.resolveGroup(scope, storeId, params.memberGroup);
        await services.identityStore.removeGroupFromGroup(scope, storeId, group.groupId, member.groupId);
        return undefined;
      },
    }),
    adminRoute<unknown, { nextToken?: string }, { group: string }>({
      method: 'GET',
      path: '/groups/:group/member-groups',
      schema: {
        params: { type: 'object', required: ['group'], properties: { group: NAME_OR_ID } },
        querystring: { type: 'object', properties: { nextToken: { type: 'string', maxLength: 2048 } } },
      },
      handler: async ({ params, query }, { scope }) => {
        const { storeId, group } = await inCallerStore(scope, params.group);
        const page = await services.identityStore.listNestedGroups(scope, storeId, group.groupId, {
          nextToken: query.nextToken,
        });
        const members = await Promise.all(
          page.items.map((m) => services.identityStore.describeGroup(scope, storeId, m.memberGroupId)),
        );
        return {
          group: summary(group),
          memberGroups: page.items.map((m, i) => response(m, group, members[i] as Group)),
          ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}),
        };
      },
    }),
  ];
};
