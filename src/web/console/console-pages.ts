import { CSRF_FIELD } from '../forms.js';
import { type Html, html } from '../html.js';
import { layout } from '../layout.js';

/** Where the console's pages live. */
export const CONSOLE_PATHS = {
  home: '/console',
  signIn: '/console/sign-in',
  signOut: '/console/sign-out',
  setup: '/console/setup',
  users: '/console/users',
  addUser: '/console/users/add',
} as const;

const csrfInput = (token: string): Html => html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;

const errorList = (errors: string[] | undefined): Html | false =>
  errors !== undefined &&
  errors.length > 0 &&
  (errors.length === 1
    ? html`<div class="alert" role="alert"><p>${errors[0]}</p></div>`
    : html`<div class="alert" role="alert"><p>Please change the following:</p><ul>${errors.map((m) => html`<li>${m}</li>`)}</ul></div>`);

/** The console's own navigation and Sign out, above each signed-in page. */
const consoleNav = (csrfToken: string): Html => html`<nav class="links" aria-label="Console">
<strong>Identity Center</strong> · <a href="${CONSOLE_PATHS.users}">Users</a>
<form method="post" action="${CONSOLE_PATHS.signOut}">
${csrfInput(csrfToken)}
<button type="submit" class="top-button">Sign out</button>
</form>
</nav>`;

export const consolePage = (options: {
  title: string;
  body: Html;
  csrfToken?: string;
  rootEmail?: string;
  wide?: boolean;
}): Html =>
  layout({
    title: `${options.title} · console`,
    wide: options.wide,
    signedInAs: options.rootEmail,
    body: html`${options.csrfToken !== undefined && consoleNav(options.csrfToken)}
${options.body}`,
  });

export const consoleMessagePage = (
  title: string,
  paragraphs: string[],
  link?: { href: string; label: string },
): Html =>
  consolePage({
    title,
    body: html`<h1>${title}</h1>
<div class="alert" role="alert">${paragraphs.map((p) => html`<p>${p}</p>`)}</div>
${link !== undefined && html`<p><a class="button" href="${link.href}">${link.label}</a></p>`}`,
  });

export const consoleSignInPage = (options: {
  csrfToken: string;
  email?: string;
  errors?: string[];
  notSetUp?: boolean;
}): Html =>
  consolePage({
    title: 'Sign in',
    body: html`<h1>Console sign-in</h1>
<p class="lead">Sign in as the root admin, with the root e-mail address.</p>
${options.notSetUp === true && html`<div class="alert info" role="status"><p>No root password is set yet. Open the setup link that the server printed when it started, or run <code>studio-sso admin reset-password</code> for a new one.</p></div>`}
${errorList(options.errors)}
<form method="post" action="${CONSOLE_PATHS.signIn}" novalidate>
${csrfInput(options.csrfToken)}
<div class="field"><label for="email">Root e-mail</label>
<input type="email" id="email" name="email" value="${options.email ?? ''}" autocomplete="username" required autofocus></div>
<div class="field"><label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required></div>
<div class="actions"><button type="submit" class="button">Sign in</button></div>
</form>`,
  });

export const consoleSetupPage = (options: {
  csrfToken: string;
  token: string;
  rootEmail: string;
  errors?: string[];
}): Html =>
  consolePage({
    title: 'Set the root password',
    body: html`<h1>Set the root password</h1>
<p class="lead">You will sign in to the console as <strong>${options.rootEmail}</strong> with this password.</p>
${errorList(options.errors)}
<form method="post" action="${CONSOLE_PATHS.setup}" novalidate>
${csrfInput(options.csrfToken)}
<input type="hidden" name="token" value="${options.token}">
<div class="field"><label for="new-password">New password</label>
<input type="password" id="new-password" name="newPassword" autocomplete="new-password" required autofocus>
<p class="hint">At least 12 characters. A few unrelated words work well.</p></div>
<div class="field"><label for="confirm-password">Confirm password</label>
<input type="password" id="confirm-password" name="confirmPassword" autocomplete="new-password" required></div>
<div class="actions"><button type="submit" class="button">Set password and sign in</button></div>
</form>`,
  });

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
  csrfToken: string;
  rootEmail: string;
  search: string;
  rows: UserRow[];
  nextHref?: string;
  notice?: Html;
  problem?: string;
}): Html =>
  consolePage({
    title: 'Users',
    wide: true,
    csrfToken: options.csrfToken,
    rootEmail: options.rootEmail,
    body: html`<h1>Users</h1>
${options.notice}
${options.problem !== undefined && html`<div class="alert" role="alert"><p>${options.problem}</p></div>`}
<form method="get" action="${CONSOLE_PATHS.users}" role="search">
<div class="field"><label for="search">Find users by user name</label>
<input type="search" id="search" name="search" value="${options.search}"></div>
<div class="actions"><button type="submit" class="button secondary">Search</button>
<a class="button" href="${CONSOLE_PATHS.addUser}">Add user</a></div>
</form>
${
  options.rows.length === 0
    ? html`<p class="empty">No users${options.search === '' ? '' : html` whose user name starts with “${options.search}”`}.</p>`
    : html`<table>
<thead><tr><th>Username</th><th>Display name</th><th>Email</th><th>Status</th><th>Sign-in</th><th>Invitation</th><th>Delivery</th></tr></thead>
<tbody>
${options.rows.map(
  (row) =>
    html`<tr><td>${row.userName}</td><td>${row.displayName ?? ''}</td><td>${row.email ?? ''}</td><td>${row.status}</td><td>${row.onboarding}</td><td>${row.invitation ?? '—'}</td><td>${row.delivery ?? '—'}</td></tr>`,
)}
</tbody>
</table>`
}
${options.nextHref !== undefined && html`<p><a class="button secondary" href="${options.nextHref}">Next page</a></p>`}`,
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
  csrfToken: string;
  rootEmail: string;
  form: AddUserForm;
  errors?: string[];
}): Html => {
  const { form } = options;
  const oneTime = form.passwordSetup === 'one-time-password';
  return consolePage({
    title: 'Add user',
    csrfToken: options.csrfToken,
    rootEmail: options.rootEmail,
    body: html`<h1>Add user</h1>
${errorList(options.errors)}
<form method="post" action="${CONSOLE_PATHS.addUser}" novalidate>
${csrfInput(options.csrfToken)}
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
</form>`,
  });
};

export const userAddedPage = (options: {
  csrfToken: string;
  rootEmail: string;
  userName: string;
  email: string;
  oneTimePassword?: { password: string; expiresAt: Date };
  portalUrl: string;
}): Html =>
  consolePage({
    title: 'User added',
    csrfToken: options.csrfToken,
    rootEmail: options.rootEmail,
    body: html`<h1>User added</h1>
${
  options.oneTimePassword === undefined
    ? html`<div class="alert ok" role="status"><p>${options.userName} was added. An invitation to set a password was sent to ${options.email}.</p></div>`
    : html`<div class="alert ok" role="status"><p>${options.userName} was added. Give them this one-time password and the portal address; it is shown only this once.</p></div>
<p>One-time password: <code class="code" id="one-time-password">${options.oneTimePassword.password}</code></p>
<p class="muted">It expires at ${options.oneTimePassword.expiresAt.toISOString()}.</p>`
}
<p>Portal: <code>${options.portalUrl}</code></p>
<div class="actions"><a class="button" href="${CONSOLE_PATHS.users}">Back to users</a></div>`,
  });
