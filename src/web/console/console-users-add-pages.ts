import type { PasswordSetup } from '../../modules/invitations/invitations.types.js';
import { type Html, html } from '../html.js';
import { type ConsoleViewer, consolePage, csrfInput, errorList, utcTime } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';
import { ADD_USER_GROUPS_PATH, groupPath, userPath } from './console-users-paths.js';

/** What the admin typed in the first step; carried through the groups step in hidden fields. */
export interface AddUserForm {
  userName: string;
  email: string;
  confirmEmail: string;
  givenName: string;
  familyName: string;
  displayName: string;
  passwordSetup: PasswordSetup;
}

/** The form's text fields with their labels, in the order the page shows them. */
export const ADD_USER_FIELDS: [Exclude<keyof AddUserForm, 'passwordSetup'>, string, string][] = [
  ['userName', 'Username', 'text'],
  ['email', 'Email address', 'email'],
  ['confirmEmail', 'Confirm email address', 'email'],
  ['givenName', 'First name', 'text'],
  ['familyName', 'Last name', 'text'],
  ['displayName', 'Display name', 'text'],
];

/** A group to tick in the second step. */
export interface GroupChoice {
  groupId: string;
  displayName: string;
  description?: string;
}

const PASSWORD_CHOICES: Record<PasswordSetup, string> = {
  'send-email': 'Send an e-mail to the user with password setup instructions',
  'one-time-password': 'Generate a one-time password that you can share with the user',
};

const hidden = (name: string, value: string): Html =>
  html`<input type="hidden" name="${name}" value="${value}">`;

const carriedDetails = (form: AddUserForm): Html[] => [
  ...ADD_USER_FIELDS.map(([name]) => hidden(name, form[name])),
  hidden('passwordSetup', form.passwordSetup),
];

const steps = (current: 1 | 2): Html =>
  html`<p class="breadcrumb"><a href="${CONSOLE_PATHS.users}">Users</a> › Add user · Step ${current} of 2</p>`;

export const addUserDetailsPage = (options: {
  viewer: ConsoleViewer;
  form: AddUserForm;
  /** Groups ticked in the second step, kept when the admin went back. */
  groupIds?: string[];
  errors?: string[];
}): Html => {
  const { form } = options;
  return consolePage({
    viewer: options.viewer,
    title: 'Add user',
    section: 'users',
    body: html`<div class="panel">${steps(1)}<h1>Specify user details</h1>
${errorList(options.errors)}
<form method="post" action="${CONSOLE_PATHS.addUser}" novalidate>
${csrfInput(options.viewer.csrfToken)}
${(options.groupIds ?? []).map((groupId) => hidden('groupId', groupId))}
${ADD_USER_FIELDS.map(
  ([name, label, type]) => html`<div class="field"><label for="${name}">${label}</label>
<input type="${type}" id="${name}" name="${name}" value="${form[name]}" required></div>`,
)}
<fieldset><legend>Password</legend>
${(Object.keys(PASSWORD_CHOICES) as PasswordSetup[]).map(
  (choice) =>
    html`<label><input type="radio" name="passwordSetup" value="${choice}"${form.passwordSetup === choice ? html` checked` : ''}> ${PASSWORD_CHOICES[choice]}</label>`,
)}
</fieldset>
<div class="actions"><button type="submit" class="button">Next: Groups</button>
<a class="button secondary" href="${CONSOLE_PATHS.users}">Cancel</a></div>
</form>
</div>`,
  });
};

const groupCheckbox = (group: GroupChoice, ticked: boolean): Html =>
  html`<li><label><input type="checkbox" name="groupId" value="${group.groupId}"${ticked ? html` checked` : ''}> ${group.displayName}${group.description !== undefined && html` <span class="muted">— ${group.description}</span>`}</label></li>`;

