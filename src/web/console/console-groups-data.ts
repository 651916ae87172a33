import type { FastifyReply } from 'fastify';
import { arns } from '../../core/arns.js';
import { isAppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { GroupMemberCount } from '../../modules/identity-store/identity-store.repository.js';
import type { Group } from '../../modules/identity-store/identity-store.types.js';
import type { ConsoleServices } from './console.routes.js';
import { groupProblemPage } from './console-groups-pages.js';
import { type ConsoleKit, describeError } from './console-kit.js';
import type { ConsoleViewer } from './console-layout.js';

/** The caller's identity store, and its instance for the application assignments. */
export interface GroupStore {
  storeId: string;
  instanceArn: string;
}

export interface GroupRef {
  groupId: string;
  displayName: string;
}

export interface MemberRow {
  userId: string;
  userName: string;
  displayName?: string;
}

export interface NestedRow extends GroupRef {
  counts: GroupMemberCount;
}

/** Everything the group's page shows, one page of members and of nested groups at a time. */
export interface GroupView {
  group: Group;
  counts: GroupMemberCount;
  members: MemberRow[];
  membersNext?: string;
  nested: NestedRow[];
  nestedNext?: string;
  memberOf: GroupRef[];
  memberOfMore: boolean;
  applications: string[];
  applicationsMore: boolean;
}

export const MEMBERS_PAGE_SIZE = 50;
export const NESTED_PAGE_SIZE = 50;
/** "Member of" and the assigned applications are context, not a table to work through: the first few. */
const CONTEXT_LIMIT = 25;

export const groupStore = async (services: ConsoleServices, scope: Scope): Promise<GroupStore> => {
  const instance = await services.settings.callerInstance(scope);
  return { storeId: instance.identityStoreId, instanceArn: arns.instance(instance.instanceId) };
};

/** The group and the store it is in; a missing instance or group is an AppError for the page. */
export const loadGroup = async (
  services: ConsoleServices,
  scope: Scope,
  groupId: string,
): Promise<{ store: GroupStore; group: Group }> => {
  const store = await groupStore(services, scope);
  return { store, group: await services.identityStore.describeGroup(scope, store.storeId, groupId) };
};

/**
 * The answer when a page cannot be shown at all (no instance, no such group): the problem in words,
 * 404 for something missing, else 400. Anything but a service's refusal goes on to the error page.
 */
export const sendProblem = (
  kit: ConsoleKit,
  reply: FastifyReply,
  viewer: ConsoleViewer,
  error: unknown,
): FastifyReply =>
  kit.send(
    reply,
    isAppError(error) && error.kind === 'NotFound' ? 404 : 400,
    groupProblemPage(viewer, describeError(error)),
  );

/** Names of the applications the group is assigned to (directly: assignments of the group itself). */
export const assignedApplications = async (
  services: ConsoleServices,
  scope: Scope,
  store: GroupStore,
  groupId: string,
  limit = CONTEXT_LIMIT,
): Promise<{ names: string[]; more: boolean }> => {
  const page = await services.applications.listAssignmentsForPrincipal(
    scope,
    store.instanceArn,
    { type: 'GROUP', id: groupId },
    { limit },
  );
  const names: string[] = [];
  for (const item of page.items)
    names.push((await services.applications.describeApplication(scope, item.applicationArn)).name);
  return { names: names.sort((a, b) => a.localeCompare(b)), more: page.nextToken !== undefined };
};

const groupRef = (group: Group): GroupRef => ({ groupId: group.groupId, displayName: group.displayName });

/** Undefined for something deleted between a listing and the look-up of its row: left out, not a failed page. */
const unlessGone = async <T>(lookUp: Promise<T>): Promise<T | undefined> => {
  try {
    return await lookUp;
  } catch (error) {
    if (isAppError(error) && error.kind === 'NotFound') return undefined;
    throw error;
  }
};

const describeGroups = async (
  services: ConsoleServices,
  scope: Scope,
  storeId: string,
  groupIds: string[],
): Promise<GroupRef[]> => {
  const refs: GroupRef[] = [];
  for (const groupId of groupIds) {
    const group = await unlessGone(services.identityStore.describeGroup(scope, storeId, groupId));
    if (group !== undefined) refs.push(groupRef(group));
  }
  return refs;
};

export const loadGroupView = async (
  services: ConsoleServices,
  scope: Scope,
  store: GroupStore,
  group: Group,
  paging: { membersNext?: string; nestedNext?: string },
): Promise<GroupView> => {
  const { identityStore } = services;
  const { storeId } = store;
  const { groupId } = group;
  const memberships = await identityStore.listGroupMemberships(scope, storeId, groupId, {
    limit: MEMBERS_PAGE_SIZE,
    nextToken: paging.membersNext,
  });
  const members: MemberRow[] = [];
  for (const membership of memberships.items) {
    const user = await unlessGone(identityStore.describeUser(scope, storeId, membership.userId));
    if (user !== undefined)
      members.push({ userId: user.userId, userName: user.userName, displayName: user.displayName });
  }
  const nestedPage = await identityStore.listNestedGroups(scope, storeId, groupId, {
    limit: NESTED_PAGE_SIZE,
    nextToken: paging.nestedNext,
  });
  const nestedRefs = await describeGroups(
    services,
    scope,
    storeId,
    nestedPage.items.map((m) => m.memberGroupId),
  );
  const counts = await identityStore.countGroupMembers(scope, storeId, [
    groupId,
    ...nestedRefs.map((g) => g.groupId),
  ]);
  const containing = await identityStore.listGroupsContaining(scope, storeId, groupId, {
    limit: CONTEXT_LIMIT,
  });
  const memberOf = await describeGroups(
    services,
    scope,
    storeId,
    containing.items.map((m) => m.groupId),
  );
  const applications = await assignedApplications(services, scope, store, groupId);
  return {
    group,
    counts: counts.get(groupId) ?? { users: 0, groups: 0 },
    members: members.sort((a, b) => a.userName.localeCompare(b.userName)),
    membersNext: memberships.nextToken,
    nested: nestedRefs.map((ref) => ({ ...ref, counts: counts.get(ref.groupId) ?? { users: 0, groups: 0 } })),
    nestedNext: nestedPage.nextToken,
    memberOf,
    memberOfMore: containing.nextToken !== undefined,
    applications: applications.names,
    applicationsMore: applications.more,
  };
};
