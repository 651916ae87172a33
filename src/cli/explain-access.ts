import type { Command } from 'commander';
import type { ExplainAccessResponse } from '../web/admin/access.routes.js';
import type { AdminClient } from './admin-client.js';

/**
 * The decision as a person reads it: who and what, the verdict (the access decision's own words),
 * then the path that grants or the one that does not count, one step a line.
 */
export const formatExplanation = (answer: ExplainAccessResponse): string => {
  const user = answer.user.userName;
  const app = answer.application.name;
  const lines = [
    `${user} → ${app}`,
    `  ${answer.application.applicationArn}`,
    '',
    `access: ${answer.summary}`,
  ];
  switch (answer.reason) {
    case 'direct':
      lines.push(`  ${user} is assigned to ${app}`);
      for (const group of answer.groups)
        lines.push(`  (also: ${user} is a direct member of ${group.displayName}, assigned to ${app})`);
      break;
    case 'group':
      for (const group of answer.groups)
        lines.push(`  ${user} is a direct member of ${group.displayName}, assigned to ${app}`);
      if (answer.moreGroups) lines.push(`  … and of more groups assigned to ${app}`);
      break;
    case 'nested-group-only': {
      const path = answer.nestedPath ?? [];
      const [direct] = path;
      const assigned = path[path.length - 1];
      if (direct !== undefined && assigned !== undefined) {
        lines.push(`  ${user} is a direct member of ${direct.displayName}`);
        for (let i = 1; i < path.length; i++) {
          const step = path[i];
          const inner = path[i - 1];
          if (step === undefined || inner === undefined) continue;
          lines.push(
            `  ${inner.displayName} is inside ${step.displayName}${i === path.length - 1 ? `, assigned to ${app}` : ''}`,
          );
        }
        lines.push(
          '',
          'Nested groups never grant access to applications. To grant it: assign',
          `${user} or ${direct.displayName} to ${app}, or add ${user} to ${assigned.displayName} directly.`,
        );
      }
      break;
    }
    case 'not-assigned':
      lines.push(
        `  neither ${user} nor any group ${user} is a direct member of is assigned to ${app}`,
        '',
        `To grant access: assign ${user}, or a group ${user} is a direct member of, to ${app}.`,
      );
      break;
    case 'assignment-not-required':
      lines.push(`  ${app} does not require assignment: every user of the identity store may open it`);
      break;
    case 'user-disabled':
      lines.push(`  ${user} is disabled: disabled users may open no application`);
      break;
    case 'application-disabled':
      lines.push(`  ${app} is disabled: nobody may open it until it is enabled again`);
      break;
  }
  return `${lines.join('\n')}\n`;
};

/** `studio-sso explain-access`: the access decision for one user and one application, and why. */
export const registerExplainAccess = (program: Command, client: () => AdminClient): void => {
  program
    .command('explain-access')
    .description('explain whether a user may open an application, and through which path')
    .requiredOption('--user <user>', 'user name or user ID')
    .requiredOption('--application <application>', 'application name or ARN')
    .option('--json', 'print the decision as JSON')
    .action(async (options: { user: string; application: string; json?: boolean }) => {
      const answer = await client().get<ExplainAccessResponse>('/access/explain', {
        user: options.user,
        application: options.application,
      });
      process.stdout.write(options.json ? `${JSON.stringify(answer, null, 2)}\n` : formatExplanation(answer));
    });
};
