import type { User } from '../../modules/identity-store/identity-store.types.js';
import { CSRF_FIELD } from '../forms.js';
import { type Html, html } from '../html.js';
import { layout, type TopBarAccount } from '../layout.js';
import { PATHS } from '../links.js';

/**
 * The access portal's sign-in pages: user name, then password or e-mailed code, choosing a password
 * (invitation, one-time password, code, reset link), and pages that explain what happened. MFA,
 * the application list and Studio have pages of their own. Labels are AWS's where AWS has them.
 */

export const csrfField = (token: string): Html =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;

export const alert = (messages: readonly string[] | undefined): Html | false =>
  messages !== undefined &&
  messages.length > 0 &&
  (messages.length === 1
    ? html`<div class="alert" role="alert"><p>${messages[0]}</p></div>`
    : html`<div class="alert" role="alert"><p>Please change the following:</p><ul>${messages.map((m) => html`<li>${m}</li>`)}</ul></div>`);

export const displayNameOf = (user: User): string => user.displayName ?? user.userName;

/** Text with its hyphenated words kept whole: "(d-2o7lqxvpsxme)" never breaks after "d-". */
export const unbroken = (text: string): Html[] =>
  text
    .split(/(\s+)/)
    .map((word) => (word.includes('-') ? html`<span class="nowrap">${word}</span>` : html`${word}`));

export const usernamePage = (options: {
  csrfToken: string;
  userName?: string;
  errors?: string[];
  notice?: string;
}): Html =>
  layout({
    title: 'Sign in',
    body: html`<h1>Sign in</h1>
${options.notice !== undefined && html`<div class="alert ok" role="status"><p>${options.notice}</p></div>`}
${alert(options.errors)}
<form method="post" action="${PATHS.signIn}" novalidate>
${csrfField(options.csrfToken)}
<div class="field">
<label for="username">Username</label>
<input type="text" id="username" name="username" value="${options.userName ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
</div>
<div class="actions"><button type="submit">Next</button></div>
</form>`,
  });

export const passwordPage = (options: { csrfToken: string; userName: string; errors?: string[] }): Html =>
  layout({
    title: 'Sign in',
    body: html`<h1>Sign in</h1>
${alert(options.errors)}
<form method="post" action="${PATHS.signInPassword}" novalidate>
${csrfField(options.csrfToken)}
<input type="hidden" name="username" value="${options.userName}">
<p class="muted">Username: <strong>${options.userName}</strong> · <a href="${PATHS.portal}">Not you?</a></p>
<div class="field">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required autofocus>
</div>
<div class="actions"><button type="submit">Sign in</button></div>
</form>
<p class="links"><a href="${PATHS.forgotPassword}?${new URLSearchParams({ username: options.userName }).toString()}">Forgot password?</a></p>`,
  });

export const emailCodePage = (options: {
  csrfToken: string;
  challengeId: string;
  sentTo: string;
  errors?: string[];
}): Html =>
  layout({
    title: 'Check your e-mail',
    body: html`<h1>Check your e-mail</h1>
${alert(options.errors)}
<p>We sent a verification code to <strong>${options.sentTo}</strong>. It is valid for 10 minutes.</p>
<form method="post" action="${PATHS.signInCode}" novalidate>
${csrfField(options.csrfToken)}
<input type="hidden" name="challenge" value="${options.challengeId}">
<div class="field">
<label for="code">Verification code</label>
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" required autofocus>
</div>
<div class="actions"><button type="submit">Next</button></div>
</form>`,
  });

export interface NewPasswordPageOptions {
  csrfToken: string;
  title: string;
  intro: string;
  action: string;
  /** Hidden fields that carry the link's token or the sign-in ticket. */
  hidden: Record<string, string>;
  userName: string;
  minimumLength: number;
  errors?: string[];
}

/** "New password", "Confirm password", **Set new password**: AWS's labels. */
export const newPasswordPage = (options: NewPasswordPageOptions): Html =>
  layout({
    title: options.title,
    body: html`<h1>${options.title}</h1>
${alert(options.errors)}
<p>${options.intro}</p>
<form method="post" action="${options.action}" novalidate>
${csrfField(options.csrfToken)}
${Object.entries(options.hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<input type="text" name="username" value="${options.userName}" autocomplete="username" hidden readonly>
<div class="field">
<label for="new-password">New password</label>
<input type="password" id="new-password" name="newPassword" autocomplete="new-password" aria-describedby="password-hint" required autofocus>
<p class="hint" id="password-hint">At least ${options.minimumLength} characters. Any characters are fine, spaces too; a few unrelated words make a strong password. Common passwords and your user name are refused.</p>
</div>
<div class="field">
<label for="confirm-password">Confirm password</label>
<input type="password" id="confirm-password" name="confirmPassword" autocomplete="new-password" required>
</div>
<div class="actions"><button type="submit">Set new password</button></div>
</form>`,
  });

/** A page that explains what happened and what to do next. */
export const messagePage = (options: {
  title: string;
  paragraphs: (string | Html)[];
  tone?: 'ok' | 'problem' | 'info';
  link?: { href: string; label: string };
  /** The signed-in user, for the top bar. */
  account?: TopBarAccount;
  wide?: boolean;
}): Html =>
  layout({
    title: options.title,
    account: options.account,
    wide: options.wide,
    body: html`<h1>${options.title}</h1>
<div class="alert${options.tone === 'ok' ? ' ok' : options.tone === 'info' ? ' info' : ''}" role="${options.tone === 'problem' || options.tone === undefined ? 'alert' : 'status'}">
${options.paragraphs.map((p) => html`<p>${p}</p>`)}
</div>
${options.link !== undefined && html`<p><a class="button" href="${options.link.href}">${options.link.label}</a></p>`}`,
  });

export const forgotPasswordPage = (options: {
  csrfToken: string;
  userName?: string;
  errors?: string[];
}): Html =>
  layout({
    title: 'Forgot password',
    body: html`<h1>Forgot password</h1>
${alert(options.errors)}
<p>Enter your user name. We e-mail a link to the address your administrator set for you; with it you choose a new password.</p>
<form method="post" action="${PATHS.forgotPassword}" novalidate>
${csrfField(options.csrfToken)}
<div class="field">
<label for="username">Username</label>
<input type="text" id="username" name="username" value="${options.userName ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
</div>
<div class="actions"><button type="submit">Reset password</button></div>
</form>
<p class="links"><a href="${PATHS.portal}">Back to sign in</a></p>`,
  });

/** The same answer whether or not the user exists: nothing on it tells which. */
export const resetLinkSentPage = (): Html =>
  messagePage({
    title: 'Check your e-mail',
    tone: 'info',
    paragraphs: [
      'If that user name belongs to an account with an e-mail address, we have sent a link to it to reset the password.',
      'The link works once, for 60 minutes. If nothing arrives within a few minutes, check your spam folder or ask your administrator.',
    ],
    link: { href: PATHS.portal, label: 'Back to sign in' },
  });
