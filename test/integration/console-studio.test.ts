import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  DescribeDomainCommand,
  DescribeUserProfileCommand,
  ListUserProfilesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  CreateApplicationAssignmentCommand,
  CreateInstanceCommand,
  ListApplicationAssignmentsCommand,
  ListApplicationsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { Scope } from '../../src/core/scope.js';
import { formatExplanation } from '../../src/modules/access/explain-text.js';
import { setUpConsoleRoot } from '../support/console-session.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { hiddenFields, textOf, WebClient, type WebPage } from '../support/web-client.js';

const PASSWORD = 'juniper canyon lantern ember';
/** More users than one page of the onboarding table (25). */
const CROWD = 26;

/** The hidden fields of the page's POST form to `action` (Add user profile also has a GET search form there). */
const postFields = (html: string, action: string): Record<string, string> =>
  hiddenFields(html.replace(/<form method="get"[\s\S]*?<\/form>/g, ''), action);

/**
 * What a browser sends for the page's POST form to `action` as it stands: hidden and text values,
 * and the checked radio buttons and boxes (the pre-filled example values among them).
 */
const formValues = (html: string, action: string): Record<string, string> => {
  const form = [...html.matchAll(/<form method="post" action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)].find(
    (m) => m[1] === action,
  );
  if (form === undefined) throw new Error(`no form posting to ${action}`);
  const values: Record<string, string> = {};
  for (const [input] of (form[2] ?? '').matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input)?.[1];
    const value = (/value="([^"]*)"/.exec(input)?.[1] ?? '').replace(/&amp;/g, '&');
    const checkable = /type="(radio|checkbox)"/.test(input);
    if (name !== undefined && (!checkable || / checked/.test(input))) values[name] = value;
  }
  return values;
};

/** Fills in the page's POST form to `action` over what it holds, and submits it. */
const fillAndSubmit = (
  browser: WebClient,
  page: WebPage,
  action: string,
  fields: Record<string, string> = {},
): Promise<WebPage> => browser.post(action, { ...formValues(page.html, action), ...fields });

const submitPost = (
  browser: WebClient,
  page: WebPage,
  action: string,
  fields: Record<string, string> = {},
): Promise<WebPage> => browser.post(action, { ...postFields(page.html, action), ...fields });

/** The domain ID in the path of a domain page. */
const domainIdIn = (page: WebPage): string => {
  const id = /\/console\/studio\/domains\/(d-[a-z0-9]+)$/.exec(new URL(page.url).pathname)?.[1];
  if (id === undefined) throw new Error(`not a domain page: ${page.url}\n${textOf(page.html)}`);
  return id;
};

/** The onboarding table's row of a user, as text (on the page given, which must list the user). */
const onboardingRowOf = (page: WebPage, userName: string): string => {
  const row = [...page.html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((m) => textOf(m[1] ?? ''))
    .find((text) => text.startsWith(`${userName} ${userName} Display`));
  if (row === undefined) throw new Error(`no onboarding row for ${userName}`);
  return row;
};

/** The user names of the onboarding table's rows, in order. */
const userNamesIn = (page: WebPage): string[] =>
  [...page.html.matchAll(/aria-label="Why\? ([^"]+)"/g)].map((m) => m[1] as string);

/** The onboarding table's next-page link ('' when `required` is false and there is none). */
const nextPageOf = (page: WebPage, required = true): string => {
  const href = /href="([^"]*next=[^"]*)">Next page of users</.exec(page.html)?.[1]?.replace(/&amp;/g, '&');
  if (href === undefined && required) throw new Error('no next page of users');
  return href ?? '';
};

/**
 * The SQLite statements the in-process server runs during `work` (better-sqlite3 is the test
 * server's driver), counted on the statement class for the time of the call.
 */
const countingStatements = async <T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> => {
  const probe = new SqliteDatabase(':memory:');
  const statementClass = Object.getPrototypeOf(probe.prepare('select 1')) as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  probe.close();
  let statements = 0;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const method of ['all', 'get', 'run', 'iterate']) {
    const original = statementClass[method] as (...args: unknown[]) => unknown;
    originals.set(method, original);
    statementClass[method] = function (this: unknown, ...args: unknown[]) {
      statements++;
      return original.apply(this, args);
    };
  }
  try {
    return { result: await work(), statements };
  } finally {
    for (const [method, original] of originals) statementClass[method] = original;
  }
};

