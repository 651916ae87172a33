import type { MfaEnrolment, MfaStatus } from '../../modules/portal/mfa.types.js';
import { type Html, html } from '../html.js';
import { grouped } from '../portal/mfa-pages.js';
import { mfaCodeField } from './console-auth-pages.js';
import { type ConsoleViewer, consolePage, csrfInput, errorList, noticeBox } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';

/** The root admin's MFA settings and the steps under them. */
export const SECURITY_PATHS = {
  settings: CONSOLE_PATHS.security,
  register: `${CONSOLE_PATHS.security}/register`,
  recoveryCodes: `${CONSOLE_PATHS.security}/recovery-codes`,
  remove: `${CONSOLE_PATHS.security}/remove`,
} as const;

const securityPage = (viewer: ConsoleViewer, title: string, body: Html): Html =>
  consolePage({ viewer, title, section: 'security', body: html`<div class="panel">${body}</div>` });

const dateOf = (at: Date | undefined): string => (at === undefined ? '' : at.toISOString().slice(0, 10));

const breakGlass = html`<p class="links">Lost the device and the recovery codes? <code>studio-sso admin reset-password</code> prints a setup link that sets a new password and signs you in; then remove the app here and register a new one.</p>`;

/** What the root's MFA is now, and what can be done about it. */
export const mfaSettingsPage = (options: {
  viewer: ConsoleViewer;
  status: MfaStatus;
  notice?: string;
  errors?: string[];
}): Html => {
  const { status, viewer } = options;
  return securityPage(
    viewer,
    'MFA settings',
    html`<h1>Multi-factor authentication</h1>
<p class="lead">A second step for signing in to the console as ${viewer.rootEmail}: after the password, a code from an authenticator app on your phone or computer.</p>
${noticeBox(options.notice)}
${errorList(options.errors)}
${
  status.enrolled
    ? html`<dl class="details">
<dt>Authenticator app</dt><dd><span class="badge ok">Registered</span> ${status.activatedAt === undefined ? '' : `on ${dateOf(status.activatedAt)}`}</dd>
<dt>Recovery codes</dt><dd>${status.recoveryCodesLeft} of 10 unused</dd>
</dl>
<h2>New recovery codes</h2>
<p class="muted">Each recovery code signs you in once in place of an MFA code. New ones replace all the old ones; confirm with a current code from your authenticator app.</p>
<form method="post" action="${SECURITY_PATHS.recoveryCodes}" novalidate>
${csrfInput(viewer.csrfToken)}
${mfaCodeField({ hint: 'The 6-digit code from your authenticator app, or a recovery code.' })}
<div class="actions"><button type="submit" class="button">Make new recovery codes</button></div>
</form>
<h2>Remove the authenticator app</h2>
<p class="muted">Console sign-in then asks only for the password, until you register an app again.</p>
<div class="actions"><a class="button secondary" href="${SECURITY_PATHS.remove}">Remove authenticator app…</a></div>
${breakGlass}`
    : html`<dl class="details">
<dt>Authenticator app</dt><dd><span class="badge none">Not registered</span></dd>
</dl>
<p>Without an app, a stolen or guessed password is enough to take over every user, group and application here. Registering takes a minute: scan a QR code, type the code the app shows, and keep the recovery codes.</p>
<div class="actions"><a class="button" href="${SECURITY_PATHS.register}">Register an authenticator app</a></div>`
}`,
  );
};

/** Registering: the QR code, the key to type instead, and the first code that confirms it. */
export const registerMfaPage = (options: {
  viewer: ConsoleViewer;
  enrolment: MfaEnrolment;
  qrDataUri: string;
  errors?: string[];
}): Html =>
  securityPage(
    options.viewer,
    'Register an authenticator app',
    html`<h1>Register an authenticator app</h1>
${errorList(options.errors)}
<ol class="steps">
<li>Install an authenticator app on your phone or computer, such as Google Authenticator, Microsoft Authenticator, 1Password or Bitwarden.</li>
<li>In the app, add an account and scan this QR code.
<div class="scan">
<img class="qr" src="${options.qrDataUri}" width="192" height="192" alt="QR code that adds the console root ${options.viewer.rootEmail} to an authenticator app">
<div><p class="muted">Cannot scan it? Enter this key instead, as a time-based key for the account <strong>${options.viewer.rootEmail}</strong>:</p>
<p><span class="secret" id="secret-key">${grouped(options.enrolment.secret)}</span></p></div>
</div></li>
<li>Enter the 6-digit code the app now shows for studio-sso.</li>
</ol>
<form method="post" action="${SECURITY_PATHS.register}" novalidate>
${csrfInput(options.viewer.csrfToken)}
${mfaCodeField({ hint: 'Codes change every 30 seconds.' })}
<div class="actions"><button type="submit" class="button">Register authenticator app</button>
<a class="button secondary" href="${SECURITY_PATHS.settings}">Cancel</a></div>
</form>`,
  );

/** Recovery codes, shown this once. */
export const recoveryCodesPage = (options: { viewer: ConsoleViewer; intro: string; codes: string[] }): Html =>
  securityPage(
    options.viewer,
    'Save your recovery codes',
    html`<h1>Save your recovery codes</h1>
<div class="alert ok" role="status"><p>${options.intro}</p></div>
<p>If you lose your device, each of these codes signs you in once in place of an MFA code. Keep them somewhere safe, such as a password manager. They are shown only now.</p>
<ul class="codes" aria-label="Recovery codes">
${options.codes.map((code) => html`<li>${code}</li>`)}
</ul>
<div class="actions"><a class="button" href="${SECURITY_PATHS.settings}">I have saved them</a></div>`,
  );

/** The confirmation before removing the app: what goes, what changes, and a current code. */
export const removeMfaPage = (options: {
  viewer: ConsoleViewer;
  recoveryCodesLeft: number;
  errors?: string[];
}): Html =>
  securityPage(
    options.viewer,
    'Remove the authenticator app',
    html`<h1>Remove the authenticator app?</h1>
${errorList(options.errors)}
<div class="alert warn"><p>This removes the authenticator app registered for the console root ${options.viewer.rootEmail}, and its ${options.recoveryCodesLeft} unused recovery code${options.recoveryCodesLeft === 1 ? '' : 's'}. Afterwards, console sign-in asks only for the password, until you register an app again. The access portal's users and their apps are not affected.</p></div>
<form method="post" action="${SECURITY_PATHS.remove}" novalidate>
${csrfInput(options.viewer.csrfToken)}
${mfaCodeField({ hint: 'Confirm with the 6-digit code from the app you are removing, or a recovery code.', autofocus: true })}
<div class="actions"><button type="submit" class="button danger">Remove authenticator app</button>
<a class="button secondary" href="${SECURITY_PATHS.settings}">Cancel</a></div>
</form>`,
  );
