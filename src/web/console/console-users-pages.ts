import { type Html, html } from '../html.js';
import { type ConsoleViewer, consolePage, csrfInput, errorList, noticeBox, pager } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';

export interface UserRow {
  userName: string;
  displayName?: string;
  email?: string;
  status: string;
  onboarding: string;
  invitation?: string;
  delivery?: string;
}

export const usersPage = (options: {
  viewer: ConsoleViewer;
  search: string;
  rows: UserRow[];
  nextToken?: string;
  notice?: string;
  problem?: string;
}): Html =>
  consolePage({
    viewer: options.viewer,
    title: 'Users',
    section: 'users',
    body: html`<div class="panel"><h1>Users</h1>
${noticeBox(options.notice)}
${errorList(options.problem === undefined ? undefined : [options.problem])}
<div class="toolbar">
<form method="get" action="${CONSOLE_PATHS.users}" role="search">
<div class="field"><label for="search">Find users by user name</label>
<input type="search" id="search" name="search" value="${options.search}"></div>
<button type="submit" class="button secondary small">Search</button>
</form>
<a class="button" href="${CONSOLE_PATHS.addUser}">Add user</a>
</div>
${
  options.rows.length === 0
    ? html`<p class="empty">No users${options.search === '' ? '' : html` whose user name starts with “${options.search}”`}.</p>`
    : html`<table class="list">
<thead><tr><th>Username</th><th>Display name</th><th>Email</th><th>Status</th><th>Sign-in</th><th>Invitation</th><th>Delivery</th></tr></thead>
<tbody>
${options.rows.map(
  (row) =>
    html`<tr><td>${row.userName}</td><td>${row.displayName ?? ''}</td><td>${row.email ?? ''}</td><td>${row.status}</td><td>${row.onboarding}</td><td>${row.invitation ?? '—'}</td><td>${row.delivery ?? '—'}</td></tr>`,
)}
</tbody>
</table>`
}
${pager(CONSOLE_PATHS.users, options.search === '' ? {} : { search: options.search }, options.nextToken)}
</div>`,
  });

export interface AddUserForm {
  userName: string;
  email: string;
  confirmEmail: string;
  givenName: string;
  familyName: string;
  displayName: string;
  passwordSetup: string;
}

const textField = (id: keyof AddUserForm, label: string, value: string, type = 'text'): Html =>
  html`<div class="field"><label for="${id}">${label}</label>
<input type="${type}" id="${id}" name="${id}" value="${value}" required></div>`;

export const addUserPage = (options: {
  viewer: ConsoleViewer;
  form: AddUserForm;
  errors?: string[];
}): Html => {
  const { form } = options;
  const oneTime = form.passwordSetup === 'one-time-password';
  return consolePage({
    viewer: options.viewer,
    title: 'Add user',
    section: 'users',
    body: html`<div class="panel"><h1>Add user</h1>
${errorList(options.errors)}
<form method="post" action="${CONSOLE_PATHS.addUser}" novalidate>
${csrfInput(options.viewer.csrfToken)}
${textField('userName', 'Username', form.userName)}
${textField('email', 'Email address', form.email, 'email')}
${textField('confirmEmail', 'Confirm email address', form.confirmEmail, 'email')}
${textField('givenName', 'First name', form.givenName)}
${textField('familyName', 'Last name', form.familyName)}
${textField('displayName', 'Display name', form.displayName)}
<fieldset><legend>Password</legend>
<label><input type="radio" name="passwordSetup" value="send-email"${oneTime ? '' : html` checked`}> Send an e-mail to the user with password setup instructions</label>
<label><input type="radio" name="passwordSetup" value="one-time-password"${oneTime ? html` checked` : ''}> Generate a one-time password that you can share with the user</label>
</fieldset>
<div class="actions"><button type="submit" class="button">Add user</button>
<a class="button secondary" href="${CONSOLE_PATHS.users}">Cancel</a></div>
</form>
</div>`,
  });
};

export const userAddedPage = (options: {
  viewer: ConsoleViewer;
  userName: string;
  email: string;
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
    ? html`<div class="alert ok" role="status"><p>${options.userName} was added. An invitation to set a password was sent to ${options.email}.</p></div>`
    : html`<div class="alert ok" role="status"><p>${options.userName} was added. Give them this one-time password and the portal address; it is shown only this once.</p></div>
<p>One-time password: <code class="code" id="one-time-password">${options.oneTimePassword.password}</code></p>
<p class="muted">It expires at ${options.oneTimePassword.expiresAt.toISOString()}.</p>`
}
<p>Portal: <code>${options.portalUrl}</code></p>
<div class="actions"><a class="button" href="${CONSOLE_PATHS.users}">Back to users</a></div>
</div>`,
  });
