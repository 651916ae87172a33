import type { FastifyReply } from 'fastify';
import { isAppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { Group } from '../../modules/identity-store/identity-store.types.js';
import { field, fieldValues } from '../forms.js';
import type { ConsoleServices } from './console.routes.js';
import { type AdminContext, type ConsoleKit, describeError } from './console-kit.js';
import { CONSOLE_PATHS } from './console-paths.js';
import {
  ADD_USER_FIELDS,
  type AddUserForm,
  addUserDetailsPage,
  addUserGroupsPage,
  type GroupChoice,
  userAddedPage,
} from './console-users-add-pages.js';
import { ADD_USER_GROUPS_PATH } from './console-users-paths.js';

/** Groups shown at once in the second step; past this many, the admin searches by name. */
const GROUPS_SHOWN = 100;
/** With more groups than this, the second step offers a search box. */
const SEARCH_FROM = 10;

const emptyForm: AddUserForm = {
  userName: '',
  email: '',
  confirmEmail: '',
  givenName: '',
  familyName: '',
  displayName: '',
  passwordSetup: 'send-email',
};

const formOf = (body: unknown): AddUserForm => ({
  userName: field(body, 'userName').trim(),
  email: field(body, 'email').trim(),
  confirmEmail: field(body, 'confirmEmail').trim(),
  givenName: field(body, 'givenName').trim(),
  familyName: field(body, 'familyName').trim(),
  displayName: field(body, 'displayName').trim(),
  passwordSetup: field(body, 'passwordSetup') === 'one-time-password' ? 'one-time-password' : 'send-email',
});

/** What the form itself can tell before any service is asked; the service checks the rest. */
const formProblems = (form: AddUserForm): string[] => {
  const problems: string[] = [];
  for (const [name, label] of ADD_USER_FIELDS) {
    if (name !== 'confirmEmail' && form[name] === '') problems.push(`Enter the ${label.toLowerCase()}.`);
  }
  if (form.email !== '' && form.email.toLowerCase() !== form.confirmEmail.toLowerCase()) {
    problems.push('The e-mail addresses do not match. Type the same address in both fields.');
  }
  return problems;
};

const choiceOf = (group: Group): GroupChoice => ({
  groupId: group.groupId,
  displayName: group.displayName,
  description: group.description,
});

const byName = (a: GroupChoice, b: GroupChoice): number =>
  a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' });

/**
 * Add user, as AWS's console does it: user details → **Next: Groups** → tick groups → **Add user**.
 * The first step only checks the form and carries it, in hidden fields, to the second; the last
 * creates the user and its memberships in one transaction (invitations.addUser), so a group deleted
 * in between leaves no user behind.
 */
export const registerConsoleAddUserPages = (kit: ConsoleKit, services: ConsoleServices): void => {
  const { identityStore, invitations, settings } = services;

  /** The groups that still exist among `groupIds`, by name (one that is gone simply drops out). */
  const existingGroups = async (scope: Scope, storeId: string, groupIds: Iterable<string>) => {
    const groups: GroupChoice[] = [];
    for (const groupId of new Set(groupIds)) {
      const group = await identityStore.describeGroup(scope, storeId, groupId).catch((error: unknown) => {
        if (isAppError(error) && error.kind === 'NotFound') return undefined;
        throw error;
      });
      if (group !== undefined) groups.push(choiceOf(group));
    }
    return groups.sort(byName);
  };

  /** The groups step's list: ticked groups first, then the store's (or the search's), by name. */
  const groupChoices = async (scope: Scope, search: string, ticked: string[]) => {
    const storeId = (await settings.callerInstance(scope)).identityStoreId;
    const paging = { limit: GROUPS_SHOWN };
    const page =
      search === ''
        ? await identityStore.listGroups(scope, storeId, paging)
        : await identityStore.searchGroupsByNamePrefix(scope, storeId, search, paging);
    const listed = new Set(page.items.map((group) => group.groupId));
    const tickedElsewhere = await existingGroups(
      scope,
      storeId,
      ticked.filter((groupId) => !listed.has(groupId)),
    );
    return {
      groups: [...tickedElsewhere, ...page.items.map(choiceOf).sort(byName)],
      searchable: search !== '' || page.nextToken !== undefined || page.items.length > SEARCH_FROM,
      more: page.nextToken !== undefined,
    };
  };

  const showGroups = async (
    reply: FastifyReply,
    admin: AdminContext,
    status: number,
    form: AddUserForm,
    options: { ticked: string[]; search?: string; errors?: string[] },
  ): Promise<FastifyReply> => {
    const search = options.search ?? '';
    let choices: Awaited<ReturnType<typeof groupChoices>>;
    try {
      choices = await groupChoices(admin.scope, search, options.ticked);
    } catch (error) {
      const problem = describeError(error);
      return kit.send(reply, 400, addUserDetailsPage({ viewer: admin, form, errors: [problem] }));
    }
    return kit.send(
      reply,
      status,
      addUserGroupsPage({
        viewer: admin,
        form,
        ...choices,
        ticked: options.ticked,
        search,
        errors: options.errors,
      }),
    );
  };

  kit.adminGet(CONSOLE_PATHS.addUser, async (_request, reply, admin) =>
    kit.send(reply, 200, addUserDetailsPage({ viewer: admin, form: emptyForm })),
  );

  // Step 1 → 2: check the details, then offer the groups.
  kit.adminPost(CONSOLE_PATHS.addUser, async (request, reply, admin) => {
    const form = formOf(request.body);
    const groupIds = fieldValues(request.body, 'groupId');
    const errors = formProblems(form);
    if (errors.length > 0) {
      return kit.send(reply, 400, addUserDetailsPage({ viewer: admin, form, groupIds, errors }));
    }
    return showGroups(reply, admin, 200, form, { ticked: groupIds });
  });

  // Step 2: search the groups, go back to the details, or add the user with the ticked groups.
  kit.adminPost(ADD_USER_GROUPS_PATH, async (request, reply, admin) => {
    const body = request.body;
    const form = formOf(body);
    const groupIds = [...new Set(fieldValues(body, 'groupId'))];
    const step = field(body, 'step');
    if (step === 'back') return kit.send(reply, 200, addUserDetailsPage({ viewer: admin, form, groupIds }));
    if (step === 'search') {
      return showGroups(reply, admin, 200, form, {
        ticked: groupIds,
        search: field(body, 'groupSearch').trim().slice(0, 128),
      });
    }
    const errors = formProblems(form);
    if (errors.length > 0) {
      return kit.send(reply, 400, addUserDetailsPage({ viewer: admin, form, groupIds, errors }));
    }
    try {
      const added = await invitations.addUser(admin.scope, {
        userName: form.userName,
        email: form.email,
        givenName: form.givenName,
        familyName: form.familyName,
        displayName: form.displayName,
        passwordSetup: form.passwordSetup,
        groups: groupIds,
      });
      const groups = await existingGroups(admin.scope, added.user.identityStoreId, added.groupIds);
      return kit.send(
        reply,
        201,
        userAddedPage({
          viewer: admin,
          userId: added.user.userId,
          userName: added.user.userName,
          invitationMailed: kit.mailed(form.email),
          groups,
          oneTimePassword: added.oneTimePassword,
          portalUrl: added.portalUrl,
        }),
      );
    } catch (error) {
      const problem = describeError(error);
      // A group gone since the list was shown: nothing was added; pick again from the list as it is now.
      if (isAppError(error) && error.code === 'GROUP_NOT_FOUND') {
        return showGroups(reply, admin, 400, form, {
          ticked: groupIds,
          errors: [
            `The user was not added: ${problem} It may have been deleted since this page was shown; the list below is up to date.`,
          ],
        });
      }
      // Anything about the user itself is fixed in the details. AWS's words for a taken name are terse.
      const words =
        isAppError(error) && error.code === 'USER_NAME_EXISTS'
          ? `${problem}: another user already has the username ${form.userName}. Choose another.`
          : problem;
      return kit.send(reply, 400, addUserDetailsPage({ viewer: admin, form, groupIds, errors: [words] }));
    }
  });
};
