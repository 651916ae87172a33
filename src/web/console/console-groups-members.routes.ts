import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../core/errors.js';
import type { Page } from '../../core/pagination.js';
import type { Group, User } from '../../modules/identity-store/identity-store.types.js';
import { field, fieldValues } from '../forms.js';
import type { ConsoleServices } from './console.routes.js';
import { type GroupStore, loadGroup, loadGroupView, sendProblem } from './console-groups-data.js';
import { groupDetailPage } from './console-groups-detail-page.js';
import { GROUP_ROUTES, groupPaths } from './console-groups-paths.js';
import {
  addNestedGroupPage,
  addUsersPage,
  moveUserPage,
  type PickerRow,
} from './console-groups-picker-pages.js';
import { inWords } from './console-groups-words.js';
import {
  type AdminContext,
  type AdminHandler,
  type ConsoleKit,
  queryText,
  routeParam,
} from './console-kit.js';

const PICKER_PAGE_SIZE = 25;

/** What a picker page was asked for: its search and page, and on a re-render what was picked. */
interface PickerState {
  search: string;
  next?: string;
  picked?: readonly string[];
  errors?: string[];
  notice?: string;
}

const pickerQuery = (request: FastifyRequest): PickerState => ({
  search: queryText(request, 'search', 128),
  next: queryText(request, 'next', 2048) || undefined,
});

/** A form's choice kept on a re-render: its search (what was typed) and the ticked values. */
const pickerForm = (request: FastifyRequest, name: string): PickerState => ({
  search: field(request.body, 'search').trim().slice(0, 128),
  picked: fieldValues(request.body, name),
});

/**
 * The group's page and what acts on its members: Add users, Remove, Move to another group, Add
 * group inside this group and its Remove. Each action goes through IdentityStoreService; moving
 * is its one transaction (moveUserToGroup), so a user is never left half-moved.
 */
