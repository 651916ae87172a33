import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import { CreateDomainCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  CreateInstanceCommand,
  DescribeApplicationCommand,
  GetApplicationAssignmentConfigurationCommand,
  ListApplicationAssignmentsCommand,
  ListApplicationsCommand,
  ResourceNotFoundException,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpConsoleRoot } from '../support/console-session.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { hiddenFields, textOf, WebClient, type WebPage } from '../support/web-client.js';

const PASSWORD = 'saffron orchard kettle meadow';

/** The hidden fields of the page's POST form to `action` (the Assign page also has a GET search form there). */
const postFields = (html: string, action: string): Record<string, string> =>
  hiddenFields(html.replace(/<form method="get"[\s\S]*?<\/form>/g, ''), action);

/** Posts the page's POST form to `action` with these fields; repeated names as [name, value] pairs. */
const submitPost = (
  browser: WebClient,
  page: WebPage,
  action: string,
  fields: [string, string][] = [],
): Promise<WebPage> => {
  const body = new URLSearchParams(postFields(page.html, action));
  for (const [name, value] of fields) body.append(name, value);
  return browser.request('POST', action, body);
};

/** The application ID in the path of an application page. */
const applicationIdIn = (page: WebPage): string => {
  const id = /\/console\/applications\/(apl-[a-z0-9]+)$/.exec(new URL(page.url).pathname)?.[1];
  if (id === undefined) throw new Error(`not an application page: ${page.url}`);
  return id;
};

