import { type NumericSettingName, SETTING_RANGES } from '../../modules/settings/settings.types.js';
import { type Html, html } from '../html.js';
import { type ConsoleViewer, consolePage, csrfInput, errorList, noticeBox } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';

/** The settings form as typed: numbers stay text, so a wrong value comes back as it was entered. */
export interface SettingsForm {
  invitationValidityDays: string;
  sessionDurationHours: string;
  minimumPasswordLength: string;
  mfaRequired: boolean;
  sendEmailOtp: boolean;
}

/** Each number's label and what it means, for the form and for its error messages. */
export const NUMBER_SETTINGS: { name: NumericSettingName; label: string; unit: string; hint: string }[] = [
  {
    name: 'invitationValidityDays',
    label: 'Invitation lifetime',
    unit: 'days',
    hint: 'How long an invitation link and a one-time password stay valid. AWS: 7 days.',
  },
  {
    name: 'sessionDurationHours',
    label: 'Session length',
    unit: 'hours',
    hint: 'How long a user stays signed in to the access portal. AWS: 8 hours.',
  },
  {
    name: 'minimumPasswordLength',
    label: 'Minimum password length',
    unit: 'characters',
    hint: 'The shortest password a user may choose.',
  },
];

const numberField = (setting: (typeof NUMBER_SETTINGS)[number], value: string): Html => {
  const { min, max } = SETTING_RANGES[setting.name];
  return html`<div class="field"><label for="${setting.name}">${setting.label} (${setting.unit})</label>
<input type="number" id="${setting.name}" name="${setting.name}" value="${value}" min="${min}" max="${max}" step="1" required aria-describedby="${setting.name}-hint">
<p class="hint" id="${setting.name}-hint">${setting.hint} From ${min} to ${max} ${setting.unit}.</p></div>`;
};

const checkbox = (name: 'mfaRequired' | 'sendEmailOtp', label: string, hint: string, checked: boolean) =>
  html`<li><label><input type="checkbox" name="${name}" value="on" aria-describedby="${name}-hint"${checked ? html` checked` : ''}> ${label}</label>
<p class="hint" id="${name}-hint">${hint}</p></li>`;

export const settingsPage = (options: {
  viewer: ConsoleViewer;
  /** Undefined when IAM Identity Center is not enabled yet: there is nothing to set. */
  instanceId?: string;
  form?: SettingsForm;
  notice?: string;
  errors?: string[];
}): Html =>
  consolePage({
    viewer: options.viewer,
    title: 'Settings',
    section: 'settings',
    body: html`<div class="panel"><h1>Settings</h1>
${noticeBox(options.notice)}
${errorList(options.errors)}
${
  options.instanceId === undefined || options.form === undefined
    ? html`<div class="alert info" role="status"><p>IAM Identity Center is not enabled yet, so there are no settings to change.</p></div>
<p><a class="button" href="${CONSOLE_PATHS.dashboard}">Enable it on the Dashboard</a></p>`
    : html`<p class="lead">Authentication settings of IAM Identity Center instance <code>${options.instanceId}</code>; they apply to every user of its identity store.</p>
<form method="post" action="${CONSOLE_PATHS.settings}" novalidate>
${csrfInput(options.viewer.csrfToken)}
${NUMBER_SETTINGS.map((setting) => numberField(setting, options.form?.[setting.name] ?? ''))}
<fieldset><legend>Sign-in</legend>
<ul class="checks">
${checkbox('mfaRequired', 'Require MFA', 'Every sign-in to the access portal asks for a code from an authenticator app; a user without one registers it at the next sign-in.', options.form.mfaRequired)}
${checkbox('sendEmailOtp', 'Send e-mail OTP', 'A user created through the API (without an invitation or a password) gets a code by e-mail at the first sign-in, then chooses a password.', options.form.sendEmailOtp)}
</ul>
</fieldset>
<div class="actions"><button type="submit" class="button">Save settings</button></div>
</form>`
}
</div>`,
  });
