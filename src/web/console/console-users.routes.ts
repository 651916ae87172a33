import type { PasswordSetup } from '../../modules/invitations/invitations.types.js';
import { field } from '../forms.js';
import type { ConsoleServices } from './console.routes.js';
import { type ConsoleKit, describeError, queryText } from './console-kit.js';
import { CONSOLE_PATHS } from './console-paths.js';
import {
  type AddUserForm,
  addUserPage,
  type UserRow,
  userAddedPage,
  usersPage,
} from './console-users-pages.js';

const PAGE_SIZE = 25;

const emptyForm: AddUserForm = {
  userName: '',
  email: '',
  confirmEmail: '',
  givenName: '',
  familyName: '',
  displayName: '',
  passwordSetup: 'send-email',
};

/** Identity Center → Users: the searchable, paged list and Add user. */
export const registerConsoleUsersPages = (kit: ConsoleKit, services: ConsoleServices): void => {
  const { identityStore, invitations, settings } = services;

  kit.adminGet(CONSOLE_PATHS.users, async (request, reply, admin) => {
    const search = queryText(request, 'search', 128);
    const next = queryText(request, 'next', 2048) || undefined;
    const base = { viewer: admin, search, notice: kit.takeNotice(request, reply, admin) };
    const { scope } = admin;
    let storeId: string;
    try {
      storeId = (await settings.callerInstance(scope)).identityStoreId;
    } catch (error) {
      return kit.send(reply, 200, usersPage({ ...base, rows: [], problem: describeError(error) }));
    }
    let page: Awaited<ReturnType<typeof identityStore.listUsers>>;
    try {
      const paging = { nextToken: next, limit: PAGE_SIZE };
      page =
        search === ''
          ? await identityStore.listUsers(scope, storeId, paging)
          : await identityStore.searchUsersByNamePrefix(scope, storeId, search, paging);
    } catch (error) {
      return kit.send(reply, 400, usersPage({ ...base, rows: [], problem: describeError(error) }));
    }
    const rows: UserRow[] = [];
    for (const user of page.items) {
      const onboarding = await invitations.describeOnboarding(scope, user.userId, storeId);
      const latest = onboarding.invitations[0];
      rows.push({
        userName: user.userName,
        displayName: user.displayName,
        email: (user.emails?.find((e) => e.primary === true) ?? user.emails?.[0])?.value,
        status: user.status === 'ENABLED' ? 'Enabled' : 'Disabled',
        onboarding: onboarding.status,
        invitation: latest?.state,
        delivery: latest?.delivery?.state,
      });
    }
    return kit.send(reply, 200, usersPage({ ...base, rows, nextToken: page.nextToken }));
  });

  kit.adminGet(CONSOLE_PATHS.addUser, async (_request, reply, admin) =>
    kit.send(reply, 200, addUserPage({ viewer: admin, form: emptyForm })),
  );

  kit.adminPost(CONSOLE_PATHS.addUser, async (request, reply, admin) => {
    const body = request.body;
    const form: AddUserForm = {
      userName: field(body, 'userName').trim(),
      email: field(body, 'email').trim(),
      confirmEmail: field(body, 'confirmEmail').trim(),
      givenName: field(body, 'givenName').trim(),
      familyName: field(body, 'familyName').trim(),
      displayName: field(body, 'displayName').trim(),
      passwordSetup:
        field(body, 'passwordSetup') === 'one-time-password' ? 'one-time-password' : 'send-email',
    };
    const errors: string[] = [];
    const required: [keyof AddUserForm, string][] = [
      ['userName', 'Username'],
      ['email', 'Email address'],
      ['givenName', 'First name'],
      ['familyName', 'Last name'],
      ['displayName', 'Display name'],
    ];
    for (const [name, label] of required)
      if (form[name] === '') errors.push(`Enter the ${label.toLowerCase()}.`);
    if (form.email !== '' && form.email.toLowerCase() !== form.confirmEmail.toLowerCase()) {
      errors.push('The e-mail addresses do not match. Type the same address in both fields.');
    }
    if (errors.length > 0) return kit.send(reply, 400, addUserPage({ viewer: admin, form, errors }));
    try {
      const added = await invitations.addUser(admin.scope, {
        userName: form.userName,
        email: form.email,
        givenName: form.givenName,
        familyName: form.familyName,
        displayName: form.displayName,
        passwordSetup: form.passwordSetup as PasswordSetup,
      });
      return kit.send(
        reply,
        201,
        userAddedPage({
          viewer: admin,
          userName: added.user.userName,
          email: form.email,
          oneTimePassword: added.oneTimePassword,
          portalUrl: added.portalUrl,
        }),
      );
    } catch (error) {
      return kit.send(reply, 400, addUserPage({ viewer: admin, form, errors: [describeError(error)] }));
    }
  });
};
