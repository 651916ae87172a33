import { CONSOLE_PATHS } from './console-paths.js';

/** What can be done to one user, each at `/console/users/:userId/<action>`. */
export type UserAction =
  | 'resend-invitation'
  | 'revoke-invitation'
  | 'reset-password'
  | 'disable'
  | 'enable'
  | 'sign-out-everywhere'
  | 'delete';

/** The route pattern of a user's page or of one of its actions. */
export const userRoute = (action?: UserAction): string =>
  `${CONSOLE_PATHS.users}/:userId${action === undefined ? '' : `/${action}`}`;

/** The address of a user's page or of one of its actions. */
export const userPath = (userId: string, action?: UserAction): string =>
  `${CONSOLE_PATHS.users}/${encodeURIComponent(userId)}${action === undefined ? '' : `/${action}`}`;

/** Add user, second step: pick groups, then add. */
export const ADD_USER_GROUPS_PATH = `${CONSOLE_PATHS.addUser}/groups`;

/** A group's page (the Groups section's). */
export const groupPath = (groupId: string): string =>
  `${CONSOLE_PATHS.groups}/${encodeURIComponent(groupId)}`;