describe('the console’s Applications pages over HTTP', () => {
  let server: TestServer;
  let browser: WebClient;
  let sso: SSOAdminClient;
  let ids: IdentitystoreClient;
  let sagemaker: SageMakerClient;
  let instanceArn: string;
  let storeId: string;
  let domainId: string;
  const user: Record<string, string> = {};
  const group: Record<string, string> = {};

  const applicationArn = (applicationId: string): string => {
    const instanceId = instanceArn.split('/')[1];
    return `arn:aws:sso::${server.accountId}:application/${instanceId}/${applicationId}`;
  };

  const assignedPrincipals = async (applicationId: string): Promise<string[]> => {
    const listed = await sso.send(
      new ListApplicationAssignmentsCommand({ ApplicationArn: applicationArn(applicationId) }),
    );
    return (listed.ApplicationAssignments ?? []).map((a) => `${a.PrincipalType}:${a.PrincipalId}`).sort();
  };

  beforeAll(async () => {
    server = await startTestServer();
    sso = new SSOAdminClient(server.sdkConfig());
    ids = new IdentitystoreClient(server.sdkConfig());
    sagemaker = new SageMakerClient(server.sdkConfig());
    instanceArn = (await sso.send(new CreateInstanceCommand({}))).InstanceArn as string;
    const instances = await server.server.app.services.settings.callerInstance({
      accountId: server.accountId,
      region: server.region,
      principalArn: `arn:aws:iam::${server.accountId}:root`,
    });
    storeId = instances.identityStoreId;
    for (const userName of ['lin', 'linda', 'mo', 'ana']) {
      const created = await ids.send(
        new CreateUserCommand({
          IdentityStoreId: storeId,
          UserName: userName,
          DisplayName: `${userName} Display`,
          Name: { GivenName: userName, FamilyName: 'Tester' },
        }),
      );
      user[userName] = created.UserId as string;
    }
    for (const displayName of ['Engineers', 'Interns']) {
      const created = await ids.send(
        new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: displayName }),
      );
      group[displayName] = created.GroupId as string;
    }
    await ids.send(
      new CreateGroupMembershipCommand({
        IdentityStoreId: storeId,
        GroupId: group.Interns,
        MemberId: { UserId: user.mo as string },
      }),
    );
    domainId = (
      await sagemaker.send(
        new CreateDomainCommand({
          DomainName: 'research',
          AuthMode: 'SSO',
          DefaultUserSettings: { ExecutionRole: `arn:aws:iam::${server.accountId}:role/SageMakerRole` },
          VpcId: 'vpc-0123456789abcdef0',
          SubnetIds: ['subnet-0123456789abcdef0'],
        }),
      )
    ).DomainArn?.split('/')[1] as string;

    browser = new WebClient(server.url);
    await setUpConsoleRoot(server, browser, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    sso?.destroy();
    ids?.destroy();
    sagemaker?.destroy();
    await server?.close();
  });

  it('sends every Applications page and action without a console session to sign-in', async () => {
    const stranger = new WebClient(server.url);
    const csrf = hiddenFields((await stranger.get('/console')).html, '/console/sign-in');
    const routes = server.server.app.consoleRoutes.filter((r) => r.path.startsWith('/console/applications'));
    expect(routes.length).toBe(11);
    for (const route of routes) {
      expect(route.admin, route.path).toBe(true);
      const path = route.path.replace(':applicationId', 'apl-0123456789abcdef');
      const page =
        route.method === 'GET'
          ? await stranger.request('GET', path, undefined, false)
          : await stranger.post(path, { ...csrf, name: 'Intruder app', providerArn: 'x' }, false);
      expect(page.status, `${route.method} ${route.path}`).toBe(303);
      expect(page.location, `${route.method} ${route.path}`).toBe('/console');
    }
    const listed = await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn }));
    expect((listed.Applications ?? []).map((a) => a.Name)).not.toContain('Intruder app');
  });

  it('lists the Studio application of each SSO domain, saying which domain, and offers no delete for it', async () => {
    const list = await browser.get('/console/applications');
    expect(list.status).toBe(200);
    const text = textOf(list.html);
    expect(text).toContain(`Amazon SageMaker Studio (${domainId}) Amazon SageMaker Studio`);
    expect(text).toContain(`AWS managed: Amazon SageMaker created it for the domain research (${domainId})`);
    expect(list.html).toContain(`href="/console/studio/domains/${domainId}"`);

    const listed = await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn }));
    const studioApp = (listed.Applications ?? []).find(
      (a) => a.Name === `Amazon SageMaker Studio (${domainId})`,
    );
    const studioId = studioApp?.ApplicationArn?.split('/')[2] as string;
    const page = await browser.get(`/console/applications/${studioId}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('cannot be renamed or deleted here');
    expect(page.html).not.toContain(`/console/applications/${studioId}/delete"`);
    expect(page.html).not.toContain('Disable application');

    // Even a hand-made request is refused by the service, in its words, with nothing done.
    const refused = await browser.post(`/console/applications/${studioId}/delete`, {
      ...hiddenFields(page.html, `/console/applications/${studioId}/assignment-required`),
    });
    expect(refused.status).toBe(400);
    expect(textOf(refused.html)).toContain('is AWS managed (Amazon SageMaker Studio) and cannot be deleted');
    const disable = await browser.post(`/console/applications/${studioId}/status`, {
      ...hiddenFields(page.html, `/console/applications/${studioId}/assignment-required`),
      status: 'DISABLED',
    });
    expect(disable.status).toBe(400);
    expect(textOf(disable.html)).toContain('cannot be updated');
    const described = await sso.send(
      new DescribeApplicationCommand({ ApplicationArn: studioApp?.ApplicationArn }),
    );
    expect(described.Status).toBe('ENABLED');

    const missing = await browser.get('/console/applications/apl-0000000000000000');
    expect(missing.status).toBe(404);
    expect(textOf(missing.html)).toContain('Application not found');
  });

  it('adds a custom application, refusing bad input in words and keeping what was typed', async () => {
    const form = await browser.get('/console/applications/add');
    expect(textOf(form.html)).toContain('Custom OAuth 2.0 application');
    const blank = await browser.submit(form, '/console/applications/add', {
      providerArn: 'arn:aws:sso::aws:applicationProvider/custom',
      name: '',
      description: 'Team notebooks <b>',
      applicationUrl: 'ftp://example.com',
    });
    expect(blank.status).toBe(400);
    const blankText = textOf(blank.html);
    expect(blankText).toContain('Enter the name of the application.');
    expect(blankText).toContain('The application URL must be an http:// or https:// address');
    expect(blank.html).toContain('value="Team notebooks &lt;b&gt;"');
    expect(blank.html).toContain('value="ftp://example.com"');
    // A provider CreateApplication does not accept is not offered, and not taken either.
    const saml = await browser.submit(blank, '/console/applications/add', {
      providerArn: 'arn:aws:sso::aws:applicationProvider/custom-saml',
      name: 'SAML app',
    });
    expect(saml.status).toBe(400);
    expect(textOf(saml.html)).toContain('Choose the type of application.');

    const created = await browser.submit(form, '/console/applications/add', {
      providerArn: 'arn:aws:sso::aws:applicationProvider/custom',
      name: 'Team notebooks',
      description: 'Shared notebooks',
      applicationUrl: 'https://notebooks.example.com/start',
      showInPortal: 'yes',
    });
    expect(created.status).toBe(200);
    expect(textOf(created.html)).toContain(
      'Added Team notebooks. Assign users and groups so they can open it.',
    );
    const applicationId = applicationIdIn(created);
    const described = await sso.send(
      new DescribeApplicationCommand({ ApplicationArn: applicationArn(applicationId) }),
    );
    expect(described).toMatchObject({
      Name: 'Team notebooks',
      Description: 'Shared notebooks',
      Status: 'ENABLED',
      ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom',
      PortalOptions: {
        Visibility: 'ENABLED',
        SignInOptions: { Origin: 'APPLICATION', ApplicationUrl: 'https://notebooks.example.com/start' },
      },
    });
    // The notice is shown once.
    expect(textOf((await browser.get(created.url)).html)).not.toContain('Added Team notebooks.');
    expect(textOf((await browser.get('/console/applications')).html)).toContain(
      'Team notebooks Custom OAuth 2.0 application Enabled Required',
    );
  });

  it('assigns users and groups found by name, refuses a duplicate assigning nobody, and removes assignments', async () => {
    const list = await browser.get('/console/applications');
    const applicationId = /href="\/console\/applications\/(apl-[a-z0-9]+)">Team notebooks</.exec(
      list.html,
    )?.[1] as string;
    const detail = await browser.get(`/console/applications/${applicationId}`);
    expect(textOf(detail.html)).toContain('Nobody is assigned to Team notebooks yet.');

    const assignPath = `/console/applications/${applicationId}/assign`;
    const found = await browser.get(`${assignPath}?users=LI&groups=eng`);
    expect(found.status).toBe(200);
    const foundText = textOf(found.html);
    expect(foundText).toContain('lin lin Display');
    expect(foundText).toContain('linda linda Display');
    expect(foundText).not.toContain('mo Display');
    expect(foundText).toContain('Engineers');
    expect(foundText).not.toContain('Interns');

    const none = await submitPost(browser, found, assignPath);
    expect(none.status).toBe(400);
    expect(textOf(none.html)).toContain('Tick at least one user or group to assign.');

    const assigned = await submitPost(browser, found, assignPath, [
      ['userId', user.lin as string],
      ['groupId', group.Engineers as string],
    ]);
    expect(assigned.status).toBe(200);
    expect(textOf(assigned.html)).toContain('Assigned lin, Engineers to Team notebooks.');
    expect(await assignedPrincipals(applicationId)).toEqual(
      [`USER:${user.lin}`, `GROUP:${group.Engineers}`].sort(),
    );
    const table = textOf(assigned.html);
    expect(table).toContain(`User lin lin Display ${user.lin}`);
    expect(table).toContain(`Group Engineers ${group.Engineers}`);

    // lin again, with linda: the service's words, nothing assigned, the ticks and the search kept.
    const duplicate = await submitPost(browser, found, assignPath, [
      ['userId', user.linda as string],
      ['userId', user.lin as string],
    ]);
    expect(duplicate.status).toBe(400);
    expect(textOf(duplicate.html)).toContain(
      `lin: The user ${user.lin} is already assigned to the application. Nothing was assigned.`,
    );
    expect(duplicate.html).toContain(`value="${user.linda}" checked`);
    // Now the page marks lin (and Engineers) as assigned, not to be ticked again.
    expect(duplicate.html).toContain(`value="${user.lin}" disabled`);
    expect(duplicate.html).toContain(`value="${group.Engineers}" disabled`);
    expect(textOf(duplicate.html)).toContain('lin Already assigned');
    expect(textOf((await browser.get(`${assignPath}?users=LI&groups=eng`)).html)).toContain(
      'linda linda Display',
    );
    expect(duplicate.html).toContain('name="users" value="LI"');
    expect(await assignedPrincipals(applicationId)).not.toContain(`USER:${user.linda}`);

    const page = await browser.get(`/console/applications/${applicationId}`);
    const removed = await browser.post(`/console/applications/${applicationId}/assignments/remove`, {
      ...hiddenFields(page.html, `/console/applications/${applicationId}/assignments/remove`),
      principalType: 'USER',
      principalId: user.lin as string,
    });
    expect(removed.status).toBe(200);
    expect(textOf(removed.html)).toContain('Removed lin from Team notebooks.');
    expect(await assignedPrincipals(applicationId)).toEqual([`GROUP:${group.Engineers}`]);
    const again = await browser.post(`/console/applications/${applicationId}/assignments/remove`, {
      ...hiddenFields(page.html, `/console/applications/${applicationId}/assignments/remove`),
      principalType: 'USER',
      principalId: user.lin as string,
    });
    expect(again.status).toBe(400);
    expect(textOf(again.html)).toContain(`User ${user.lin} is not assigned to application`);
  });

  it('switches the assignment-required setting, explaining what it means', async () => {
    const list = await browser.get('/console/applications');
    const applicationId = /href="\/console\/applications\/(apl-[a-z0-9]+)">Team notebooks</.exec(
      list.html,
    )?.[1] as string;
    const action = `/console/applications/${applicationId}/assignment-required`;
    const page = await browser.get(`/console/applications/${applicationId}`);
    expect(textOf(page.html)).toContain('when off, every user of the identity store can open it');
    const off = await browser.submit(page, action, { assignmentRequired: 'no' });
    expect(textOf(off.html)).toContain(
      'Team notebooks no longer requires assignment: every user of the identity store can open it.',
    );
    expect(textOf(off.html)).toContain('Off. Every user of the identity store can open Team notebooks');
    const configuration = () =>
      sso.send(
        new GetApplicationAssignmentConfigurationCommand({ ApplicationArn: applicationArn(applicationId) }),
      );
    expect((await configuration()).AssignmentRequired).toBe(false);
    const on = await browser.submit(off, action, { assignmentRequired: 'yes' });
    expect(textOf(on.html)).toContain('Team notebooks now requires assignment');
    expect((await configuration()).AssignmentRequired).toBe(true);
  });

  it('disables, enables and, after a confirmation naming what goes with it, deletes a custom application', async () => {
    const list = await browser.get('/console/applications');
    const applicationId = /href="\/console\/applications\/(apl-[a-z0-9]+)">Team notebooks</.exec(
      list.html,
    )?.[1] as string;
    const arn = applicationArn(applicationId);
    const page = await browser.get(`/console/applications/${applicationId}`);
    const disabled = await browser.submit(page, `/console/applications/${applicationId}/status`);
    expect(textOf(disabled.html)).toContain('Team notebooks is disabled');
    expect((await sso.send(new DescribeApplicationCommand({ ApplicationArn: arn }))).Status).toBe('DISABLED');
    const enabled = await browser.submit(disabled, `/console/applications/${applicationId}/status`);
    expect(textOf(enabled.html)).toContain('Team notebooks is enabled again.');
    expect((await sso.send(new DescribeApplicationCommand({ ApplicationArn: arn }))).Status).toBe('ENABLED');

    const confirm = await browser.get(`/console/applications/${applicationId}/delete`);
    expect(confirm.status).toBe(200);
    const confirmText = textOf(confirm.html);
    expect(confirmText).toContain('Delete Team notebooks?');
    expect(confirmText).toContain('removes every assignment to it (1 user or group)');
    expect(await assignedPrincipals(applicationId)).toHaveLength(1);
    const deleted = await browser.submit(confirm, `/console/applications/${applicationId}/delete`);
    expect(deleted.url).toMatch(/\/console\/applications$/);
    expect(textOf(deleted.html)).toContain('Deleted Team notebooks.');
    await expect(sso.send(new DescribeApplicationCommand({ ApplicationArn: arn }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect((await browser.get(`/console/applications/${applicationId}`)).status).toBe(404);
  });
});