export const registerConsoleGroupMembersPages = (kit: ConsoleKit, services: ConsoleServices): void => {
  const { identityStore } = services;

  /** A handler of one group's page or action: the group loaded, or a page that says why not. */
  const withGroup =
    (
      handler: (
        request: FastifyRequest,
        reply: FastifyReply,
        admin: AdminContext,
        target: Awaited<ReturnType<typeof loadGroup>>,
      ) => Promise<FastifyReply | undefined>,
    ): AdminHandler =>
    async (request, reply, admin) => {
      try {
        const target = await loadGroup(services, admin.scope, routeParam(request, 'groupId'));
        return await handler(request, reply, admin, target);
      } catch (error) {
        return sendProblem(kit, reply, admin, error);
      }
    };

  /** A name for an error message, or undefined when the user or group is gone. */
  const nameOf = async (lookUp: Promise<User | Group>): Promise<string | undefined> => {
    try {
      const found = await lookUp;
      return 'userName' in found ? found.userName : found.displayName;
    } catch (error) {
      if (isAppError(error) && error.kind === 'NotFound') return undefined;
      throw error;
    }
  };

  const showGroup = async (
    request: FastifyRequest,
    reply: FastifyReply,
    admin: AdminContext,
    target: { store: GroupStore; group: Group },
    outcome: { status: number; notice?: string; errors?: string[] },
  ): Promise<FastifyReply> => {
    const paging = {
      membersNext: queryText(request, 'next', 2048) || undefined,
      nestedNext: queryText(request, 'nestedNext', 2048) || undefined,
    };
    const view = await loadGroupView(services, admin.scope, target.store, target.group, paging);
    return kit.send(
      reply,
      outcome.status,
      groupDetailPage({ viewer: admin, view, paging, notice: outcome.notice, errors: outcome.errors }),
    );
  };

  kit.adminGet(
    GROUP_ROUTES.group,
    withGroup(async (request, reply, admin, target) => {
      return await showGroup(request, reply, admin, target, {
        status: 200,
        notice: kit.takeNotice(request, reply, admin),
      });
    }),
  );

  kit.adminPost(
    GROUP_ROUTES.removeUser,
    withGroup(async (request, reply, admin, target) => {
      const { storeId } = target.store;
      const { group } = target;
      const userId = field(request.body, 'userId');
      const userName = await nameOf(identityStore.describeUser(admin.scope, storeId, userId));
      try {
        const membershipId = await identityStore.getGroupMembershipId(
          admin.scope,
          storeId,
          group.groupId,
          userId,
        );
        await identityStore.deleteGroupMembership(admin.scope, storeId, membershipId);
      } catch (error) {
        const message = inWords(error, {
          GROUP_MEMBERSHIP_NOT_FOUND: `${userName ?? 'That user'} is not a member of ${group.displayName}: nothing was removed.`,
          USER_NOT_FOUND: `That user no longer exists, so is no longer a member of ${group.displayName}.`,
        });
        return await showGroup(request, reply, admin, target, { status: 400, errors: [message] });
      }
      return kit.redirect(
        reply,
        admin,
        groupPaths(group.groupId).group,
        `${userName ?? 'The user'} was removed from ${group.displayName}.`,
      );
    }),
  );

  kit.adminPost(
    GROUP_ROUTES.removeGroup,
    withGroup(async (request, reply, admin, target) => {
      const { storeId } = target.store;
      const { group } = target;
      const memberGroupId = field(request.body, 'memberGroupId');
      const memberName = await nameOf(identityStore.describeGroup(admin.scope, storeId, memberGroupId));
      try {
        await identityStore.removeGroupFromGroup(admin.scope, storeId, group.groupId, memberGroupId);
      } catch (error) {
        const message = inWords(error, {
          GROUP_MEMBERSHIP_NOT_FOUND: `${memberName ?? 'That group'} is not inside ${group.displayName}: nothing was removed.`,
        });
        return await showGroup(request, reply, admin, target, { status: 400, errors: [message] });
      }
      return kit.redirect(
        reply,
        admin,
        groupPaths(group.groupId).group,
        `${memberName ?? 'The group'} is no longer inside ${group.displayName}.`,
      );
    }),
  );

  // Add users

  const userPage = (storeId: string, admin: AdminContext, state: PickerState): Promise<Page<User>> => {
    const paging = { nextToken: state.next, limit: PICKER_PAGE_SIZE };
    return identityStore.listUsersByName(admin.scope, storeId, { ...paging, prefix: state.search });
  };

  const showAddUsers = async (
    reply: FastifyReply,
    admin: AdminContext,
    target: { store: GroupStore; group: Group },
    state: PickerState,
    status: number,
  ): Promise<FastifyReply> => {
    const { storeId } = target.store;
    const page = await userPage(storeId, admin, state);
    const picked = new Set(state.picked ?? []);
    const rows: PickerRow[] = [];
    for (const user of page.items) {
      const [membership] = await identityStore.isMemberInGroups(admin.scope, storeId, user.userId, [
        target.group.groupId,
      ]);
      rows.push({
        id: user.userId,
        label: user.userName,
        detail: user.displayName,
        unavailable: membership?.membershipExists === true ? 'Already a member' : undefined,
        picked: picked.has(user.userId),
      });
    }
    return kit.send(
      reply,
      status,
      addUsersPage({
        viewer: admin,
        group: target.group,
        search: state.search,
        rows,
        nextToken: page.nextToken,
        errors: state.errors,
        notice: state.notice,
      }),
    );
  };

  kit.adminGet(
    GROUP_ROUTES.addUsers,
    withGroup(async (request, reply, admin, target) => {
      return await showAddUsers(reply, admin, target, pickerQuery(request), 200);
    }),
  );

  kit.adminPost(
    GROUP_ROUTES.addUsers,
    withGroup(async (request, reply, admin, target) => {
      const { storeId } = target.store;
      const { group } = target;
      const state = pickerForm(request, 'userId');
      const userIds = [...new Set(state.picked)];
      if (userIds.length === 0) {
        return await showAddUsers(
          reply,
          admin,
          target,
          { ...state, errors: ['Tick at least one user to add.'] },
          400,
        );
      }
      const added: string[] = [];
      const errors: string[] = [];
      for (const userId of userIds) {
        const userName = await nameOf(identityStore.describeUser(admin.scope, storeId, userId));
        try {
          await identityStore.createGroupMembership(admin.scope, storeId, group.groupId, userId);
          added.push(userName ?? userId);
        } catch (error) {
          errors.push(
            inWords(error, {
              MEMBERSHIP_EXISTS: `${userName ?? userId} is already a member of ${group.displayName}.`,
              USER_NOT_FOUND: 'One of the users you ticked no longer exists.',
            }),
          );
        }
      }
      const notice = added.length === 0 ? undefined : `Added ${added.join(', ')} to ${group.displayName}.`;
      if (errors.length > 0)
        return await showAddUsers(reply, admin, target, { ...state, errors, notice }, 400);
      return kit.redirect(reply, admin, groupPaths(group.groupId).group, notice);
    }),
  );

  // Pickers of one group: the group to nest, the group to move a user to

  const groupPage = (storeId: string, admin: AdminContext, state: PickerState): Promise<Page<Group>> => {
    const paging = { nextToken: state.next, limit: PICKER_PAGE_SIZE };
    return state.search === ''
      ? identityStore.listGroups(admin.scope, storeId, paging)
      : identityStore.searchGroupsByNamePrefix(admin.scope, storeId, state.search, paging);
  };

  const groupRows = (
    page: Page<Group>,
    state: PickerState,
    unavailable: (group: Group) => string | undefined,
  ): PickerRow[] => {
    const picked = new Set(state.picked ?? []);
    return page.items.map((group) => ({
      id: group.groupId,
      label: group.displayName,
      detail: group.description,
      unavailable: unavailable(group),
      picked: picked.has(group.groupId),
    }));
  };

  // Add group inside this group

  const showAddGroup = async (
    reply: FastifyReply,
    admin: AdminContext,
    target: { store: GroupStore; group: Group },
    state: PickerState,
    status: number,
  ): Promise<FastifyReply> => {
    const { storeId } = target.store;
    const { group } = target;
    const page = await groupPage(storeId, admin, state);
    // The first page of nested groups marks what is already inside; the service refuses the rest.
    const nested = await identityStore.listNestedGroups(admin.scope, storeId, group.groupId);
    const inside = new Set(nested.items.map((m) => m.memberGroupId));
    const rows = groupRows(page, state, (candidate) =>
      candidate.groupId === group.groupId
        ? 'This group'
        : inside.has(candidate.groupId)
          ? 'Already inside'
          : undefined,
    );
    return kit.send(
      reply,
      status,
      addNestedGroupPage({
        viewer: admin,
        group,
        search: state.search,
        rows,
        nextToken: page.nextToken,
        errors: state.errors,
      }),
    );
  };

  kit.adminGet(
    GROUP_ROUTES.addGroup,
    withGroup(async (request, reply, admin, target) => {
      return await showAddGroup(reply, admin, target, pickerQuery(request), 200);
    }),
  );

  kit.adminPost(
    GROUP_ROUTES.addGroup,
    withGroup(async (request, reply, admin, target) => {
      const { storeId } = target.store;
      const { group } = target;
      const state = pickerForm(request, 'memberGroupId');
      const memberGroupId = state.picked?.[0] ?? '';
      if (memberGroupId === '') {
        const errors = [`Pick the group to put inside ${group.displayName}.`];
        return await showAddGroup(reply, admin, target, { ...state, errors }, 400);
      }
      const memberName = await nameOf(identityStore.describeGroup(admin.scope, storeId, memberGroupId));
      try {
        await identityStore.addGroupToGroup(admin.scope, storeId, group.groupId, memberGroupId);
      } catch (error) {
        const message = inWords(error, {
          MEMBERSHIP_EXISTS: `${memberName ?? 'That group'} is already inside ${group.displayName}.`,
        });
        return await showAddGroup(reply, admin, target, { ...state, errors: [message] }, 400);
      }
      return kit.redirect(
        reply,
        admin,
        groupPaths(group.groupId).group,
        `${memberName ?? 'The group'} is now inside ${group.displayName}. Nested groups do not grant application access: its members do not get the applications assigned to ${group.displayName} through it.`,
      );
    }),
  );

  // Move a user to another group

  const showMove = async (
    reply: FastifyReply,
    admin: AdminContext,
    target: { store: GroupStore; group: Group; user: User },
    state: PickerState,
    status: number,
  ): Promise<FastifyReply> => {
    const { storeId } = target.store;
    const { group, user } = target;
    const page = await groupPage(storeId, admin, state);
    const memberships = await identityStore.isMemberInGroups(
      admin.scope,
      storeId,
      user.userId,
      page.items.map((g) => g.groupId),
    );
    const memberOf = new Set(memberships.filter((m) => m.membershipExists).map((m) => m.groupId));
    const rows = groupRows(page, state, (candidate) =>
      candidate.groupId === group.groupId
        ? 'Current group'
        : memberOf.has(candidate.groupId)
          ? 'Already a member'
          : undefined,
    );
    return kit.send(
      reply,
      status,
      moveUserPage({
        viewer: admin,
        group,
        user,
        search: state.search,
        rows,
        nextToken: page.nextToken,
        errors: state.errors,
      }),
    );
  };

  const loadMove = async (request: FastifyRequest, admin: AdminContext) => {
    const target = await loadGroup(services, admin.scope, routeParam(request, 'groupId'));
    const user = await identityStore.describeUser(
      admin.scope,
      target.store.storeId,
      routeParam(request, 'userId'),
    );
    return { ...target, user };
  };

  kit.adminGet(GROUP_ROUTES.moveUser, async (request, reply, admin) => {
    try {
      return await showMove(reply, admin, await loadMove(request, admin), pickerQuery(request), 200);
    } catch (error) {
      return sendProblem(kit, reply, admin, error);
    }
  });

  kit.adminPost(GROUP_ROUTES.moveUser, async (request, reply, admin) => {
    try {
      const target = await loadMove(request, admin);
      const { storeId } = target.store;
      const { group, user } = target;
      const state = pickerForm(request, 'toGroupId');
      const toGroupId = state.picked?.[0] ?? '';
      if (toGroupId === '') {
        const errors = [`Pick the group to move ${user.userName} to.`];
        return await showMove(reply, admin, target, { ...state, errors }, 400);
      }
      const toName = await nameOf(identityStore.describeGroup(admin.scope, storeId, toGroupId));
      try {
        await identityStore.moveUserToGroup(admin.scope, storeId, user.userId, group.groupId, toGroupId);
      } catch (error) {
        const message = inWords(error, {
          MEMBERSHIP_EXISTS: `${user.userName} is already a member of ${toName ?? 'that group'}: nothing was moved.`,
          GROUP_MEMBERSHIP_NOT_FOUND: `${user.userName} is not a member of ${group.displayName} (any more): nothing was moved.`,
        });
        return await showMove(reply, admin, target, { ...state, errors: [message] }, 400);
      }
      return kit.redirect(
        reply,
        admin,
        groupPaths(group.groupId).group,
        `${user.userName} was moved from ${group.displayName} to ${toName ?? 'the other group'}.`,
      );
    } catch (error) {
      return sendProblem(kit, reply, admin, error);
    }
  });
};