describe('the console’s SageMaker Studio Control Panel over HTTP', () => {
  const clock = new ManualClock();
  let server: TestServer;
  let browser: WebClient;
  let sso: SSOAdminClient;
  let ids: IdentitystoreClient;
  let sagemaker: SageMakerClient;
  let instanceArn: string;
  let storeId: string;
  let scope: Scope;
  let ssoDomainId: string;
  let iamDomainId: string;
  const user: Record<string, string> = {};
  const group: Record<string, string> = {};

  const newUser = async (userName: string): Promise<void> => {
    const created = await ids.send(
      new CreateUserCommand({
        IdentityStoreId: storeId,
        UserName: userName,
        DisplayName: `${userName} Display`,
        Name: { GivenName: userName, FamilyName: 'Tester' },
      }),
    );
    user[userName] = created.UserId as string;
  };

  /** The domain's Studio application, through the sso-admin API. */
  const studioApplicationArn = async (domainId: string): Promise<string | undefined> => {
    const listed = await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn }));
    return (listed.Applications ?? []).find((a) => a.Name === `Amazon SageMaker Studio (${domainId})`)
      ?.ApplicationArn;
  };

  const assignedPrincipals = async (domainId: string): Promise<string[]> => {
    const listed = await sso.send(
      new ListApplicationAssignmentsCommand({ ApplicationArn: await studioApplicationArn(domainId) }),
    );
    return (listed.ApplicationAssignments ?? []).map((a) => `${a.PrincipalType}:${a.PrincipalId}`).sort();
  };

  const profileNames = async (domainId: string): Promise<string[]> =>
    ((await sagemaker.send(new ListUserProfilesCommand({ DomainIdEquals: domainId }))).UserProfiles ?? [])
      .map((p) => p.UserProfileName as string)
      .sort();

  beforeAll(async () => {
    server = await startTestServer({ clock });
    sso = new SSOAdminClient(server.sdkConfig());
    ids = new IdentitystoreClient(server.sdkConfig());
    sagemaker = new SageMakerClient(server.sdkConfig());
    instanceArn = (await sso.send(new CreateInstanceCommand({}))).InstanceArn as string;
    scope = {
      accountId: server.accountId,
      region: server.region,
      principalArn: `arn:aws:iam::${server.accountId}:root`,
    };
    storeId = (await server.server.app.services.settings.callerInstance(scope)).identityStoreId;
    // Kim: a capital first letter, so that name order is seen to ignore case.
    for (const userName of ['ana', 'lin', 'mo', 'Kim']) await newUser(userName);
    for (let i = 1; i <= CROWD; i++) await newUser(`zz-${String(i).padStart(2, '0')}`);
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
    // Interns inside Engineers: a nesting the AWS API cannot make (it arrives from directories).
    await server.server.app.services.identityStore.addGroupToGroup(
      scope,
      storeId,
      group.Engineers as string,
      group.Interns as string,
    );
    // One user invited by e-mail, so the onboarding table has an invitation to show.
    await server.server.app.services.invitations.addUser(scope, {
      userName: 'ivy',
      email: 'ivy@example.com',
      givenName: 'Ivy',
      familyName: 'Tester',
      displayName: 'ivy Display',
      passwordSetup: 'send-email',
    });

    browser = new WebClient(server.url);
    await setUpConsoleRoot(server, browser, PASSWORD);
  }, 120_000);

  afterAll(async () => {
    sso?.destroy();
    ids?.destroy();
    sagemaker?.destroy();
    await server?.close();
  });

  it('sends every Control Panel page and action without a console session to sign-in', async () => {
    const stranger = new WebClient(server.url);
    const csrf = hiddenFields((await stranger.get('/console')).html, '/console/sign-in');
    const routes = server.server.app.consoleRoutes.filter((r) => r.path.startsWith('/console/studio'));
    expect(routes.length).toBe(11);
    for (const route of routes) {
      expect(route.admin, route.path).toBe(true);
      const path = route.path
        .replace(':domainId', 'd-0123456789ab')
        .replace(':userId', 'x-1')
        .replace(':profileName', 'p-1');
      const page =
        route.method === 'GET'
          ? await stranger.request('GET', path, undefined, false)
          : await stranger.post(path, { ...csrf, name: 'intruder', authMode: 'IAM' }, false);
      expect(page.status, `${route.method} ${route.path}`).toBe(303);
      expect(page.location, `${route.method} ${route.path}`).toBe('/console');
    }
  });

  it('creates an SSO domain with example values, refusing bad input in words and keeping what was typed', async () => {
    const empty = await browser.get('/console/studio');
    expect(textOf(empty.html)).toContain('No domains yet.');
    const form = await browser.get('/console/studio/create-domain');
    expect(form.html).toContain(`value="arn:aws:iam::${server.accountId}:role/SageMakerExecutionRole"`);
    expect(form.html).toMatch(/name="authMode" value="SSO" checked/);

    const bad = await fillAndSubmit(browser, form, '/console/studio/create-domain', {
      name: '-research-',
      executionRoleArn: 'SageMakerRole',
      subnetIds: 'subnet-1 subnet_2',
    });
    expect(bad.status).toBe(400);
    const badText = textOf(bad.html);
    expect(badText).toContain('The domain name may have up to 63 letters, digits and hyphens');
    expect(badText).toContain('The default execution role must be an IAM role ARN');
    expect(badText).toContain('Each subnet ID may have up to 32 letters, digits and hyphens');
    expect(bad.html).toContain('value="-research-"');
    expect(bad.html).toContain('value="subnet-1 subnet_2"');

    // The service's own rule, in its words.
    const halfVpc = await fillAndSubmit(browser, form, '/console/studio/create-domain', {
      name: 'research',
      vpcId: 'vpc-0a1b2c3d4e5f67890',
      subnetIds: '',
    });
    expect(halfVpc.status).toBe(400);
    expect(textOf(halfVpc.html)).toContain('VpcId and SubnetIds go together');
    expect(halfVpc.html).toContain('value="research"');

    const created = await fillAndSubmit(browser, form, '/console/studio/create-domain', {
      name: 'research',
      vpcId: 'vpc-0a1b2c3d4e5f67890',
      subnetIds: 'subnet-0a1b2c3d4e5f67890, subnet-0f9e8d7c6b5a43210',
    });
    expect(created.status).toBe(200);
    ssoDomainId = domainIdIn(created);
    const createdText = textOf(created.html);
    expect(createdText).toContain(`Created the domain research (${ssoDomainId}). It is Pending for a moment`);
    expect(createdText).toContain('research Pending');
    expect(createdText).toContain('Authentication IAM Identity Center');
    expect(createdText).toContain(`Amazon SageMaker Studio (${ssoDomainId})`);
    const applicationArn = (await studioApplicationArn(ssoDomainId)) as string;
    expect(created.html).toContain(`href="/console/applications/${applicationArn.split('/')[2]}"`);

    const described = await sagemaker.send(new DescribeDomainCommand({ DomainId: ssoDomainId }));
    expect(described).toMatchObject({
      DomainName: 'research',
      AuthMode: 'SSO',
      Status: 'Pending',
      VpcId: 'vpc-0a1b2c3d4e5f67890',
      SubnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-0f9e8d7c6b5a43210'],
      AppNetworkAccessType: 'PublicInternetOnly',
      DefaultUserSettings: { ExecutionRole: `arn:aws:iam::${server.accountId}:role/SageMakerExecutionRole` },
    });

    // The lifecycle moves with the clock.
    clock.advance(1500);
    expect((await sagemaker.send(new DescribeDomainCommand({ DomainId: ssoDomainId }))).Status).toBe(
      'InService',
    );
    expect(textOf((await browser.get('/console/studio')).html)).toContain(
      `research ${ssoDomainId} InService IAM Identity Center`,
    );
  });

  it('shows every user’s onboarding: sign-in, access to Studio, profile, searchable and paged', async () => {
    const page = await browser.get(`/console/studio/domains/${ssoDomainId}`);
    expect(page.status).toBe(200);
    const find = (userName: string) =>
      browser.get(`/console/studio/domains/${ssoDomainId}?search=${userName}`);
    expect(onboardingRowOf(await find('ana'), 'ana')).toBe(
      'ana ana Display No password Not assigned No · Add Why?',
    );
    expect(onboardingRowOf(await find('ivy'), 'ivy')).toBe(
      'ivy ivy Display Invited Not assigned No · Add Why?',
    );
    expect(page.html).toContain('Next page of users');
    const rows = (html: string) => (html.match(/aria-label="Why\? /g) ?? []).length;
    expect(rows(page.html)).toBe(25);
    const next = /href="([^"]*next=[^"]*)">Next page of users</.exec(page.html)?.[1]?.replace(/&amp;/g, '&');
    const second = await browser.get(next as string);
    expect(rows(second.html)).toBe(CROWD + 5 - 25);
    expect(second.html).not.toContain('Next page of users');

    const searched = await browser.get(`/console/studio/domains/${ssoDomainId}?search=ZZ-1`);
    expect(rows(searched.html)).toBe(10);
    expect(textOf(searched.html)).toContain('zz-10 zz-10 Display');
    expect(textOf(searched.html)).not.toContain('ana Display');
  });

  it('lists the onboarding table in user name order regardless of case, across pages', async () => {
    const first = await browser.get(`/console/studio/domains/${ssoDomainId}`);
    const next = nextPageOf(first);
    const second = await browser.get(next);
    expect(nextPageOf(second, false)).toBe('');
    const crowd = Array.from({ length: CROWD }, (_, i) => `zz-${String(i + 1).padStart(2, '0')}`);
    expect(userNamesIn(first)).toEqual(['ana', 'ivy', 'Kim', 'lin', 'mo', ...crowd.slice(0, 20)]);
    expect(userNamesIn(second)).toEqual(crowd.slice(20));
    // The rows of a whole page carry the same states as a search for the user alone.
    expect(onboardingRowOf(first, 'ivy')).toBe('ivy ivy Display Invited Not assigned No · Add Why?');
    expect(onboardingRowOf(first, 'Kim')).toBe('Kim Kim Display No password Not assigned No · Add Why?');

    // A search pages in name order too.
    const searched = await browser.get(`/console/studio/domains/${ssoDomainId}?search=zz-2`);
    expect(userNamesIn(searched)).toEqual(crowd.slice(19));

    // The Add user profile picker lists the users in the same order.
    const picker = await browser.get(`/console/studio/domains/${ssoDomainId}/add-profile`);
    const offered = [...picker.html.matchAll(/name="userName" value="([^"]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual(['ana', 'ivy', 'Kim', 'lin', 'mo', ...crowd.slice(0, 20)]);
  });

  it('reads the onboarding table a page at a time, not a few queries per user', async () => {
    const path = `/console/studio/domains/${ssoDomainId}`;
    const one = await countingStatements(() => browser.get(`${path}?search=ana`));
    const full = await countingStatements(() => browser.get(path));
    expect(userNamesIn(one.result)).toEqual(['ana']);
    expect(userNamesIn(full.result)).toHaveLength(25);
    // 24 more users, and not even one more statement each (it was about eight each).
    expect(full.statements - one.statements).toBeLessThan(24);
  });

  it('adds a user profile for an unassigned user, assigning them in the same step', async () => {
    const domainPage = await browser.get(`/console/studio/domains/${ssoDomainId}?search=lin`);
    const addHref = /href="([^"]*add-profile\?user=lin)"/.exec(domainPage.html)?.[1] as string;
    const form = await browser.get(addHref);
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/name="userName" value="lin" checked/);
    expect(form.html).toContain('name="profileName" value="lin"');
    expect(await assignedPrincipals(ssoDomainId)).toEqual([]);

    const added = await submitPost(browser, form, `/console/studio/domains/${ssoDomainId}/add-profile`, {
      userName: 'lin',
      profileName: 'lin',
    });
    expect(added.status).toBe(200);
    expect(textOf(added.html)).toContain(
      `Added the user profile lin for lin, and assigned lin to Amazon SageMaker Studio (${ssoDomainId}): lin can now open Studio from the access portal.`,
    );
    expect(await assignedPrincipals(ssoDomainId)).toEqual([`USER:${user.lin}`]);
    const profile = await sagemaker.send(
      new DescribeUserProfileCommand({ DomainId: ssoDomainId, UserProfileName: 'lin' }),
    );
    expect(profile).toMatchObject({ SingleSignOnUserIdentifier: 'UserName', SingleSignOnUserValue: 'lin' });
    expect(textOf(added.html)).toMatch(/User profiles .* lin lin Pending/);
    const lin = await browser.get(`/console/studio/domains/${ssoDomainId}?search=lin`);
    expect(onboardingRowOf(lin, 'lin')).toBe('lin lin Display No password Assigned directly Yes: lin Why?');

    // The picker shows that lin has a profile, and does not offer lin again.
    const again = await browser.get(`/console/studio/domains/${ssoDomainId}/add-profile?search=lin`);
    expect(again.html).toMatch(/value="lin" disabled> lin/);
    expect(textOf(again.html)).toContain('(has the profile lin)');
  });

  it('leaves neither assignment nor profile when adding the profile fails, and says why', async () => {
    const form = await browser.get(`/console/studio/domains/${ssoDomainId}/add-profile?user=ana`);
    const action = `/console/studio/domains/${ssoDomainId}/add-profile`;
    const taken = await submitPost(browser, form, action, { userName: 'ana', profileName: 'LIN' });
    expect(taken.status).toBe(400);
    expect(textOf(taken.html)).toContain(
      `User profile lin already exists in domain ${ssoDomainId}, and profile names are not case sensitive`,
    );
    expect(taken.html).toMatch(/name="userName" value="ana" checked/);
    expect(taken.html).toContain('name="profileName" value="LIN"');
    expect(await assignedPrincipals(ssoDomainId)).toEqual([`USER:${user.lin}`]);
    expect(await profileNames(ssoDomainId)).toEqual(['lin']);

    const invalid = await submitPost(browser, form, action, { userName: 'ana', profileName: 'ana_1' });
    expect(invalid.status).toBe(400);
    expect(textOf(invalid.html)).toContain('ana_1 is not a valid user profile name.');
    const nobody = await submitPost(browser, form, action, { profileName: 'x' });
    expect(nobody.status).toBe(400);
    expect(textOf(nobody.html)).toContain('Choose the user who gets the profile.');
    const unknown = await submitPost(browser, form, action, { userName: 'ghost' });
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.html)).toContain('User ghost does not exist in the identity store');
    expect(await profileNames(ssoDomainId)).toEqual(['lin']);
  });

  it('shows a user only in a nested group of an assigned group as “only through nested group”, and Why? explains it', async () => {
    const applicationArn = (await studioApplicationArn(ssoDomainId)) as string;
    await sso.send(
      new CreateApplicationAssignmentCommand({
        ApplicationArn: applicationArn,
        PrincipalType: 'GROUP',
        PrincipalId: group.Engineers,
      }),
    );
    const page = await browser.get(`/console/studio/domains/${ssoDomainId}?search=mo`);
    expect(onboardingRowOf(page, 'mo')).toBe(
      'mo mo Display No password Denied: only through nested group Interns inside assigned group Engineers No · Add Why?',
    );
    const whyHref = new RegExp(
      `href="(/console/studio/domains/${ssoDomainId}/why/[^"]+)" aria-label="Why\\? mo"`,
    ).exec(page.html)?.[1] as string;
    expect(whyHref).toBe(`/console/studio/domains/${ssoDomainId}/why/${user.mo}`);
    const why = await browser.get(whyHref);
    expect(why.status).toBe(200);
    const text = textOf(why.html);
    const app = `Amazon SageMaker Studio (${ssoDomainId})`;
    expect(text).toContain(`Can mo open ${app}?`);
    expect(text).toContain(
      'No. Access: denied: only through nested group Interns inside assigned group Engineers.',
    );
    expect(text).toContain('mo is a direct member of Interns.');
    expect(text).toContain(`Interns is inside Engineers, assigned to ${app}.`);
    expect(text).toContain(
      `Nested groups never grant access to applications. To grant it: assign mo or Interns to ${app}, or add mo to Engineers directly.`,
    );
    expect(text).toContain(`Assign mo or one of the groups mo belongs to directly to ${app}.`);
    expect(why.html).toContain(
      `href="/console/applications/${applicationArn.split('/')[2]}/assign?users=mo"`,
    );
    expect(why.html).toContain(`href="/console/studio/domains/${ssoDomainId}/add-profile?user=mo"`);
    expect(text).toContain('mo has no password and no pending invitation');

    // The same words as `studio-sso explain-access`, line for line.
    const { decision } = await server.server.app.services.access.explain(scope, {
      user: 'mo',
      application: applicationArn,
    });
    const cli = formatExplanation(decision).split('\n');
    expect(cli[3]).toBe('access: denied: only through nested group Interns inside assigned group Engineers');
    for (const step of cli.slice(4, 6)) expect(text).toContain(`${step.trim()}.`);

    // lin, assigned directly, with a profile: nothing to do.
    const lin = textOf((await browser.get(`/console/studio/domains/${ssoDomainId}/why/${user.lin}`)).html);
    expect(lin).toContain('Yes. Access: direct.');
    expect(lin).toContain(`lin is assigned to ${app}.`);
    expect(lin).toContain('Nothing to do: lin opens Studio from the access portal');

    const stranger = await browser.get(`/console/studio/domains/${ssoDomainId}/why/not-a-user`);
    expect(stranger.status).toBe(404);
    expect(textOf(stranger.html)).toContain('User not found');
  });

  it('creates an IAM domain and adds and deletes its profiles by name, with a confirmation', async () => {
    const form = await browser.get('/console/studio/create-domain');
    const created = await fillAndSubmit(browser, form, '/console/studio/create-domain', {
      name: 'sandbox',
      authMode: 'IAM',
      vpcId: '',
      subnetIds: '',
    });
    iamDomainId = domainIdIn(created);
    const createdText = textOf(created.html);
    expect(createdText).toContain('Authentication AWS Identity and Access Management (IAM)');
    expect(createdText).toContain('VPC Managed by SageMaker');
    expect(createdText).not.toContain('Onboarding');
    expect((await sagemaker.send(new DescribeDomainCommand({ DomainId: iamDomainId }))).AuthMode).toBe('IAM');

    const action = `/console/studio/domains/${iamDomainId}/add-profile`;
    const addForm = await browser.get(action);
    expect(addForm.html).not.toContain('name="userName"');
    const blank = await submitPost(browser, addForm, action, { profileName: '' });
    expect(blank.status).toBe(400);
    expect(textOf(blank.html)).toContain('Enter the name of the user profile.');
    const added = await submitPost(browser, addForm, action, { profileName: 'analyst-1' });
    expect(textOf(added.html)).toContain('Added the user profile analyst-1.');
    expect(await profileNames(iamDomainId)).toEqual(['analyst-1']);
    const duplicate = await submitPost(browser, addForm, action, { profileName: 'analyst-1' });
    expect(duplicate.status).toBe(400);
    expect(textOf(duplicate.html)).toContain(
      `User profile analyst-1 already exists in domain ${iamDomainId}.`,
    );

    const confirm = await browser.get(`/console/studio/domains/${iamDomainId}/profiles/analyst-1/delete`);
    expect(textOf(confirm.html)).toContain('Delete user profile analyst-1?');
    const deleted = await browser.submit(
      confirm,
      `/console/studio/domains/${iamDomainId}/profiles/analyst-1/delete`,
    );
    expect(textOf(deleted.html)).toContain('User profile analyst-1 is being deleted.');
    expect(
      (
        await sagemaker.send(
          new DescribeUserProfileCommand({ DomainId: iamDomainId, UserProfileName: 'analyst-1' }),
        )
      ).Status,
    ).toBe('Deleting');
    const gone = await browser.get(`/console/studio/domains/${iamDomainId}/profiles/nobody/delete`);
    expect(gone.status).toBe(404);
  });

  it('refuses to delete a domain with profiles in the service’s words, then deletes it with its application', async () => {
    const confirm = await browser.get(`/console/studio/domains/${ssoDomainId}/delete`);
    const confirmText = textOf(confirm.html);
    expect(confirmText).toContain(`Delete domain research (${ssoDomainId})?`);
    expect(confirmText).toContain(
      `Its IAM Identity Center application, Amazon SageMaker Studio (${ssoDomainId}), is removed with it`,
    );
    expect(confirmText).toContain('it has 1 user profile: delete it first');
    const refused = await browser.submit(confirm, `/console/studio/domains/${ssoDomainId}/delete`);
    expect(refused.status).toBe(400);
    expect(textOf(refused.html)).toContain(`Domain ${ssoDomainId} has 1 user profile: delete it`);
    expect((await sagemaker.send(new DescribeDomainCommand({ DomainId: ssoDomainId }))).Status).toBe(
      'InService',
    );

    const profile = await browser.get(`/console/studio/domains/${ssoDomainId}/profiles/lin/delete`);
    expect(textOf(profile.html)).toContain('lin stays an IAM Identity Center user, and stays assigned');
    await browser.submit(profile, `/console/studio/domains/${ssoDomainId}/profiles/lin/delete`);
    clock.advance(1500);
    expect(await profileNames(ssoDomainId)).toEqual([]);

    const again = await browser.get(`/console/studio/domains/${ssoDomainId}/delete`);
    expect(textOf(again.html)).toContain('it has none left');
    const deleted = await browser.submit(again, `/console/studio/domains/${ssoDomainId}/delete`);
    expect(deleted.url).toMatch(/\/console\/studio$/);
    expect(textOf(deleted.html)).toContain(`The domain research (${ssoDomainId}) is being deleted.`);
    expect((await sagemaker.send(new DescribeDomainCommand({ DomainId: ssoDomainId }))).Status).toBe(
      'Deleting',
    );
    expect(await studioApplicationArn(ssoDomainId)).toBeUndefined();
    clock.advance(1500);
    const missing = await browser.get(`/console/studio/domains/${ssoDomainId}`);
    expect(missing.status).toBe(404);
    expect(textOf(missing.html)).toContain(`Domain ${ssoDomainId} does not exist.`);
  });
});
