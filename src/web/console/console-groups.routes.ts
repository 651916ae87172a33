import type { FastifyReply } from 'fastify';
import type { AttributeOperation } from '../../modules/identity-store/identity-store.types.js';
import { field } from '../forms.js';
import type { ConsoleServices } from './console.routes.js';
import { assignedApplications, groupStore, loadGroup, sendProblem } from './console-groups-data.js';
import { registerConsoleGroupMembersPages } from './console-groups-members.routes.js';
import {
  createGroupPage,
  deleteGroupPage,
  editGroupPage,
  type GroupForm,
  type GroupListRow,
  groupsListPage,
} from './console-groups-pages.js';
import { GROUP_ROUTES, groupPaths } from './console-groups-paths.js';
import { inWords, nameTaken } from './console-groups-words.js';
import { type AdminContext, type ConsoleKit, describeError, queryText, routeParam } from './console-kit.js';

const PAGE_SIZE = 25;

const formOf = (body: unknown): GroupForm => ({
  displayName: field(body, 'displayName').trim(),
  description: field(body, 'description').trim(),
});

/** A form's own check before the service's: the one field a person can leave empty by mistake. */
const formErrors = (form: GroupForm): string[] => (form.displayName === '' ? ['Enter a group name.'] : []);

/**
 * Identity Center → Groups: the searchable list, Create group, Rename / edit description and
 * Delete group; the group's page and its members are in console-groups-members.routes.ts. Every
 * change goes through IdentityStoreService, as the identitystore API's do.
 */
export const registerConsoleGroupsPages = (kit: ConsoleKit, services: ConsoleServices): void => {
  const { identityStore } = services;

  kit.adminGet(GROUP_ROUTES.list, async (request, reply, admin) => {
    const search = queryText(request, 'search', 128);
    const next = queryText(request, 'next', 2048) || undefined;
    const base = { viewer: admin, search, notice: kit.takeNotice(request, reply, admin) };
    const { scope } = admin;
    let storeId: string;
    try {
      storeId = (await groupStore(services, scope)).storeId;
    } catch (error) {
      return kit.send(reply, 200, groupsListPage({ ...base, rows: [], problem: describeError(error) }));
    }
    try {
      const paging = { nextToken: next, limit: PAGE_SIZE };
      const page =
        search === ''
          ? await identityStore.listGroups(scope, storeId, paging)
          : await identityStore.searchGroupsByNamePrefix(scope, storeId, search, paging);
      const counts = await identityStore.countGroupMembers(
        scope,
        storeId,
        page.items.map((g) => g.groupId),
      );
      const rows: GroupListRow[] = page.items.map((group) => ({
        groupId: group.groupId,
        displayName: group.displayName,
        description: group.description,
        counts: counts.get(group.groupId) ?? { users: 0, groups: 0 },
      }));
      return kit.send(reply, 200, groupsListPage({ ...base, rows, nextToken: page.nextToken }));
    } catch (error) {
      return kit.send(reply, 400, groupsListPage({ ...base, rows: [], problem: describeError(error) }));
    }
  });

  kit.adminGet(GROUP_ROUTES.create, async (_request, reply, admin) =>
    kit.send(reply, 200, createGroupPage({ viewer: admin, form: { displayName: '', description: '' } })),
  );

  kit.adminPost(GROUP_ROUTES.create, async (request, reply, admin) => {
    const form = formOf(request.body);
    const errors = formErrors(form);
    if (errors.length > 0) return kit.send(reply, 400, createGroupPage({ viewer: admin, form, errors }));
    try {
      const { storeId } = await groupStore(services, admin.scope);
      const group = await identityStore.createGroup(admin.scope, storeId, {
        displayName: form.displayName,
        ...(form.description === '' ? {} : { description: form.description }),
      });
      return kit.redirect(
        reply,
        admin,
        groupPaths(group.groupId).group,
        `Group ${group.displayName} was created. Add users to it below.`,
      );
    } catch (error) {
      const message = inWords(error, nameTaken(form.displayName));
      return kit.send(reply, 400, createGroupPage({ viewer: admin, form, errors: [message] }));
    }
  });

  kit.adminGet(GROUP_ROUTES.edit, async (request, reply, admin) => {
    try {
      const { group } = await loadGroup(services, admin.scope, routeParam(request, 'groupId'));
      const form = { displayName: group.displayName, description: group.description ?? '' };
      return kit.send(reply, 200, editGroupPage({ viewer: admin, group, form }));
    } catch (error) {
      return sendProblem(kit, reply, admin, error);
    }
  });

  kit.adminPost(GROUP_ROUTES.edit, async (request, reply, admin) => {
    try {
      const { store, group } = await loadGroup(services, admin.scope, routeParam(request, 'groupId'));
      const form = formOf(request.body);
      const errors = formErrors(form);
      if (errors.length > 0)
        return kit.send(reply, 400, editGroupPage({ viewer: admin, group, form, errors }));
      // An empty description removes it, as UpdateGroup's operation without a value does.
      const operations: AttributeOperation[] = [
        { path: 'displayName', value: form.displayName },
        form.description === '' ? { path: 'description' } : { path: 'description', value: form.description },
      ];
      try {
        const updated = await identityStore.updateGroup(
          admin.scope,
          store.storeId,
          group.groupId,
          operations,
        );
        const renamed = updated.displayName !== group.displayName;
        return kit.redirect(
          reply,
          admin,
          groupPaths(group.groupId).group,
          renamed
            ? `Group ${group.displayName} was renamed to ${updated.displayName}.`
            : 'The group was saved.',
        );
      } catch (error) {
        const message = inWords(error, nameTaken(form.displayName));
        return kit.send(reply, 400, editGroupPage({ viewer: admin, group, form, errors: [message] }));
      }
    } catch (error) {
      return sendProblem(kit, reply, admin, error);
    }
  });

  /** The confirmation page names what goes with the group; `errors` when the delete was refused. */
  const showDelete = async (reply: FastifyReply, admin: AdminContext, groupId: string, errors?: string[]) => {
    const { store, group } = await loadGroup(services, admin.scope, groupId);
    const counts = (await identityStore.countGroupMembers(admin.scope, store.storeId, [groupId])).get(
      groupId,
    );
    const containing = await identityStore.listGroupsContaining(admin.scope, store.storeId, groupId);
    const applications = await assignedApplications(services, admin.scope, store, groupId);
    return kit.send(
      reply,
      errors === undefined ? 200 : 400,
      deleteGroupPage({
        viewer: admin,
        group,
        counts: counts ?? { users: 0, groups: 0 },
        memberOf: containing.items.length,
        applications: applications.names,
        applicationsMore: applications.more,
        errors,
      }),
    );
  };

  kit.adminGet(GROUP_ROUTES.delete, async (request, reply, admin) => {
    try {
      return await showDelete(reply, admin, routeParam(request, 'groupId'));
    } catch (error) {
      return sendProblem(kit, reply, admin, error);
    }
  });

  kit.adminPost(GROUP_ROUTES.delete, async (request, reply, admin) => {
    const groupId = routeParam(request, 'groupId');
    try {
      const { store, group } = await loadGroup(services, admin.scope, groupId);
      try {
        await identityStore.deleteGroup(admin.scope, store.storeId, groupId);
      } catch (error) {
        return await showDelete(reply, admin, groupId, [describeError(error)]);
      }
      return kit.redirect(reply, admin, GROUP_ROUTES.list, `Group ${group.displayName} was deleted.`);
    } catch (error) {
      return sendProblem(kit, reply, admin, error);
    }
  });

  registerConsoleGroupMembersPages(kit, services);
};
