import { type Html, html } from '../html.js';
import { consoleCardPage, csrfInput, errorList } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';

/** Where the MFA code step of a sign-in posts (the sign-in form leads there; nothing links to it). */
export const CONSOLE_SIGN_IN_MFA = '/console/sign-in/mfa';

/** A 6-digit code from the app, or a recovery code: one field for both, as the portal asks. */
export const mfaCodeField = (options: { hint: string; autofocus?: boolean }): Html => html`<div class="field">
<label for="code">MFA code</label>
<input type="text" id="code" name="code" class="code-input" inputmode="numeric" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" aria-describedby="code-hint" required${options.autofocus === true ? html` autofocus` : ''}>
<p class="hint" id="code-hint">${options.hint}</p>
</div>`;

export const consoleSignInPage = (options: {
  csrfToken: string;
  email?: string;
  errors?: string[];
  notSetUp?: boolean;
}): Html =>
  consoleCardPage({
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
  consoleCardPage({
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

/** The second step of a sign-in when the root has an authenticator app. */
export const consoleMfaCodePage = (options: { csrfToken: string; ticket: string; errors?: string[] }): Html =>
  consoleCardPage({
    title: 'MFA code',
    body: html`<h1>Additional verification required</h1>
<p class="lead">Open the authenticator app you registered for the console and enter the code it shows.</p>
${errorList(options.errors)}
<form method="post" action="${CONSOLE_SIGN_IN_MFA}" novalidate>
${csrfInput(options.csrfToken)}
<input type="hidden" name="ticket" value="${options.ticket}">
${mfaCodeField({ hint: 'The 6-digit code from your authenticator app. Without your device, enter one of your recovery codes instead.', autofocus: true })}
<div class="actions"><button type="submit" class="button">Sign in</button></div>
</form>
<p class="links"><a href="${CONSOLE_PATHS.home}">Cancel and start again</a></p>`,
  });
