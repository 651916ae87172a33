import { CONSOLE_PATHS } from './console-paths.js';

const base = CONSOLE_PATHS.groups;

/** The route patterns of Identity Center → Groups, as registered. */
export const GROUP_ROUTES = {
  list: base,
  create: `${base}/create`,
  group: `${base}/:groupId`,
  edit: `${base}/:groupId/edit`,
  delete: `${base}/:groupId/delete`,
  addUsers: `${base}/:groupId/members/add`,
  removeUser: `${base}/:groupId/members/remove`,
  moveUser: `${base}/:groupId/members/:userId/move`,
  addGroup: `${base}/:groupId/nested/add`,
  removeGroup: `${base}/:groupId/nested/remove`,
} as const;

const of = (groupId: string): string => `${base}/${encodeURIComponent(groupId)}`;

/** The same paths for one group (and user), for links and form actions. */
export const groupPaths = (groupId: string) => ({
  group: of(groupId),
  edit: `${of(groupId)}/edit`,
  delete: `${of(groupId)}/delete`,
  addUsers: `${of(groupId)}/members/add`,
  removeUser: `${of(groupId)}/members/remove`,
  moveUser: (userId: string) => `${of(groupId)}/members/${encodeURIComponent(userId)}/move`,
  addGroup: `${of(groupId)}/nested/add`,
  removeGroup: `${of(groupId)}/nested/remove`,
});
