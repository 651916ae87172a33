import { type Html, html } from '../html.js';
import type { GroupRef } from './console-groups-data.js';
import { groupBreadcrumb, groupsPanel } from './console-groups-pages.js';
import { groupPaths } from './console-groups-paths.js';
import { NESTED_GROUPS_NOTE } from './console-groups-words.js';
import { type ConsoleViewer, csrfInput, errorList, noticeBox, pager } from './console-layout.js';

/** One candidate of a picker; `unavailable` says why it cannot be picked (already a member, itself). */
export interface PickerRow {
  id: string;
  label: string;
  detail?: string;
  unavailable?: string;
  picked?: boolean;
}

interface PickerOptions {
  viewer: ConsoleViewer;
  group: GroupRef;
  search: string;
  rows: PickerRow[];
  nextToken?: string;
  errors?: string[];
  notice?: string;
}

/** The search box above a picker: a GET to the page itself, so the choices narrow on the server. */
const searchForm = (action: string, label: string, search: string): Html => html`<div class="toolbar">
<form method="get" action="${action}" role="search">
<div class="field"><label for="search">${label}</label>
<input type="search" id="search" name="search" value="${search}"></div>
<button type="submit" class="button secondary small">Search</button>
</form>
</div>`;

const choice = (type: 'checkbox' | 'radio', name: string, row: PickerRow): Html =>
  html`<li><label><input type="${type}" name="${name}" value="${row.id}"${row.picked === true && row.unavailable === undefined ? html` checked` : ''}${row.unavailable === undefined ? '' : html` disabled`}> <strong>${row.label}</strong>${row.detail === undefined || row.detail === '' ? '' : html` <span class="muted">${row.detail}</span>`}${row.unavailable === undefined ? '' : html` <span class="badge none">${row.unavailable}</span>`}</label></li>`;

/** A search, the matching choices (ticked boxes or one radio button) and the button that acts on them. */
const picker = (
  options: PickerOptions & {
    action: string;
    searchLabel: string;
    legend: string;
    type: 'checkbox' | 'radio';
    name: string;
    nothing: string;
    submit: string;
  },
): Html => html`${searchForm(options.action, options.searchLabel, options.search)}
${
  options.rows.length === 0
    ? html`<p class="empty">${options.nothing}${options.search === '' ? '' : html` starting with “${options.search}”`}.</p>
<div class="actions"><a class="button secondary" href="${groupPaths(options.group.groupId).group}">Back to ${options.group.displayName}</a></div>`
    : html`<form method="post" action="${options.action}">
${csrfInput(options.viewer.csrfToken)}
<input type="hidden" name="search" value="${options.search}">
<fieldset><legend>${options.legend}</legend>
<ul class="checks">${options.rows.map((row) => choice(options.type, options.name, row))}</ul>
</fieldset>
${pager(options.action, options.search === '' ? {} : { search: options.search }, options.nextToken)}
<div class="actions"><button type="submit" class="button">${options.submit}</button>
<a class="button secondary" href="${groupPaths(options.group.groupId).group}">Cancel</a></div>
</form>`
}`;

export const addUsersPage = (options: PickerOptions): Html =>
  groupsPanel(
    options.viewer,
    `Add users to ${options.group.displayName}`,
    html`${groupBreadcrumb(options.group)}
<h1>Add users to ${options.group.displayName}</h1>
${noticeBox(options.notice)}
${errorList(options.errors)}
<p class="muted">Tick the users to make direct members of this group; search to narrow the list.</p>
${picker({
  ...options,
  action: groupPaths(options.group.groupId).addUsers,
  searchLabel: 'Find users by user name',
  legend: 'Users',
  type: 'checkbox',
  name: 'userId',
  nothing: 'No users',
  submit: 'Add users',
})}`,
  );

export const addNestedGroupPage = (options: PickerOptions): Html =>
  groupsPanel(
    options.viewer,
    `Add a group inside ${options.group.displayName}`,
    html`${groupBreadcrumb(options.group)}
<h1>Add a group inside ${options.group.displayName}</h1>
${errorList(options.errors)}
<div class="alert info" role="note"><p><strong>${NESTED_GROUPS_NOTE}</strong></p></div>
<p class="muted">The group you pick becomes a nested group of ${options.group.displayName}.</p>
${picker({
  ...options,
  action: groupPaths(options.group.groupId).addGroup,
  searchLabel: 'Find groups by name',
  legend: 'Group to nest',
  type: 'radio',
  name: 'memberGroupId',
  nothing: 'No other groups',
  submit: 'Add group',
})}`,
  );

export const moveUserPage = (options: PickerOptions & { user: { userId: string; userName: string } }): Html =>
  groupsPanel(
    options.viewer,
    `Move ${options.user.userName}`,
    html`${groupBreadcrumb(options.group)}
<h1>Move ${options.user.userName} to another group</h1>
${errorList(options.errors)}
<p>${options.user.userName} leaves ${options.group.displayName} and joins the group you pick, in one step: never in neither group, never in both.</p>
${picker({
  ...options,
  action: groupPaths(options.group.groupId).moveUser(options.user.userId),
  searchLabel: 'Find groups by name',
  legend: 'Move to',
  type: 'radio',
  name: 'toGroupId',
  nothing: 'No other groups',
  submit: 'Move user',
})}`,
  );