export const addUserGroupsPage = (options: {
  viewer: ConsoleViewer;
  form: AddUserForm;
  /** The groups to show: those ticked first, then the store's (or the search's). */
  groups: GroupChoice[];
  ticked: string[];
  search: string;
  /** The store has enough groups that finding one by name helps. */
  searchable: boolean;
  /** More groups match than are shown. */
  more: boolean;
  errors?: string[];
}): Html => {
  const { form } = options;
  const ticked = new Set(options.ticked);
  return consolePage({
    viewer: options.viewer,
    title: 'Add user: groups',
    section: 'users',
    body: html`<div class="panel">${steps(2)}<h1>Add user to groups <span class="muted">(optional)</span></h1>
${errorList(options.errors)}
<h2>User details</h2>
<dl class="details">
<dt>Username</dt><dd>${form.userName}</dd>
<dt>Email address</dt><dd>${form.email}</dd>
<dt>Name</dt><dd>${form.givenName} ${form.familyName}</dd>
<dt>Display name</dt><dd>${form.displayName}</dd>
<dt>Password</dt><dd>${PASSWORD_CHOICES[form.passwordSetup]}</dd>
</dl>
<form method="post" action="${ADD_USER_GROUPS_PATH}" novalidate>
${csrfInput(options.viewer.csrfToken)}
${carriedDetails(form)}
<h2>Groups</h2>
<p class="muted">${form.userName} becomes a direct member of each group you tick, and so gets the applications assigned to it. Tick none to add the user without groups; you can add groups later.</p>
${
  options.searchable &&
  html`<div class="toolbar"><div class="field"><label for="groupSearch">Find groups by name</label>
<input type="search" id="groupSearch" name="groupSearch" value="${options.search}"></div>
<button type="submit" class="secondary small" name="step" value="search">Search</button></div>`
}
${
  options.groups.length === 0
    ? html`<p class="empty">${
        options.search === ''
          ? 'This identity store has no groups yet. Add the user now, and add them to groups once there are some.'
          : html`No groups whose name starts with “${options.search}”.`
      }</p>`
    : html`<fieldset><legend>Add ${form.userName} to these groups</legend>
<ul class="checks">${options.groups.map((group) => groupCheckbox(group, ticked.has(group.groupId)))}</ul>
${options.more && html`<p class="muted">More groups match than are shown: search by name to find others.</p>`}
</fieldset>`
}
<div class="actions"><button type="submit" class="button" name="step" value="add">Add user</button>
<button type="submit" class="button secondary" name="step" value="back">Previous</button>
<a class="button secondary" href="${CONSOLE_PATHS.users}">Cancel</a></div>
</form>
</div>`,
  });
};

export const userAddedPage = (options: {
  viewer: ConsoleViewer;
  userId: string;
  userName: string;
  /** Where the invitation went, ending a sentence: "was sent to …", or waits in the Outbox. */
  invitationMailed: string;
  groups: GroupChoice[];
  oneTimePassword?: { password: string; expiresAt: Date };
  portalUrl: string;
}): Html =>
  consolePage({
    viewer: options.viewer,
    title: 'User added',
    section: 'users',
    body: html`<div class="panel"><h1>User added</h1>
${
  options.oneTimePassword === undefined
    ? html`<div class="alert ok" role="status"><p>${options.userName} was added. An invitation to set a password ${options.invitationMailed}.</p></div>`
    : html`<div class="alert ok" role="status"><p>${options.userName} was added. Give them this one-time password and the portal address; it is shown only this once.</p></div>
<p>One-time password: <code class="code" id="one-time-password">${options.oneTimePassword.password}</code></p>
<p class="muted">It expires at ${utcTime(options.oneTimePassword.expiresAt)}. At the first sign-in, ${options.userName} chooses a password of their own.</p>`
}
<p>Access portal: <a href="${options.portalUrl}">${options.portalUrl}</a></p>
<p>Groups: ${
      options.groups.length === 0
        ? 'none'
        : options.groups.map(
            (group, index) =>
              html`${index > 0 && ', '}<a href="${groupPath(group.groupId)}">${group.displayName}</a>`,
          )
    }</p>
<div class="actions"><a class="button" href="${userPath(options.userId)}">View user</a>
<a class="button secondary" href="${CONSOLE_PATHS.addUser}">Add another user</a>
<a class="button secondary" href="${CONSOLE_PATHS.users}">Back to users</a></div>
</div>`,
  });
