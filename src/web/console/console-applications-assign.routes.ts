import type { FastifyReply } from 'fastify';
import type { Principal } from '../../modules/access/applications.types.js';
import { field, fieldValues } from '../forms.js';
import type { ConsoleServices } from './console.routes.js';
import {
  type ApplicationsKit,
  type LoadedApplication,
  APPLICATION_ROUTES as ROUTES,
} from './console-applications-kit.js';
import {
  APPLICATION_PATHS,
  type AssignSearch,
  assignPage,
  type PrincipalChoice,
} from './console-applications-pages.js';
import { type AdminContext, type ConsoleKit, describeError, queryText } from './console-kit.js';

/** Users and groups offered on the Assign page at once: a search narrows them. */
const CHOICES = 25;

/** Assign users and groups (several at once, all or none), and remove an assignment. */
export const registerConsoleApplicationAssignmentPages = (
  kit: ConsoleKit,
  services: ConsoleServices,
  { withApplication, describePrincipal, renderApplication }: ApplicationsKit,
): void => {
  const { applications, identityStore } = services;

  // Assign users and groups

  const renderAssign = async (
    reply: FastifyReply,
    admin: AdminContext,
    loaded: LoadedApplication,
    search: AssignSearch,
    selected: ReadonlySet<string>,
    errors?: string[],
  ): Promise<FastifyReply> => {
    const { application } = loaded;
    const storeId = application.identityStoreId;
    const paging = { limit: CHOICES };
    const problems = [...(errors ?? [])];
    let users: PrincipalChoice[] = [];
    let groups: PrincipalChoice[] = [];
    let moreUsers = false;
    let moreGroups = false;
    try {
      const userPage = await identityStore.listUsersByName(admin.scope, storeId, {
        ...paging,
        prefix: search.users,
      });
      users = userPage.items.map((u) => ({ id: u.userId, name: u.userName, detail: u.displayName }));
      moreUsers = userPage.nextToken !== undefined;
      const groupPage =
        search.groups === ''
          ? await identityStore.listGroups(admin.scope, storeId, paging)
          : await identityStore.searchGroupsByNamePrefix(admin.scope, storeId, search.groups, paging);
      groups = groupPage.items.map((g) => ({ id: g.groupId, name: g.displayName, detail: g.description }));
      moreGroups = groupPage.nextToken !== undefined;
      // Already assigned ones are shown but cannot be ticked: assigning is all or nothing.
      const assigned = await applications.assignedAmong(
        admin.scope,
        loaded.applicationArn,
        [...users, ...groups].map((choice) => choice.id),
      );
      for (const choice of [...users, ...groups]) choice.assigned = assigned.has(choice.id);
    } catch (error) {
      problems.push(describeError(error));
    }
    return kit.send(
      reply,
      problems.length > 0 ? 400 : 200,
      assignPage({
        viewer: admin,
        application: { applicationId: application.applicationId, name: application.name },
        search,
        users,
        moreUsers,
        groups,
        moreGroups,
        selected,
        errors: problems,
      }),
    );
  };

  kit.adminGet(
    ROUTES.assign,
    withApplication(async (request, reply, admin, loaded) =>
      renderAssign(
        reply,
        admin,
        loaded,
        { users: queryText(request, 'users', 128), groups: queryText(request, 'groups', 128) },
        new Set(),
      ),
    ),
  );

  kit.adminPost(
    ROUTES.assign,
    withApplication(async (request, reply, admin, loaded) => {
      const body = request.body;
      const search = { users: field(body, 'users').trim(), groups: field(body, 'groups').trim() };
      const userIds = fieldValues(body, 'userId');
      const groupIds = fieldValues(body, 'groupId');
      const selected = new Set([...userIds, ...groupIds]);
      if (selected.size === 0) {
        return renderAssign(reply, admin, loaded, search, selected, [
          'Tick at least one user or group to assign.',
        ]);
      }
      const { application, applicationArn } = loaded;
      const principals: Principal[] = [
        ...userIds.map((id): Principal => ({ type: 'USER', id })),
        ...groupIds.map((id): Principal => ({ type: 'GROUP', id })),
      ];
      const names = new Map<string, string>();
      for (const principal of principals) {
        const named = await describePrincipal(admin.scope, application.identityStoreId, principal);
        if (named !== undefined) names.set(principal.id, named.name);
      }
      try {
        await applications.createAssignments(admin.scope, applicationArn, principals);
      } catch (error) {
        const message = describeError(error);
        // The service names the principal by ID; say whom the admin ticked, too.
        const culprit = principals.find((p) => message.includes(p.id));
        const who = culprit === undefined ? undefined : names.get(culprit.id);
        return renderAssign(reply, admin, loaded, search, selected, [
          `${who === undefined ? '' : `${who}: `}${message} Nothing was assigned.`,
        ]);
      }
      const assigned = principals.map((p) => names.get(p.id) ?? p.id);
      return kit.redirect(
        reply,
        admin,
        APPLICATION_PATHS.detail(application.applicationId),
        `Assigned ${[...new Set(assigned)].join(', ')} to ${application.name}.`,
      );
    }),
  );

  kit.adminPost(
    ROUTES.removeAssignment,
    withApplication(async (request, reply, admin, loaded) => {
      const type = field(request.body, 'principalType');
      const principal: Principal = {
        type: type === 'GROUP' ? 'GROUP' : 'USER',
        id: field(request.body, 'principalId'),
      };
      const { application, applicationArn } = loaded;
      try {
        const named = await describePrincipal(admin.scope, application.identityStoreId, principal);
        await applications.deleteAssignment(admin.scope, applicationArn, principal);
        return kit.redirect(
          reply,
          admin,
          APPLICATION_PATHS.detail(application.applicationId),
          `Removed ${named?.name ?? principal.id} from ${application.name}.`,
        );
      } catch (error) {
        return renderApplication(request, reply, admin, loaded, describeError(error));
      }
    }),
  );
};
