import QRCode from 'qrcode';
import type { MfaEnrolment, MfaStatus } from '../../modules/portal/mfa.types.js';
import { type Html, html } from '../html.js';
import { layout, type TopBarAccount } from '../layout.js';
import { PATHS } from '../links.js';
import { alert, csrfField } from './portal-pages.js';

/**
 * Pages of multi-factor authentication: the MFA code step of signing in, registering an
 * authenticator app (QR code, the key to type, the first code), the recovery codes shown once, and
 * the signed-in user's MFA settings.
 */

/** The QR code of an otpauth URI as an SVG data URI: drawn here, no request leaves the server. */
export const qrCodeDataUri = async (text: string): Promise<string> => {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
};

/** `JBSW Y3DP EHPK 3PXP`: the base32 key in groups of four, as apps that take it by hand show it. */
export const grouped = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');

const codeField = (options: { label: string; hint: string; autofocus?: boolean }) => html`<div class="field">
<label for="code">${options.label}</label>
<input type="text" id="code" name="code" class="code-input" inputmode="numeric" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" aria-describedby="code-hint" required${options.autofocus === false ? '' : html` autofocus`}>
<p class="hint" id="code-hint">${options.hint}</p>
</div>`;

export const mfaCodePage = (options: {
  csrfToken: string;
  ticket: string;
  userName: string;
  errors?: string[];
}): Html =>
  layout({
    title: 'Additional verification required',
    body: html`<h1>Additional verification required</h1>
${alert(options.errors)}
<p>Open the authenticator app you registered for <strong>${options.userName}</strong> and enter the code it shows.</p>
<form method="post" action="${PATHS.signInMfa}" novalidate>
${csrfField(options.csrfToken)}
<input type="hidden" name="ticket" value="${options.ticket}">
${codeField({ label: 'MFA code', hint: 'The 6-digit code from your authenticator app. Without your device, enter one of your recovery codes instead.' })}
<div class="actions"><button type="submit">Sign in</button></div>
</form>
<p class="links"><a href="${PATHS.portal}">Cancel</a></p>`,
  });

export interface EnrolmentPageOptions {
  csrfToken: string;
  userName: string;
  enrolment: MfaEnrolment;
  qrDataUri: string;
  /** Where the code is posted, and the hidden fields that go with it (the sign-in ticket). */
  action: string;
  hidden?: Record<string, string>;
  /** Registering is required by the administrator (during sign-in). */
  required: boolean;
  account?: TopBarAccount;
  errors?: string[];
}

export const mfaEnrolmentPage = (options: EnrolmentPageOptions): Html =>
  layout({
    title: 'Register an authenticator app',
    account: options.account,
    wide: true,
    body: html`<h1>Register an authenticator app</h1>
${alert(options.errors)}
${
  options.required &&
  html`<div class="alert info" role="status"><p>Your administrator requires multi-factor authentication. Register an authenticator app to finish signing in.</p></div>`
}
<ol class="steps">
<li>Install an authenticator app on your phone or computer, such as Google Authenticator, Microsoft Authenticator, 1Password or Bitwarden.</li>
<li>In the app, add an account and scan this QR code.
<div class="scan">
<img class="qr" src="${options.qrDataUri}" width="192" height="192" alt="QR code that adds ${options.userName} on studio-sso to an authenticator app">
<div><p class="muted">Cannot scan it? Enter this key instead, as a time-based key for the account <strong>${options.userName}</strong>:</p>
<p><span class="secret" id="secret-key">${grouped(options.enrolment.secret)}</span></p></div>
</div></li>
<li>Enter the 6-digit code the app now shows for studio-sso.</li>
</ol>
<form method="post" action="${options.action}" novalidate>
${csrfField(options.csrfToken)}
${Object.entries(options.hidden ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
${codeField({ label: 'MFA code', hint: 'Codes change every 30 seconds.', autofocus: false })}
<div class="actions"><button type="submit">Register authenticator app</button></div>
</form>`,
  });

export const recoveryCodesPage = (options: {
  codes: string[];
  account: TopBarAccount;
  intro: string;
}): Html =>
  layout({
    title: 'Save your recovery codes',
    account: options.account,
    body: html`<h1>Save your recovery codes</h1>
<div class="alert ok" role="status"><p>${options.intro}</p></div>
<p>If you lose your device, each of these codes signs you in once in place of an MFA code. Keep them somewhere safe, such as a password manager. They are shown only now.</p>
<ul class="codes" aria-label="Recovery codes">
${options.codes.map((code) => html`<li>${code}</li>`)}
</ul>
<div class="actions"><a class="button" href="${PATHS.portal}">Continue to the portal</a></div>`,
  });

/** The signed-in user's MFA settings: register, or remove and renew recovery codes with a current code. */
export const securityPage = (options: {
  csrfToken: string;
  account: TopBarAccount;
  status: MfaStatus;
  mfaRequired: boolean;
  notice?: string;
  errors?: string[];
}): Html =>
  layout({
    title: 'MFA settings',
    account: options.account,
    wide: true,
    body: html`<h1>Multi-factor authentication</h1>
${options.notice !== undefined && html`<div class="alert ok" role="status"><p>${options.notice}</p></div>`}
${alert(options.errors)}
${
  options.status.enrolled
    ? html`<dl class="details">
<dt>Authenticator app</dt><dd><span class="badge ok">Registered</span> ${options.status.activatedAt === undefined ? '' : `on ${options.status.activatedAt.toISOString().slice(0, 10)}`}</dd>
<dt>Recovery codes</dt><dd>${options.status.recoveryCodesLeft} of 10 unused</dd>
<dt>Required</dt><dd>${options.mfaRequired ? 'Yes, by your administrator' : 'No, but recommended'}</dd>
</dl>
<h2>Renew recovery codes or remove the app</h2>
<p class="muted">Confirm with a current code from your authenticator app (or a recovery code).${options.mfaRequired ? ' After removing it you register a new app at your next sign-in.' : ''}</p>
<form method="post" action="${PATHS.securityRecoveryCodes}" novalidate>
${csrfField(options.csrfToken)}
${codeField({ label: 'MFA code', hint: 'The 6-digit code from your authenticator app.', autofocus: false })}
<div class="actions">
<button type="submit">New recovery codes</button>
<button type="submit" class="secondary" formaction="${PATHS.securityRemoveMfa}">Remove authenticator app</button>
</div>
</form>`
    : html`<p>${options.mfaRequired ? 'Your administrator requires an authenticator app; you will register one at your next sign-in, or now.' : 'Add a second step to signing in: after your password, a code from an authenticator app on your phone or computer.'}</p>
<div class="actions"><a class="button" href="${PATHS.securityRegisterMfa}">Register an authenticator app</a></div>`
}
<p class="links"><a href="${PATHS.portal}">Back to your applications</a></p>`,
  });
