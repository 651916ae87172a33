import { type Html, html } from '../html.js';
import type { GroupView } from './console-groups-data.js';
import { countText, groupsPanel } from './console-groups-pages.js';
import { GROUP_ROUTES, groupPaths } from './console-groups-paths.js';
import { NESTED_GROUPS_NOTE } from './console-groups-words.js';
import { actionButton, type ConsoleViewer, errorList, noticeBox, pager, utcTime } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';

/** The group's page: its details, users, nested groups and the groups it is inside. */
export const groupDetailPage = (options: {
  viewer: ConsoleViewer;
  view: GroupView;
  /** The page's own paging, kept by each table's "Next page" link. */
  paging: { membersNext?: string; nestedNext?: string };
  notice?: string;
  errors?: string[];
}): Html => {
  const { view, viewer } = options;
  const { group } = view;
  const paths = groupPaths(group.groupId);
  const keep = (name: 'next' | 'nestedNext', token: string | undefined) =>
    token === undefined ? {} : { [name]: token };
  return groupsPanel(
    viewer,
    group.displayName,
    html`<p class="breadcrumb"><a href="${GROUP_ROUTES.list}">Groups</a></p>
<h1>${group.displayName}</h1>
${noticeBox(options.notice)}
${errorList(options.errors)}
<div class="toolbar">
<p class="muted">Group details</p>
<div class="inline-actions">
<a class="button secondary small" href="${paths.edit}">Rename or edit description</a>
<a class="button secondary small" href="${paths.delete}">Delete group</a>
</div>
</div>
<dl class="details">
<dt>Description</dt><dd>${group.description ?? html`<span class="muted">None</span>`}</dd>
<dt>Group ID</dt><dd><code>${group.groupId}</code></dd>
<dt>Members</dt><dd>${countText(view.counts.users, 'user', 'users')}, ${countText(view.counts.groups, 'nested group', 'nested groups')}</dd>
<dt>Applications</dt><dd>${
      view.applications.length === 0
        ? html`<span class="muted">Not assigned to any application (assign it on the <a href="${CONSOLE_PATHS.applications}">Applications</a> page).</span>`
        : html`${view.applications.join(', ')}${view.applicationsMore ? ' and more' : ''}`
    }</dd>
<dt>Member of</dt><dd>${
      view.memberOf.length === 0
        ? html`<span class="muted">Not inside any other group.</span>`
        : html`${view.memberOf.map(
            (g, i) => html`${i > 0 ? ', ' : ''}<a href="${groupPaths(g.groupId).group}">${g.displayName}</a>`,
          )}${view.memberOfMore ? ' and more' : ''}`
    }</dd>
<dt>Created</dt><dd>${utcTime(group.createdAt)}</dd>
<dt>Last changed</dt><dd>${utcTime(group.updatedAt)}</dd>
</dl>

<h2 id="users">Users</h2>
<div class="toolbar">
<p class="muted">People who are direct members of this group.</p>
<a class="button" href="${paths.addUsers}">Add users</a>
</div>
${
  view.members.length === 0
    ? html`<p class="empty">No users in this group${options.paging.membersNext === undefined ? '' : ' on this page'}.</p>`
    : html`<table class="list" aria-labelledby="users">
<thead><tr><th>Username</th><th>Display name</th><th>Actions</th></tr></thead>
<tbody>
${view.members.map(
  (member) => html`<tr><td>${member.userName}</td><td>${member.displayName ?? ''}</td>
<td><div class="inline-actions"><a class="button secondary small" href="${paths.moveUser(member.userId)}" aria-label="Move ${member.userName} to another group">Move</a>
${actionButton({ action: paths.removeUser, label: 'Remove', accessibleName: `Remove ${member.userName} from ${group.displayName}`, csrfToken: viewer.csrfToken, style: 'secondary', fields: { userId: member.userId } })}</div></td></tr>`,
)}
</tbody>
</table>`
}
${pager(paths.group, keep('nestedNext', options.paging.nestedNext), view.membersNext, { label: 'More users' })}

<h2 id="nested">Nested groups</h2>
<div class="alert info" role="note"><p><strong>${NESTED_GROUPS_NOTE}</strong></p></div>
<div class="toolbar">
<p class="muted">Groups inside ${group.displayName}.</p>
<a class="button" href="${paths.addGroup}">Add group inside this group</a>
</div>
${
  view.nested.length === 0
    ? html`<p class="empty">No groups inside this group.</p>`
    : html`<table class="list" aria-labelledby="nested">
<thead><tr><th>Group name</th><th>Users</th><th>Nested groups</th><th>Actions</th></tr></thead>
<tbody>
${view.nested.map(
  (
    nested,
  ) => html`<tr><td><a href="${groupPaths(nested.groupId).group}">${nested.displayName}</a> <span class="badge info">nested</span></td><td>${nested.counts.users}</td><td>${nested.counts.groups}</td>
<td>${actionButton({ action: paths.removeGroup, label: 'Remove', accessibleName: `Remove ${nested.displayName} from ${group.displayName}`, csrfToken: viewer.csrfToken, style: 'secondary', fields: { memberGroupId: nested.groupId } })}</td></tr>`,
)}
</tbody>
</table>`
}
${pager(paths.group, keep('next', options.paging.membersNext), view.nestedNext, { param: 'nestedNext', label: 'More nested groups' })}`,
  );
};
