import type { GroupMemberCount } from '../../modules/identity-store/identity-store.repository.js';
import { type Html, html } from '../html.js';
import type { GroupRef } from './console-groups-data.js';
import { GROUP_ROUTES, groupPaths } from './console-groups-paths.js';
import { type ConsoleViewer, consolePage, csrfInput, errorList, noticeBox, pager } from './console-layout.js';

/** A groups page: the Groups section of the navigation, one panel. */
export const groupsPanel = (viewer: ConsoleViewer, title: string, body: Html): Html =>
  consolePage({ viewer, title, section: 'groups', body: html`<div class="panel">${body}</div>` });

/** Where a group's sub-page sits: Groups › the group. */
export const groupBreadcrumb = (group: GroupRef): Html =>
  html`<p class="breadcrumb"><a href="${GROUP_ROUTES.list}">Groups</a> › <a href="${groupPaths(group.groupId).group}">${group.displayName}</a></p>`;

export const countText = (count: number, one: string, many: string): string =>
  `${count} ${count === 1 ? one : many}`;

/** A page that cannot be shown (no instance, no such group), with the way back. */
export const groupProblemPage = (viewer: ConsoleViewer, problem: string): Html =>
  groupsPanel(
    viewer,
    'Groups',
    html`<p class="breadcrumb"><a href="${GROUP_ROUTES.list}">Groups</a></p>
<h1>Groups</h1>
${errorList([problem])}
<p><a class="button secondary" href="${GROUP_ROUTES.list}">Back to groups</a></p>`,
  );

export interface GroupListRow extends GroupRef {
  description?: string;
  counts: GroupMemberCount;
}

export const groupsListPage = (options: {
  viewer: ConsoleViewer;
  search: string;
  rows: GroupListRow[];
  nextToken?: string;
  notice?: string;
  problem?: string;
}): Html =>
  groupsPanel(
    options.viewer,
    'Groups',
    html`<h1>Groups</h1>
${noticeBox(options.notice)}
${errorList(options.problem === undefined ? undefined : [options.problem])}
<p class="muted">Groups collect users, so you can assign them to applications together. Open a group to manage its members.</p>
<div class="toolbar">
<form method="get" action="${GROUP_ROUTES.list}" role="search">
<div class="field"><label for="search">Find groups by name</label>
<input type="search" id="search" name="search" value="${options.search}"></div>
<button type="submit" class="button secondary small">Search</button>
</form>
<a class="button" href="${GROUP_ROUTES.create}">Create group</a>
</div>
${
  options.rows.length === 0
    ? html`<p class="empty">No groups${options.search === '' ? '' : html` whose name starts with “${options.search}”`}.</p>`
    : html`<table class="list">
<thead><tr><th>Group name</th><th>Description</th><th>Users</th><th>Nested groups</th></tr></thead>
<tbody>
${options.rows.map(
  (row) =>
    html`<tr><td><a href="${groupPaths(row.groupId).group}">${row.displayName}</a></td><td>${row.description ?? ''}</td><td>${row.counts.users}</td><td>${row.counts.groups}</td></tr>`,
)}
</tbody>
</table>`
}
${pager(GROUP_ROUTES.list, options.search === '' ? {} : { search: options.search }, options.nextToken)}`,
  );

export interface GroupForm {
  displayName: string;
  description: string;
}

const groupFields = (
  form: GroupForm,
): Html => html`<div class="field"><label for="displayName">Group name</label>
<input type="text" id="displayName" name="displayName" value="${form.displayName}" maxlength="1024" required></div>
<div class="field"><label for="description">Description <span class="muted">(optional)</span></label>
<input type="text" id="description" name="description" value="${form.description}" maxlength="1024"></div>`;

export const createGroupPage = (options: {
  viewer: ConsoleViewer;
  form: GroupForm;
  errors?: string[];
}): Html =>
  groupsPanel(
    options.viewer,
    'Create group',
    html`<p class="breadcrumb"><a href="${GROUP_ROUTES.list}">Groups</a></p>
<h1>Create group</h1>
${errorList(options.errors)}
<form method="post" action="${GROUP_ROUTES.create}" novalidate>
${csrfInput(options.viewer.csrfToken)}
${groupFields(options.form)}
<p class="muted">You add users and groups to it on the next page.</p>
<div class="actions"><button type="submit" class="button">Create group</button>
<a class="button secondary" href="${GROUP_ROUTES.list}">Cancel</a></div>
</form>`,
  );

export const editGroupPage = (options: {
  viewer: ConsoleViewer;
  group: GroupRef;
  form: GroupForm;
  errors?: string[];
}): Html => {
  const paths = groupPaths(options.group.groupId);
  return groupsPanel(
    options.viewer,
    `Edit ${options.group.displayName}`,
    html`${groupBreadcrumb(options.group)}
<h1>Edit group</h1>
${errorList(options.errors)}
<form method="post" action="${paths.edit}" novalidate>
${csrfInput(options.viewer.csrfToken)}
${groupFields(options.form)}
<p class="muted">Renaming keeps the group's members and application assignments.</p>
<div class="actions"><button type="submit" class="button">Save changes</button>
<a class="button secondary" href="${paths.group}">Cancel</a></div>
</form>`,
  );
};

/** What deleting the group removes with it, one line per kind that it has. */
const deletedWithGroup = (options: {
  counts: GroupMemberCount;
  memberOf: number;
  applications: string[];
  applicationsMore: boolean;
}): string[] => {
  const { counts, memberOf, applications } = options;
  const lines: string[] = [];
  if (counts.users > 0)
    lines.push(
      `${countText(counts.users, 'user membership', 'user memberships')} (the users themselves stay)`,
    );
  if (counts.groups > 0)
    lines.push(
      `${countText(counts.groups, 'nested group', 'nested groups')} taken out of it (those groups stay)`,
    );
  if (memberOf > 0) lines.push(`its place inside ${countText(memberOf, 'other group', 'other groups')}`);
  if (applications.length > 0) {
    const more = options.applicationsMore ? ' and more' : '';
    lines.push(
      `its ${applications.length === 1 && more === '' ? 'assignment to the application' : 'assignments to the applications'} ${applications.join(', ')}${more}`,
    );
  }
  return lines;
};

/** The confirmation before a delete: what goes with the group, and what that means for its members. */
export const deleteGroupPage = (options: {
  viewer: ConsoleViewer;
  group: GroupRef;
  counts: GroupMemberCount;
  memberOf: number;
  applications: string[];
  applicationsMore: boolean;
  errors?: string[];
}): Html => {
  const { group } = options;
  const paths = groupPaths(group.groupId);
  const removed = deletedWithGroup(options);
  return groupsPanel(
    options.viewer,
    `Delete ${group.displayName}`,
    html`${groupBreadcrumb(group)}
<h1>Delete group ${group.displayName}?</h1>
${errorList(options.errors)}
<div class="alert warn">
<p>Deleting the group cannot be undone. Its memberships and application assignments are removed with it, so its members lose the access that came only through this group: they can still open an application only if they, or another group they belong to directly, are assigned to it.</p>
${
  removed.length === 0
    ? html`<p>${group.displayName} has no members, is inside no other group and is assigned to no application: nothing else changes.</p>`
    : html`<p>Removed with ${group.displayName}:</p>
<ul>${removed.map((line) => html`<li>${line}</li>`)}</ul>`
}
</div>
<form method="post" action="${paths.delete}">
${csrfInput(options.viewer.csrfToken)}
<div class="actions"><button type="submit" class="danger">Delete group</button>
<a class="button secondary" href="${paths.group}">Cancel</a></div>
</form>`,
  );
};
