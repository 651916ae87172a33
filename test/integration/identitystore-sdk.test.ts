import {
  ConflictException,
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupMembershipCommand,
  DeleteUserCommand,
  DescribeGroupCommand,
  DescribeGroupMembershipCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  IsMemberInGroupsCommand,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand,
  ListUsersCommand,
  paginateListGroupMemberships,
  paginateListUsers,
  ResourceNotFoundException,
  UpdateGroupCommand,
  UpdateUserCommand,
  ValidationException,
} from '@aws-sdk/client-identitystore';
import { CreateInstanceCommand, DescribeInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch } from '../support/signed-fetch.js';
import { postgresUnavailableReason } from '../support/test-databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The error a call that must fail fails with. */
const rejection = async (work: Promise<unknown>): Promise<Error & Record<string, unknown>> => {
  try {
    await work;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
};

const RESOURCE_ID = /^[0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MISSING_ID = '0123456789-00000000-0000-4000-8000-000000000000';

const pgUnavailable = await postgresUnavailableReason();

for (const database of ['sqlite', 'postgres'] as const) {
  const skipReason = database === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`identitystore through @aws-sdk/client-identitystore on ${database}${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`, () => {
    let server: TestServer;
    let client: IdentitystoreClient;
    let IdentityStoreId: string;

    const newUser = async (userName: string, extra: Record<string, unknown> = {}) => {
      const { UserId } = await client.send(
        new CreateUserCommand({
          IdentityStoreId,
          UserName: userName,
          DisplayName: `${userName} Display`,
          Name: { GivenName: 'Given', FamilyName: 'Family' },
          ...extra,
        }),
      );
      return UserId as string;
    };
    const newGroup = async (displayName: string) =>
      (await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: displayName })))
        .GroupId as string;

    beforeAll(async () => {
      server = await startTestServer({ database });
      client = new IdentitystoreClient(server.sdkConfig());
      const admin = new SSOAdminClient(server.sdkConfig());
      const { InstanceArn } = await admin.send(new CreateInstanceCommand({ Name: 'identitystore-sdk' }));
      IdentityStoreId = (await admin.send(new DescribeInstanceCommand({ InstanceArn })))
        .IdentityStoreId as string;
      admin.destroy();
    });
    afterAll(async () => {
      client?.destroy();
      await server?.close();
    });

    describe('users', () => {
      it('creates a user and describes every attribute back', async () => {
        const before = Date.now();
        const { UserId, IdentityStoreId: echoed } = await client.send(
          new CreateUserCommand({
            IdentityStoreId,
            UserName: 'ada@example.com',
            DisplayName: 'Ada Lovelace',
            Name: { GivenName: 'Ada', FamilyName: 'Lovelace', Formatted: 'Ada Lovelace' },
            NickName: 'Ada',
            Emails: [{ Value: 'ada@example.com', Type: 'work', Primary: true }],
            Addresses: [{ Locality: 'London', Country: 'GB', Primary: true }],
            PhoneNumbers: [{ Value: '+44 20 0000 0000', Type: 'work' }],
            Title: 'Analyst',
            Timezone: 'Europe/London',
            Extensions: { 'aws:identitystore:enterprise': { department: 'Engines', employeeNumber: '1815' } },
          }),
        );
        expect(echoed).toBe(IdentityStoreId);
        expect(UserId).toMatch(RESOURCE_ID);

        const user = await client.send(new DescribeUserCommand({ IdentityStoreId, UserId }));
        expect(user).toMatchObject({
          IdentityStoreId,
          UserId,
          UserName: 'ada@example.com',
          DisplayName: 'Ada Lovelace',
          Name: { GivenName: 'Ada', FamilyName: 'Lovelace', Formatted: 'Ada Lovelace' },
          NickName: 'Ada',
          Emails: [{ Value: 'ada@example.com', Type: 'work', Primary: true }],
          Addresses: [{ Locality: 'London', Country: 'GB', Primary: true }],
          PhoneNumbers: [{ Value: '+44 20 0000 0000', Type: 'work' }],
          Title: 'Analyst',
          Timezone: 'Europe/London',
          UserStatus: 'ENABLED',
          CreatedBy: `arn:aws:iam::${server.accountId}:root`,
          UpdatedBy: `arn:aws:iam::${server.accountId}:root`,
        });
        expect(user.Extensions).toBeUndefined();
        expect(user.ExternalIds).toBeUndefined();
        expect(user.CreatedAt).toBeInstanceOf(Date);
        expect(user.CreatedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(user.UpdatedAt).toEqual(user.CreatedAt);

        const withExtensions = await client.send(
          new DescribeUserCommand({ IdentityStoreId, UserId, Extensions: ['aws:identitystore:enterprise'] }),
        );
        expect(withExtensions.Extensions).toEqual({
          'aws:identitystore:enterprise': { department: 'Engines', employeeNumber: '1815' },
        });
      });

      it('refuses incomplete, reserved and duplicate users', async () => {
        const incomplete = await rejection(
          client.send(
            new CreateUserCommand({
              IdentityStoreId,
              UserName: 'no.display',
              Name: { GivenName: 'N', FamilyName: 'D' },
            }),
          ),
        );
        expect(incomplete).toBeInstanceOf(ValidationException);
        expect(incomplete.message).toBe('displayName: The attribute displayName is required');
        expect((incomplete as unknown as ValidationException).$metadata.httpStatusCode).toBe(400);

        const reserved = await rejection(newUser('AWSAdministrators'));
        expect(reserved).toBeInstanceOf(ValidationException);

        await newUser('Grace.Hopper');
        const duplicate = await rejection(newUser('grace.hopper'));
        expect(duplicate).toBeInstanceOf(ConflictException);
        expect(duplicate.message).toBe('Duplicate UserName');
        expect((duplicate as unknown as ConflictException).Reason).toBe('UNIQUENESS_CONSTRAINT_VIOLATION');
        expect((duplicate as unknown as ConflictException).RequestId).toMatch(/^[0-9a-f-]{36}$/);
        expect((duplicate as unknown as ConflictException).$metadata.httpStatusCode).toBe(409);
      });

      it('validates input against the model before the service sees it', async () => {
        const noUserId = await rejection(client.send(new DescribeUserCommand({ IdentityStoreId } as never)));
        expect(noUserId).toBeInstanceOf(ValidationException);
        expect(noUserId.message).toBe(
          "1 validation error detected: Value null at 'userId' failed to satisfy constraint: Member must not be null",
        );
        const twoEmails = await rejection(
          newUser('two.emails', { Emails: [{ Value: 'a@example.com' }, { Value: 'b@example.com' }] }),
        );
        expect(twoEmails.message).toMatch(
          /at 'emails' failed to satisfy constraint: Member must have length less than or equal to 1/,
        );
        const badStore = await rejection(
          client.send(new ListUsersCommand({ IdentityStoreId: 'not-a-store' })),
        );
        expect(badStore).toBeInstanceOf(ValidationException);
        expect(badStore.message).toContain(
          "at 'identityStoreId' failed to satisfy constraint: Member must satisfy regular expression pattern",
        );
        const tooMany = await rejection(
          client.send(new ListUsersCommand({ IdentityStoreId, MaxResults: 101 })),
        );
        expect(tooMany.message).toContain(
          "Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
        );
      });

      it('reports missing stores and users with their resource type', async () => {
        const store = await rejection(
          client.send(new DescribeUserCommand({ IdentityStoreId: 'd-0000000000', UserId: MISSING_ID })),
        );
        expect(store).toBeInstanceOf(ResourceNotFoundException);
        expect(store).toMatchObject({ ResourceType: 'IDENTITY_STORE', ResourceId: 'd-0000000000' });
        expect((store as unknown as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
        const user = await rejection(
          client.send(new DescribeUserCommand({ IdentityStoreId, UserId: MISSING_ID })),
        );
        expect(user).toBeInstanceOf(ResourceNotFoundException);
        expect(user).toMatchObject({ ResourceType: 'USER', ResourceId: MISSING_ID });
        const deleted = await rejection(
          client.send(new DeleteUserCommand({ IdentityStoreId, UserId: MISSING_ID })),
        );
        expect(deleted).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'USER' });
      });

      it('updates attributes with document values, atomically', async () => {
        const UserId = await newUser('update.sdk', { Title: 'Before' });
        const created = await client.send(new DescribeUserCommand({ IdentityStoreId, UserId }));
        await new Promise((resolve) => setTimeout(resolve, 5));
        await client.send(
          new UpdateUserCommand({
            IdentityStoreId,
            UserId,
            Operations: [
              { AttributePath: 'displayName', AttributeValue: 'After Update' },
              { AttributePath: 'name.givenName', AttributeValue: 'Renamed' },
              {
                AttributePath: 'emails',
                AttributeValue: [{ value: 'update@example.com', type: 'work', primary: true }],
              },
              { AttributePath: 'title', AttributeValue: null },
              { AttributePath: 'aws:identitystore:enterprise', AttributeValue: { costCenter: 'CC-1' } },
            ],
          }),
        );
        const user = await client.send(
          new DescribeUserCommand({ IdentityStoreId, UserId, Extensions: ['aws:identitystore:enterprise'] }),
        );
        expect(user).toMatchObject({
          DisplayName: 'After Update',
          Name: { GivenName: 'Renamed', FamilyName: 'Family' },
          Emails: [{ Value: 'update@example.com', Type: 'work', Primary: true }],
          Extensions: { 'aws:identitystore:enterprise': { costCenter: 'CC-1' } },
        });
        expect(user.Title).toBeUndefined();
        expect(user.UpdatedAt?.getTime()).toBeGreaterThan(created.UpdatedAt?.getTime() ?? 0);

        const unknownPath = await rejection(
          client.send(
            new UpdateUserCommand({
              IdentityStoreId,
              UserId,
              Operations: [
                { AttributePath: 'nickName', AttributeValue: 'lost' },
                { AttributePath: 'favouriteColour', AttributeValue: 'blue' },
              ],
            }),
          ),
        );
        expect(unknownPath).toBeInstanceOf(ValidationException);
        expect(unknownPath.message).toBe('favouriteColour is not a valid attribute path for a user.');
        const required = await rejection(
          client.send(
            new UpdateUserCommand({
              IdentityStoreId,
              UserId,
              Operations: [{ AttributePath: 'name.familyName' }],
            }),
          ),
        );
        expect(required.message).toBe('name.familyName: The attribute name.familyName is required');
        expect(
          (await client.send(new DescribeUserCommand({ IdentityStoreId, UserId }))).NickName,
        ).toBeUndefined();

        await newUser('occupied.name');
        const rename = await rejection(
          client.send(
            new UpdateUserCommand({
              IdentityStoreId,
              UserId,
              Operations: [{ AttributePath: 'userName', AttributeValue: 'OCCUPIED.name' }],
            }),
          ),
        );
        expect(rename).toBeInstanceOf(ConflictException);
        expect(rename.message).toBe('Duplicate UserName');
      });

      it('finds user IDs by the lowerCamel unique attributes', async () => {
        const UserId = await newUser('Find.Me', {
          Emails: [{ Value: 'Find.Me@Example.com', Primary: true }],
        });
        const byName = await client.send(
          new GetUserIdCommand({
            IdentityStoreId,
            AlternateIdentifier: {
              UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'find.me' },
            },
          }),
        );
        expect(byName).toMatchObject({ IdentityStoreId, UserId });
        const byEmail = await client.send(
          new GetUserIdCommand({
            IdentityStoreId,
            AlternateIdentifier: {
              UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'find.me@example.com' },
            },
          }),
        );
        expect(byEmail.UserId).toBe(UserId);
        const badPath = await rejection(
          client.send(
            new GetUserIdCommand({
              IdentityStoreId,
              AlternateIdentifier: {
                UniqueAttribute: { AttributePath: 'UserName', AttributeValue: 'find.me' },
              },
            }),
          ),
        );
        expect(badPath).toBeInstanceOf(ValidationException);
        const external = await rejection(
          client.send(
            new GetUserIdCommand({
              IdentityStoreId,
              AlternateIdentifier: { ExternalId: { Issuer: 'scim', Id: 'nobody' } },
            }),
          ),
        );
        expect(external).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'USER' });
      });

      it('pages through users and filters by UserName', async () => {
        for (let i = 0; i < 5; i++) await newUser(`pager.${i}`);
        const total = (await client.send(new ListUsersCommand({ IdentityStoreId }))).Users?.length ?? 0;
        const seen: string[] = [];
        const tokens: string[] = [];
        for await (const page of paginateListUsers({ client, pageSize: 2 }, { IdentityStoreId })) {
          expect(page.Users?.length).toBeLessThanOrEqual(2);
          seen.push(...(page.Users ?? []).map((u) => u.UserId as string));
          if (page.NextToken !== undefined) tokens.push(page.NextToken);
        }
        expect(seen).toHaveLength(total);
        expect(new Set(seen).size).toBe(total);
        expect(new Set(tokens).size).toBe(tokens.length);
        expect(tokens).toHaveLength(Math.ceil(total / 2) - 1);

        const filtered = await client.send(
          new ListUsersCommand({
            IdentityStoreId,
            Filters: [{ AttributePath: 'UserName', AttributeValue: 'PAGER.3' }],
          }),
        );
        expect(filtered.Users?.map((u) => u.UserName)).toEqual(['pager.3']);
        expect(filtered.Users?.[0]?.CreatedAt).toBeInstanceOf(Date);
        const none = await client.send(
          new ListUsersCommand({
            IdentityStoreId,
            Filters: [{ AttributePath: 'UserName', AttributeValue: 'nobody' }],
          }),
        );
        expect(none.Users).toEqual([]);
        const badFilter = await rejection(
          client.send(
            new ListUsersCommand({
              IdentityStoreId,
              Filters: [{ AttributePath: 'DisplayName', AttributeValue: 'x' }],
            }),
          ),
        );
        expect(badFilter).toBeInstanceOf(ValidationException);
        const badToken = await rejection(
          client.send(new ListUsersCommand({ IdentityStoreId, NextToken: 'bm9wZQ' })),
        );
        expect(badToken).toBeInstanceOf(ValidationException);
      });
    });

    describe('groups and memberships', () => {
      it('creates, describes, updates, finds and deletes a group', async () => {
        const GroupId = await newGroup('Analysts');
        expect(GroupId).toMatch(RESOURCE_ID);
        const group = await client.send(new DescribeGroupCommand({ IdentityStoreId, GroupId }));
        expect(group).toMatchObject({
          IdentityStoreId,
          GroupId,
          DisplayName: 'Analysts',
          CreatedBy: `arn:aws:iam::${server.accountId}:root`,
        });
        expect(group.CreatedAt).toBeInstanceOf(Date);

        const duplicate = await rejection(newGroup('ANALYSTS'));
        expect(duplicate).toBeInstanceOf(ConflictException);
        expect(duplicate.message).toBe('Duplicate GroupDisplayName');
        expect((duplicate as unknown as ConflictException).Reason).toBe('UNIQUENESS_CONSTRAINT_VIOLATION');
        expect(await rejection(client.send(new CreateGroupCommand({ IdentityStoreId })))).toBeInstanceOf(
          ValidationException,
        );
        expect(await rejection(newGroup('Administrator'))).toBeInstanceOf(ValidationException);

        await client.send(
          new UpdateGroupCommand({
            IdentityStoreId,
            GroupId,
            Operations: [
              { AttributePath: 'displayName', AttributeValue: 'Senior Analysts' },
              { AttributePath: 'description', AttributeValue: 'People who analyse' },
            ],
          }),
        );
        expect(await client.send(new DescribeGroupCommand({ IdentityStoreId, GroupId }))).toMatchObject({
          DisplayName: 'Senior Analysts',
          Description: 'People who analyse',
        });
        const badUpdate = await rejection(
          client.send(
            new UpdateGroupCommand({
              IdentityStoreId,
              GroupId,
              Operations: [{ AttributePath: 'displayName' }],
            }),
          ),
        );
        expect(badUpdate).toBeInstanceOf(ValidationException);

        const found = await client.send(
          new GetGroupIdCommand({
            IdentityStoreId,
            AlternateIdentifier: {
              UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'senior analysts' },
            },
          }),
        );
        expect(found).toMatchObject({ GroupId, IdentityStoreId });
        const listed = await client.send(
          new ListGroupsCommand({
            IdentityStoreId,
            Filters: [{ AttributePath: 'DisplayName', AttributeValue: 'Senior Analysts' }],
          }),
        );
        expect(listed.Groups?.map((g) => g.GroupId)).toEqual([GroupId]);
        expect(
          (await client.send(new ListGroupsCommand({ IdentityStoreId }))).Groups?.length,
        ).toBeGreaterThan(0);

        await client.send(new DeleteGroupCommand({ IdentityStoreId, GroupId }));
        const gone = await rejection(client.send(new DescribeGroupCommand({ IdentityStoreId, GroupId })));
        expect(gone).toMatchObject({
          name: 'ResourceNotFoundException',
          ResourceType: 'GROUP',
          ResourceId: GroupId,
        });
        const notFound = await rejection(
          client.send(
            new GetGroupIdCommand({
              IdentityStoreId,
              AlternateIdentifier: {
                UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'senior analysts' },
              },
            }),
          ),
        );
        expect(notFound).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'GROUP' });
      });

      it('manages memberships of users in groups', async () => {
        const GroupId = await newGroup('Members');
        const UserId = await newUser('member.sdk');
        const { MembershipId } = await client.send(
          new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId } }),
        );
        expect(MembershipId).toMatch(RESOURCE_ID);
        const duplicate = await rejection(
          client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId } })),
        );
        expect(duplicate).toBeInstanceOf(ConflictException);
        expect(duplicate.message).toBe('Member and Group relationship already exists');
        expect((duplicate as unknown as ConflictException).Reason).toBe('UNIQUENESS_CONSTRAINT_VIOLATION');

        const described = await client.send(
          new DescribeGroupMembershipCommand({ IdentityStoreId, MembershipId }),
        );
        expect(described).toMatchObject({ IdentityStoreId, MembershipId, GroupId, MemberId: { UserId } });
        expect(described.CreatedAt).toBeInstanceOf(Date);
        expect(
          await client.send(
            new GetGroupMembershipIdCommand({ IdentityStoreId, GroupId, MemberId: { UserId } }),
          ),
        ).toMatchObject({ MembershipId, IdentityStoreId });

        const missingGroup = await rejection(
          client.send(
            new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: MISSING_ID, MemberId: { UserId } }),
          ),
        );
        expect(missingGroup).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'GROUP' });
        const missingUser = await rejection(
          client.send(
            new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId: MISSING_ID } }),
          ),
        );
        expect(missingUser).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'USER' });
        const emptyMember = await rejection(
          client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: {} as never })),
        );
        expect(emptyMember).toBeInstanceOf(ValidationException);

        const other = await newGroup('Others');
        const check = await client.send(
          new IsMemberInGroupsCommand({
            IdentityStoreId,
            MemberId: { UserId },
            GroupIds: [other, GroupId, MISSING_ID],
          }),
        );
        expect(check.Results).toEqual([
          { GroupId: other, MemberId: { UserId }, MembershipExists: false },
          { GroupId, MemberId: { UserId }, MembershipExists: true },
          { GroupId: MISSING_ID, MemberId: { UserId }, MembershipExists: false },
        ]);
        const unknownMember = await rejection(
          client.send(
            new IsMemberInGroupsCommand({
              IdentityStoreId,
              MemberId: { UserId: MISSING_ID },
              GroupIds: [GroupId],
            }),
          ),
        );
        expect(unknownMember).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'USER' });
        const tooManyGroups = await rejection(
          client.send(
            new IsMemberInGroupsCommand({
              IdentityStoreId,
              MemberId: { UserId },
              GroupIds: Array.from({ length: 101 }, () => GroupId),
            }),
          ),
        );
        expect(tooManyGroups).toBeInstanceOf(ValidationException);

        const forMember = await client.send(
          new ListGroupMembershipsForMemberCommand({ IdentityStoreId, MemberId: { UserId } }),
        );
        expect(forMember.GroupMemberships).toEqual([
          expect.objectContaining({ IdentityStoreId, MembershipId, GroupId, MemberId: { UserId } }),
        ]);

        await client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId }));
        const gone = await rejection(
          client.send(new DescribeGroupMembershipCommand({ IdentityStoreId, MembershipId })),
        );
        expect(gone).toMatchObject({
          name: 'ResourceNotFoundException',
          ResourceType: 'GROUP_MEMBERSHIP',
          ResourceId: MembershipId,
        });
        const noId = await rejection(
          client.send(new GetGroupMembershipIdCommand({ IdentityStoreId, GroupId, MemberId: { UserId } })),
        );
        expect(noId).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'GROUP_MEMBERSHIP' });
        const twice = await rejection(
          client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId })),
        );
        expect(twice).toBeInstanceOf(ResourceNotFoundException);
      });

      it('pages through a group’s members, and deleting a user removes its memberships', async () => {
        const GroupId = await newGroup('Crowd');
        const users: string[] = [];
        for (let i = 0; i < 5; i++) users.push(await newUser(`crowd.${i}`));
        for (const UserId of users) {
          await client.send(
            new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId } }),
          );
        }
        const members: string[] = [];
        let pages = 0;
        for await (const page of paginateListGroupMemberships(
          { client, pageSize: 2 },
          { IdentityStoreId, GroupId },
        )) {
          pages++;
          members.push(...(page.GroupMemberships ?? []).map((m) => m.MemberId?.UserId as string));
        }
        expect(pages).toBe(3);
        expect(members.sort()).toEqual([...users].sort());

        const leaving = users[0] as string;
        await client.send(new DeleteUserCommand({ IdentityStoreId, UserId: leaving }));
        const left = await client.send(new ListGroupMembershipsCommand({ IdentityStoreId, GroupId }));
        expect(left.GroupMemberships?.map((m) => m.MemberId?.UserId).sort()).toEqual(users.slice(1).sort());
        expect(left.NextToken).toBeUndefined();
        const forGone = await rejection(
          client.send(
            new ListGroupMembershipsForMemberCommand({ IdentityStoreId, MemberId: { UserId: leaving } }),
          ),
        );
        expect(forGone).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'USER' });

        await client.send(new DeleteGroupCommand({ IdentityStoreId, GroupId }));
        const forMember = await client.send(
          new ListGroupMembershipsForMemberCommand({
            IdentityStoreId,
            MemberId: { UserId: users[1] as string },
          }),
        );
        expect(forMember.GroupMemberships).toEqual([]);
        const groupGone = await rejection(
          client.send(new ListGroupMembershipsCommand({ IdentityStoreId, GroupId })),
        );
        expect(groupGone).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'GROUP' });
      });
    });

    it('answers every operation on a store that is not the caller’s with ResourceNotFound IDENTITY_STORE', async () => {
      const S = 'd-0000000000';
      const member = { UserId: MISSING_ID };
      const commands = [
        new CreateUserCommand({
          IdentityStoreId: S,
          UserName: 'x',
          DisplayName: 'x',
          Name: { GivenName: 'x', FamilyName: 'y' },
        }),
        new DescribeUserCommand({ IdentityStoreId: S, UserId: MISSING_ID }),
        new UpdateUserCommand({
          IdentityStoreId: S,
          UserId: MISSING_ID,
          Operations: [{ AttributePath: 'title', AttributeValue: 'x' }],
        }),
        new DeleteUserCommand({ IdentityStoreId: S, UserId: MISSING_ID }),
        new ListUsersCommand({ IdentityStoreId: S }),
        new GetUserIdCommand({
          IdentityStoreId: S,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'x' } },
        }),
        new CreateGroupCommand({ IdentityStoreId: S, DisplayName: 'x' }),
        new DescribeGroupCommand({ IdentityStoreId: S, GroupId: MISSING_ID }),
        new UpdateGroupCommand({
          IdentityStoreId: S,
          GroupId: MISSING_ID,
          Operations: [{ AttributePath: 'description', AttributeValue: 'x' }],
        }),
        new DeleteGroupCommand({ IdentityStoreId: S, GroupId: MISSING_ID }),
        new ListGroupsCommand({ IdentityStoreId: S }),
        new GetGroupIdCommand({
          IdentityStoreId: S,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'x' } },
        }),
        new CreateGroupMembershipCommand({ IdentityStoreId: S, GroupId: MISSING_ID, MemberId: member }),
        new DescribeGroupMembershipCommand({ IdentityStoreId: S, MembershipId: MISSING_ID }),
        new DeleteGroupMembershipCommand({ IdentityStoreId: S, MembershipId: MISSING_ID }),
        new GetGroupMembershipIdCommand({ IdentityStoreId: S, GroupId: MISSING_ID, MemberId: member }),
        new ListGroupMembershipsCommand({ IdentityStoreId: S, GroupId: MISSING_ID }),
        new ListGroupMembershipsForMemberCommand({ IdentityStoreId: S, MemberId: member }),
        new IsMemberInGroupsCommand({ IdentityStoreId: S, MemberId: member, GroupIds: [MISSING_ID] }),
      ];
      expect(commands).toHaveLength(19);
      for (const command of commands) {
        const error = await rejection(client.send(command as never));
        expect(error, command.constructor.name).toBeInstanceOf(ResourceNotFoundException);
        expect(error, command.constructor.name).toMatchObject({
          ResourceType: 'IDENTITY_STORE',
          ResourceId: S,
        });
      }
    });

    it('refuses every operation without its required members, naming them as AWS does', async () => {
      const operations = [
        'CreateUser',
        'DescribeUser',
        'UpdateUser',
        'DeleteUser',
        'ListUsers',
        'GetUserId',
        'CreateGroup',
        'DescribeGroup',
        'UpdateGroup',
        'DeleteGroup',
        'ListGroups',
        'GetGroupId',
        'CreateGroupMembership',
        'DescribeGroupMembership',
        'DeleteGroupMembership',
        'GetGroupMembershipId',
        'ListGroupMemberships',
        'ListGroupMembershipsForMember',
        'IsMemberInGroups',
      ];
      for (const operation of operations) {
        const response = await signedFetch({
          url: server.url,
          credentials: server.credentials,
          target: `AWSIdentityStore.${operation}`,
          body: '{}',
        });
        expect(response.status, operation).toBe(400);
        expect(response.json.__type, operation).toBe('ValidationException');
        expect(response.json.message, operation).toMatch(/^\d validation errors? detected: /);
        expect(response.json.message, operation).toContain(
          "Value null at 'identityStoreId' failed to satisfy constraint: Member must not be null",
        );
      }
    });

    it('answers in AWS’s JSON envelope on the wire', async () => {
      const response = await signedFetch({
        url: server.url,
        credentials: server.credentials,
        target: 'AWSIdentityStore.DescribeUser',
        body: JSON.stringify({ IdentityStoreId, UserId: MISSING_ID }),
      });
      expect(response.status).toBe(404);
      expect(response.json).toMatchObject({
        __type: 'ResourceNotFoundException',
        ResourceType: 'USER',
        ResourceId: MISSING_ID,
      });
      expect(typeof response.json.RequestId).toBe('string');
      const userId = await newUser('wire.user');
      const ok = await signedFetch({
        url: server.url,
        credentials: server.credentials,
        target: 'AWSIdentityStore.DescribeUser',
        body: JSON.stringify({ IdentityStoreId, UserId: userId }),
      });
      expect(ok.status).toBe(200);
      // Timestamps are epoch seconds on the JSON wire.
      expect(typeof ok.json.CreatedAt).toBe('number');
      expect(ok.json.CreatedAt as number).toBeLessThan(Date.now() / 1000 + 5);
    });
  });
}
