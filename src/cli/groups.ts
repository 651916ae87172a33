import type { Command } from 'commander';
import type { MemberGroupResponse } from '../web/admin/groups.routes.js';
import type { AdminClient } from './admin-client.js';

const group = (value: string) => encodeURIComponent(value);

/**
 * `studio-sso groups …`: nested groups, which AWS's API cannot make. They model directories where
 * groups contain groups; they never grant access to applications (see explain-access).
 */
export const registerGroups = (program: Command, client: () => AdminClient): void => {
  const groups = program.command('groups').description('nested groups of the identity store');
  groups
    .command('add-member')
    .description('put a group inside another group (a nested group: it grants no application access)')
    .requiredOption('--group <group>', 'the containing group: display name or group ID')
    .requiredOption('--member-group <group>', 'the group to put inside it: display name or group ID')
    .option('--json', 'print JSON')
    .action(async (options: { group: string; memberGroup: string; json?: boolean }) => {
      const added = await client().post<MemberGroupResponse>(
        `/groups/${group(options.group)}/member-groups`,
        {
          memberGroup: options.memberGroup,
        },
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(added, null, 2)}\n`
          : `${added.memberGroup.displayName} is now a member of ${added.group.displayName}.\n` +
              `Nested groups grant no access: applications assigned to ${added.group.displayName} stay closed to members of ${added.memberGroup.displayName} who are not direct members of ${added.group.displayName}.\n`,
      );
    });
  groups
    .command('remove-member')
    .description('take a group out of another group')
    .requiredOption('--group <group>', 'the containing group: display name or group ID')
    .requiredOption('--member-group <group>', 'the group to take out: display name or group ID')
    .action(async (options: { group: string; memberGroup: string }) => {
      await client().delete(`/groups/${group(options.group)}/member-groups/${group(options.memberGroup)}`);
      process.stdout.write(`${options.memberGroup} is no longer a member of ${options.group}.\n`);
    });
  groups
    .command('list-member-groups')
    .description('list the groups directly inside a group')
    .requiredOption('--group <group>', 'display name or group ID')
    .option('--json', 'print JSON')
    .action(async (options: { group: string; json?: boolean }) => {
      const all: MemberGroupResponse[] = [];
      let nextToken: string | undefined;
      let parent = options.group;
      do {
        const page = await client().get<{
          group: { displayName: string };
          memberGroups: MemberGroupResponse[];
          nextToken?: string;
        }>(`/groups/${group(options.group)}/member-groups`, { nextToken });
        parent = page.group.displayName;
        all.push(...page.memberGroups);
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        all.length === 0
          ? `${parent} contains no groups.\n`
          : `${all.map((m) => `${m.memberGroup.displayName}\t${m.memberGroup.groupId}`).join('\n')}\n`,
      );
    });
};
