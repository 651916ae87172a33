import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DescribeGroupCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-identitystore';
import {
  CreateApplicationAssignmentCommand,
  CreateApplicationCommand,
  CreateInstanceCommand,
  ListApplicationAssignmentsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/core/scope.js';
import { describeAccess } from '../../src/modules/access/access-decision.js';
import { setUpConsoleRoot } from '../support/console-session.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { hiddenFields, textOf, WebClient, type WebPage } from '../support/web-client.js';

const PASSWORD = 'copper lagoon thistle beacon';
const CUSTOM_PROVIDER = 'arn:aws:sso::aws:applicationProvider/custom';

/**
 * The hidden fields (CSRF token, kept search) of the page's POST form to `action`: a picker page
 * also has a GET search form to the same path, which the shared helper would find first.
 */
const postFields = (html: string, action: string): Record<string, string> =>
  hiddenFields(html.replace(/<form method="get"[\s\S]*?<\/form>/g, ''), action);

/** Submits the POST form to `action` with these fields. */
const submitPost = (
  browser: WebClient,
  page: WebPage,
  action: string,
  fields: Record<string, string> = {},
): Promise<WebPage> => browser.post(action, { ...postFields(page.html, action), ...fields });

/** The group page's path, from the URL a create or an action redirected to. */
const groupIdIn = (page: WebPage): string => {
  const id = /\/console\/groups\/([^/?]+)$/.exec(new URL(page.url).pathname)?.[1];
  if (id === undefined) throw new Error(`not a group page: ${page.url}`);
  return decodeURIComponent(id);
};

describe('the console’s Groups pages over HTTP', () => {
  let server: TestServer;
  let browser: WebClient;
  let ids: IdentitystoreClient;
  let sso: SSOAdminClient;
  let storeId: string;
  let instanceArn: string;
  let scope: Scope;
  const users: Record<string, string> = {};

  const newUser = async (userName: string): Promise<string> => {
    const { UserId } = await ids.send(
      new CreateUserCommand({
        IdentityStoreId: storeId,
        UserName: userName,
        DisplayName: `${userName} Display`,
        Name: { GivenName: 'G', FamilyName: 'F' },
      }),
    );
    users[userName] = UserId as string;
    return UserId as string;
  };

  /** Creates a group by clicking through Create group; returns its ID (from the page it lands on). */
  const createGroup = async (displayName: string, description = ''): Promise<string> => {
    const form = await browser.get('/console/groups/create');
    const created = await browser.submit(form, '/console/groups/create', { displayName, description });
    expect(created.status, textOf(created.html)).toBe(200);
    expect(textOf(created.html)).toContain(`Group ${displayName} was created`);
    return groupIdIn(created);
  };

  /** The user IDs of the group's members, through the identitystore API. */
  const membersOf = async (groupId: string): Promise<string[]> => {
    const { GroupMemberships } = await ids.send(
      new ListGroupMembershipsCommand({ IdentityStoreId: storeId, GroupId: groupId }),
    );
    return (GroupMemberships ?? []).map((m) => m.MemberId?.UserId ?? '').sort();
  };

  const nestedIn = async (groupId: string): Promise<string[]> =>
    (await server.server.app.services.identityStore.listNestedGroups(scope, storeId, groupId)).items.map(
      (m) => m.memberGroupId,
    );

  beforeAll(async () => {
    server = await startTestServer();
    sso = new SSOAdminClient(server.sdkConfig());
    ids = new IdentitystoreClient(server.sdkConfig());
    const instance = await sso.send(new CreateInstanceCommand({}));
    instanceArn = instance.InstanceArn as string;
    scope = {
      accountId: server.accountId,
      region: server.region,
      principalArn: `arn:aws:iam::${server.accountId}:root`,
    };
    storeId = (await server.server.app.services.settings.callerInstance(scope)).identityStoreId;
    for (const name of ['ada', 'adrian', 'grace', 'bob']) await newUser(name);

    browser = new WebClient(server.url);
    await setUpConsoleRoot(server, browser, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    ids?.destroy();
    sso?.destroy();
    await server?.close();
  });

  it('sends every Groups page and action without a console session to sign-in, doing nothing', async () => {
    const stranger = new WebClient(server.url);
    const csrf = hiddenFields((await stranger.get('/console')).html, '/console/sign-in');
    const routes = server.server.app.consoleRoutes.filter((r) => r.path.startsWith('/console/groups'));
    expect(routes.length).toBeGreaterThanOrEqual(14);
    for (const route of routes) {
      expect(route.admin, route.path).toBe(true);
      const path = route.path.replace(/:[A-Za-z]+/g, 'x-1');
      const page =
        route.method === 'GET'
          ? await stranger.request('GET', path, undefined, false)
          : await stranger.post(path, { ...csrf, displayName: 'Intruders' }, false);
      expect(page.location, `${route.method} ${route.path}`).toBe('/console');
    }
    expect(
      (await server.server.app.services.identityStore.searchGroupsByNamePrefix(scope, storeId, 'intruders'))
        .items,
    ).toEqual([]);
  });

  it('creates groups, refuses a duplicate or reserved name in words keeping what was typed, and lists and searches them', async () => {
    expect(textOf((await browser.get('/console/groups')).html)).toContain('No groups');
    const form = await browser.get('/console/groups/create');
    const empty = await browser.submit(form, '/console/groups/create', {
      displayName: ' ',
      description: 'x',
    });
    expect(empty.status).toBe(400);
    expect(textOf(empty.html)).toContain('Enter a group name.');
    expect(empty.html).toMatch(/role="alert"/);

    const dataId = await createGroup('Data Scientists', 'Machine learning <people>');
    const described = await ids.send(new DescribeGroupCommand({ IdentityStoreId: storeId, GroupId: dataId }));
    expect(described).toMatchObject({
      DisplayName: 'Data Scientists',
      Description: 'Machine learning <people>',
    });

    const duplicate = await browser.submit(form, '/console/groups/create', {
      displayName: 'data scientists',
      description: 'Again',
    });
    expect(duplicate.status).toBe(400);
    expect(textOf(duplicate.html)).toContain(
      'A group named “data scientists” already exists. Group names must be unique (in any case)',
    );
    expect(duplicate.html).toContain('value="data scientists"');
    expect(duplicate.html).toContain('value="Again"');
    const reserved = await browser.submit(form, '/console/groups/create', { displayName: 'Administrator' });
    expect(reserved.status).toBe(400);
    expect(textOf(reserved.html)).toContain('reserved');

    await createGroup('Data Engineers');
    await createGroup('Designers');
    const all = textOf((await browser.get('/console/groups')).html);
    expect(all).toContain('Data Scientists Machine learning <people> 0 0');
    expect(all).toContain('Designers');
    const search = textOf((await browser.get('/console/groups?search=DATA')).html);
    expect(search).toContain('Data Scientists');
    expect(search).toContain('Data Engineers');
    expect(search).not.toContain('Designers');
    expect(textOf((await browser.get('/console/groups?search=zz')).html)).toContain(
      'No groups whose name starts with “zz”',
    );
  });

  it('pages through many groups', async () => {
    for (let i = 0; i < 27; i++) {
      await ids.send(
        new CreateGroupCommand({
          IdentityStoreId: storeId,
          DisplayName: `Paged ${String(i).padStart(2, '0')}`,
        }),
      );
    }
    const seen = new Set<string>();
    let path: string | undefined = '/console/groups?search=paged';
    let pages = 0;
    while (path !== undefined) {
      const page = await browser.get(path);
      pages++;
      for (const m of textOf(page.html).matchAll(/Paged \d\d/g)) seen.add(m[0]);
      const next = /<a class="button secondary small" href="([^"]+)">Next page<\/a>/.exec(page.html)?.[1];
      path = next?.replace(/&amp;/g, '&');
    }
    expect(pages).toBe(2);
    expect(seen.size).toBe(27);
  });

  it('renames a group and edits its description, refusing a name in use', async () => {
    const groupId = await createGroup('Analysts', 'Numbers');
    const edit = await browser.get(`/console/groups/${groupId}/edit`);
    expect(edit.html).toContain('value="Analysts"');
    const taken = await browser.submit(edit, `/console/groups/${groupId}/edit`, {
      displayName: 'DESIGNERS',
      description: 'Numbers',
    });
    expect(taken.status).toBe(400);
    expect(textOf(taken.html)).toContain('A group named “DESIGNERS” already exists');
    expect(taken.html).toContain('value="DESIGNERS"');
    const renamed = await browser.submit(edit, `/console/groups/${groupId}/edit`, {
      displayName: 'Business Analysts',
      description: '',
    });
    expect(textOf(renamed.html)).toContain('Group Analysts was renamed to Business Analysts.');
    const described = await ids.send(
      new DescribeGroupCommand({ IdentityStoreId: storeId, GroupId: groupId }),
    );
    expect(described.DisplayName).toBe('Business Analysts');
    expect(described.Description).toBeUndefined();
  });

  it('adds users by ticking them, refuses an existing member in words, and removes members', async () => {
    const groupId = await createGroup('Researchers');
    const add = await browser.get(`/console/groups/${groupId}/members/add?search=AD`);
    expect(textOf(add.html)).toContain('ada');
    expect(textOf(add.html)).toContain('adrian');
    expect(textOf(add.html)).not.toContain('grace');
    const none = await submitPost(browser, add, `/console/groups/${groupId}/members/add`);
    expect(none.status).toBe(400);
    expect(textOf(none.html)).toContain('Tick at least one user to add.');

    const action = `/console/groups/${groupId}/members/add`;
    const body = new URLSearchParams({ ...postFields(add.html, action) });
    body.append('userId', users.ada ?? '');
    body.append('userId', users.adrian ?? '');
    const added = await browser.request('POST', action, body);
    expect(textOf(added.html)).toContain('Added ada, adrian to Researchers.');
    expect(await membersOf(groupId)).toEqual([users.ada, users.adrian].sort());
    const groupPage = textOf(added.html);
    expect(groupPage).toContain('ada ada Display');
    expect(groupPage).toContain('2 users, 0 nested groups');

    // An existing member cannot be ticked again; a stale form posting one is answered in words.
    const again = await browser.get(`${action}?search=ada`);
    expect(again.html).toMatch(new RegExp(`value="${users.ada}" disabled`));
    expect(textOf(again.html)).toContain('Already a member');
    const stale = await browser.post(action, {
      ...postFields(again.html, action),
      userId: users.ada ?? '',
    });
    expect(stale.status).toBe(400);
    expect(textOf(stale.html)).toContain('ada is already a member of Researchers.');
    expect(stale.html).toContain('value="ada"');

    // Remove, then remove again from the same (stale) page.
    const remove = `/console/groups/${groupId}/members/remove`;
    const removed = await browser.post(remove, {
      ...hiddenFields(added.html, remove),
      userId: users.ada ?? '',
    });
    expect(textOf(removed.html)).toContain('ada was removed from Researchers.');
    expect(await membersOf(groupId)).toEqual([users.adrian]);
    const missing = await browser.post(remove, {
      ...hiddenFields(added.html, remove),
      userId: users.ada ?? '',
    });
    expect(missing.status).toBe(400);
    expect(textOf(missing.html)).toContain('ada is not a member of Researchers: nothing was removed.');
    expect(await membersOf(groupId)).toEqual([users.adrian]);
  });

  it('moves a user to another group in one step, and leaves them where they were when the move is refused', async () => {
    const from = await createGroup('Cohort A');
    const to = await createGroup('Cohort B');
    const busy = await createGroup('Cohort C');
    for (const groupId of [from, busy]) {
      await ids.send(
        new CreateGroupMembershipCommand({
          IdentityStoreId: storeId,
          GroupId: groupId,
          MemberId: { UserId: users.grace ?? '' },
        }),
      );
    }
    const action = `/console/groups/${from}/members/${users.grace}/move`;
    const move = await browser.get(`${action}?search=cohort`);
    expect(textOf(move.html)).toContain('grace leaves Cohort A and joins the group you pick');
    expect(move.html).toMatch(new RegExp(`value="${from}" disabled`));
    expect(move.html).toMatch(new RegExp(`value="${busy}" disabled`));

    const unpicked = await submitPost(browser, move, action);
    expect(unpicked.status).toBe(400);
    expect(textOf(unpicked.html)).toContain('Pick the group to move grace to.');
    // Already in the target (a stale page): refused in words, and grace is still in Cohort A.
    const refused = await submitPost(browser, move, action, { toGroupId: busy });
    expect(refused.status).toBe(400);
    expect(textOf(refused.html)).toContain('grace is already a member of Cohort C: nothing was moved.');
    expect(await membersOf(from)).toEqual([users.grace]);
    // A target group that does not exist: the same.
    const gone = await submitPost(browser, move, action, {
      toGroupId: '0123456789-00000000-0000-4000-8000-000000000001',
    });
    expect(gone.status).toBe(400);
    expect(textOf(gone.html)).toContain('does not exist');
    expect(await membersOf(from)).toEqual([users.grace]);

    const moved = await submitPost(browser, move, action, { toGroupId: to });
    expect(textOf(moved.html)).toContain('grace was moved from Cohort A to Cohort B.');
    expect(groupIdIn(moved)).toBe(from);
    expect(await membersOf(from)).toEqual([]);
    expect(await membersOf(to)).toEqual([users.grace]);
    expect(await membersOf(busy)).toEqual([users.grace]);
    // Moving again from Cohort A: grace is no longer there.
    const twice = await submitPost(browser, move, action, { toGroupId: to });
    expect(twice.status).toBe(400);
    expect(textOf(twice.html)).toContain('grace is not a member of Cohort A (any more): nothing was moved.');
    expect(await membersOf(to)).toEqual([users.grace]);
  });

  it('nests a group with the note shown, refuses cycles in words, and a user only in the nested group is "only through nested group"', async () => {
    const engineers = await createGroup('Engineers');
    const interns = await createGroup('Interns');
    await ids.send(
      new CreateGroupMembershipCommand({
        IdentityStoreId: storeId,
        GroupId: interns,
        MemberId: { UserId: users.bob ?? '' },
      }),
    );
    const { ApplicationArn } = await sso.send(
      new CreateApplicationCommand({
        InstanceArn: instanceArn,
        ApplicationProviderArn: CUSTOM_PROVIDER,
        Name: 'Notebooks',
      }),
    );
    await sso.send(
      new CreateApplicationAssignmentCommand({
        ApplicationArn,
        PrincipalType: 'GROUP',
        PrincipalId: engineers,
      }),
    );

    const note =
      'Nested groups do not grant application access. Members of a nested group can open an application only if they, or a group they belong to directly, are assigned to it.';
    const action = `/console/groups/${engineers}/nested/add`;
    const add = await browser.get(`${action}?search=engineers`);
    expect(textOf(add.html)).toContain(note);
    expect(add.html).toMatch(new RegExp(`value="${engineers}" disabled`));
    const self = await submitPost(browser, add, action, { memberGroupId: engineers });
    expect(self.status).toBe(400);
    expect(textOf(self.html)).toContain('A group cannot be a member of itself.');

    const nested = await submitPost(browser, add, action, { memberGroupId: interns });
    const page = textOf(nested.html);
    expect(page).toContain('Interns is now inside Engineers.');
    expect(page).toContain(note);
    expect(page).toMatch(/Nested groups .*Interns nested 1 0/);
    expect(page).toContain('Applications Notebooks');
    expect(await nestedIn(engineers)).toEqual([interns]);
    const internsPage = textOf((await browser.get(`/console/groups/${interns}`)).html);
    expect(internsPage).toContain('Member of Engineers');

    const again = await submitPost(browser, add, action, { memberGroupId: interns });
    expect(again.status).toBe(400);
    expect(textOf(again.html)).toContain('Interns is already inside Engineers.');
    const cycleAction = `/console/groups/${interns}/nested/add`;
    const cycle = await submitPost(browser, await browser.get(cycleAction), cycleAction, {
      memberGroupId: engineers,
    });
    expect(cycle.status).toBe(400);
    expect(textOf(cycle.html)).toContain('would make a cycle');
    expect(await nestedIn(interns)).toEqual([]);

    // The access decision agrees with the note: bob is in Interns only, which is inside Engineers.
    const { decision } = await server.server.app.services.access.explain(scope, {
      user: 'bob',
      application: 'Notebooks',
    });
    expect(decision.allowed).toBe(false);
    expect(describeAccess(decision)).toBe(
      'denied: only through nested group Interns inside assigned group Engineers',
    );

    const remove = `/console/groups/${engineers}/nested/remove`;
    const removed = await browser.post(remove, {
      ...hiddenFields(nested.html, remove),
      memberGroupId: interns,
    });
    expect(textOf(removed.html)).toContain('Interns is no longer inside Engineers.');
    expect(await nestedIn(engineers)).toEqual([]);
    const missing = await browser.post(remove, {
      ...hiddenFields(nested.html, remove),
      memberGroupId: interns,
    });
    expect(missing.status).toBe(400);
    expect(textOf(missing.html)).toContain('Interns is not inside Engineers: nothing was removed.');
  });

  it('deletes a group through a confirmation page that names what goes with it', async () => {
    const groupId = await createGroup('Temporary');
    const inner = await createGroup('Temporary inner');
    await ids.send(
      new CreateGroupMembershipCommand({
        IdentityStoreId: storeId,
        GroupId: groupId,
        MemberId: { UserId: users.bob ?? '' },
      }),
    );
    await server.server.app.services.identityStore.addGroupToGroup(scope, storeId, groupId, inner);
    const { ApplicationArn } = await sso.send(
      new CreateApplicationCommand({
        InstanceArn: instanceArn,
        ApplicationProviderArn: CUSTOM_PROVIDER,
        Name: 'Dashboards',
      }),
    );
    await sso.send(
      new CreateApplicationAssignmentCommand({
        ApplicationArn,
        PrincipalType: 'GROUP',
        PrincipalId: groupId,
      }),
    );

    const confirm = await browser.get(`/console/groups/${groupId}/delete`);
    const text = textOf(confirm.html);
    expect(text).toContain('Delete group Temporary?');
    expect(text).toContain('1 user membership (the users themselves stay)');
    expect(text).toContain('1 nested group taken out of it (those groups stay)');
    expect(text).toContain('its assignment to the application Dashboards');
    expect(text).toContain(
      'Its memberships and application assignments are removed with it, so its members lose the access that came only through this group',
    );
    // Nothing is deleted by looking.
    expect(
      (await ids.send(new DescribeGroupCommand({ IdentityStoreId: storeId, GroupId: groupId }))).DisplayName,
    ).toBe('Temporary');

    const deleted = await browser.submit(confirm, `/console/groups/${groupId}/delete`);
    expect(new URL(deleted.url).pathname).toBe('/console/groups');
    expect(textOf(deleted.html)).toContain('Group Temporary was deleted.');
    await expect(
      ids.send(new DescribeGroupCommand({ IdentityStoreId: storeId, GroupId: groupId })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const assignments = await sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn }));
    expect(assignments.ApplicationAssignments).toEqual([]);
    // The nested group stays; the group's page is gone.
    expect(
      (await ids.send(new DescribeGroupCommand({ IdentityStoreId: storeId, GroupId: inner }))).DisplayName,
    ).toBe('Temporary inner');
    const after = await browser.get(`/console/groups/${groupId}`);
    expect(after.status).toBe(404);
    expect(textOf(after.html)).toContain(`Group ${groupId} does not exist.`);
    const again = await browser.submit(confirm, `/console/groups/${groupId}/delete`);
    expect(again.status).toBe(404);
  });
});
