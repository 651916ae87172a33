import { type AccessDecision, describeAccess } from './access-decision.js';

/**
 * THE access decision in words, for every place a person reads it: `studio-sso explain-access`
 * prints it as text, the console's Why? page as sentences. One wording, so the two never disagree.
 */
export interface AccessExplanation {
  /** The verdict in one line (describeAccess): `group Engineers`, `denied: not assigned`, … */
  summary: string;
  /** The path that grants access, or the one that does not count: one fact per step. */
  steps: string[];
  /**
   * What to do about a refusal, as lines wrapped for a terminal; joined with spaces they are one
   * paragraph. Empty when there is nothing to do (or nothing anyone can do here).
   */
  advice: string[];
}

export const explainAccess = (decision: AccessDecision): AccessExplanation => {
  const user = decision.user.userName;
  const app = decision.application.name;
  const steps: string[] = [];
  const advice: string[] = [];
  switch (decision.reason) {
    case 'direct':
      steps.push(`${user} is assigned to ${app}`);
      for (const group of decision.groups)
        steps.push(`(also: ${user} is a direct member of ${group.displayName}, assigned to ${app})`);
      break;
    case 'group':
      for (const group of decision.groups)
        steps.push(`${user} is a direct member of ${group.displayName}, assigned to ${app}`);
      if (decision.moreGroups) steps.push(`… and of more groups assigned to ${app}`);
      break;
    case 'nested-group-only': {
      const path = decision.nestedPath ?? [];
      const [direct] = path;
      const assigned = path[path.length - 1];
      if (direct === undefined || assigned === undefined) break;
      steps.push(`${user} is a direct member of ${direct.displayName}`);
      for (let i = 1; i < path.length; i++) {
        const step = path[i];
        const inner = path[i - 1];
        if (step === undefined || inner === undefined) continue;
        steps.push(
          `${inner.displayName} is inside ${step.displayName}${i === path.length - 1 ? `, assigned to ${app}` : ''}`,
        );
      }
      advice.push(
        'Nested groups never grant access to applications. To grant it: assign',
        `${user} or ${direct.displayName} to ${app}, or add ${user} to ${assigned.displayName} directly.`,
      );
      break;
    }
    case 'not-assigned':
      steps.push(`neither ${user} nor any group ${user} is a direct member of is assigned to ${app}`);
      advice.push(`To grant access: assign ${user}, or a group ${user} is a direct member of, to ${app}.`);
      break;
    case 'assignment-not-required':
      steps.push(`${app} does not require assignment: every user of the identity store may open it`);
      break;
    case 'user-disabled':
      steps.push(`${user} is disabled: disabled users may open no application`);
      break;
    case 'application-disabled':
      steps.push(`${app} is disabled: nobody may open it until it is enabled again`);
      break;
  }
  return { summary: describeAccess(decision), steps, advice };
};

/**
 * The explanation as `studio-sso explain-access` prints it: who and what, the verdict, then the
 * path one step a line, then the advice.
 */
export const formatExplanation = (decision: AccessDecision): string => {
  const { summary, steps, advice } = explainAccess(decision);
  const lines = [
    `${decision.user.userName} → ${decision.application.name}`,
    `  ${decision.application.applicationArn}`,
    '',
    `access: ${summary}`,
    ...steps.map((step) => `  ${step}`),
    ...(advice.length > 0 ? ['', ...advice] : []),
  ];
  return `${lines.join('\n')}\n`;
};
